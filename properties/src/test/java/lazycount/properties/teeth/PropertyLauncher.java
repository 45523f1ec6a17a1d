package lazycount.properties.teeth;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import lazycount.impl.Implementations;
import lazycount.properties.RunSettings;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs one jqwik property, exactly as Surefire would, against a chosen counter
 * implementation: through the JUnit Platform launcher, with the system
 * property {@code lazycount.impl} set to the implementation's name for the
 * duration (the same switch as {@code -Dlazycount.impl=NAME}), a fixed seed and
 * a tries factor ({@link RunSettings}). jqwik's report (seed, original and
 * shrunk sample) is collected instead of printed.
 *
 * <p>Not thread-safe: it changes system properties. Surefire runs the test
 * classes of this module one after another.
 */
final class PropertyLauncher {

    /** What the property run produced. */
    record Outcome(boolean failed, Throwable failure, String report, long millis) {
        /** The first {@code lines} lines of the failure message and the shrunk sample, for the log. */
        String summary(int lines) {
            String message = failure == null ? "(no failure)" : String.valueOf(failure.getMessage()).strip();
            String shrunk = report.contains("Shrunk Sample")
                    ? report.substring(report.indexOf("Shrunk Sample")) : report;
            return firstLines(message, lines) + "\n" + firstLines(shrunk, lines);
        }

        private static String firstLines(String text, int lines) {
            String[] all = text.split("\n");
            return String.join("\n", Arrays.copyOf(all, Math.min(lines, all.length)))
                    + (all.length > lines ? "\n  [...]" : "");
        }
    }

    private PropertyLauncher() {
    }

    static Outcome run(Class<?> propertyClass, String method, String implementation, String seed, int triesFactor) {
        Method target = Arrays.stream(propertyClass.getDeclaredMethods())
                .filter(m -> m.getName().equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no property " + propertyClass.getSimpleName() + "#" + method));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(propertyClass, target))
                .filters(EngineFilter.includeEngines("jqwik"))
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .configurationParameter("jqwik.database", "target/jqwik-teeth-database")
                .configurationParameter("jqwik.failures.runfirst", "false")
                .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
                .configurationParameter("jqwik.shrinking.bounded.seconds", "10")
                .build();
        List<TestExecutionResult> results = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    results.add(result);
                }
            }

            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                entry.getKeyValuePairs().values().forEach(v -> report.append(v).append('\n'));
            }
        };
        Properties saved = (Properties) System.getProperties().clone();
        long start = System.nanoTime();
        try {
            System.setProperty(Implementations.PROPERTY, implementation);
            System.setProperty(RunSettings.SEED, seed);
            System.setProperty(RunSettings.TRIES_FACTOR, Integer.toString(triesFactor));
            LauncherFactory.create().execute(request, listener);
        } finally {
            restore(saved);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (results.size() != 1) {
            throw new IllegalStateException("expected to run 1 property, ran " + results.size() + ": "
                    + propertyClass.getSimpleName() + "#" + method);
        }
        TestExecutionResult result = results.get(0);
        boolean failed = result.getStatus() == TestExecutionResult.Status.FAILED;
        return new Outcome(failed, result.getThrowable().orElse(null), report.toString(), millis);
    }

    private static void restore(Properties saved) {
        for (String key : List.of(Implementations.PROPERTY, RunSettings.SEED, RunSettings.TRIES_FACTOR)) {
            String value = saved.getProperty(key);
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        }
    }
}
