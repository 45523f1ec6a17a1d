package lazycount.linearizability;

import java.util.concurrent.atomic.AtomicInteger;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.UpgradePolicy;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The generic lazy counter with the frequency policy: the second other-path add
 * upgrades the counter from inside {@code addOther}, so the owner's local adds
 * race an upgrade triggered from elsewhere ({@link Race#LOCAL_UPGRADE}) and
 * other adds race it too.
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>{@code addLocal}, {@code addOther}: linearizable as {@code value += 1}.
 * <li>{@code sum()}: linearizable for these unit increments (see
 *     {@link LazyCounterUnitIncrementsTest} for why, and for why not otherwise).
 * <li>Quiescent ({@code @Validate}): exact {@code sum()} and {@code destroy()},
 *     {@code read()} within bound, and the counter is per-CPU exactly when at
 *     least two other-path adds happened.
 * </ul>
 * The mode is not observed while threads run: which add "is" the second one is
 * decided inside the counter, after that add has already counted.
 */
@Checks(value = Race.LOCAL_UPGRADE, everyPair = true,
        ops = {Op.LOCAL_ADD, Op.OTHER_ADD, Op.UPGRADE_FREQUENCY, Op.SUM, Op.PERCPU_ADD, Op.FOLD})
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.UPGRADE_FREQUENCY})
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
public class FrequencyUpgradeTest extends LincheckCheck {

    static final int THRESHOLD = 2;

    private final RssCounterHarness harness =
            new RssCounterHarness(3, 2, UpgradePolicy.afterOtherUpdates(THRESHOLD));
    private final AtomicInteger otherAdds = new AtomicInteger();

    @Operation(nonParallelGroup = "owner")
    public void addLocal(@Param(name = "cpu") int cpu) {
        harness.addLocal(cpu, 1);
    }

    @Operation
    public void addOther(@Param(name = "cpu") int cpu) {
        harness.addOther(cpu, 1);
        otherAdds.incrementAndGet();
    }

    @Operation
    public long sum() {
        return harness.counter().sum();
    }

    @Validate
    public void quiescentState() {
        boolean mustBePerCpu = otherAdds.get() >= THRESHOLD;
        RssCounterHarness.require(harness.counter().isPerCpu() == mustBePerCpu,
                "after " + otherAdds.get() + " other-path adds (threshold " + THRESHOLD + ") isPerCpu() = "
                        + harness.counter().isPerCpu());
        harness.checkQuiescent();
    }

    /** The sequential specification: a plain long. */
    public static class Spec extends CounterSpecs.Value {
        public void addLocal(int cpu) {
            value++;
        }

        public void addOther(int cpu) {
            value++;
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 3, 3, 4);
    }
}
