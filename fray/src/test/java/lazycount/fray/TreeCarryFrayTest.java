package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.TREE_CARRY, four contexts on the four CPUs of a counter tree (batch 2,
    two levels of items: each level-1 item shared by a pair of CPUs, the root
    by all) after set(1000): each adds 1, 1, then +-64 (a carry straight to
    the root), then 1. Once joined: precise sum and teardown exactly 1012, the
    approximate sum within [precise - under, precise + over] (Races.treeCarries).
    Every item update is a Fray scheduling point (the volatile-access agent), so
    Fray can split a non-atomic item update between two carriers; jcstress's
    TreeCarryTest races only two CPUs (2 cores).

    Scheduler: POS, 1000 iterations (Budget.GATE).
 */
@Checks(value = Race.TREE_CARRY, ops = {Op.PERCPU_ADD, Op.PERCPU_ADD})
@ExtendWith(FrayTestExtension.class)
class TreeCarryFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void fourCpusCarryIntoSharedItems() throws InterruptedException {
        Races.treeCarries();
    }
}
