package lazycount.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.testkit.ClassGraph;
import lazycount.testkit.VerdictKeys;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The gate's jcstress share of re-deciding a candidate whose code changed
 * since its recorded verdict (Lincheck, jqwik and Fray re-decide it in their
 * modules' teeth): its jcstress tests within its contract, at the gate's
 * budgets, must agree with the verdict. {@code VerdictKeysTest} then fails
 * on the changed key, naming the command that records it.
 */
class ChangedCandidatesJcstressTest {

    @TestFactory
    Stream<DynamicTest> everyChangedCandidateIsRedecidedByJcstress() {
        VerdictKeys keys = new VerdictKeys(VerdictKeysTest.TOP, ClassGraph.ofClassPath());
        return plan(keys.changed(Implementations.all())).stream();
    }

    @Test
    void aChangedCandidateIsRunAndAnUnchangedOneIsNot() {
        CounterImplementation verified = Implementations.byName("rfc-fixed");
        CounterImplementation refuted = Implementations.byName("rfc");   // refuted by jcstress among others
        assertEquals(List.of("jcstress re-decides changed candidate rfc-fixed",
                "jcstress re-decides changed candidate rfc"),
                plan(List.of(verified, refuted)).stream().map(DynamicTest::getDisplayName).toList());
        assertEquals(List.of(), plan(List.of()));
    }

    static List<DynamicTest> plan(List<CounterImplementation> changed) {
        List<DynamicTest> tests = new ArrayList<>();
        for (CounterImplementation c : changed) {
            if (!c.recordedVerdict().verified() && !c.recordedVerdict().refutedBy().contains(Tool.JCSTRESS)) {
                continue;   // refuted by other tools: the verdict says nothing of what jcstress finds
            }
            tests.add(DynamicTest.dynamicTest("jcstress re-decides changed candidate " + c.name(), () -> redecide(c)));
        }
        return tests;
    }

    private static void redecide(CounterImplementation candidate) throws Exception {
        JcstressRunner jcstress = new JcstressRunner(VerdictKeysTest.TOP, false, Set.of());
        List<Class<?>> within = candidate.contract().within(jcstress.tests());
        Cell cell = jcstress.run(candidate, within, false, Path.of("target", "redecided"));
        if (cell.error()) {
            throw new AssertionError("jcstress against " + candidate.name() + " failed with an error, not a verdict: "
                    + cell.headline());
        }
        if (cell.failed() == candidate.recordedVerdict().verified()) {
            throw new AssertionError("candidate " + candidate.name() + " changed since its recorded verdict ("
                    + candidate.recordedVerdict().finding() + "); jcstress now " + (cell.failed()
                    ? "refutes it: " + cell.headline() + " (" + cell.report() + ")" : "finds no forbidden outcome"));
        }
    }
}
