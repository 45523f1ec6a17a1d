package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.RCU_GRACE_PERIOD, the model's own machinery (the implementation's own
    RCU domain if it builds one): two readers take three read-side sections
    each, idle between them, while an updater runs three grace periods (the
    last two each after replacing the published node, before freeing the old
    one). No section may see its node freed. Body:
    Races.rcuReadersAgainstGracePeriods.

    Scheduler: POS, 300 iterations (Budget.MACHINERY): synchronize_rcu spins, and
    POS ends a spin with probability 1 (Budget).
 */
@Checks(value = Race.RCU_GRACE_PERIOD, ops = {Op.RCU_READ, Op.RCU_READ, Op.RCU_SYNC})
@ExtendWith(FrayTestExtension.class)
class RcuGracePeriodFrayTest {

    @ConcurrencyTest(iterations = Budget.MACHINERY, scheduler = POSScheduler.class)
    void readersComeAndGoAcrossGracePeriods() throws InterruptedException {
        Races.rcuReadersAgainstGracePeriods();
    }
}
