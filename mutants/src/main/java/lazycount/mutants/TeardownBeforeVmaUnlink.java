package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * Breaks the updaters without a reference. {@code exit_mmap} runs
 * {@code check_mm} and the counters' teardown without first unlinking the
 * VMAs from their rmap under the rmap locks ({@code free_pgtables} moved after
 * the teardown; here, left out before it): reclaim or khugepaged, which hold no
 * reference, still find the mm through a folio's rmap and update counters
 * already checked and freed.
 */
public final class TeardownBeforeVmaUnlink extends MmMutant {

    public TeardownBeforeVmaUnlink() {
        super("teardown-before-vma-unlink", Race.RMAP_TEARDOWN, Set.of(JCSTRESS, LINCHECK, JQWIK, FRAY),
                "check_mm and the counters' teardown run before free_pgtables unlinked the VMAs, so an rmap walker "
                        + "(reclaim, khugepaged) with no reference updates a torn-down mm");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected void freePgtables() {
                // BUG: no unlink under the rmap locks before check_mm: walkers that found a VMA are not waited for
            }
        };
    }
}
