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
    An updater that holds no reference. Reclaim (try_to_unmap_one from kswapd
    or direct reclaim) and khugepaged's collapse_file find an mm through a
    folio's rmap and unmap its pages holding neither mm_users nor mm_count:
    only the rmap lock keeps the mm alive under them, until exit_mmap's
    free_pgtables unlinks the VMAs (taking that lock for writing), and
    check_mm comes after that. They can run during exit_mmap's unmap_vmas.

    The task maps 5 file pages, lets kswapd find them, maps 3 more and exits:
    its mmput is the last, so exit_mmap and check_mm run at once. kswapd
    unmaps 2 pages through the rmap, before, during or after the teardown
    (after it, it finds no VMA). check_mm must be clean either way.

    Results: (pages kswapd unmapped, check_mm bad lines, kswapd refused = 1).

      2|0, 0, 0     every update counted once, before check_mm          ACCEPTABLE
      x, n>0, x     an unmap missed by check_mm or counted twice        FORBIDDEN
      x, x, 1       kswapd reached a torn-down mm (use after free)      FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.DESTROY})
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.MMPUT})
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.EXIT})
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.LOCAL_ADD})
@Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "kswapd unmapped 2 pages before check_mm; check_mm clean.")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "exit_mmap unmapped them first, or the VMAs were unlinked: nothing for kswapd.")
@Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "kswapd reached the mm after its teardown (a use after free).")
@Outcome(expect = FORBIDDEN, desc = "check_mm reported a bad rss-counter state, or no teardown.")
@State
public class RmapUnmapTeardownTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);
    private volatile boolean mapped;

    @Actor
    public void task() {
        mm.attachTask();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.FILEPAGES, 5);
            mapped = true;                           // the folios are on the LRU, reachable through the rmap
            mm.add(cpu, RssMember.FILEPAGES, 3);
            mm.exit(cpu);                            // the last mmput: exit_mmap, then check_mm
        }
    }

    @Actor
    public void kswapd(JJJ_Result r) {
        while (!mapped) {
            Thread.onSpinWait();
        }
        try {
            r.r1 = mm.rmapUnmap(() -> cpus.enter(1), RssMember.FILEPAGES, 2) ? 2 : 0;
        } catch (IllegalStateException useAfterFree) {   // MmMisuseException, CounterDestroyedException
            r.r3 = 1;
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r2 = mm.isTornDown() ? mm.checkMmReport().size() : -1;
    }
}
