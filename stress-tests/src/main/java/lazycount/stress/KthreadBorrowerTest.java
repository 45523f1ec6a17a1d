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
    A kernel context beyond the catalog: kthread_use_mm. A kernel thread that
    adopts the mm (an aio completion from a USB gadget function, an older vhost
    worker) has current->mm == mm, the RFC's whole test for the local path.

    The task maps 10 pages (it attaches first: the mm's only task, whose
    counters are lazy). At the same time a kernel thread takes a reference,
    kthread_use_mm, maps 100 pages through add_mm_counter, kthread_unuse_mm,
    mmput. A borrower on the plain local path is a second writer of the
    owner's word: one of the two read-modify-writes overwrites the other.
    The borrower policy (-Dlazycount.borrower) decides its path; every correct
    one counts both adds.

    Results: (anon pages, the borrower refused = 1, check_mm bad lines).

      110, 0, 0     both adds counted once                             ACCEPTABLE
      10 | 100      one add overwritten by the other                   FORBIDDEN
      x, 1, x       the borrower was refused (the model's owner check;
                    the kernel has none and would lose an update)      FORBIDDEN
      110, 0, n>0   check_mm found a bad rss-counter state             FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.BORROWER, ops = {Op.BORROWER_ADD, Op.LOCAL_ADD})
@Outcome(id = "110, 0, 0", expect = ACCEPTABLE, desc = "Both adds counted once; check_mm clean.")
@Outcome(id = "10, .*", expect = FORBIDDEN, desc = "The borrower's add (100) is missing: overwritten by the task's plain write.")
@Outcome(id = "100, .*", expect = FORBIDDEN, desc = "The task's add (10) is missing: overwritten by the borrower's plain write.")
@Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "The borrower was refused the local path (an owner check the kernel does not have).")
@Outcome(expect = FORBIDDEN, desc = "Pages lost or doubled, or check_mm reported a bad rss-counter state.")
@State
public class KthreadBorrowerTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);
    private volatile boolean taskAttached;

    @Actor
    public void task() {
        mm.attachTask();
        taskAttached = true;
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 10);
        }
    }

    @Actor
    public void kernelThread(JJJ_Result r) {
        while (!taskAttached) {                      // the mm has its task before anybody borrows it
            Thread.onSpinWait();
        }
        if (!mm.mmgetNotZero()) {
            r.r2 = 2;
            return;
        }
        mm.kthreadUseMm();
        try (CpuSection cpu = cpus.enter(1)) {
            try {
                mm.add(cpu, RssMember.ANONPAGES, 100);
            } catch (IllegalStateException refused) {   // NotOwnerException
                r.r2 = 1;
            }
            mm.kthreadUnuseMm();
            mm.mmput(cpu);
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r1 = mm.sum(RssMember.ANONPAGES);
        try (CpuSection cpu = cpus.enter(0)) {
            mm.mmput(cpu);                           // the task's reference: the last one
        }
        r.r3 = mm.checkMmReport().size();
    }
}
