import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The Lincheck pass over PIT's surviving mutants (pit/README.md, "The Lincheck
 * pass"): runs every Lincheck check of {@code lazycount.linearizability} that
 * PIT would run (not the teeth, the index, the stress-mode runs or the
 * documented weaknesses), on whatever {@code lazycount} classes come first on
 * the classpath, and stops at the first failure. Prints one line,
 * {@code KILLED <check>: <reason>} (exit 1) or {@code SURVIVED} (exit 0).
 * Run by {@code pit/lincheck_pass.py}, once per mutant, with the mutant's class
 * file (from the PIT run's {@code export/}, under {@code pit/target/pit-reports/})
 * ahead of the real one, and the classes of counters (its test-jar's thread
 * helpers included), catalog, candidates, testkit and mutants behind it; a
 * source-file program, not part of any module.
 */
public final class LincheckPass {

    public static void main(String[] args) {
        LauncherDiscoveryRequest checks = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("lazycount.linearizability"))
                .filters(ClassNameFilter.includeClassNamePatterns(".*Test"),
                        ClassNameFilter.excludeClassNamePatterns(".*CatalogTeethTest", ".*CatalogIndexTest"),
                        TagFilter.excludeTags("stress", "not-a-check"))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(checks, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && id.isTest()) {
                    String why = result.getThrowable().map(LincheckPass::firstLine).orElse(result.getStatus().name());
                    System.out.println("KILLED " + checkName(id) + ": " + why);
                    result.getThrowable().ifPresent(t -> t.printStackTrace(System.out));   // the whole report
                    System.out.flush();
                    Runtime.getRuntime().halt(1);   // the first failure decides; the other checks need not run
                }
            }
        });
        System.out.println("SURVIVED");
    }

    private static String checkName(TestIdentifier id) {
        String unique = id.getUniqueId();
        int cls = unique.indexOf("[class:");
        String name = cls < 0 ? unique : unique.substring(cls + 7, unique.indexOf(']', cls));
        return name.substring(name.lastIndexOf('.') + 1) + "." + id.getDisplayName();
    }

    private static String firstLine(Throwable t) {
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
