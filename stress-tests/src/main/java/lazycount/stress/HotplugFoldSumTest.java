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
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/*
    A kernel context beyond the catalog: CPU hotplug. CPU 1 goes down
    (cpu_down: it leaves the online mask but stays in the dying mask, then
    percpu_counter_cpu_dead folds its slot into the central count under
    fbc->lock) while CPU 0 takes an add that folds into the central count
    too, and then sums.

    The per-CPU counter (batch 4) starts with 3 in CPU 1's slot. CPU 0 adds
    10, which folds at once. Whatever the order, the value is 13: the sum after
    the add finds the 3 either in CPU 1's slot (walked while dying, or while
    dead, since the dying bit stays set) or in the central count, never in
    both and never in neither. Once quiet, with CPU 1 dead, read() must be
    within the bound the counter declares for its live CPUs, and the teardown
    value is 13.

    Results: (sum after CPU 0's add, quiet sum, read within bound: 1 = yes,
    teardown value).

      13, 13, 1, 13   nothing lost or doubled                          ACCEPTABLE
      10, ...         the sum found the 3 in neither place: it skipped  FORBIDDEN
                      the dying CPU, or read the count before the
                      hotplug fold and the slot after it
      16, ...         the sum saw the hotplug fold half done            FORBIDDEN
      x, 3|10, ...    the hotplug fold and the batch fold lost one      FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.HOTPLUG_FOLD, ops = {Op.FOLD, Op.SUM, Op.CPU_DEAD})
@Outcome(id = "13, 13, 1, 13", expect = ACCEPTABLE, desc = "Nothing lost or doubled across the hotplug fold.")
@Outcome(id = "10, .*", expect = FORBIDDEN, desc = "The sum found the slot in neither place (skipped the dying CPU, or saw the fold half done).")
@Outcome(id = "16, .*", expect = FORBIDDEN, desc = "The sum saw the hotplug fold half done: the slot counted twice.")
@Outcome(id = ".*, (3|10), .*", expect = FORBIDDEN, desc = "The hotplug fold and the batch fold lost one update of the central count.")
@Outcome(expect = FORBIDDEN, desc = "Some other loss, double count or bound violation.")
@State
public class HotplugFoldSumTest {

    private final Cpus cpus = Subject.cpus(2);
    private final BatchedCounter counter = Subject.percpuCounter(cpus);

    public HotplugFoldSumTest() {
        try (CpuSection cpu = cpus.enterWhenFree(1)) {
            counter.add(cpu, 3);                         // stays in CPU 1's slot (batch 4)
        }
    }

    @Actor
    public void foldOnCpu0ThenSum(JJJJ_Result r) {
        try (CpuSection cpu = cpus.enterWhenFree(0)) {
            counter.add(cpu, 10);
        }
        r.r1 = counter.sum();
    }

    @Actor
    public void cpu1GoesDown() {
        cpus.takeDown(1);
    }

    @Arbiter
    public void arbiter(JJJJ_Result r) {
        Subject.recordQuiet(counter, r);
    }
}
