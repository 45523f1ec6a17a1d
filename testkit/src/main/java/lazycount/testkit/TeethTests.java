package lazycount.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.DynamicTest;

/**
 * The teeth of a tool module as JUnit dynamic tests: one per mutant that names
 * the tool (it must be caught by a check of its race), one per candidate this
 * tool refuted (it is still caught), one per verified candidate whose code
 * changed since its verdict (every check within its contract passes, at the
 * gate's budgets; the teeth run at quick mode's), then one
 * that every check of the module caught some mutant. A mutant or refuted
 * candidate whose catch is recorded for its code as it is ({@link TeethKeys})
 * is not run again; its recorded checks count. Reports of the catches are
 * saved in {@code target/teeth-reports/<subject>/<check>.txt}.
 */
public final class TeethTests {

    private TeethTests() {
    }

    public static Stream<DynamicTest> of(Tool tool, String checkPackage, Map<String, String> properties) {
        return of(tool, checkPackage, properties, Map.of());
    }

    /**
     * As above, the teeth at quick mode's budgets ({@code quick}: the system properties that set
     * them), a changed verified candidate at the gate's.
     */
    public static Stream<DynamicTest> of(Tool tool, String checkPackage, Map<String, String> properties,
            Map<String, String> quick) {
        Teeth teeth = new Teeth(tool, checkPackage, properties, quick, Path.of("target", "teeth-reports"));
        TeethKeys keys = TeethKeys.ofThisModule(tool, teeth.properties());
        VerdictKeys verdicts = new VerdictKeys(Path.of("").toAbsolutePath().getParent(), ClassGraph.ofThisJvm());
        return plan(tool, teeth, keys, verdicts.changed(Implementations.all())).stream();
    }

    /**
     * The dynamic tests, in order, for {@code keys}' recorded rows and the
     * candidates whose code changed since their verdict ({@code changed});
     * public for the test that sees what a change makes the gate run.
     */
    public static List<DynamicTest> plan(Tool tool, Teeth teeth, TeethKeys keys, List<CounterImplementation> changed) {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        for (CounterImplementation mutant : teeth.mutants()) {
            Optional<TeethKeys.Row> held = keys.holding(mutant);
            if (held.isPresent() && teeth.credit(mutant.name(), held.get().caughtBy())) {
                keys.shown(held.get());
                reused.add(mutant.name());
            } else {
                tests.add(mutantRow(tool, teeth, keys, mutant, keys.key(mutant)));
            }
        }
        for (CounterImplementation candidate : teeth.refutedCandidates()) {
            Optional<TeethKeys.Row> held = keys.holding(candidate);
            if (held.isPresent()) {
                keys.shown(held.get());
                reused.add(TeethKeys.subject(candidate));
            } else {
                tests.add(refutedRow(tool, teeth, keys, candidate, keys.key(candidate)));
            }
        }
        changed.stream().filter(c -> c.recordedVerdict().verified())
                .forEach(c -> tests.add(verifiedRow(tool, teeth, c)));
        System.out.println("[teeth] " + tool.title() + ": " + reused.size() + " rows recorded in " + keys.file()
                + " for the code as it is, not run again; " + tests.size() + " to run"
                + (reused.isEmpty() ? "" : " (reused: " + String.join(", ", reused) + ")"));
        tests.add(everyCheckCatches(tool, teeth, keys));
        return tests;
    }

    private static DynamicTest mutantRow(Tool tool, Teeth teeth, TeethKeys keys, CounterImplementation mutant,
            String key) {
        return DynamicTest.dynamicTest(tool.title() + " catches " + mutant.name(), () -> {
            // Both halves, model checking first: Lincheck's model checker does not see every race its
            // stress mode does (cpu-down-claims-after-check is caught by CpuEntryHotplugTest's stress half).
            Teeth.Row row = teeth.run(mutant, Set.of());
            System.out.println("[teeth] " + row.describe());
            if (!row.caught()) {
                throw new AssertionError("no " + tool.title() + " check of race " + mutant.race()
                        + " caught mutant " + mutant.name() + " (" + mutant.breaks() + "), though it names "
                        + tool.title() + " among its catchers:\n" + row.describe());
            }
            keys.shown(new TeethKeys.Row(mutant.name(), key, caughtBy(row)));
        });
    }

    private static DynamicTest refutedRow(Tool tool, Teeth teeth, TeethKeys keys, CounterImplementation candidate,
            String key) {
        return DynamicTest.dynamicTest(tool.title() + " still refutes candidate " + candidate.name(), () -> {
            // The deterministic checks only (Lincheck's model checking, jqwik's fixed seed), up to the first catch.
            Teeth.Row row = new Teeth.Row(candidate, teeth.runEveryCheck(candidate, true, Set.of(CheckRunner.STRESS)));
            System.out.println("[candidate] " + row.describe());
            if (!row.caught()) {
                throw new AssertionError("candidate " + candidate.name() + " was recorded as refuted by "
                        + tool.title() + " (" + candidate.recordedVerdict().finding() + "), but now:\n"
                        + row.describe());
            }
            keys.shown(new TeethKeys.Row(TeethKeys.subject(candidate), key, caughtBy(row)));
        });
    }

    private static DynamicTest verifiedRow(Tool tool, Teeth teeth, CounterImplementation candidate) {
        return DynamicTest.dynamicTest(tool.title() + " re-decides changed candidate " + candidate.name(), () -> {
            // Its code changed since its verdict: every check within its contract, both halves, at the gate's budgets.
            Teeth.Row row = new Teeth.Row(candidate, teeth.runEveryCheckAtTheGatesBudgets(candidate));
            System.out.println("[candidate] " + row.describe());
            if (row.caught()) {
                throw new AssertionError("candidate " + candidate.name() + " is recorded as verified, but its code "
                        + "changed since, and " + tool.title() + " now refutes it:\n" + row.describe());
            }
        });
    }

    private static DynamicTest everyCheckCatches(Tool tool, Teeth teeth, TeethKeys keys) {
        return DynamicTest.dynamicTest("every " + tool.title() + " check catches a mutant", () -> {
            keys.write();   // the rows shown so far, reused or caught: a row that failed above is not among them
            System.out.println("[teeth] " + teeth.caughtBy().entrySet().stream()
                    .map(e -> e.getKey().getSimpleName() + " caught " + e.getValue())
                    .collect(Collectors.joining("\n[teeth] ")));
            List<Class<?>> toothless = teeth.checksThatCaughtNothing();
            if (!toothless.isEmpty()) {
                throw new AssertionError("these " + tool.title() + " checks caught no mutant of the races they "
                        + "declare, so nothing shows they can fail: " + toothless);
            }
        });
    }

    private static List<String> caughtBy(Teeth.Row row) {
        return row.outcomes().stream().filter(CheckRunner.Outcome::caught).map(o -> o.check().getSimpleName())
                .toList();
    }
}
