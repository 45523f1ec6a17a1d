package lazycount.linearizability;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.UpgradePolicy;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The lazy counter ({@code RssCounter} from {@code newLazyCounter}) under unit
 * increments on both paths, with an explicit upgrade racing them.
 *
 * <p>What is raced: the owner's local adds, other threads' misuse of the local path, other-path adds from every thread,
 * the upgrade (so other-path adds are in flight while the pointer is
 * published, and local adds continue after it), {@code isPerCpu()} and
 * {@code sum()}. The batch is 2, so per-CPU adds fold into the central count
 * and {@code sum()} races folds too.
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>{@code addLocal}, {@code addOther}: linearizable as {@code value += 1}
 *     (nothing lost, nothing doubled, in either mode and across the upgrade).
 *     Parallel thread 1 is the owning task; {@code addLocal} on another thread
 *     is linearizable as "refused ({@code NotOwnerException}) in lazy mode,
 *     {@code value += 1} in per-CPU mode", so two threads never race on the
 *     lazy local word.
 * <li>{@code upgrade()}: linearizable; exactly the first one returns true.
 * <li>{@code isPerCpu()}: linearizable; true once an upgrade has happened.
 * <li>{@code sum()}: linearizable <em>for this workload only</em>. All deltas
 *     are +1, so the value rises one step at a time and a sum that sees each add
 *     entirely or not at all returns a value the counter held during the call.
 *     With deltas of both signs this is false (see
 *     {@link LazyCounterSumSnapshotTest}).
 * <li>Quiescent ({@code @Validate}, after every thread is done): {@code sum()}
 *     and {@code destroy()} equal the number of adds; {@code read()} is within
 *     {@code readErrorBound()}; use after {@code destroy()} is refused.
 * </ul>
 * {@code read()} is never called concurrently: it promises nothing then.
 */
@Checks(value = Race.LOCAL_OTHER, everyPair = true,
        ops = {Op.LOCAL_ADD, Op.OTHER_ADD, Op.UPGRADE, Op.SUM, Op.PERCPU_ADD, Op.FOLD})
@Checks(value = Race.OTHER_OTHER)
@Checks(value = Race.LOCAL_SINGLE_WRITER)
@Checks(value = Race.OTHER_UPGRADE)
@Checks(value = Race.UPGRADE_UPGRADE)
@Checks(value = Race.LOCAL_UPGRADE, ops = {Op.LOCAL_ADD, Op.UPGRADE})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.OTHER_ADD, Op.LOCAL_ADD, Op.UPGRADE})
@Checks(value = Race.PERCPU_FOLD_SUM, ops = {Op.PERCPU_ADD, Op.FOLD, Op.SUM})
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
@Param(name = "thread", gen = ThreadIdGen.class)
public class LazyCounterUnitIncrementsTest extends LincheckCheck {

    static final int NR_CPUS = 3;
    static final int BATCH = 2;
    /**
     * The owning task: the first parallel thread. {@code ThreadIdGen} numbers the
     * parallel threads from 1 (0 is the thread of the empty initial part), so
     * "Thread 1" of a Lincheck report is the owner.
     */
    static final int OWNER_THREAD = 1;

    private final RssCounterHarness harness = new RssCounterHarness(NR_CPUS, BATCH, UpgradePolicy.NEVER);

    /** On {@link #OWNER_THREAD} the owner's add; on any other thread a misuse that lazy mode must refuse. */
    @Operation
    public boolean addLocal(@Param(name = "thread") int thread, @Param(name = "cpu") int cpu) {
        if (thread == OWNER_THREAD) {
            harness.addLocal(cpu, 1);
            return true;
        }
        return harness.addLocalAsIntruder(cpu, 1);
    }

    @Operation
    public void addOther(@Param(name = "cpu") int cpu) {
        harness.addOther(cpu, 1);
    }

    @Operation
    public boolean upgrade() {
        return harness.counter().upgrade();
    }

    @Operation
    public boolean isPerCpu() {
        return harness.counter().isPerCpu();
    }

    @Operation
    public long sum() {
        return harness.counter().sum();
    }

    @Validate
    public void quiescentState() {
        harness.checkQuiescent();
    }

    /** The sequential specification: a plain long and a mode bit. */
    public static class Spec extends CounterSpecs.Mode {
        private long value;

        public boolean addLocal(int thread, int cpu) {
            if (thread != OWNER_THREAD && !perCpu) {
                return false;
            }
            value++;
            return true;
        }

        public void addOther(int cpu) {
            value++;
        }

        public long sum() {
            return value;
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 3, 3, 4).wholeWhenQuick();   // LOCAL_OTHER's lost update needs every scenario
    }
}
