package lazycount.linearizability;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The eager per-CPU counter under {@code addBatch} of both signs with batches 1
 * to 3 (the counter's own batch is 3), so adds fold in both directions and with
 * different thresholds.
 *
 * <p>{@code sum()} is not linearizable with mixed signs
 * ({@link PercpuCounterSumSnapshotTest}), so nothing is observed while threads
 * run; the promise checked is quiescent exactness ({@code @Validate}):
 * {@code sum()} and {@code destroy()} equal the total of the deltas,
 * {@code read()} is within {@code readErrorBound() = nrCpus * (batch - 1)} of it
 * (every batch used is at most the counter's), and use after destroy is refused.
 */
@Checks(value = Race.PERCPU_FOLD_SUM, ops = {Op.PERCPU_ADD, Op.FOLD}, everyPair = true)
@Checks(value = Race.SEQUENTIAL)
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
@Param(name = "delta", gen = LongGen.class, conf = "-4:4")
@Param(name = "batch", gen = IntGen.class, conf = "1:3")
public class PercpuCounterMixedSignsTest extends LincheckCheck {

    private final BatchedCounterHarness harness = new BatchedCounterHarness(3, 3);

    @Operation
    public void addBatch(@Param(name = "cpu") int cpu, @Param(name = "delta") long delta,
            @Param(name = "batch") int batch) {
        harness.addBatch(cpu, delta, batch);
    }

    @Validate
    public void quiescentState() {
        harness.checkQuiescent();
    }

    /** Adds return nothing: the value is observed only when quiescent. */
    public static class Spec {
        public void addBatch(int cpu, long delta, int batch) {
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 3, 3, 4);
    }
}
