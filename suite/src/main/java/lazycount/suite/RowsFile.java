package lazycount.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;

/**
 * The machine-readable rows of a run, {@code target/verification/rows.tsv},
 * written beside every matrix: what {@code --merge} joins into one matrix.
 * Tab-separated, one record a line, fields escaped ({@code \t \n \\}):
 *
 * <pre>
 * run     HEADER                      the run's header line (mode, settings, JDK)
 * shard   K  N                        this shard (1 1 for a whole run)
 * seconds S                           its wall time
 * row     IMPL  OK  ERRORS  VERDICT  BEYOND-VERDICT
 * cell    IMPL  within|beyond  TOOL  STATUS  MILLIS  WHERE  HEADLINE  REPORT  RACES  REUSED
 * </pre>
 *
 * REPORT is relative to the directory of the rows file (the counter-examples
 * beside it) unless absolute.
 */
final class RowsFile {

    static final String NAME = "rows.tsv";

    /** One shard's rows as read back: its header, position, wall time, rows and how many cells erred. */
    record Shard(String header, int k, int n, long seconds, List<VerifySuite.Row> rows, int errors, Path file) {
    }

    private RowsFile() {
    }

    static void write(Path file, String header, int k, int n, long seconds, List<VerifySuite.Row> rows)
            throws IOException {
        Path base = file.toAbsolutePath().getParent();
        StringBuilder t = new StringBuilder("# lazycount ./verify-suite rows (RowsFile): joined by ./verify-suite --merge\n");
        line(t, "run", header);
        line(t, "shard", Integer.toString(k), Integer.toString(n));
        line(t, "seconds", Long.toString(seconds));
        for (VerifySuite.Row r : rows) {
            int errors = (int) Stream.concat(r.cells().values().stream(), r.beyond().values().stream())
                    .filter(Cell::error).count();
            line(t, "row", r.impl().name(), Boolean.toString(r.ok()), Integer.toString(errors), r.verdict(),
                    r.beyondVerdict());
            cells(t, r.impl().name(), "within", r.cells(), base);
            cells(t, r.impl().name(), "beyond", r.beyond(), base);
        }
        Files.createDirectories(base);
        Files.writeString(file, t);
    }

    private static void cells(StringBuilder t, String impl, String side, Map<Tool, Cell> cells, Path base) {
        cells.forEach((tool, c) -> {
            Map<String, String> f = fieldsOf(c, base);
            List<String> fields = new ArrayList<>(List.of("cell", impl, side));
            fields.addAll(f.values());
            line(t, fields.toArray(String[]::new));
        });
    }

