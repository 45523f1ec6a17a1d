package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    Race.READ_SUM under the precise readers (the 2026 proposal: get_mm_counter
    is the precise sum, as /proc's task_mem and the OOM killer's oom_badness
    already read it): a reader racing the CLONE_VM upgrade and the adds around
    it, whatever the run's readers setting.

    The first task maps 1 anonymous page on the local path (lazy mode), calls
    clone(CLONE_VM), then maps 2 more, which stay in its CPU's slot (below the
    batch). A remote context (khugepaged, holding a temporary reference) maps
    10 on the other path and then reads get_mm_counter(MM_ANONPAGES).

    The precise read is not an atomic snapshot, but it sees each add entirely
    or not at all and the reader's own 10: legal racing reads are 10, 11, 12,
    13 (12: the 2 seen, the 1 not yet, as the sum reads the lazy word before
    the slots). Once quiet the precise read must be exactly 13: a reader that
    takes the central count alone misses the 2 in the slot (and the 10, if it
    was added in per-CPU mode), which is the approximate read the RFC's WIP
    would make get_mm_counter_sum.

    Results: (racing get_mm_counter, quiet get_mm_counter, check_mm bad lines).

      10|11|12|13, 13, 0   whole adds while racing, exact once quiet   ACCEPTABLE
      r, 1|3|11, 0         a quiet read missed pages in the slots      FORBIDDEN
      other r              an add seen twice, torn, or the own 10 lost FORBIDDEN
      n > 0 bad lines      check_mm found a bad rss-counter state       FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.UPGRADE_CLONE_VM})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.LOCAL_ADD})
@Outcome(id = "(10|11|12|13), 13, 0", expect = ACCEPTABLE,
        desc = "The racing precise read saw whole adds and the reader's own; exact once quiet.")
@Outcome(id = "(10|11|12|13), .*, 0", expect = FORBIDDEN,
        desc = "A quiet precise get_mm_counter is not the exact value: it missed pages in the slots.")
@Outcome(expect = FORBIDDEN, desc = "A racing read saw an add twice, torn, or missed its own; or check_mm complained.")
@State
public class PreciseReadDuringCloneTest {

    /** Only an identity: the task that clone(CLONE_VM) creates. It is never started. */
    private static final Thread SECOND_TASK = new Thread(() -> { }, "precise-read-second-task");

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mmWithPreciseReaders(cpus);

    @Actor
    public void firstTask() {
        mm.attachTask();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
            mm.cloneVm(SECOND_TASK);
            mm.add(cpu, RssMember.ANONPAGES, 2);
        }
    }

    @Actor
    public void khugepagedThenReader(JJJ_Result r) {
        if (mm.mmgetNotZero()) {
            try (CpuSection cpu = cpus.enter(1)) {
                mm.addRemote(cpu, RssMember.ANONPAGES, 10);
                r.r1 = mm.get(RssMember.ANONPAGES);
                mm.mmput(cpu);
            }
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r2 = mm.get(RssMember.ANONPAGES);
        r.r3 = Subject.dropTwoTasksAndCountCheckMm(cpus, mm);
    }
}
