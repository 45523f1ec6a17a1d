package lazycount.suite;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;

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

    static final List<String> MODEL_PACKAGES = List.of("lazycount/cpu/", "lazycount/counter/", "lazycount/rss/",
            "lazycount/merged/", "lazycount/catalog/", "lazycount/impl/", "lazycount/testkit/", "lazycount/testing/");

    /** A class name in a constant pool string; the implementation's own are those outside the model and the checks. */
    private static final Pattern OWN = Pattern.compile("lazycount/[\\w/$]+");

    /** The packages whose classes are hashed as the model or as a tool's checks, not as an implementation's own. */
    private static final List<String> NOT_OWN = Stream.concat(MODEL_PACKAGES.stream(),
            Stream.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY).map(CellKeys::checkPackage)).toList();

    /** Class files by internal name ({@code lazycount/candidate/RfcLazyCounter}), and the other inputs. */
    private final Map<String, byte[]> classes;
    private final Set<String> thirdPartyJars;
    private final Path top;
    private final Map<String, String> implHashes = new HashMap<>();
    private final Map<String, String> prefixHashes = new HashMap<>();

    CellKeys(Map<String, byte[]> classes, Set<String> thirdPartyJars, Path top) {
        this.classes = classes;
        this.thirdPartyJars = new TreeSet<>(thirdPartyJars);
        this.top = top;
    }

    /** The {@code lazycount/**} classes and third-party jar names of this JVM's class path. */
    static CellKeys ofClassPath(Path top) {
        Map<String, byte[]> classes = new HashMap<>();
        Set<String> jars = new TreeSet<>();
        // Under surefire the JVM's own class path may be a manifest-only jar; its test class path is the real one.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            String name = p.relativize(f).toString().replace('\\', '/');
                            if (name.startsWith("lazycount/") && name.endsWith(".class")) {
                                classes.putIfAbsent(name.substring(0, name.length() - 6), Files.readAllBytes(f));
                            }
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    boolean ours = false;
                    try (JarFile jar = new JarFile(p.toFile())) {
                        for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                            String name = e.getName();
                            if (name.startsWith("lazycount/") && name.endsWith(".class")) {
                                ours = true;
                                try (InputStream in = jar.getInputStream(e)) {
                                    classes.putIfAbsent(name.substring(0, name.length() - 6), in.readAllBytes());
                                }
                            }
                        }
                    }
                    if (!ours) {
                        jars.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the class path entry " + p, e);
            }
        }
        return new CellKeys(classes, jars, top);
    }

    Map<String, byte[]> classes() {
        return classes;
    }

    /** A copy with {@code internalName}'s bytes replaced (for tests: an edited class). */
    CellKeys with(String internalName, byte[] bytes) {
        Map<String, byte[]> copy = new HashMap<>(classes);
        copy.put(internalName, bytes);
        return new CellKeys(copy, thirdPartyJars, top);
    }

    /** The key of one cell: {@code impl} x {@code tool}, within its contract or beyond it, under {@code options}. */
    String key(CounterImplementation impl, Tool tool, boolean beyond, SortedMap<String, String> options) {
        StringBuilder what = new StringBuilder(FORMAT).append('\n');
        what.append("impl=").append(impl.name()).append(" kind=").append(impl.kind()).append(" side=")
                .append(beyond ? "beyond" : "within").append(" tool=").append(tool).append('\n');
        what.append("impl-classes=").append(implHash(impl.getClass())).append('\n');
        what.append("model=").append(prefixHash(MODEL_PACKAGES)).append('\n');
        what.append("checks=").append(prefixHash(List.of(checkPackage(tool)))).append('\n');
        if (tool == Tool.JCSTRESS) {
            what.append("run-gate.sh=").append(fileHash(top.resolve("stress-tests/run-gate.sh"))).append('\n');
        }
        if (tool == Tool.FRAY) {
            what.append("fray-pom=").append(fileHash(top.resolve("fray/pom.xml"))).append('\n');
        }
        if (tool == Tool.FRAY || tool == Tool.JCSTRESS) {
            what.append("jdk25=").append(jdk25()).append('\n');
        }
        what.append("jars=").append(thirdPartyJars).append('\n');
        what.append("java=").append(System.getProperty("java.vendor")).append(' ')
                .append(System.getProperty("java.vm.version")).append('\n');
        options.forEach((k, v) -> what.append(k).append('=').append(v).append('\n'));
        return sha256(what.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String checkPackage(Tool tool) {
        return switch (tool) {
            case JQWIK -> "lazycount/properties/";
            case LINCHECK -> "lazycount/linearizability/";
            case JCSTRESS -> "lazycount/stress/";
            case FRAY -> "lazycount/fray/";
            default -> throw new IllegalArgumentException("no checks of " + tool);
        };
    }

    /**
     * The implementation's own classes: {@code type} and the classes under
     * {@code lazycount/} it reaches, transitively, outside the model and the
     * checks ({@code lazycount.candidate}, {@code .mutants}, or a package of
     * the implementation's own).
     *
     * @throws IllegalArgumentException if {@code type} is not on the class path under {@code lazycount/}: its
     *         code would be in no key, and a cached verdict would outlive a change to it
     */
    Set<String> ownClasses(Class<?> type) {
        if (!classes.containsKey(type.getName().replace('.', '/'))) {
            throw new IllegalArgumentException("the class " + type.getName() + " of an implementation is not on the"
                    + " class path under lazycount/: the verdict cache cannot key its code (nor Fray's agent"
                    + " instrument it); put a protocol in package lazycount.candidate (README, Verify your own protocol)");
        }
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(type.getName().replace('.', '/'));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            byte[] bytes = classes.get(name);
            if (bytes == null || !seen.add(name)) {
                continue;
            }
            for (String utf8 : constantPoolStrings(bytes)) {
                Matcher m = OWN.matcher(utf8);
                while (m.find()) {
                    if (!seen.contains(m.group()) && NOT_OWN.stream().noneMatch(m.group()::startsWith)) {
                        todo.add(m.group());
                    }
                }
            }
        }
        return seen;
    }

    private String implHash(Class<?> type) {
        return implHashes.computeIfAbsent(type.getName(), n -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (String c : ownClasses(type)) {
                all.writeBytes(c.getBytes(StandardCharsets.UTF_8));
                all.writeBytes(sha256(classes.get(c)).getBytes(StandardCharsets.UTF_8));
            }
            return sha256(all.toByteArray());
        });
    }

    private String prefixHash(List<String> prefixes) {
        return prefixHashes.computeIfAbsent(String.join(",", prefixes), k -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            new TreeMap<>(classes).forEach((name, bytes) -> {
                if (prefixes.stream().anyMatch(name::startsWith)) {
                    all.writeBytes(name.getBytes(StandardCharsets.UTF_8));
                    all.writeBytes(sha256(bytes).getBytes(StandardCharsets.UTF_8));
                }
            });
            return sha256(all.toByteArray());
        });
    }

    private static String fileHash(Path file) {
        try {
            return Files.exists(file) ? sha256(Files.readAllBytes(file)) : "absent";
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
            return release != null && Files.exists(release) ? sha256(Files.readAllBytes(release)) : "none";
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** The CONSTANT_Utf8 strings of a class file (class names, descriptors, signatures, ...). */
    static List<String> constantPoolStrings(byte[] classFile) {
        List<String> out = new java.util.ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> out.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
