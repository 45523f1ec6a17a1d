package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.PercpuCounter;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    CPU hotplug against the one-walk teardown: percpu_counter_destroy_many
    (an eager mm's counters share one allocation and are torn down in one
    walk over the CPUs) runs while CPU 1 goes down. The walk holds every
    counter's lock, and the dead-CPU fold moves each counter's slot into its
    central count under that counter's lock, so the teardown finds CPU 1's
    counts in exactly one place for each counter.

    Two counters on one area (batch 4): the first holds 3 in CPU 1's slot and
    2 in CPU 0's, the second 1 in CPU 1's slot.

    Results: (first counter's teardown value, second's, CPU 1 down: 1 = yes).

      5, 1, 1    exact                                                  ACCEPTABLE
      2, ...     the first counter's 3 found in neither place           FORBIDDEN
                 (central read before the fold, the slot after it)
      8, ...     the first counter's 3 counted twice (fold half seen)   FORBIDDEN
      ..., 0, .  the second counter's 1 lost                            FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.HOTPLUG_FOLD, ops = {Op.DESTROY, Op.CPU_DEAD})
@Outcome(id = "5, 1, 1", expect = ACCEPTABLE, desc = "Both teardown values are exact.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "The first counter's 3 in neither place: the walk saw the fold half done.")
@Outcome(id = "8, .*", expect = FORBIDDEN, desc = "The first counter's 3 in both places: the walk saw the fold half done.")
@Outcome(id = "\\d+, 0, .*", expect = FORBIDDEN, desc = "The second counter's 1 lost.")
@Outcome(expect = FORBIDDEN, desc = "Some other loss, double count, or the CPU did not go down.")
@State
public class HotplugTeardownManyTest {

    private final Cpus cpus = Subject.cpus(2);
    private final PercpuCounter[] counters = Subject.IMPL.newPercpuCounters(cpus, 2, Subject.BATCH);

    public HotplugTeardownManyTest() {
        try (CpuSection cpu = cpus.enterWhenFree(1)) {
            counters[0].add(cpu, 3);
            counters[1].add(cpu, 1);
        }
        try (CpuSection cpu = cpus.enterWhenFree(0)) {
            counters[0].add(cpu, 2);
        }
    }

    @Actor
    public void teardown(JJJ_Result r) {
        long[] values = PercpuCounter.destroyMany(counters);
        r.r1 = values[0];
        r.r2 = values[1];
    }

    @Actor
    public void cpu1GoesDown() {
        cpus.takeDown(1);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = cpus.state(1) == Cpus.CpuState.DEAD ? 1 : 0;
    }
}
