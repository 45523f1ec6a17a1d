package lazycount.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import lazycount.catalog.Checks;
import lazycount.catalog.Failure;
import lazycount.catalog.Race;
import lazycount.impl.CounterImplementation;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import lazycount.impl.UnderTest;

/**
 * Runs a check (a test class of a tool module, found by its {@link Checks}
 * annotation) in this JVM against any implementation, through the JUnit
 * Platform launcher exactly as Surefire runs it: the one way the teeth and the
 * verification suite run a check against a broken variant or a candidate.
 *
 * <p>The implementation is switched with {@link UnderTest#with}; extra system
 * properties (a fixed seed, a budget) are set around the run and restored.
 * Test methods run one at a time in discovery order and the run stops at the
 * first failure; its report (Lincheck's interleaving, jqwik's seed and shrunk
 * sample, the assertion message) is saved under the report directory.
 * Methods tagged {@value #NOT_A_CHECK} (tests of a design's documented
 * weakness, which expect a counter-example) are not run.
 */
public final class CheckRunner {

    /** JUnit tag of test methods that are not checks of the contract and never run against other implementations. */
    public static final String NOT_A_CHECK = "not-a-check";

    /**
     * JUnit tag of the probabilistic half of a check that also has a
     * deterministic one (Lincheck's stress mode beside its model checking):
     * the gate's candidate rows skip it to stay within budget; the
     * verification suite runs it.
     */
    public static final String STRESS = "stress";

    /**
     * JUnit tag of a fidelity check inside a class that also checks the
     * contract: it runs only against implementations that declare themselves
     * kernel-faithful ({@link CounterImplementation#kernelFaithful()}).
     */
    public static final String FIDELITY = "fidelity";

    /** What one run of one check against one implementation found. */
    public record Outcome(Class<?> check, String implementation, boolean caught, String failedTest,
            String report, long millis, Path savedReport, boolean error) {

        /**
         * The first line of the failure, for logs and tables, with Lincheck's
         * verdict line ("= Invalid execution results =") when its message starts empty.
         */
        public String headline() {
            List<String> lines = report.strip().lines().toList();
            String first = lines.isEmpty() ? "" : lines.get(0);
            String verdict = lines.stream().filter(l -> l.startsWith("= ")).findFirst().orElse("");
            return verdict.isEmpty() ? first : first.strip() + " " + verdict;
        }
    }

    private CheckRunner() {
    }

