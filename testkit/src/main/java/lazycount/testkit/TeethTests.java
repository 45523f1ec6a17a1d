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
 * the tool (it must be caught by a check of its race), one per candidate whose
 * recorded verdict concerns the tool (a verified one passes every check, a
 * refuted one is still caught; Lincheck's verified candidates are left to
 * {@code ./verify-suite}, for time), then one that every check of the module caught
 * some mutant. Reports of the catches are saved in
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
                // The deterministic halves only: a mutant's catch never rests on a lucky stress run, and
                // the Lincheck module can run its model checking in two JVMs at once.
                Teeth.Row row = teeth.run(mutant, Set.of(CheckRunner.STRESS));
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
        for (CounterImplementation candidate : teeth.candidates()) {
            boolean verified = candidate.recordedVerdict().verified();
            if (verified && (tool == Tool.LINCHECK || tool == Tool.FRAY)) {
                // Re-verifying a verified candidate by Lincheck costs about 45 s a candidate on 2 cores
                // (the six took half the gate's 10 minutes once the kernel contexts were added), by Fray
                // about 6 s (every schedule of every check): ./verify-suite --kind candidate decides it
                // with every tool; jqwik re-verifies it here.
                continue;
            }
            String title = tool.title() + (verified ? " still verifies candidate " : " still refutes candidate ")
                    + candidate.name();
            tests.add(DynamicTest.dynamicTest(title, () -> {
                // The deterministic checks only (Lincheck's model checking, jqwik's fixed seed): the
                // stress halves add little to a verdict already recorded and cost a minute per candidate.
                List<CheckRunner.Outcome> outcomes = teeth.runEveryCheck(candidate, !verified,
                        Set.of(CheckRunner.STRESS));
                Teeth.Row row = new Teeth.Row(candidate, outcomes);
                System.out.println("[candidate] " + row.describe());
                if (verified == row.caught()) {
                    throw new AssertionError("candidate " + candidate.name() + " was recorded as "
                            + (verified ? "verified" : "refuted by " + tool.title()) + " ("
                            + candidate.recordedVerdict().finding() + "), but now:\n" + row.describe());
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
