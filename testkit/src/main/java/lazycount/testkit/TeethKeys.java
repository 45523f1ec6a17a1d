package lazycount.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Setting;

/**
 * The teeth a tool module has shown, kept beside its checks
 * ({@code <module>/teeth-keys.tsv}): for each mutant, and each candidate the
 * tool refuted, the key of the code its catch was shown for and the checks
 * that caught it. The gate runs a row again only when its key changed, and
 * writes the file anew with the rows it has shown (reused or run); a row is
 * written only after a run caught it under exactly that key.
 *
 * <p>A row's key is a SHA-256 over the sources of everything that decides
 * the catch: the subject's own classes ({@link ClassGraph#ownSources}), the
 * model and harness ({@link #MODEL}), the module's checks and build file,
 * the tool's settings (the teeth's fixed seed or options, every
 * {@code lazycount.}, {@code lincheck.} and {@code jqwik.} system property,
 * every {@link Setting} but the implementation) and the JDK's version.
 * {@code -Dlazycount.teeth.fresh=true} runs every row again.
 */
public final class TeethKeys {

    public static final String FILE_NAME = "teeth-keys.tsv";

    /** The model and harness every row runs, relative to the repository. */
    static final List<Path> MODEL = List.of(Path.of("pom.xml"), Path.of("counters/src/main/java"),
            Path.of("counters/src/test/java/lazycount/testing"), Path.of("catalog/src/main/java"),
            Path.of("testkit/src/main/java"));

    private static final String PASSES_HEADER = """
            # The deterministic checks (Lincheck's model-checking halves) that passed against a correct
            # implementation: CHECK.METHOD impl=NAME<TAB>KEY<TAB>passed, KEY as in teeth-keys.tsv
            # (lazycount.testkit.RecordedPasses). Written after the pass; the gate skips a check whose key holds.
            # Commit it with the change.
            """;

    private static final String HEADER = """
            # The teeth this module's checks have shown: SUBJECT<TAB>KEY<TAB>CHECKS THAT CAUGHT IT. SUBJECT is a
            # mutant or candidate:NAME (a refuted candidate still refuted); KEY a SHA-256 over the sources that
            # decide the catch (lazycount.testkit.TeethKeys). Written by the module's teeth after a run caught the row
            # under that key; the gate runs a row again only when its key changed. Commit it with the change.
            """;

    /** A shown catch: the subject, the key it was shown for, the checks that caught it. */
    public record Row(String subject, String key, List<String> caughtBy) {

        String line() {
            return subject + '\t' + key + '\t' + String.join(",", caughtBy);
        }
    }

    private final Path top;
    private final Path file;
    private final ClassGraph graph;
    private final String common;
    private final SortedMap<String, Row> recorded;
    private final SortedMap<String, Row> shown = new TreeMap<>();
    private final String header;

    private TeethKeys(Path top, Path module, ClassGraph graph, Tool tool, Map<String, String> properties,
            String fileName, String header) {
        this.top = top;
        this.file = module.resolve(fileName);
        this.header = header;
        this.graph = graph;
        this.common = common(top, module, tool, properties);
        this.recorded = Boolean.getBoolean("lazycount.teeth.fresh") ? new TreeMap<>() : read(file);
    }

    /** The keys of {@code module}'s teeth, below the repository at {@code top}, its classes read from {@code graph}. */
    public static TeethKeys of(Path top, Path module, ClassGraph graph, Tool tool, Map<String, String> properties) {
        return new TeethKeys(top, module, graph, tool, properties, FILE_NAME, HEADER);
    }

    /** The keys of the module the JVM runs in (surefire's working directory), below the repository's top. */
    public static TeethKeys ofThisModule(Tool tool, Map<String, String> properties) {
        Path module = Path.of("").toAbsolutePath();
        return of(module.getParent(), module, ClassGraph.ofThisJvm(), tool, properties);
    }

