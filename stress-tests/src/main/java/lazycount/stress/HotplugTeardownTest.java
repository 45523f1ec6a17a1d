package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.BatchedCounter;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/*
    CPU hotplug against the teardown: check_mm's sum and percpu_counter_destroy
    run while CPU 1 goes down. Hotplug is not a user of the mm, so nothing
    orders it against the last mmput: the teardown's sum (under fbc->lock)
    must find CPU 1's 3 in exactly one place, its slot or the central count,
    and the dead-CPU fold of a counter that is being destroyed (still on the
    hotplug list until percpu_counter_destroy takes it off) must not fail.

    The per-CPU counter (batch 4) holds 3 in CPU 1's slot and 2 in CPU 0's.

    Results: (teardown value, CPU 1 down: 1 = yes).

      5, 1     exact                                                 ACCEPTABLE
      2, 1     the teardown found the 3 in neither place (it skipped FORBIDDEN
               the dying CPU, or saw the hotplug fold half done)
      8, 1     the teardown saw the hotplug fold half done           FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.HOTPLUG_FOLD, ops = {Op.DESTROY, Op.CPU_DEAD})
@Outcome(id = "5, 1", expect = ACCEPTABLE, desc = "The teardown value is exact.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "The teardown found the slot in neither place (skipped the dying CPU, or saw the fold half done).")
@Outcome(id = "8, .*", expect = FORBIDDEN, desc = "The teardown saw the hotplug fold half done: the slot counted twice.")
@Outcome(expect = FORBIDDEN, desc = "Some other loss, double count, or the CPU did not go down.")
@State
public class HotplugTeardownTest {

    private final Cpus cpus = Subject.cpus(2);
    private final BatchedCounter counter = Subject.percpuCounter(cpus);

    public HotplugTeardownTest() {
        try (CpuSection cpu = cpus.enterWhenFree(1)) {
            counter.add(cpu, 3);
        }
        try (CpuSection cpu = cpus.enterWhenFree(0)) {
            counter.add(cpu, 2);
        }
    }

    @Actor
    public void teardown(JJ_Result r) {
        r.r1 = counter.destroy();
    }

    @Actor
    public void cpu1GoesDown() {
        cpus.takeDown(1);
    }

    @Arbiter
    public void arbiter(JJ_Result r) {
        r.r2 = cpus.state(1) == Cpus.CpuState.DEAD ? 1 : 0;
    }
}
