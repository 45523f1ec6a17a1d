package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.VFORK_KILLED, two contexts: the parent task maps a page, vforks and
    starts the child, and a fatal signal wakes it out of wait_for_vfork_done
    (TASK_KILLABLE) at once; it faults on its way to do_exit (exit_mm_release)
    and exits. The child maps pages and exits. Neither add may be refused, the
    last exit tears the mm down, check_mm must report nothing.

    Scheduler: POS, 1000 iterations (Budget.GATE); nightly: see README.md.
 */
@Checks(value = Race.VFORK_KILLED, ops = {Op.KILLED_PARENT_ADD, Op.VFORK_CHILD, Op.EXIT})
@ExtendWith(FrayTestExtension.class)
class VforkKilledParentFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void killedParentAndChild() throws InterruptedException {
        Races.killedVforkParentAndChild();
    }
}
