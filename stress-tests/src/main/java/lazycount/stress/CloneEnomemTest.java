package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.CloneFailedException;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    A kernel context beyond the catalog: the upgrade's allocation fails
    (alloc_percpu returns NULL; copy_mm must fail the clone with -ENOMEM).

    The task maps 10 pages, then clones a thread while the next per-CPU
    allocation fails, then maps 1 more page. At the same time a remote
    context (khugepaged) takes a reference and maps 100 pages on the other
    path. A clone that needs the allocation must fail leaving the mm exactly
    as it was: one task, every count intact, counters still correct in the
    mode they are in; one that needs none (the counters are already per-CPU,
    as in the eager design) may succeed, and then every counter is per-CPU.

    Results: (clone: 1 = failed with -ENOMEM, 0 = succeeded with every counter
    per-CPU, -1 = succeeded leaving a counter lazy; anon pages; tasks).

      1, 111, 1     -ENOMEM, nothing changed, nothing lost             ACCEPTABLE
      0, 111, 2     no allocation needed: a second task, all per-CPU   ACCEPTABLE
      -1, ...       a second task shares lazy counters                 FORBIDDEN
      x, !111, x    an add lost or doubled                             FORBIDDEN
      1, 111, 2     the failed clone added the task anyway             FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.CLONE_ENOMEM, ops = {Op.CLONE_ENOMEM, Op.OTHER_ADD})
@Outcome(id = "1, 111, 1", expect = ACCEPTABLE, desc = "The clone failed with -ENOMEM and left the mm as it was.")
@Outcome(id = "0, 111, 2", expect = ACCEPTABLE, desc = "The clone needed no allocation and succeeded with every counter per-CPU.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The clone succeeded without the upgrade: a second task shares lazy counters.")
@Outcome(id = "1, 111, 2", expect = FORBIDDEN, desc = "The clone failed but added the new task anyway.")
@Outcome(expect = FORBIDDEN, desc = "Pages lost or doubled around the failed upgrade.")
@State
public class CloneEnomemTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);
    private final Thread newTask = new Thread(() -> { }, "cloned-task");
    private volatile boolean taskAttached;

    @Actor
    public void task(JJJ_Result r) {
        mm.attachTask();
        taskAttached = true;
        try (CpuSection cpu = cpus.enterWhenFree(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 10);
        }
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        try {
            mm.cloneThread(newTask);
            r.r1 = Subject.allPerCpu(mm) ? 0 : -1;
        } catch (CloneFailedException enomem) {
            r.r1 = 1;
        }
        try (CpuSection cpu = cpus.enterWhenFree(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
        }
    }

    @Actor
    public void remote() {
        while (!taskAttached) {                      // a remote context finds a running mm
            Thread.onSpinWait();
        }
        // WhenFree: an upgrader may sit on a CPU for a moment (rfc's preemptible upgrade takes any free one).
        Subject.remoteAddsAnonPages(mm, () -> cpus.enterWhenFree(1), 100);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r2 = mm.sum(RssMember.ANONPAGES);
        r.r3 = mm.tasks();
    }
}
