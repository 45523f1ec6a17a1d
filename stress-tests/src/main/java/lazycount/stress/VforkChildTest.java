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
    A kernel context beyond the catalog: vfork (posix_spawn). The child runs on
    the parent's mm while the parent sleeps until the child releases it
    (mm_release -> complete_vfork_done). Whether vfork upgrades the counters
    is the policy's choice (-Dlazycount.clone.upgrade); if it does not, the
    child writes the parent's lazy local word and the completion is the only
    ordering between the two writers.

    The parent maps 1 page alone, vforks the child (the other actor, which
    publishes its thread first: a task is named before it runs), and sleeps;
    the child maps 100 pages and exits; the woken parent maps 10. If the
    parent ran on before the child released the mm, the two plain
    read-modify-writes could overwrite each other.

    Results: (anon pages, vfork done before the child ran = 1, check_mm bad lines).

      111, 0, 0     every page counted once                            ACCEPTABLE
      11 | 101      the child's or the parent's later add is missing   FORBIDDEN
      x, 1, x       the parent was not asleep while its child ran      FORBIDDEN
      111, 0, n>0   check_mm found a bad rss-counter state             FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.VFORK, ops = {Op.VFORK_CHILD, Op.LOCAL_ADD})
@Outcome(id = "111, 0, 0", expect = ACCEPTABLE, desc = "Every add counted once; the parent slept until the child released the mm.")
@Outcome(id = "11, .*", expect = FORBIDDEN, desc = "The child's add (100) is missing: overwritten by the parent's plain write.")
@Outcome(id = "101, .*", expect = FORBIDDEN, desc = "The woken parent's add (10) is missing: overwritten by the child's.")
@Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "vfork's completion was done before the child ran: the parent does not sleep.")
@Outcome(expect = FORBIDDEN, desc = "Pages lost or doubled, or check_mm reported a bad rss-counter state.")
@State
public class VforkChildTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);
    private final VforkHandshake vfork = new VforkHandshake();

    @Actor
    public void parent(JJJ_Result r) {
        vfork.parentMapsAPageAndVforks(cpus, mm);
        r.r2 = mm.vforkDone() ? 1 : 0;
        vfork.letTheChildRun();
        mm.waitForVforkDone();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 10);
        }
    }

    @Actor
    public void vforkChild() {
        vfork.childWaitsToRun();
        try (CpuSection cpu = cpus.enter(1)) {
            mm.add(cpu, RssMember.ANONPAGES, 100);
            mm.exit(cpu);                            // exec or _exit: mm_release wakes the parent
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r1 = mm.sum(RssMember.ANONPAGES);
        try (CpuSection cpu = cpus.enter(0)) {
            mm.mmput(cpu);                           // the parent's reference: the last one
        }
        r.r3 = mm.checkMmReport().size();
    }
}
