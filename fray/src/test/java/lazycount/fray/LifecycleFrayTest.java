package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.FORK, Race.CLONE_VM and Race.EXIT_CHECK_MM: the rss_stat lifecycle, five contexts: the parent task forks
    (fork fill) while a remote updates the parent; the child's task maps
    pages and shares the mm with a sibling (CLONE_VM) while a remote updates
    the child; both child tasks map pages on the local path and exit; the
    parent exits. Both mms must be torn down with check_mm clean.

    Scheduler: POS, 1000 iterations (Budget.GATE); nightly: see README.md.
 */
@Checks(value = Race.FORK, ops = {Op.FORK_FILL, Op.MMGET})
@Checks(value = Race.CLONE_VM, ops = {Op.UPGRADE_CLONE_VM, Op.LOCAL_ADD, Op.LOCAL_ADD, Op.MMGET})
@Checks(value = Race.EXIT_CHECK_MM, ops = {Op.EXIT, Op.EXIT, Op.MMGET})
@ExtendWith(FrayTestExtension.class)
class LifecycleFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void forkRemoteCloneVm() throws InterruptedException {
        Races.forkRemoteCloneVm();
    }
}