    /** The check classes in {@code packageName} (and below), in name order. */
    public static List<Class<?>> checksIn(String packageName) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(packageName)).build();
        TestPlan plan = LauncherFactory.create().discover(request);
        Set<String> names = new TreeSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                id.getSource().filter(ClassSource.class::isInstance).map(ClassSource.class::cast)
                        .ifPresent(source -> names.add(source.getClassName()));
            }
        }
        List<Class<?>> checks = new ArrayList<>();
        for (String name : names) {
            Class<?> type = load(name);
            if (type.getAnnotationsByType(Checks.class).length > 0) {
                checks.add(type);
            }
        }
        return checks;
    }

    /**
     * What running several checks against one implementation found: the
     * first catch (null if none), the time to it, the time of all checks run,
     * and the races of the checks that caught.
     */
    public record FirstCatch(Outcome first, long millisToFirst, long millis, Set<Race> races, Outcome error) {

        public boolean caught() {
            return first != null;
        }

        /** A check failed with an error, not a catch: the cell is an error, whatever else was caught. */
        public boolean failedWithError() {
            return error != null;
        }
    }

    /**
     * One cell of the verification matrix: {@code checks} against {@code impl},
     * those of the implementation's race first, stopping after the first
     * catch when {@code stopAtFirst}. {@code onFirstCatch} runs right after the
     * first catch (before a later check can overwrite what the tool left).
     *
     * A check that fails with an error (not a catch, {@link Failure}) ends the cell: {@link FirstCatch#error()}.
     */
    public static FirstCatch runUntilCaught(String tool, List<Class<?>> checks, CounterImplementation impl,
            Map<String, String> properties, Path reportDir, boolean stopAtFirst,
            java.util.function.Consumer<Outcome> onFirstCatch) {
        List<Class<?>> ordered = new ArrayList<>();
        if (impl.race() != null) {
            checks.stream().filter(c -> racesOf(c).contains(impl.race())).forEach(ordered::add);
        }
        checks.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        long start = System.nanoTime();
        Outcome first = null;
        long firstMillis = 0;
        Set<Race> races = new TreeSet<>();
        for (Class<?> check : ordered) {
            Outcome o = run(check, impl, properties, reportDir);
            if (o.error()) {
                return new FirstCatch(first, firstMillis, (System.nanoTime() - start) / 1_000_000, races, o);
            }
            if (o.caught()) {
                races.addAll(racesOf(check));
                if (first == null) {
                    first = o;
                    firstMillis = (System.nanoTime() - start) / 1_000_000;   // time to first detection
                    onFirstCatch.accept(o);
                }
                if (stopAtFirst) {
                    break;
                }
            }
        }
        return new FirstCatch(first, firstMillis, (System.nanoTime() - start) / 1_000_000, races, null);
    }

    /** The races a check declares. */
    public static Set<Race> racesOf(Class<?> check) {
        Set<Race> races = new TreeSet<>();
        Arrays.stream(check.getAnnotationsByType(Checks.class)).forEach(c -> races.add(c.value()));
        return races;
    }

    /**
     * Runs {@code check} against {@code impl} with {@code properties} set,
     * stopping at its first failing test; saves the failure's report as
     * {@code reportDir/<impl>/<check>.txt}.
     */
    public static Outcome run(Class<?> check, CounterImplementation impl, Map<String, String> properties,
            Path reportDir) {
        return run(check, impl, properties, reportDir, Set.of());
    }

    /** As {@link #run(Class, CounterImplementation, Map, Path)}, skipping tests tagged with any of {@code skippedTags}. */
    public static Outcome run(Class<?> check, CounterImplementation impl, Map<String, String> properties,
            Path reportDir, Set<String> skippedTags) {
        return UnderTest.with(impl, () -> withProperties(properties,
                () -> runTests(check, impl, reportDir, skippedTags)));
    }

    private static Outcome runTests(Class<?> check, CounterImplementation impl, Path reportDir,
            Set<String> skippedTags) {
        Launcher launcher = LauncherFactory.create();
        List<String> excluded = new ArrayList<>(skippedTags);
        excluded.add(NOT_A_CHECK);
        if (!impl.kernelFaithful()) {
            excluded.add(FIDELITY);
        }
        LauncherDiscoveryRequest discovery = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(check)).filters(TagFilter.excludeTags(excluded)).build();
        TestPlan plan = launcher.discover(discovery);
        List<TestIdentifier> tests = new ArrayList<>();
        plan.getRoots().forEach(root -> plan.getDescendants(root).stream()
                .filter(id -> id.getParentId().isPresent()
                        && plan.getTestIdentifier(id.getParentId().get()).getSource()
                                .filter(ClassSource.class::isInstance).isPresent())
                .forEach(tests::add));
        // Name order: deterministic, and a Lincheck class's modelChecking() runs before its stress().
        tests.sort(java.util.Comparator.comparing(TestIdentifier::getDisplayName));
        long start = System.nanoTime();
        for (TestIdentifier test : tests) {
            Result result = execute(launcher, test);
            if (result.failed) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                Path saved = save(reportDir, impl, check, test.getDisplayName(), result.report);
                return new Outcome(check, impl.name(), !result.error, test.getDisplayName(), result.report, millis,
                        saved, result.error);
            }
        }
        return new Outcome(check, impl.name(), false, "", "", (System.nanoTime() - start) / 1_000_000, null, false);
    }

    private record Result(boolean failed, String report, boolean error) {
    }

    /**
     * A failure thrown from inside the tool or the test engine rather than by a
     * check (an assertion, a linearizability or validation failure, or an
     * exception the counter threw) says nothing about the implementation.
     */
    private static boolean isToolError(Throwable t) {
        if (t == null || t instanceof AssertionError) {
            return false;
        }
        StackTraceElement[] frames = t.getStackTrace();
        if (frames.length == 0) {
            return false;
        }
        String origin = frames[0].getClassName();
        boolean fromTool = origin.startsWith("org.jetbrains.") || origin.startsWith("net.jqwik.")
                || origin.startsWith("org.junit.");
        boolean ourCodeBelow = java.util.Arrays.stream(frames).limit(8)
                .anyMatch(f -> f.getClassName().startsWith("lazycount.counter.")
                        || f.getClassName().startsWith("lazycount.candidate.")
                        || f.getClassName().startsWith("lazycount.rss.")
                        || f.getClassName().startsWith("lazycount.mutants."));
        return fromTool && !ourCodeBelow;
    }

    private static Result execute(Launcher launcher, TestIdentifier test) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(test.getUniqueId()))
                .filters(TagFilter.excludeTags(NOT_A_CHECK))
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .configurationParameter("jqwik.database", "target/jqwik-checkrunner-database")
                .configurationParameter("jqwik.failures.runfirst", "false")
                .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
                .configurationParameter("jqwik.shrinking.bounded.seconds", "10")
                .build();
        StringBuilder failures = new StringBuilder();
        StringBuilder entries = new StringBuilder();
        boolean[] error = {false};
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    Throwable t = result.getThrowable().orElse(null);
                    String whyError = isToolError(t) ? "the tool failed, not a check"
                            : t == null ? "" : Failure.whyError(t);
                    if (!whyError.isEmpty()) {
                        error[0] = true;
                        failures.append("ERROR, not a catch: ").append(whyError).append('\n');
                    }
                    failures.append(id.getDisplayName()).append(": ")
                            .append(t == null ? "failed" : t.getClass().getName() + ": " + t.getMessage())
                            .append('\n');
                    if (t != null && !(t instanceof AssertionError) && !t.getClass().getName().contains("lincheck")) {
                        failures.append(stackTrace(t));   // an unexpected exception: where it came from
                    }
                }
            }

            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                entry.getKeyValuePairs().values().forEach(v -> entries.append(v).append('\n'));
            }
        });
        boolean failed = failures.length() > 0;
        return new Result(failed, failed ? failures + (entries.length() > 0 ? "\n" + entries : "") : "", error[0]);
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter text = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(text));
        return text.toString().lines().limit(40).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    private static Path save(Path reportDir, CounterImplementation impl, Class<?> check, String test, String report) {
        try {
            Path dir = reportDir.resolve(impl.name());
            Files.createDirectories(dir);
            Path file = dir.resolve(check.getSimpleName() + ".txt");
            Files.writeString(file, check.getName() + " > " + test + " against " + impl.name() + "\n\n" + report);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T withProperties(Map<String, String> properties, java.util.function.Supplier<T> body) {
        Properties saved = (Properties) System.getProperties().clone();
        Map<String, String> previous = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            previous.put(k, saved.getProperty(k));
            System.setProperty(k, v);
        });
        try {
            return body.get();
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("discovered test class " + name + " cannot be loaded", e);
        }
    }
}
