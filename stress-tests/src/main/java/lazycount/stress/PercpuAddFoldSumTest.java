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
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/*
    Race.PERCPU_FOLD_SUM: per-CPU adds, batch folds and sums on the eager
    PercpuCounter (batch 4, two CPUs).

    On the last CPU one context adds 1 (kept in its slot), 3 (the slot reaches
    the batch: slot and delta, 4, fold into the central count under the lock
    and the slot is emptied), then 2 (kept in the slot). On CPU 0 another adds
    10, which folds at once, so two folds contend for the central count, and
    then calls sum() and read() while the first context goes on.

    A sum holds the lock, so it never sees a fold half done. Legal racing sums
    are the values the last CPU's adds can have reached plus the reader's own
    10: {0, 1, 4, 6} + 10. A fold seen half done (central already has the 4
    while the slot still has the 1) gives 15: forbidden. read() is the central
    count, so legal racing reads are 10 and 14. Once quiet the sum and the teardown
    walk must be exactly 16 (the central count 14 plus the last CPU's 2), and
    read() within nrCpus * (batch - 1) of it.

    Results: (racing sum, racing read, final sum, final read within bound:
    1 = yes, teardown value).

      S, R, 16, 1, 16    S in {10, 11, 14, 16}, R in {10, 14}          ACCEPTABLE
      15 as S            a fold seen half done (sum without the lock)  FORBIDDEN
      final 6 or 12      a fold lost the other's central update         FORBIDDEN
      final 14           the last CPU's slot skipped                    FORBIDDEN
      final 2            the central count skipped                      FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.PERCPU_FOLD_SUM, ops = {Op.FOLD, Op.FOLD, Op.SUM})
@Checks(value = Race.SEQUENTIAL)
@Outcome(id = "(10|11|14|16), (10|14), 16, 1, 16", expect = ACCEPTABLE,
        desc = "Racing sum and read legal; nothing lost, exact once quiet, read within bound.")
@Outcome(id = "15, .*", expect = FORBIDDEN, desc = "sum() saw a fold half done: the folded amount counted twice.")
@Outcome(id = ".*, (6|12), [01], (6|12)", expect = FORBIDDEN, desc = "A fold lost a concurrent fold's update of the central count.")
@Outcome(id = ".*, 14, [01], 14", expect = FORBIDDEN, desc = "The last CPU's slot was left out of the sum.")
@Outcome(id = ".*, 2, [01], 2", expect = FORBIDDEN, desc = "The central count was left out of the sum.")
@Outcome(expect = FORBIDDEN, desc = "Some other loss, double count, torn value or bound violation.")
@State
public class PercpuAddFoldSumTest {

    private final Cpus cpus = Subject.cpus(2);
    private final BatchedCounter counter = Subject.percpuCounter(cpus);

    @Actor
    public void slotAndFoldOnLastCpu() {
        try (CpuSection cpu = cpus.enter(1)) {
            counter.add(cpu, 1);
            counter.add(cpu, 3);
            counter.add(cpu, 2);
        }
    }

    @Actor
    public void foldOnCpu0ThenRead(JJJJJ_Result r) {
        try (CpuSection cpu = cpus.enter(0)) {
            counter.add(cpu, 10);
        }
        Subject.recordSumThenRead(counter, r);
    }

    @Arbiter
    public void arbiter(JJJJJ_Result r) {
        Subject.recordQuiet(counter, r);
    }
}
