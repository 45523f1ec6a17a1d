package lazycount.suite;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.testkit.CheckRunner;

/**
 * The jcstress column: {@code stress-tests/run-gate.sh IMPL REGEX}, the gate's
 * own runner and budgets, in a child process per implementation (jcstress forks
 * its VMs with the implementation's name as a system property). For a mutant
 * the tests of its race run first and the cell stops at the first that fails.
 */
final class JcstressRunner {

    private final Path top;
    private final boolean deep;
    private final List<Class<?>> tests;

    JcstressRunner(Path top, boolean deep, java.util.Set<lazycount.catalog.Race> races) {
        this.top = top;
        this.deep = deep;
        this.tests = findTests().stream()
                .filter(t -> races.isEmpty() || CheckRunner.racesOf(t).stream().anyMatch(races::contains))
                .toList();
    }

    List<Class<?>> tests() {
        return tests;
    }

    /** The jcstress column for {@code impl} over {@code tests} (a subset of {@link #tests()}: those of one contract). */
    Cell run(CounterImplementation impl, List<Class<?>> tests, boolean stopAtFirst, Path logDir)
            throws IOException, InterruptedException {
        if (tests.isEmpty()) {
            return Cell.notRun(Tool.JCSTRESS);
        }
        List<List<Class<?>>> batches = new ArrayList<>();
        if (impl.race() != null && stopAtFirst) {
            List<Class<?>> first = tests.stream().filter(t -> CheckRunner.racesOf(t).contains(impl.race())).toList();
            List<Class<?>> rest = tests.stream().filter(t -> !first.contains(t)).toList();
            if (!first.isEmpty()) {
                batches.add(first);
            }
            batches.add(rest);
        } else {
            batches.add(tests);
        }
        long start = System.nanoTime();
        int batchNo = 0;
        for (List<Class<?>> batch : batches) {
            batchNo++;
            String regex = "lazycount\\.stress\\.(" + batch.stream().map(Class::getSimpleName)
                    .collect(Collectors.joining("|")) + ")$";
            Path log = logDir.resolve("jcstress-" + impl.name() + "-" + batchNo + ".log");
            Files.createDirectories(logDir);
            ProcessBuilder pb = new ProcessBuilder("bash", top.resolve("stress-tests/run-gate.sh").toString(),
                    impl.name(), regex).redirectErrorStream(true).redirectOutput(log.toFile());
            lazycount.impl.Setting.exportTo(pb.environment());
            if (deep) {
                pb.environment().put("JCSTRESS_MODE", "default");
            }
            int status = pb.start().waitFor();
            List<String> failed = Files.readAllLines(log).stream().filter(l -> l.startsWith("[FAIL]")).toList();
            if (status == 2 || (status != 0 && failed.isEmpty())) {
                throw new IllegalStateException("jcstress run against " + impl.name() + " did not complete; see " + log);
            }
            String error = failed.stream().map(JcstressRunner::whyError).filter(w -> !w.isEmpty()).findFirst().orElse("");
            if (!error.isEmpty()) {
                String first = failed.stream().filter(l -> !whyError(l).isEmpty()).findFirst().orElseThrow();
                return new Cell(Tool.JCSTRESS, Cell.Status.ERROR, (System.nanoTime() - start) / 1_000_000,
                        first.substring("[FAIL] ".length()).strip().split("\\s+")[0], error + ": " + first,
                        copy(reportDir(Files.readAllLines(log), impl).resolve("console.log"), logDir, impl), Set.of());
            }
            if (!failed.isEmpty()) {
                Set<Race> races = new TreeSet<>();
                for (Class<?> t : batch) {
                    if (failed.stream().anyMatch(l -> l.startsWith("[FAIL] " + t.getSimpleName() + " "))) {
                        races.addAll(CheckRunner.racesOf(t));
                    }
                }
                Path report = reportDir(Files.readAllLines(log), impl).resolve("console.log");
                String first = failed.get(0).substring("[FAIL] ".length()).strip();
                String where = first.split("\\s+")[0];
                return new Cell(Tool.JCSTRESS, Cell.Status.CAUGHT, (System.nanoTime() - start) / 1_000_000, where,
                        first, copy(report, logDir, impl), races);
            }
        }
        return new Cell(Tool.JCSTRESS, impl.kind() == CounterImplementation.Kind.MUTANT ? Cell.Status.MISSED
                : Cell.Status.PASSED, (System.nanoTime() - start) / 1_000_000, "", "", null, Set.of());
    }

    /**
     * Why a {@code [FAIL]} line of run-gate.sh is an error, not a catch: no
     * result at all, or an ERROR whose exception is the test machinery's
     * (lazycount.catalog.Failure); empty for a forbidden outcome or a
     * kernel-bug signal.
     */
    static String whyError(String failLine) {
        if (failLine.contains(" no result: ")) {
            return "the test did not run or its VM died";
        }
        if (failLine.contains(": forbidden ")) {
            return "";
        }
        if (failLine.contains(" TIMEOUT") || failLine.contains(" VM ERROR")) {
            return "jcstress reported " + (failLine.contains(" TIMEOUT") ? "a TIMEOUT" : "a VM ERROR");
        }
        int exception = failLine.indexOf(" ERROR: ");
        return exception < 0 ? "" : lazycount.catalog.Failure.whyError(failLine.substring(exception + " ERROR: ".length()));
    }

    /**
     * Where run-gate.sh put this run's reports: it names the folder in its
     * first lines ("reports in DIR"), which carries the design and policy
     * suffixes of a non-default run.
     */
    private Path reportDir(List<String> lines, CounterImplementation impl) {
        return lines.stream().filter(l -> l.contains("; reports in ")).findFirst()
                .map(l -> Path.of(l.substring(l.indexOf("; reports in ") + "; reports in ".length()).strip()))
                .orElse(top.resolve("stress-tests/target/jcstress-results/" + impl.name()));
    }

    private static Path copy(Path report, Path logDir, CounterImplementation impl) throws IOException {
        Path saved = logDir.resolve("counter-examples").resolve(impl.name()).resolve("jcstress-console.log");
        Files.createDirectories(saved.getParent());
        Files.copy(report, saved, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return saved;
    }

    /** The jcstress tests with their {@code @Checks}, read from the jar that holds them. */
    static List<Class<?>> findTests() {
        return checksBeside(lazycount.stress.GateSummary.class);
    }

    /**
     * The {@code *Test} classes with {@code @Checks} in {@code anchor}'s package,
     * read from the jar or directory that holds it (without JUnit discovery,
     * which needs each tool's engine).
     */
    static List<Class<?>> checksBeside(Class<?> anchor) {
        String dir = anchor.getPackageName().replace('.', '/');
        try {
            Path jar = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            Set<String> names = new LinkedHashSet<>();
            if (Files.isDirectory(jar)) {
                try (var files = Files.list(jar.resolve(dir))) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Test.class"))
                            .forEach(n -> names.add(anchor.getPackageName() + "." + n.replace(".class", "")));
                }
            } else {
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.matches(dir + "/\\w+Test\\.class")) {
                            names.add(n.replace('/', '.').replace(".class", ""));
                        }
                    }
                }
            }
            List<Class<?>> found = new ArrayList<>();
            for (String n : new TreeSet<>(names)) {
                Class<?> c = Class.forName(n, false, JcstressRunner.class.getClassLoader());
                if (!CheckRunner.racesOf(c).isEmpty()) {
                    found.add(c);
                }
            }
            return found;
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot list the checks beside " + anchor.getName(), e);
        }
    }
}
