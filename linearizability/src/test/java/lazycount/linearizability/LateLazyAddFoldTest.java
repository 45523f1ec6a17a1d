package lazycount.linearizability;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.UpgradePolicy;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The fold window ({@link Race#OTHER_UPGRADE}, within rss_stat's contract): the
 * owner upgrades at {@code CLONE_VM} (the implementation's {@code upgradeAll})
 * and at once adds a batch on the per-CPU path, which folds into the central
 * count, while another context's other-path add is in flight: it read lazy mode
 * before the upgrade published, and lands on the lazy word (in an aliasing
 * protocol, the very count the fold writes) after. The model checker places the
 * late add between the fold's read and its store. Once every thread is done the
 * sum and the teardown must be every add: a fold that stores a value it read
 * before the late add landed loses it.
 */
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.UPGRADE_CLONE_VM, Op.FOLD})
@Param(name = "cpu", gen = IntGen.class, conf = "0:1")
public class LateLazyAddFoldTest extends LincheckCheck {

    static final int BATCH = 2;

    private final RssCounterHarness harness = new RssCounterHarness(2, BATCH, UpgradePolicy.NEVER);

    /** copy_mm on CLONE_VM by the owner, then a fault that adds a batch (it folds) on the per-CPU path. */
    @Operation(nonParallelGroup = "owner")
    public void cloneVmThenFold(@Param(name = "cpu") int cpu) {
        harness.cloneVmUpgrade();
        harness.addLocal(cpu, BATCH);
    }

    @Operation
    public void addOther(@Param(name = "cpu") int cpu) {
        harness.addOther(cpu, 1);
    }

    @Validate
    public void quiescentState() {
        harness.checkQuiescent();
    }

    /** Every add counted once: nothing to return while threads run. */
    public static class Spec {
        public void cloneVmThenFold(int cpu) {
        }

        public void addOther(int cpu) {
        }
    }

    /** Few scenarios: the window needs one interleaving of two operations, which the model checker enumerates. */
    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 2, 3).scenarios(5, 3);
    }
}
