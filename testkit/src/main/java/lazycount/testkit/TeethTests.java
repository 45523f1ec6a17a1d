package lazycount.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import org.junit.jupiter.api.DynamicTest;

/**
 * The teeth of a tool module as JUnit dynamic tests: one per mutant that names
 * the tool (it must be caught by a check of its race), one per candidate this
 * tool refuted (it is still caught), then one that every check of the module
 * caught some mutant. A verified candidate is not re-run here: its verdict was
 * decided by {@code ./verify-suite} with every tool, and the gate's
 * {@code VerdictKeysTest} fails once its code differs from the code decided. Reports of the catches are saved in
 * {@code target/teeth-reports/<mutant>/<check>.txt}.
 */
public final class TeethTests {

    private TeethTests() {
    }

    public static Stream<DynamicTest> of(Tool tool, String checkPackage, Map<String, String> properties) {
        Teeth teeth = teeth(tool, checkPackage, properties);
        List<DynamicTest> tests = new ArrayList<>();
        addMutants(tool, teeth, tests);
        addCandidates(tool, teeth, tests);
        addEveryCheckCatches(tool, teeth, tests);
        return tests.stream();
    }

    private static Teeth teeth(Tool tool, String checkPackage, Map<String, String> properties) {
        return new Teeth(tool, checkPackage, properties, Path.of("target", "teeth-reports"));
    }

    private static void addMutants(Tool tool, Teeth teeth, List<DynamicTest> tests) {
        for (CounterImplementation mutant : teeth.mutants()) {
            tests.add(DynamicTest.dynamicTest(tool.title() + " catches " + mutant.name(), () -> {
                // Both halves, model checking first: Lincheck's model checker does not see every race its
                // stress mode does (cpu-down-claims-after-check is caught by CpuEntryHotplugTest's stress half).
                Teeth.Row row = teeth.run(mutant, Set.of());
                System.out.println("[teeth] " + row.describe());
                if (!row.caught()) {
                    throw new AssertionError("no " + tool.title() + " check of race " + mutant.race()
                            + " caught mutant " + mutant.name() + " (" + mutant.breaks() + "), though it names "
                            + tool.title() + " among its catchers:\n" + row.describe());
                }
            }));
        }
    }

    private static void addCandidates(Tool tool, Teeth teeth, List<DynamicTest> tests) {
        for (CounterImplementation candidate : teeth.refutedCandidates()) {
            tests.add(DynamicTest.dynamicTest(tool.title() + " still refutes candidate " + candidate.name(), () -> {
                // The deterministic checks only (Lincheck's model checking, jqwik's fixed seed), up to the first catch.
                List<CheckRunner.Outcome> outcomes = teeth.runEveryCheck(candidate, true, Set.of(CheckRunner.STRESS));
                Teeth.Row row = new Teeth.Row(candidate, outcomes);
                System.out.println("[candidate] " + row.describe());
                if (!row.caught()) {
                    throw new AssertionError("candidate " + candidate.name() + " was recorded as refuted by "
                            + tool.title() + " (" + candidate.recordedVerdict().finding() + "), but now:\n"
                            + row.describe());
                }
            }));
        }
    }

    private static void addEveryCheckCatches(Tool tool, Teeth teeth, List<DynamicTest> tests) {
        tests.add(DynamicTest.dynamicTest("every " + tool.title() + " check catches a mutant", () -> {
            System.out.println("[teeth] " + teeth.caughtBy().entrySet().stream()
                    .map(e -> e.getKey().getSimpleName() + " caught " + e.getValue())
                    .collect(Collectors.joining("\n[teeth] ")));
            List<Class<?>> toothless = teeth.checksThatCaughtNothing();
            if (!toothless.isEmpty()) {
                throw new AssertionError("these " + tool.title() + " checks caught no mutant of the races they "
                        + "declare, so nothing shows they can fail: " + toothless);
            }
        }));
    }
}
