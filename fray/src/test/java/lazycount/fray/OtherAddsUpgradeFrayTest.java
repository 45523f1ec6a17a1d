package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.OTHER_UPGRADE, Race.OTHER_OTHER, Race.LOCAL_UPGRADE and Race.LOCAL_OTHER at once, four contexts on four simulated CPUs:
    remote A and remote B make other-path adds, the owner makes local adds,
    and a third context adds on the other path, upgrades, and adds again.
    After the join sum() and destroy() must both be 3333 (one digit per
    context: a lost or doubled add changes its digit).

    Scheduler: POS (partial-order sampling), 1000 iterations (Budget.GATE;
    why not PCT, and the nightly setting: Budget).
 */
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.OTHER_ADD, Op.LOCAL_ADD, Op.UPGRADE})
@Checks(value = Race.OTHER_OTHER, ops = {Op.OTHER_ADD, Op.OTHER_ADD})
@Checks(value = Race.LOCAL_UPGRADE, ops = {Op.LOCAL_ADD, Op.UPGRADE})
@Checks(value = Race.LOCAL_OTHER, ops = {Op.LOCAL_ADD, Op.OTHER_ADD})
@ExtendWith(FrayTestExtension.class)
class OtherAddsUpgradeFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void remotesOwnerAndUpgrader() throws InterruptedException {
        Races.otherAddsLocalAddsUpgrade();
    }
}
