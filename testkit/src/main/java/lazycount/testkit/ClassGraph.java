package lazycount.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lazycount.catalog.Tool;

/**
 * The classes under {@code lazycount/} on this JVM's class path, by internal
 * name, and the code an implementation owns: its class and the classes it
 * reaches outside the model and the checks. The verdict cache's keys, the
 * recorded verdicts' keys and the teeth's keys are all computed from it.
 */
public final class ClassGraph {

    /** The model and harness: hashed as such, never as an implementation's own. */
    public static final List<String> MODEL_PACKAGES = List.of("lazycount/cpu/", "lazycount/counter/",
            "lazycount/rss/", "lazycount/merged/", "lazycount/tree/", "lazycount/catalog/", "lazycount/impl/",
            "lazycount/testkit/", "lazycount/testing/");

    /** A class name in a constant pool string. */
    private static final Pattern CLASS_NAME = Pattern.compile("lazycount/[\\w/$]+");

    private static final List<String> NOT_OWN = Stream.concat(MODEL_PACKAGES.stream(),
            Stream.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY).map(ClassGraph::checkPackage)).toList();

    private static ClassGraph shared;

    private final Map<String, byte[]> classes;
    private final Set<String> thirdPartyJars;

    public ClassGraph(Map<String, byte[]> classes, Set<String> thirdPartyJars) {
        this.classes = Map.copyOf(classes);
        this.thirdPartyJars = new TreeSet<>(thirdPartyJars);
    }

    /**
     * {@link #ofClassPath}, read once for the tool modules' keys (the teeth, the
     * recorded passes, the changed candidates), whose class path does not change.
     */
    static synchronized ClassGraph ofThisJvm() {
        if (shared == null) {
            shared = ofClassPath();
        }
        return shared;
    }

    /** The {@code lazycount/**} classes and the third-party jar names of this JVM's class path. */
    public static ClassGraph ofClassPath() {
        Map<String, byte[]> classes = new HashMap<>();
        Set<String> jars = new TreeSet<>();
        // Under surefire the JVM's own class path may be a manifest-only jar; its test class path is the real one.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            try {
                if (Files.isDirectory(p)) {
                    readDirectory(p, classes);
                } else if (Files.isRegularFile(p) && !readJar(p, classes)) {
                    jars.add(p.getFileName().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the class path entry " + p, e);
            }
        }
        return new ClassGraph(classes, jars);
    }

    private static void readDirectory(Path dir, Map<String, byte[]> classes) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (name.startsWith("lazycount/") && name.endsWith(".class")) {
                    classes.putIfAbsent(name.substring(0, name.length() - 6), Files.readAllBytes(f));
                }
            }
        }
    }

    /** Reads the jar's {@code lazycount/} classes; whether it had any (else it is a third-party jar). */
    private static boolean readJar(Path jarFile, Map<String, byte[]> classes) throws IOException {
        boolean ours = false;
        try (JarFile jar = new JarFile(jarFile.toFile())) {
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
        return ours;
    }

    public Map<String, byte[]> classes() {
        return classes;
    }

    public Set<String> thirdPartyJars() {
        return thirdPartyJars;
    }

    /** A copy with {@code internalName}'s bytes replaced (for tests: an edited class). */
    public ClassGraph with(String internalName, byte[] bytes) {
        Map<String, byte[]> copy = new HashMap<>(classes);
        copy.put(internalName, bytes);
        return new ClassGraph(copy, thirdPartyJars);
    }

    /** The package (internal form, with a trailing slash) of {@code tool}'s checks. */
    public static String checkPackage(Tool tool) {
        return switch (tool) {
            case JQWIK -> "lazycount/properties/";
            case LINCHECK -> "lazycount/linearizability/";
            case JCSTRESS -> "lazycount/stress/";
            case FRAY -> "lazycount/fray/";
            default -> throw new IllegalArgumentException("no checks of " + tool);
        };
    }

    /**
     * An implementation's own classes: {@code type} and the classes under
     * {@code lazycount/} it reaches, transitively, outside the model and the
     * checks ({@code lazycount.candidate}, {@code .mutants}, or a package of
     * the implementation's own), read from the class files' constant pools.
     *
     * @throws IllegalArgumentException if {@code type} is not on the class path under {@code lazycount/}: its
     *         code would be in no key, and a recorded result would outlive a change to it
     */
    public Set<String> ownClasses(Class<?> type) {
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
                Matcher m = CLASS_NAME.matcher(utf8);
                while (m.find()) {
                    if (!seen.contains(m.group()) && NOT_OWN.stream().noneMatch(m.group()::startsWith)) {
                        todo.add(m.group());
                    }
                }
            }
        }
        return seen;
    }

    /**
     * The source files of {@code type}'s own classes, relative to {@code top}
     * (the repository): each top-level class's {@code .java} under some module's
     * {@code src/main/java}.
     */
    public List<Path> ownSources(Class<?> type, Path top) {
        TreeSet<String> topLevel = new TreeSet<>();
        ownClasses(type).forEach(c -> topLevel.add(c.replaceAll("\\$.*", "")));
        List<Path> roots = sourceRoots(top);
        List<Path> found = new ArrayList<>();
        for (String c : topLevel) {
            Path source = roots.stream().map(r -> r.resolve(c + ".java")).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no source file " + c + ".java under any "
                            + "*/src/main/java of " + top + " for class " + c.replace('/', '.') + " of "
                            + type.getName() + " (a top-level class must be in a file of its name)"));
            found.add(top.relativize(source));
        }
        return found;
    }

    private static List<Path> sourceRoots(Path top) {
        try (Stream<Path> modules = Files.list(top)) {
            return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A SHA-256 over the files at {@code paths} (relative to {@code top}; a
     * directory stands for every file under it, an absent path for itself):
     * each file's path and contents, in path order; a {@code .java} file's
     * contents as its code alone ({@link #codeOf}), so that an edit to a comment
     * or to layout moves no key. Sources rather than bytecode, because javac 17
     * and javac 25 (both build the gate) compile the same source to different
     * class files.
     */
    public static String sourceHash(Path top, List<Path> paths) {
        TreeSet<String> files = new TreeSet<>();
        for (Path p : paths) {
            Path abs = top.resolve(p);
            if (Files.isDirectory(abs)) {
                try (Stream<Path> walk = Files.walk(abs)) {
                    walk.filter(Files::isRegularFile).forEach(f -> files.add(top.relativize(f).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                files.add(p.toString());
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String f : files) {
            Path abs = top.resolve(f);
            String content;
            try {
                content = !Files.exists(abs) ? "absent"
                        : f.endsWith(".java") ? codeOf(Files.readString(abs)) : Files.readString(abs).replace("\r\n", "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            all.writeBytes((f.replace('\\', '/') + '\n').getBytes(StandardCharsets.UTF_8));
            all.writeBytes(sha256(content.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }
        return sha256(all.toByteArray());
    }

    /**
     * Java source without its comments, each run of white space one blank:
     * what the compiler reads as tokens. String, character and text-block
     * literals are kept as they are.
     */
    public static String codeOf(String java) {
        StringBuilder code = new StringBuilder(java.length());
        int i = 0;
        int n = java.length();
        while (i < n) {
            char c = java.charAt(i);
            if (java.startsWith("//", i)) {
                i = java.indexOf('\n', i) < 0 ? n : java.indexOf('\n', i);
                blank(code);
            } else if (java.startsWith("/*", i)) {
                int end = java.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                blank(code);
            } else if (java.startsWith("\"\"\"", i)) {
                int end = literalEnd(java, i + 3, "\"\"\"");
                code.append(java, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = literalEnd(java, i + 1, String.valueOf(c));
                code.append(java, i, end);
                i = end;
            } else if (Character.isWhitespace(c)) {
                blank(code);
                i++;
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString().strip();
    }

    /** Where a literal opened before {@code from} ends: after its unescaped {@code close}. */
    private static int literalEnd(String java, int from, String close) {
        int i = from;
        while (i < java.length()) {
            if (java.charAt(i) == '\\') {
                i += 2;
            } else if (java.startsWith(close, i)) {
                return i + close.length();
            } else {
                i++;
            }
        }
        return java.length();
    }

    private static void blank(StringBuilder code) {
        if (code.length() > 0 && code.charAt(code.length() - 1) != ' ') {
            code.append(' ');
        }
    }

    /** The CONSTANT_Utf8 strings of a class file (class names, descriptors, signatures, ...). */
    public static List<String> constantPoolStrings(byte[] classFile) {
        List<String> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
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

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
