package lazycount.linearizability;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The eager per-CPU counter ({@code BatchedCounter}) under unit increments from
 * every thread on every CPU, racing {@code sum()}; the batch is 2, so every
 * second add on a CPU folds into the central count under the lock.
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>{@code add}: linearizable as {@code value += 1} (per-CPU add ∥ fold ∥ sum
 *     loses and doubles nothing).
 * <li>{@code sum()}: linearizable for this monotone unit-step workload (it sees
 *     each add entirely or not at all, and folds never half-done); not with
 *     mixed signs, see {@link PercpuCounterSumSnapshotTest}.
 * <li>Quiescent ({@code @Validate}): {@code sum()} and {@code destroy()} exact,
 *     {@code read()} within {@code readErrorBound()}, use after destroy refused.
 * </ul>
 */
@Checks(value = Race.PERCPU_FOLD_SUM, ops = {Op.PERCPU_ADD, Op.FOLD, Op.SUM}, everyPair = true)
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.PERCPU_ADD})
@Checks(value = Race.SEQUENTIAL)
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
public class PercpuCounterUnitIncrementsTest extends LincheckCheck {

    private final BatchedCounterHarness harness = new BatchedCounterHarness(3, 2);

    @Operation
    public void add(@Param(name = "cpu") int cpu) {
        harness.addBatch(cpu, 1, harness.counter().batch());
    }

    @Operation
    public long sum() {
        return harness.counter().sum();
    }

    @Validate
    public void quiescentState() {
        harness.checkQuiescent();
    }

    /** The sequential specification: a plain long. */
    public static class Spec extends CounterSpecs.Value {
        public void add(int cpu) {
            value++;
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 3, 3, 4);
    }
}
