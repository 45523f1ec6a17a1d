package lazycount.linearizability;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lazycount.impl.CounterImplementation;
import lazycount.impl.UnderTest;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.Options;

/**
 * Runs one Lincheck check against one counter implementation, expecting it to
 * pass or to fail. A failure's report (scenario, results and, in model checking,
 * the interleaving) is saved under {@code target/lincheck-traces/} and its
 * beginning printed, so a red or an expected-red run can be read without
 * re-running it.
 */
final class LincheckChecks {

    private static final Path TRACES = Path.of("target", "lincheck-traces");

    private LincheckChecks() {
    }

    /** The check must pass; a {@link LincheckAssertionError} propagates with its trace. */
    static void passes(Options<?, ?> options, Class<?> testClass, CounterImplementation impl) {
        forgetInstrumentedLazycountClassesUnderPit();
        UnderTest.with(impl, () -> options.check(testClass));
    }

    /**
     * Under PIT ({@code -Dlazycount.pit=true}, set by {@code pit/pom.xml}): Lincheck's agent
     * caches the bytecode it instrumented per class name for the life of the JVM, and PIT
     * redefines a class with one mutant after another in the same JVM, so from the second
     * mutant on a check would run the first mutant's code. Evicting the project's classes
     * from that cache before each check makes Lincheck instrument the mutant PIT has just
     * installed. Reflection: the agent's classes are only on the runtime classpath.
     */
    private static void forgetInstrumentedLazycountClassesUnderPit() {
        if (!Boolean.getBoolean("lazycount.pit")) {
            return;
        }
        try {
            Class<?> transformer = Class.forName("org.jetbrains.lincheck.jvm.agent.LincheckClassFileTransformer");
            java.lang.reflect.Field byMode = transformer.getDeclaredField("transformedClassesCachesByMode");
            byMode.setAccessible(true);
            for (Object cache : ((java.util.Map<?, ?>) byMode.get(null)).values()) {   // one cache per mode
                ((java.util.Map<?, ?>) cache).keySet().removeIf(name -> String.valueOf(name).startsWith("lazycount."));
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("Lincheck's bytecode cache is not where pit/README.md says; PIT verdicts"
                    + " of Lincheck checks would be unreliable", e);
        }
    }

    /**
     * The check must fail with Lincheck's report; returns the report after saving
     * it as {@code target/lincheck-traces/<traceName>.txt}.
     */
    static String fails(Options<?, ?> options, Class<?> testClass, CounterImplementation impl,
            String traceName) {
        LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                () -> passes(options, testClass, impl),
                () -> testClass.getSimpleName() + " found no violation with implementation '"
                        + impl.name() + "' (" + describe(impl) + ")");
        String report = error.getMessage();
        save(traceName, report);
        printHead(traceName, report);
        return report;
    }

    /**
     * Lincheck must find the counter-example showing that {@code testClass}'s {@code sum()}
     * is no atomic snapshot ({@code spec}); it is saved as {@code traceName}.
     */
    static void sumIsNotLinearizable(Class<?> spec, Class<?> testClass, String traceName) {
        // Up to 60 scenarios, in quick mode too (a pass here is a failure): the run stops at the first
        // violation, usually within the first few.
        Options<?, ?> options = LincheckBudget.modelChecking(2, 4, 60, true).sequentialSpecification(spec);
        String report = fails(options, testClass, UnderTest.implementation(), traceName);
        assertTrue(report.contains("sum("), "the counter-example should involve sum(): " + report);
    }

    private static String describe(CounterImplementation impl) {
        return impl.isCorrect() ? "correct" : "breaks: " + impl.breaks();
    }

    private static void save(String traceName, String report) {
        try {
            Files.createDirectories(TRACES);
            Files.writeString(TRACES.resolve(traceName + ".txt"), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void printHead(String traceName, String report) {
        // The results table and the short interleaving; the detailed trace stays in the file.
        int detailed = report.indexOf("Detailed trace:");
        String head = detailed < 0 ? report : report.substring(0, detailed) + "(detailed trace in the file)\n";
        System.out.print("=== Lincheck report (expected failure) " + traceName + ", saved in "
                + TRACES.resolve(traceName + ".txt") + head);
    }
}
