package lazycount.properties.teeth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Teeth: every property of this module, run unchanged against broken counters
 * from the {@code mutants} module, must fail. A property that passes on a
 * counter known to break its invariant could not fail, and a test that cannot
 * fail is a defect.
 *
 * <p>Each row runs one property through the JUnit Platform launcher with
 * {@code -Dlazycount.impl=<mutant>} and a fixed seed ({@link PropertyLauncher}),
 * so it is the same property, generation and shrinking as in the normal run.
 * The pairs are chosen so that detection is deterministic, never a matter of
 * luck with thread timing: the sequential models are deterministic under a
 * fixed seed; for the concurrent schedules only mutants whose bug shows in every
 * interleaving of some generated schedule are listed (lost updates that need a
 * real race are the jcstress and Lincheck modules' job; the nightly deep run
 * finds them here too, see the README). The shrunk counter-example of each row
 * is printed, so the log shows what the property reports.
 */
class PropertiesCatchBrokenCountersTest {

    /** The seed every teeth run uses; any seed works, a fixed one keeps the rows deterministic. */
    static final String SEED = "20251125";

    static final String LAZY_MODEL = "LazyCounterModelProperties#lazyCounterAgreesWithModelAfterEveryStep";
    static final String PERCPU_MODEL = "PercpuCounterModelProperties#percpuCounterAgreesWithModelAfterEveryStep";
    static final String MM_MODEL = "MmModelProperties#mmAgreesWithModelAfterEveryStep";
    static final String LAZY_SCHEDULES = "ConcurrentScheduleProperties#lazyCounterCountsEveryAddExactlyOnce";
    static final String PERCPU_SCHEDULES = "ConcurrentScheduleProperties#percpuCounterCountsEveryAddExactlyOnce";
    static final String MM_SCHEDULES = "ConcurrentScheduleProperties#mmCountersAreExactAtTeardown";
    static final String READ_BOUND = "BoundsProperties#quiescentReadIsWithinDocumentedBound";
    static final String TIGHT_BOUND = "BoundsProperties#readBoundIsTightWhenEveryCpuHoldsBatchMinusOne";
    static final String WRAPPING = "EdgeArithmeticProperties#arithmeticWrapsModulo2To64";

    static Stream<Arguments> propertyAndBrokenCounter() {
        return Stream.of(
                Arguments.of(LAZY_MODEL, "no-owner-check"),
                Arguments.of(LAZY_MODEL, "destroy-forgets-lazy-residue"),
                Arguments.of(LAZY_MODEL, "sum-skips-central"),
                Arguments.of(LAZY_MODEL, "fold-subtracts-wrong-amount"),
                Arguments.of(PERCPU_MODEL, "fold-subtracts-wrong-amount"),
                Arguments.of(PERCPU_MODEL, "sum-skips-central"),
                Arguments.of(PERCPU_MODEL, "sum-skips-last-cpu"),
                Arguments.of(MM_MODEL, "clone-vm-without-upgrade"),
                Arguments.of(MM_MODEL, "teardown-ignores-remote-refs"),
                Arguments.of(MM_MODEL, "destroy-forgets-lazy-residue"),
                Arguments.of(MM_MODEL, "sum-skips-last-cpu"),
                Arguments.of(LAZY_SCHEDULES, "destroy-forgets-lazy-residue"),
                Arguments.of(LAZY_SCHEDULES, "sum-skips-central"),
                Arguments.of(PERCPU_SCHEDULES, "fold-subtracts-wrong-amount"),
                Arguments.of(PERCPU_SCHEDULES, "sum-skips-last-cpu"),
                Arguments.of(MM_SCHEDULES, "clone-vm-without-upgrade"),
                Arguments.of(MM_SCHEDULES, "teardown-ignores-remote-refs"),
                Arguments.of(READ_BOUND, "fold-subtracts-wrong-amount"),
                Arguments.of(READ_BOUND, "sum-skips-central"),
                Arguments.of(TIGHT_BOUND, "sum-skips-last-cpu"),
                Arguments.of(WRAPPING, "sum-skips-last-cpu"),
                Arguments.of(WRAPPING, "fold-subtracts-wrong-amount"));
    }

    @ParameterizedTest(name = "{0} fails on {1}")
    @MethodSource("propertyAndBrokenCounter")
    void propertyFailsOnBrokenCounter(String property, String mutant) throws ClassNotFoundException {
        String[] classAndMethod = property.split("#");
        Class<?> propertyClass = Class.forName("lazycount.properties." + classAndMethod[0]);
        PropertyLauncher.Outcome outcome = PropertyLauncher.run(propertyClass, classAndMethod[1], mutant, SEED, 1);
        System.out.println("[teeth] " + property + " on " + mutant + ": " + (outcome.failed() ? "FAILED as it must" : "passed")
                + " in " + outcome.millis() + " ms\n" + indent(outcome.summary(14)));
        assertTrue(outcome.failed(), () -> property + " passed on mutant '" + mutant + "' ("
                + Implementations.byName(mutant).breaks() + "): it cannot detect that bug");
    }

    /** The harness itself: the same launch on the reference counters passes. */
    @Test
    void propertiesPassOnReferenceThroughTheSameLauncher() throws ClassNotFoundException {
        for (String property : new String[] {LAZY_MODEL, PERCPU_MODEL, MM_MODEL}) {
            String[] classAndMethod = property.split("#");
            PropertyLauncher.Outcome outcome = PropertyLauncher.run(
                    Class.forName("lazycount.properties." + classAndMethod[0]), classAndMethod[1], "reference", SEED, 1);
            assertTrue(!outcome.failed(), () -> property + " failed on the reference through the launcher:\n"
                    + outcome.summary(30));
        }
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}
