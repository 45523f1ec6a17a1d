package lazycount.linearizability;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.impl.UnderTest;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * Every pair of a generic counter's upgrade triggers, raced
 * ({@link Race#UPGRADE_UPGRADE}, beyond rss_stat's contract, whose counters have
 * one trigger): an explicit upgrade, the CLONE_VM upgrade (the implementation's
 * {@code upgradeAll}) and the frequency trigger inside an other-path add (the
 * counter upgrades itself on its first other-path add), any of them on any
 * thread. Exactly one wins; the losers' paths neither fold nor publish:
 * {@code upgrade()} is linearizable (true for exactly the first), the CLONE_VM
 * upgrade returns with the counter per-CPU, and once every thread is done the
 * sum and the teardown are every add and no per-CPU counter is left on the
 * CPU-hotplug list (a loser's allocation dropped without its
 * {@code percpu_counter_destroy} stays listed: in the kernel a freed entry on
 * {@code percpu_counters}).
 */
@Checks(value = Race.UPGRADE_UPGRADE, everyPair = true,
        ops = {Op.UPGRADE, Op.UPGRADE_CLONE_VM, Op.UPGRADE_FREQUENCY, Op.OTHER_ADD})
@Param(name = "cpu", gen = IntGen.class, conf = "0:1")
public class UpgradeTriggersTest extends LincheckCheck {

    private final RssCounterHarness harness = new RssCounterHarness(2, 2, UpgradePolicy.afterOtherUpdates(1));

    @Operation
    public boolean upgrade() {
        return harness.counter().upgrade();
    }

    @Operation
    public boolean cloneVmUpgrade() {
        UnderTest.implementation().upgradeAll(new RssCounter[] {harness.counter()});
        return harness.counter().isPerCpu();
    }

    /** An other-path add: the first one that lands lazily fires the frequency trigger. */
    @Operation
    public void addOther(@Param(name = "cpu") int cpu) {
        harness.addOther(cpu, 1);
    }

    @Validate
    public void quiescentState() {
        harness.checkQuiescent();
        int listed = harness.cpus().hotplugListSize();
        RssCounterHarness.require(listed == 0, listed + " per-CPU counter(s) still on the CPU-hotplug list after the"
                + " teardown: a second per-CPU counter was published over the first, or an upgrade that lost dropped its"
                + " allocation without percpu_counter_destroy");
    }

    /** The mode only goes lazy to per-CPU, once; adds return nothing. */
    public static class Spec extends CounterSpecs.Mode {
        public boolean cloneVmUpgrade() {
            perCpu = true;
            return true;
        }

        public void addOther(int cpu) {
            perCpu = true;
        }
    }

    /** Few scenarios: three short operations. */
    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 2, 3).scenarios(5, 3);
    }
}
