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
    vfork with a SIGKILLed parent. wait_for_vfork_done sleeps TASK_KILLABLE: a
    fatal signal wakes the parent while its child still runs on the mm; the
    parent clears child->vfork_done and goes to do_exit, whose exit_mm ->
    exit_mm_release touches the shared mm's memory (the robust list,
    clear_child_tid) and can fault: an add with current->mm == mm, beside the
    child's. If vfork did not upgrade, both may take the plain local path.

    The parent maps 1 page alone, vforks the child, is killed out of its wait
    at once, faults in 10 pages and exits; the child maps 100 and exits. The
    last exit tears the mm down: exit_mmap unmaps the 111 pages the page
    tables hold, and check_mm must find every counter at zero. The kill may
    come after the child released the mm: the wait then returns normally.

    Results: (check_mm bad lines, the wait returned killed = 1, an add refused = 1).

      0, 0|1, 0     every add counted once                              ACCEPTABLE
      n>0, x, x     an add was lost (two plain writers): check_mm       FORBIDDEN
      x, x, 1       the killed parent was refused the local path (the
                    model's owner check; the kernel would lose an add)  FORBIDDEN
      -1, x, x      nobody tore the mm down                             FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.VFORK_KILLED, ops = {Op.KILLED_PARENT_ADD, Op.VFORK_CHILD, Op.EXIT})
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The child released the mm before the kill: every add counted once.")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "Killed while the child ran: both adds counted once, check_mm clean.")
@Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "An add was refused (the model's owner check: the kernel would lose it).")
@Outcome(expect = FORBIDDEN, desc = "check_mm reported a bad rss-counter state (an add lost), or no teardown.")
@State
public class VforkKilledParentTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);
    private final VforkHandshake vfork = new VforkHandshake();

    @Actor
    public void parent(JJJ_Result r) {
        vfork.parentMapsAPageAndVforks(cpus, mm);
        vfork.letTheChildRun();
        r.r2 = mm.vforkWaitKilled() ? 1 : 0;         // SIGKILL: TASK_KILLABLE wakes it
        try (CpuSection cpu = cpus.enter(0)) {
            try {
                mm.add(cpu, RssMember.ANONPAGES, 10);  // exit_mm_release faults
            } catch (IllegalStateException refused) {  // NotOwnerException
                r.r3 = 1;
            }
            mm.exit(cpu);
        }
    }

    @Actor
    public void vforkChild(JJJ_Result r) {
        vfork.childWaitsToRun();
        try (CpuSection cpu = cpus.enter(1)) {
            try {
                mm.add(cpu, RssMember.ANONPAGES, 100);
            } catch (IllegalStateException refused) {
                r.r3 = 1;
            }
            mm.exit(cpu);                            // exec or _exit: nothing to complete if the parent was killed
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r1 = mm.isTornDown() ? mm.checkMmReport().size() : -1;
    }
}
