package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.READ_SUM under the precise readers (get_mm_counter the precise sum, as
    proposed in 2026), two contexts: the task maps a page, clones its mm and maps
    two more, kept in its CPU's slot; khugepaged, with a temporary reference, maps
    ten and reads get_mm_counter. The racing read sees whole adds and its own ten;
    once quiet the read is exact and check_mm reports nothing.

    Scheduler: POS, 1000 iterations (Budget.GATE); nightly: see README.md.
 */
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.UPGRADE_CLONE_VM})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.OTHER_ADD})
@ExtendWith(FrayTestExtension.class)
class PreciseReadFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void readerAgainstClone() throws InterruptedException {
        Races.preciseReadDuringClone();
    }
}
