package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.Mm;
import lazycount.rss.MmMisuseException;
import lazycount.rss.RssMember;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    Race.EXIT_CHECK_MM, exit and check_mm: the only task exits while a
    remote context (the OOM reaper, process_madvise) tries to update the mm
    through a temporary reference.

    The task maps 1 page on the local path and exits. The remote takes a
    reference with mmget_not_zero; if it gets one, it maps 10 pages on the
    other path and drops the reference. Whoever drops the last reference runs
    the teardown: exit_mmap unmaps every page, then check_mm must find every
    counter exactly zero. A teardown that runs while a reference is still
    held (or an update that lands after the teardown) leaves a counter that
    does not match the page tables.

    Results: (the task's exit tore the mm down: 1 = yes, -1 = its exit
              found no reference left to drop (one was dropped twice);
              remote: 0 = no reference (mm already dying), 1 = updated, not
              last, 2 = updated and tore the mm down, -1 = its update was
              refused because the mm was already torn down;
              check_mm bad lines, -1 if nobody tore the mm down).

      1, 0, 0    the remote came too late to take a reference          ACCEPTABLE
      1, 1, 0    the remote was done before the task exited            ACCEPTABLE
      0, 2, 0    the remote held the last reference and tore down      ACCEPTABLE
      x, -1, y   the mm was torn down under a held reference           FORBIDDEN
      -1, y, z   a reference was dropped twice (count underflow)       FORBIDDEN
      1, 2, y    torn down twice                                       FORBIDDEN
      0, 0|1, -1 nobody tore the mm down                               FORBIDDEN
      x, y, n>0  check_mm found a bad rss-counter state                FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.EXIT_CHECK_MM, ops = {Op.EXIT, Op.MMGET})
@Checks(value = Race.TEARDOWN, ops = {Op.MMPUT, Op.MMPUT})
@Outcome(id = {"1, 0, 0", "1, 1, 0", "0, 2, 0"}, expect = ACCEPTABLE,
        desc = "Exactly one teardown, after the last reference; check_mm clean.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The task's exit found no reference left: one was dropped twice.")
@Outcome(id = ".*, -1, .*", expect = FORBIDDEN, desc = "The mm was torn down while the remote held a reference.")
@Outcome(id = "1, 2, .*", expect = FORBIDDEN, desc = "The mm was torn down twice.")
@Outcome(id = ".*, -1", expect = FORBIDDEN, desc = "Nobody tore the mm down: a reference leaked.")
@Outcome(expect = FORBIDDEN, desc = "check_mm reported a bad rss-counter state: an update was lost or doubled.")
@State
public class ExitCheckMmTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);

    @Actor
    public void task(JJJ_Result r) {
        mm.attachTask();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
            r.r1 = mm.exit(cpu) ? 1 : 0;
        } catch (MmMisuseException referenceDroppedTwice) {
            r.r1 = -1;
        }
    }

    @Actor
    public void remote(JJJ_Result r) {
        if (!mm.mmgetNotZero()) {
            r.r2 = 0;
            return;
        }
        try (CpuSection cpu = cpus.enter(1)) {
            mm.addRemote(cpu, RssMember.ANONPAGES, 10);
            r.r2 = mm.mmput(cpu) ? 2 : 1;
        } catch (MmMisuseException | CounterDestroyedException tornDownUnderUs) {
            r.r2 = -1;
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r3 = mm.isTornDown() ? mm.checkMmReport().size() : -1;
    }
}
