package lazycount.fray;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

/*
    Race.CPU_ENTRY_HOTPLUG, the model's own machinery: two tasks enter CPU 1
    (three sections each, each task on a CPU of its own once CPU 1 is taken,
    occupied or offline) while CPU 1 goes down.
    Inside a section: no other task on the CPU, and CPU 1 online or dying.
    After the join: the dead CPU refuses a task, and a sum while it boots is
    every add (nothing written into its slot after the dead-CPU fold).
    Body: Races.cpuEntryAgainstTakeDown.

    Scheduler: POS, 300 iterations (Budget.MACHINERY).
 */
@Checks(value = Race.CPU_ENTRY_HOTPLUG, ops = {Op.CPU_ENTER, Op.CPU_ENTER, Op.CPU_DEAD})
@ExtendWith(FrayTestExtension.class)
class CpuEntryHotplugFrayTest {

    @ConcurrencyTest(iterations = Budget.MACHINERY, scheduler = POSScheduler.class)
    void tasksEnterCpu1WhileItGoesDown() throws InterruptedException {
        Races.cpuEntryAgainstTakeDown();
    }
}
