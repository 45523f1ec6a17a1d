package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * Breaks the -ENOMEM context. {@code copy_mm} ignores the upgrade's failed
 * allocation (an unchecked {@code percpu_counter_init_many} return value) and
 * goes on with the clone: the new task shares counters that are still lazy,
 * and two tasks take the plain local path. Exact whenever the allocation
 * succeeds.
 */
public final class CloneIgnoresEnomem extends MmMutant {

    public CloneIgnoresEnomem() {
        super("clone-ignores-enomem", Race.CLONE_ENOMEM, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "a clone whose upgrade cannot allocate goes on instead of failing with -ENOMEM, so a second task "
                        + "shares lazy counters");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected void upgradeBeforeSharing() {
                try {
                    super.upgradeBeforeSharing();
                } catch (PercpuAllocationException e) {
                    // BUG: the error is dropped; the clone proceeds with the counters still lazy.
                }
            }
        };
    }
}