    /** The passes of this module's deterministic checks ({@link RecordedPasses}), kept in their own file. */
    static TeethKeys passesOfThisModule(Tool tool) {
        Path module = Path.of("").toAbsolutePath();
        return new TeethKeys(module.getParent(), module, ClassGraph.ofThisJvm(), tool, Map.of(),
                RecordedPasses.FILE_NAME, PASSES_HEADER);
    }

    private static String common(Path top, Path module, Tool tool, Map<String, String> properties) {
        StringBuilder what = new StringBuilder("lazycount-teeth-v1 tool=").append(tool).append('\n');
        List<Path> sources = new ArrayList<>(MODEL);
        Path rel = top.relativize(module);
        sources.add(rel.resolve("pom.xml"));
        sources.add(rel.resolve("src"));
        what.append("sources=").append(ClassGraph.sourceHash(top, sources)).append('\n');
        what.append("java=").append(System.getProperty("java.specification.version")).append('\n');
        new TreeMap<>(properties).forEach((k, v) -> what.append(k).append('=').append(v).append('\n'));
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("lazycount.") || k.startsWith("lincheck.") || k.startsWith("jqwik."))
                .filter(k -> !k.equals(Setting.IMPL.property()) && !k.startsWith("lazycount.teeth."))
                .forEach(k -> what.append(k).append('=').append(System.getProperty(k)).append('\n'));
        Arrays.stream(Setting.values()).filter(s -> s != Setting.IMPL)
                .forEach(s -> what.append(s.property()).append(':').append(s.value()).append('\n'));
        return what.toString();
    }

    /** The row name of {@code impl}: a mutant by its name, a candidate as {@code candidate:NAME}. */
    public static String subject(CounterImplementation impl) {
        return impl.kind() == CounterImplementation.Kind.MUTANT ? impl.name() : "candidate:" + impl.name();
    }

    /** {@code impl}'s key: its own sources, under this module's checks, model and settings. */
    public String key(CounterImplementation impl) {
        return key(subject(impl), impl);
    }

    /** The key of row {@code subject} run against {@code impl}. */
    String key(String subject, CounterImplementation impl) {
        String own = ClassGraph.sourceHash(top, graph.ownSources(impl.getClass(), top));
        return ClassGraph.sha256((common + "subject=" + subject + " kind=" + impl.kind() + " own=" + own)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The recorded row of {@code impl} if it was shown for its code as it is. */
    public Optional<Row> holding(CounterImplementation impl) {
        return holding(subject(impl), key(impl));
    }

    /** The recorded row {@code subject} if it was shown under {@code key}. */
    Optional<Row> holding(String subject, String key) {
        Row row = recorded.get(subject);
        return row != null && row.key().equals(key) ? Optional.of(row) : Optional.empty();
    }

    /** Writes the recorded rows with this run's in their place (for a run that may be a part of the rows). */
    synchronized void writeMerged() {
        SortedMap<String, Row> all = new TreeMap<>(recorded);
        all.putAll(shown);
        shown.putAll(all);
        write();
    }

    /** Keeps {@code row} (reused, or caught in this run) for {@link #write}. */
    public synchronized void shown(Row row) {
        shown.put(row.subject(), row);
    }

    /** Writes the rows shown in this run, if they differ from the file's (so an unchanged tree stays clean). */
    public synchronized void write() {
        StringBuilder text = new StringBuilder(header);
        shown.values().forEach(r -> text.append(r.line()).append('\n'));
        try {
            if (!Files.exists(file) || !Files.readString(file).equals(text.toString())) {
                Files.writeString(file, text.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    private static SortedMap<String, Row> read(Path file) {
        SortedMap<String, Row> rows = new TreeMap<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 3 || f[2].isEmpty()) {
                    throw new IllegalStateException(file + ": not SUBJECT<TAB>KEY<TAB>CHECK[,CHECK...]: '" + line
                            + "' (the file is written by the teeth: delete it to run every row again)");
                }
                rows.put(f[0], new Row(f[0], f[1], List.of(f[2].split(","))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
