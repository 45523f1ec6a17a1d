package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.UPGRADE_UPGRADE, upgrade ∥ upgrade with adds in flight, four contexts: two
    upgraders (each adds on the other path after its upgrade), a remote adding
    on the other path and the owner adding locally. Exactly one upgrade must
    return true, the counter must be per-CPU, sum() and destroy() 3311.

    Scheduler: POS (partial-order sampling), 1000 iterations (Budget.GATE;
    why not PCT, and the nightly setting: Budget).
 */
@Checks(value = Race.UPGRADE_UPGRADE, ops = {Op.UPGRADE, Op.UPGRADE, Op.OTHER_ADD, Op.LOCAL_ADD})
@ExtendWith(FrayTestExtension.class)
class UpgradeUpgradeFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void twoUpgradersAndAdders() throws InterruptedException {
        Races.upgradeUpgradeAdds();
    }
}
