package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race 2, upgrade ∥ upgrade with adds in flight, four contexts: two
    upgraders (each adds on the other path after its upgrade), a remote adding
    on the other path and the owner adding locally. Exactly one upgrade must
    return true, the counter must be per-CPU, sum() and destroy() 3311.

    Scheduler: POS (partial-order sampling), 1000 iterations (Budget.GATE);
    nightly: see README.md. Not PCT: once every VarHandle access is a
    scheduling point (the volatile-access agent), PCT keeps the highest-priority
    thread spinning in a grace-period wait (the grace-period candidate's
    synchronize_rcu) while the reader it waits for never runs: a livelock of
    the scheduler, not of the counter. POS picks a random enabled thread at
    each point, so a spin ends with probability 1.
 */
@Checks(value = Race.UPGRADE_UPGRADE, ops = {Op.UPGRADE, Op.UPGRADE, Op.OTHER_ADD, Op.LOCAL_ADD})
@ExtendWith(FrayTestExtension.class)
class UpgradeUpgradeFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void twoUpgradersAndAdders() throws InterruptedException {
        Races.upgradeUpgradeAdds();
    }
}
