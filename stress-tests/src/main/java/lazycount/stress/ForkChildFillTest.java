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
    Race.FORK: a child mm whose counters the parent filled,
    updated by the child task and by a remote context at once.

    Before the actors start, a parent task maps 5 anonymous and 7 file pages
    and forks. copy_page_range runs in the parent's context, so the parent
    fills the child's counters on the other path; it is not the child's
    owner. Then the child task starts (it binds itself as the owner of the
    child's lazy counters) and maps 1 anonymous page on the local path, while
    khugepaged, holding a temporary reference, maps 10 more on the other path.

    A fill that went through the local path would either be refused (the
    parent is not the owner), or steal the ownership the child needs, or put
    the parent's pages in the word the child then rewrites with plain
    arithmetic. The digits of the anonymous count say whose pages are missing:
    the fill 5, the child 1, khugepaged 10.

    The arbiter drops the child task's reference, which tears the mm down:
    check_mm must find every counter exact (no "Bad rss-counter state" line).

    Results: (child anon pages, child file pages, check_mm bad lines).

      16, 7, 0      every page counted once, check_mm clean            ACCEPTABLE
      11 or 12, ..  the parent's fill was lost                         FORBIDDEN
      15, ..        the child's own add was lost                       FORBIDDEN
       6, ..        khugepaged's add was lost                          FORBIDDEN
      16, 7, n>0    counters exact but check_mm complained             FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.FORK, ops = {Op.LOCAL_ADD, Op.OTHER_ADD})
@Outcome(id = "16, 7, 0", expect = ACCEPTABLE, desc = "Fill, child and remote pages counted once; check_mm clean.")
@Outcome(id = "(11|12), .*", expect = FORBIDDEN, desc = "The parent's fill of the child's counters was lost.")
@Outcome(id = "15, .*", expect = FORBIDDEN, desc = "The child task's local add was lost.")
@Outcome(id = "6, .*", expect = FORBIDDEN, desc = "khugepaged's remote add was lost.")
@Outcome(id = "16, 7, .*", expect = FORBIDDEN, desc = "Counters exact, but check_mm reported a bad rss-counter state.")
@Outcome(expect = FORBIDDEN, desc = "Pages lost or counted twice.")
@State
public class ForkChildFillTest {

    private static final int CHILD_CPU = 0;
    private static final int REMOTE_CPU = 1;

    private final Cpus cpus = Subject.cpus(2);
    private final Mm child;

    public ForkChildFillTest() {
        Mm parent = Subject.mm(cpus);
        parent.attachTask();
        try (CpuSection cpu = cpus.enter(CHILD_CPU)) {
            parent.add(cpu, RssMember.ANONPAGES, 5);
            parent.add(cpu, RssMember.FILEPAGES, 7);
            child = parent.fork(cpu);
        }
    }

    @Actor
    public void childTask() {
        child.attachTask();
        try (CpuSection cpu = cpus.enter(CHILD_CPU)) {
            child.add(cpu, RssMember.ANONPAGES, 1);
        }
    }

    @Actor
    public void khugepaged() {
        if (child.mmgetNotZero()) {
            try (CpuSection cpu = cpus.enter(REMOTE_CPU)) {
                child.addRemote(cpu, RssMember.ANONPAGES, 10);
                child.mmput(cpu);
            }
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r1 = child.sum(RssMember.ANONPAGES);
        r.r2 = child.sum(RssMember.FILEPAGES);
        try (CpuSection cpu = cpus.enter(CHILD_CPU)) {
            child.mmput(cpu);                       // the child task's reference: the last one
        }
        r.r3 = child.checkMmReport().size();
    }
}
