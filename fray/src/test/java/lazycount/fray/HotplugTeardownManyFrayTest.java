package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.HOTPLUG_FOLD, CPU hotplug against the one-walk teardown: CPU 1 goes down while
    percpu_counter_destroy_many tears down two counters sharing one area, both
    with a count in CPU 1's slot. Each teardown value must be exact (the
    dead-CPU fold moves a slot into the central count under the counter's
    lock, and the walk holds every counter's lock).

    Scheduler: POS, 1000 iterations (Budget.GATE).
 */
@Checks(value = Race.HOTPLUG_FOLD, ops = {Op.DESTROY, Op.CPU_DEAD})
@ExtendWith(FrayTestExtension.class)
class HotplugTeardownManyFrayTest {

    @ConcurrencyTest(iterations = Budget.GATE, scheduler = POSScheduler.class)
    void cpuDownDuringOneWalkTeardown() throws InterruptedException {
        Races.hotplugAgainstOneWalkTeardown();
    }
}
