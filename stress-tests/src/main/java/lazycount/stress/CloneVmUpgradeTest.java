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
    Race.CLONE_VM: the forced upgrade of the rss_stat
    counters when a task clones its address space, racing a khugepaged-style
    remote update.

    The first task maps 1 anonymous page on the local path (lazy mode), calls
    clone(CLONE_VM) for a second task, then maps 100 pages (per-CPU mode now,
    folded at once). khugepaged, holding a temporary reference, maps 10 pages
    on the other path meanwhile, before, during or after the upgrade. The
    second task is only a token here: it must not run before cloneVm returns,
    and at that moment every counter must already be in per-CPU mode, because
    from then on two tasks use the local path and a lazy local word has room
    for one writer only.

    The arbiter then drops both tasks' references, tearing the mm down, and
    counts check_mm's complaints.

    Results: (every counter per-CPU when cloneVm returned: 1 = yes,
    anon pages, check_mm bad lines).

      1, 111, 0     upgraded before sharing; every page counted once   ACCEPTABLE
      0, ...        a second task could run with a lazy counter        FORBIDDEN
      1, 110|101|11 a page count lost (1: local, 10: remote, 100: after
                    the clone)                                         FORBIDDEN
      1, 111, n>0   check_mm found a bad rss-counter state             FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.CLONE_VM, ops = {Op.UPGRADE_CLONE_VM, Op.OTHER_ADD})
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.UPGRADE_CLONE_VM})
@Outcome(id = "1, 111, 0", expect = ACCEPTABLE, desc = "Counters upgraded before sharing; every page counted once.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "cloneVm returned with a counter still in lazy mode.")
@Outcome(id = "1, 111, .*", expect = FORBIDDEN, desc = "Counters exact, but check_mm reported a bad rss-counter state.")
@Outcome(expect = FORBIDDEN, desc = "Pages lost or counted twice across the CLONE_VM upgrade.")
@State
public class CloneVmUpgradeTest {

    /** Only an identity: the task that clone(CLONE_VM) creates. It is never started. */
    private static final Thread SECOND_TASK = new Thread(() -> { }, "clone-vm-second-task");

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);

    @Actor
    public void firstTask(JJJ_Result r) {
        mm.attachTask();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
            mm.cloneVm(SECOND_TASK);
            r.r1 = Subject.allPerCpu(mm) ? 1 : 0;
            mm.add(cpu, RssMember.ANONPAGES, 100);
        }
    }

    @Actor
    public void khugepaged() {
        Subject.remoteAddsAnonPages(mm, () -> cpus.enter(1), 10);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r2 = mm.sum(RssMember.ANONPAGES);
        r.r3 = Subject.dropTwoTasksAndCountCheckMm(cpus, mm);
    }
}
