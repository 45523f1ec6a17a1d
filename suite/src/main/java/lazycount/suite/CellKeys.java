package lazycount.suite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.testkit.ClassGraph;

/**
 * The key of a cell of the matrix (implementation x tool x contract side):
 * SHA-256 over everything that decides the cell, so that a cached verdict
 * ({@link VerdictCache}) is reused only while all of it is unchanged.
 *
 * <ul>
 * <li>the implementation's own classes: its class and every class under
 *     {@code lazycount/} outside the model and the checks it references
 *     ({@code lazycount.candidate}, {@code lazycount.mutants}, a package of its
 *     own), transitively, read from the class files' constant pools (so a change to
 *     one candidate re-runs only that candidate's rows, and a change to a
 *     helper two candidates share re-runs both);</li>
 * <li>the model and harness: every class of {@code lazycount.cpu},
 *     {@code .counter}, {@code .rss}, {@code .merged}, {@code .catalog},
 *     {@code .impl} (the reference included), {@code .testkit}, {@code .testing};</li>
 * <li>the tool's checks: every class of its module's package
 *     ({@code lazycount.properties}, {@code .linearizability}, {@code .stress}
 *     with {@code stress-tests/run-gate.sh}, {@code .fray});</li>
 * <li>the run's options that change a verdict ({@link #options}: quick or deep,
 *     seeds, stop at the first catch, {@code --race}, every {@code lazycount.*},
 *     {@code lincheck.*} and {@code jqwik.*} system property and the
 *     {@code JCSTRESS_*} variables), every {@link lazycount.impl.Setting} but the
 *     implementation, the third-party jars on the class path (the tools'
 *     versions), the JDK (and for Fray the JDK 25 it runs on), the cell format
 *     ({@link #FORMAT}).</li>
 * </ul>
 *
 * The classes are read from the suite's class path, also for jcstress and Fray,
 * whose cells run in child processes built from the same sources.
 */
final class CellKeys {

    /** Bump when what a cell means or how it is computed changes (VerifySuite's runners). */
    static final String FORMAT = "lazycount-cell-v1";

    private final ClassGraph graph;
    private final Path top;
    private final Map<String, String> implHashes = new HashMap<>();
    private final Map<String, String> prefixHashes = new HashMap<>();

    CellKeys(ClassGraph graph, Path top) {
        this.graph = graph;
        this.top = top;
    }

    /** The {@code lazycount/**} classes and third-party jar names of this JVM's class path. */
    static CellKeys ofClassPath(Path top) {
        return new CellKeys(ClassGraph.ofClassPath(), top);
    }

    ClassGraph graph() {
        return graph;
    }

    /** A copy with {@code internalName}'s bytes replaced (for tests: an edited class). */
    CellKeys with(String internalName, byte[] bytes) {
        return new CellKeys(graph.with(internalName, bytes), top);
    }

    /** The key of one cell: {@code impl} x {@code tool}, within its contract or beyond it, under {@code options}. */
    String key(CounterImplementation impl, Tool tool, boolean beyond, SortedMap<String, String> options) {
        StringBuilder what = new StringBuilder(FORMAT).append('\n');
        what.append("impl=").append(impl.name()).append(" kind=").append(impl.kind()).append(" side=")
                .append(beyond ? "beyond" : "within").append(" tool=").append(tool).append('\n');
        what.append("impl-classes=").append(implHash(impl.getClass())).append('\n');
        what.append("model=").append(prefixHash(ClassGraph.MODEL_PACKAGES)).append('\n');
        what.append("checks=").append(prefixHash(List.of(ClassGraph.checkPackage(tool)))).append('\n');
        if (tool == Tool.JCSTRESS) {
            what.append("run-gate.sh=").append(fileHash(top.resolve("stress-tests/run-gate.sh"))).append('\n');
        }
        if (tool == Tool.FRAY) {
            what.append("fray-pom=").append(fileHash(top.resolve("fray/pom.xml"))).append('\n');
        }
        if (tool == Tool.FRAY || tool == Tool.JCSTRESS) {
            what.append("jdk25=").append(jdk25()).append('\n');
        }
        what.append("jars=").append(graph.thirdPartyJars()).append('\n');
        what.append("java=").append(System.getProperty("java.vendor")).append(' ')
                .append(System.getProperty("java.vm.version")).append('\n');
        options.forEach((k, v) -> what.append(k).append('=').append(v).append('\n'));
        return ClassGraph.sha256(what.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@link ClassGraph#ownClasses}: the classes whose bytecode is the implementation's part of the key. */
    Set<String> ownClasses(Class<?> type) {
        return graph.ownClasses(type);
    }

    private String implHash(Class<?> type) {
        return implHashes.computeIfAbsent(type.getName(), n -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (String c : ownClasses(type)) {
                all.writeBytes(c.getBytes(StandardCharsets.UTF_8));
                all.writeBytes(ClassGraph.sha256(graph.classes().get(c)).getBytes(StandardCharsets.UTF_8));
            }
            return ClassGraph.sha256(all.toByteArray());
        });
    }

    private String prefixHash(List<String> prefixes) {
        return prefixHashes.computeIfAbsent(String.join(",", prefixes), k -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            new TreeMap<>(graph.classes()).forEach((name, bytes) -> {
                if (prefixes.stream().anyMatch(name::startsWith)) {
                    all.writeBytes(name.getBytes(StandardCharsets.UTF_8));
                    all.writeBytes(ClassGraph.sha256(bytes).getBytes(StandardCharsets.UTF_8));
                }
            });
            return ClassGraph.sha256(all.toByteArray());
        });
    }

    private static String fileHash(Path file) {
        try {
            return Files.exists(file) ? ClassGraph.sha256(Files.readAllBytes(file)) : "absent";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDK 25 the Fray build runs on ({@code JDK25_HOME}, else the first /usr/lib/jvm/*25*): its release file. */
    private static String jdk25() {
        try {
            String home = System.getenv("JDK25_HOME");
            Path dir = home != null && !home.isBlank() ? Path.of(home) : null;
            if (dir == null && Files.isDirectory(Path.of("/usr/lib/jvm"))) {
                try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
                    dir = s.filter(p -> p.getFileName().toString().contains("25")).sorted().findFirst().orElse(null);
                }
            }
            Path release = dir == null ? null : dir.resolve("release");
            return release != null && Files.exists(release) ? ClassGraph.sha256(Files.readAllBytes(release)) : "none";
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
