package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.EXIT_CHECK_MM, four contexts: the only task maps a page and
    exits; two remote updaters each take an mmget_not_zero reference, map
    pages on the other path and mmput; a reader takes a reference, sums and
    mmputs. After the join the mm must have been torn down exactly once (one
    exit/mmput returned true) and check_mm must report nothing.

    Scheduler: POS, 1000 iterations (Budget.GATE); nightly: see README.md.
 */
@Checks(value = Race.EXIT_CHECK_MM, ops = {Op.EXIT, Op.MMGET, Op.MMGET, Op.SUM})
@Checks(value = Race.TEARDOWN, ops = {Op.MMPUT, Op.MMPUT, Op.MMPUT})
@ExtendWith(FrayTestExtension.class)
class ExitCheckMmFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void exitRemotesAndReader() throws InterruptedException {
        Races.exitRemoteUpdatersReader();
    }
}
