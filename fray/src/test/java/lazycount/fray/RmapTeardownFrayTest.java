package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.RMAP_TEARDOWN, three contexts: the only task maps file pages, maps
    more and exits (its mmput is the last: exit_mmap, free_pgtables, check_mm)
    while kswapd and khugepaged's collapse_file, holding no reference, each
    unmap two pages found through the folios' rmap. No walker may reach the
    torn-down mm, and check_mm must report nothing.

    Scheduler: POS, 1000 iterations (Budget.GATE); nightly: see README.md.
 */
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.EXIT})
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.LOCAL_ADD})
@ExtendWith(FrayTestExtension.class)
class RmapTeardownFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void walkersAgainstExit() throws InterruptedException {
        Races.rmapWalkersAgainstExit();
    }
}