    /** A cell's fields, in order: tool, status, millis, where, headline, report (relative to {@code base}), races, reused. */
    static Map<String, String> fieldsOf(Cell c, Path base) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("tool", c.tool().name());
        f.put("status", c.status().name());
        f.put("millis", Long.toString(c.millis()));
        f.put("where", c.where());
        f.put("headline", c.headline());
        Path report = c.report() == null ? null : c.report().toAbsolutePath().normalize();
        Path b = base.toAbsolutePath().normalize();
        f.put("report", report == null ? "" : report.startsWith(b) ? b.relativize(report).toString() : report.toString());
        f.put("races", String.join(",", c.races().stream().map(Race::name).toList()));
        f.put("reused", c.reused());
        return f;
    }

    /** The cell of {@link #fieldsOf} fields, its report resolved against {@code base}. */
    static Cell cellOf(Map<String, String> f, Path base) {
        Set<Race> races = new TreeSet<>();
        for (String r : f.getOrDefault("races", "").split(",")) {
            if (!r.isEmpty()) {
                races.add(Race.valueOf(r));
            }
        }
        String report = f.getOrDefault("report", "");
        return new Cell(Tool.valueOf(f.get("tool")), Cell.Status.valueOf(f.get("status")), Long.parseLong(f.get("millis")),
                f.getOrDefault("where", ""), f.getOrDefault("headline", ""),
                report.isEmpty() ? null : base.toAbsolutePath().normalize().resolve(report), races,
                f.getOrDefault("reused", ""));
    }

    static Shard read(Path file) throws IOException {
        Path base = file.toAbsolutePath().getParent();
        String header = "";
        int k = 0;
        int n = 0;
        long seconds = 0;
        int errors = 0;
        Map<String, String[]> rowFields = new LinkedHashMap<>();
        Map<String, Map<Tool, Cell>> within = new LinkedHashMap<>();
        Map<String, Map<Tool, Cell>> beyond = new LinkedHashMap<>();
        String[] cellKeys = {"tool", "status", "millis", "where", "headline", "report", "races", "reused"};
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            for (int i = 0; i < f.length; i++) {
                f[i] = unescape(f[i]);
            }
            switch (f[0]) {
                case "run" -> header = f[1];
                case "shard" -> {
                    k = Integer.parseInt(f[1]);
                    n = Integer.parseInt(f[2]);
                }
                case "seconds" -> seconds = Long.parseLong(f[1]);
                case "row" -> {
                    if (rowFields.put(f[1], f) != null) {
                        throw new IllegalArgumentException(file + ": " + f[1] + " twice");
                    }
                    errors += Integer.parseInt(f[3]);
                    within.put(f[1], new EnumMap<>(Tool.class));
                    beyond.put(f[1], new EnumMap<>(Tool.class));
                }
                case "cell" -> {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (int i = 0; i < cellKeys.length; i++) {
                        fields.put(cellKeys[i], f[3 + i]);
                    }
                    Cell c = cellOf(fields, base);
                    (f[2].equals("beyond") ? beyond : within).get(f[1]).put(c.tool(), c);
                }
                default -> throw new IllegalArgumentException(file + ": unknown record '" + f[0] + "'");
            }
        }
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException(file + ": no valid 'shard K N' record");
        }
        List<VerifySuite.Row> rows = new ArrayList<>();
        for (String[] f : rowFields.values()) {
            CounterImplementation impl = Implementations.byName(f[1]);
            rows.add(new VerifySuite.Row(impl, within.get(f[1]), f[4], Boolean.parseBoolean(f[2]), beyond.get(f[1]),
                    f[5]));
        }
        return new Shard(header, k, n, seconds, rows, errors, file);
    }

    /** The rows files given to {@code --merge}: each argument a rows file, or a directory searched for them. */
    static List<Path> find(List<String> arguments) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : arguments) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.getFileName().toString().equals(NAME)).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IllegalArgumentException("--merge: no such file or directory: " + a);
            }
        }
        return files;
    }

    /**
     * The shards joined: every shard 1..N of one N exactly once, no
     * implementation twice, one header; rows in the order of a whole run
     * ({@code --list}'s: kind, then name). Counter-examples are copied under
     * {@code out} and the cells point there.
     */
    static Shard merge(List<Shard> shards, Path out) throws IOException {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("--merge: no " + NAME + " found");
        }
        int n = shards.get(0).n();
        Set<Integer> seen = new TreeSet<>();
        for (Shard s : shards) {
            if (s.n() != n || !seen.add(s.k())) {
                throw new IllegalArgumentException("--merge: shard " + s.k() + "/" + s.n() + " (" + s.file()
                        + ") is not one of a single set of " + n + " shards, or is there twice");
            }
            if (!s.header().equals(shards.get(0).header())) {
                throw new IllegalArgumentException("--merge: shards of different runs (mode, settings or JDK):\n  "
                        + shards.get(0).header() + "\n  " + s.header());
            }
        }
        if (seen.size() != n) {
            Set<Integer> missing = new TreeSet<>();
            for (int k = 1; k <= n; k++) {
                if (!seen.contains(k)) {
                    missing.add(k);
                }
            }
            throw new IllegalArgumentException("--merge: missing shard(s) " + missing + " of " + n);
        }
        List<VerifySuite.Row> rows = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        long seconds = 0;
        int errors = 0;
        for (Shard s : shards) {
            Path from = s.file().toAbsolutePath().getParent();
            for (VerifySuite.Row r : s.rows()) {
                if (!names.add(r.impl().name())) {
                    throw new IllegalArgumentException("--merge: " + r.impl().name() + " is in more than one shard");
                }
                rows.add(new VerifySuite.Row(r.impl(), copied(r.cells(), from, out), r.verdict(), r.ok(),
                        copied(r.beyond(), from, out), r.beyondVerdict()));
            }
            seconds += s.seconds();
            errors += s.errors();
        }
        List<CounterImplementation> order = Implementations.all();
        rows.sort(Comparator.comparingInt(r -> order.indexOf(r.impl())));
        return new Shard(shards.get(0).header(), 1, 1, seconds, rows, errors, out.resolve(NAME));
    }

    private static Map<Tool, Cell> copied(Map<Tool, Cell> cells, Path from, Path out) throws IOException {
        Map<Tool, Cell> copy = new EnumMap<>(Tool.class);
        Path src = from.toAbsolutePath().normalize();
        Path dst = out.toAbsolutePath().normalize();
        for (Map.Entry<Tool, Cell> e : cells.entrySet()) {
            Cell c = e.getValue();
            Path report = c.report();
            if (report != null && !src.equals(dst) && report.startsWith(src) && Files.exists(report)) {
                Path to = dst.resolve(src.relativize(report));
                copyTree(report, to);
                report = to;
            }
            copy.put(e.getKey(), new Cell(c.tool(), c.status(), c.millis(), c.where(), c.headline(), report,
                    c.races(), c.reused()));
        }
        return copy;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path t = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void line(StringBuilder t, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            t.append(i == 0 ? "" : "\t").append(escape(fields[i]));
        }
        t.append('\n');
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                out.append(d == 't' ? '\t' : d == 'n' ? '\n' : d == 'r' ? '\r' : d);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Shard {@code k} of {@code n} (1-based), balanced by each row's expected cost
     * ({@link Progress#rowPrior}): the rows, costliest first (ties in {@code all}'s order), each
     * go to the shard with the least cost so far (ties: the lowest); a shard lists its rows in
     * {@code all}'s order. Depends on {@code all} alone, so every runner cuts the same shards.
     */
    static List<CounterImplementation> shard(List<CounterImplementation> all, int k, int n, VerifySuite.Mode mode) {
        long[] cost = all.stream().mapToLong(i -> Progress.rowPrior(i, mode)).toArray();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.comparingLong((Integer i) -> -cost[i]).thenComparing(i -> i));
        long[] load = new long[n];
        boolean[] mine = new boolean[all.size()];
        for (int i : order) {
            int least = 0;
            for (int s = 1; s < n; s++) {
                if (load[s] < load[least]) {
                    least = s;
                }
            }
            load[least] += cost[i];
            mine[i] = least == k - 1;
        }
        List<CounterImplementation> shard = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (mine[i]) {
                shard.add(all.get(i));
            }
        }
        return shard;
    }
}
