package lazycount.linearizability;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.UpgradePolicy;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The lazy counter under adds of both signs (pages mapped and unmapped) on both
 * paths, racing an explicit upgrade.
 *
 * <p>With mixed signs {@code sum()} is not linearizable
 * ({@link LazyCounterSumSnapshotTest} shows the counter-example), so it is not
 * an operation here. What the counter does promise, and what is checked:
 * <ul>
 * <li>{@code upgrade()} and {@code isPerCpu()}: linearizable (one winner; the
 *     mode only goes from lazy to per-CPU).
 * <li>Quiescent exactness ({@code @Validate}, once every thread is done):
 *     {@code sum()} and {@code destroy()} equal the total of the deltas added,
 *     {@code read()} is within {@code readErrorBound()} of {@code sum()}, and the
 *     destroyed counter refuses use. This is where a lost or doubled add shows,
 *     whatever its sign.
 * </ul>
 * Deltas range over [-3, 3] with a batch of 3, so per-CPU adds fold in both
 * directions.
 */
@Checks(value = Race.LOCAL_OTHER, everyPair = true,
        ops = {Op.LOCAL_ADD, Op.OTHER_ADD, Op.UPGRADE, Op.PERCPU_ADD, Op.FOLD})
@Checks(value = Race.OTHER_UPGRADE)
@Checks(value = Race.LOCAL_UPGRADE, ops = {Op.LOCAL_ADD, Op.UPGRADE})
@Checks(value = Race.TEARDOWN, ops = {Op.DESTROY})
@Checks(value = Race.SEQUENTIAL)
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
@Param(name = "delta", gen = LongGen.class, conf = "-3:3")
public class LazyCounterMixedSignsTest extends LincheckCheck {

    static final int NR_CPUS = 3;
    static final int BATCH = 3;

    private final RssCounterHarness harness = new RssCounterHarness(NR_CPUS, BATCH, UpgradePolicy.NEVER);

    @Operation(nonParallelGroup = "owner")
    public void addLocal(@Param(name = "cpu") int cpu, @Param(name = "delta") long delta) {
        harness.addLocal(cpu, delta);
    }

    @Operation
    public void addOther(@Param(name = "cpu") int cpu, @Param(name = "delta") long delta) {
        harness.addOther(cpu, delta);
    }

    @Operation
    public boolean upgrade() {
        return harness.counter().upgrade();
    }

    @Operation
    public boolean isPerCpu() {
        return harness.counter().isPerCpu();
    }

    @Validate
    public void quiescentState() {
        harness.checkQuiescent();
    }

    /** Adds return nothing; only the mode is observable while threads run. */
    public static class Spec extends CounterSpecs.SilentAdds {
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 3, 3, 4).wholeWhenQuick();   // LOCAL_OTHER's lost update needs every scenario
    }
}
