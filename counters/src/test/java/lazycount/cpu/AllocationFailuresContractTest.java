package lazycount.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AllocationFailures}, seen through the allocations of a {@link Cpus}:
 * {@code next(n)} fails exactly the next n attempts, and a probability of 0 or
 * 1 is a certainty either way. (Written after PIT survivors; pit/survivors.md.)
 */
class AllocationFailuresContractTest {

    /** SplittableRandom's first draw from this seed is exactly 0.0: a probability 0 must still never fail. */
    private static final long SEED_DRAWING_ZERO = -0x9e3779b97f4a7c15L;

    private static void assertAttempts(Cpus cpus, boolean... fails) {
        for (int i = 0; i < fails.length; i++) {
            if (fails[i]) {
                assertThrows(PercpuAllocationException.class, () -> cpus.allocatePercpu(1), "attempt " + i);
            } else {
                cpus.allocatePercpu(1);
            }
        }
    }

    private static Cpus injected(AllocationFailures failures) {
        Cpus cpus = new Cpus(2);
        cpus.injectAllocationFailures(failures);
        return cpus;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void nextNFailsExactlyTheNextNAttempts(int n) {
        boolean[] fails = new boolean[n + 3];
        java.util.Arrays.fill(fails, 0, n, true);
        assertAttempts(injected(AllocationFailures.next(n)), fails);
    }

    @ParameterizedTest
    @ValueSource(longs = {SEED_DRAWING_ZERO, 0, 1, 42})
    void probabilityZeroNeverFails(long seed) {
        assertAttempts(injected(AllocationFailures.withProbability(0, seed)), new boolean[1000]);
    }

    @ParameterizedTest
    @ValueSource(longs = {SEED_DRAWING_ZERO, 0, 1, 42})
    void probabilityOneAlwaysFails(long seed) {
        boolean[] fails = new boolean[1000];
        java.util.Arrays.fill(fails, true);
        assertAttempts(injected(AllocationFailures.withProbability(1, seed)), fails);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-Double.MIN_VALUE, -1, 1.0000000000000002, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void aProbabilityOutsideZeroToOneIsRefused(double p) {
        assertThrows(IllegalArgumentException.class, () -> AllocationFailures.withProbability(p, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void failingFewerThanOneAttemptIsRefused(int n) {
        assertThrows(IllegalArgumentException.class, () -> AllocationFailures.next(n));
    }
}
