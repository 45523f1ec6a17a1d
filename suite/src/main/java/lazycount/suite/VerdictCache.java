package lazycount.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verdict cache: one small file per cell key ({@link CellKeys}) under
 * {@code ${XDG_CACHE_HOME:-$HOME/.cache}/lazycount/verdicts} (or
 * {@code --cache-dir DIR}, or {@code LAZYCOUNT_VERDICT_CACHE}): {@code KEY.cell}
 * holds the cell's fields and the date and machine it was decided on,
 * {@code KEY.report} a copy of its counter-example (restored under
 * {@code target/verification/counter-examples/} when the cell is reused). An
 * ERROR cell, which decides nothing, and a cell not run are never stored.
 * Deleting the directory, or any file in it, is always safe.
 */
final class VerdictCache {

    private final Path dir;

    VerdictCache(Path dir) {
        this.dir = dir;
    }

    /** {@code explicit} if given, else {@code LAZYCOUNT_VERDICT_CACHE}, else the user's cache directory. */
    static Path defaultDir(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String env = System.getenv("LAZYCOUNT_VERDICT_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("lazycount").resolve("verdicts");
    }

    Path dir() {
        return dir;
    }

    /**
     * The cached cell of {@code key}, marked reused (with its date and
     * machine), its counter-example restored under {@code out}; null if none.
     */
    Cell lookup(String key, Path out) {
        Path file = dir.resolve(key + ".cell");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Map<String, String> f = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                int tab = line.indexOf('\t');
                if (!line.startsWith("#") && tab > 0) {
                    f.put(line.substring(0, tab), RowsFile.unescape(line.substring(tab + 1)));
                }
            }
            Cell cell = RowsFile.cellOf(f, out);
            Path saved = dir.resolve(key + ".report");
            if (cell.report() != null && Files.isRegularFile(saved)) {
                Files.createDirectories(cell.report().getParent());
                Files.copy(saved, cell.report(), StandardCopyOption.REPLACE_EXISTING);
            }
            Path report = cell.report() != null && Files.exists(cell.report()) ? cell.report() : null;
            return cell.reusedFrom(f.get("decided") + " on " + f.get("host"), report);
        } catch (IOException | RuntimeException e) {
            return null;    // an unreadable or stale-format entry is a miss: the cell runs again
        }
    }

    /** Stores {@code cell} (decided now, on this machine) under {@code key}, unless it is an ERROR or not run. */
    void store(String key, String impl, boolean beyond, Cell cell, Path out) {
        if (cell.error() || cell.status() == Cell.Status.NOT_RUN || cell.isReused()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            StringBuilder text = new StringBuilder("# lazycount verdict cache: one cell of ./verify-suite (CellKeys)\n");
            Map<String, String> f = new LinkedHashMap<>();
            f.put("impl", impl);
            f.put("side", beyond ? "beyond" : "within");
            f.putAll(RowsFile.fieldsOf(cell, out));
            f.put("decided", Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC");
            f.put("host", hostname());
            f.forEach((k, v) -> text.append(k).append('\t').append(RowsFile.escape(v)).append('\n'));
            if (cell.report() != null && Files.isRegularFile(cell.report())) {
                Path tmp = Files.createTempFile(dir, key, ".tmp");
                Files.copy(cell.report(), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(key + ".report"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, dir.resolve(key + ".cell"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verdict cache " + dir, e);
        }
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String h = System.getenv("HOSTNAME");
            return h == null || h.isBlank() ? "unknown host" : h;
        }
    }
}
