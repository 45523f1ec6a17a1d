package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * Breaks the precise readers. Under {@code LAZYCOUNT_READERS=precise}
 * {@code get_mm_counter} is the precise sum (the 2026 patches); this one
 * answers with the approximate read instead, as the RFC's WIP does when it
 * redefines {@code get_mm_counter_sum} as the approximate read: it misses
 * every amount still in a CPU's slot, in flight towards the central count,
 * which is what 82241a83cd15 made {@code /proc} and 5898aa8f9a0b the OOM killer
 * count. Identical to the reference under the approximate readers.
 */
public final class PreciseReadIsApproximate extends MmMutant {

    public PreciseReadIsApproximate() {
        super("precise-read-is-approximate", Race.READ_SUM, Set.of(JCSTRESS, LINCHECK, JQWIK, FRAY),
                "under the precise readers get_mm_counter returns the approximate read, missing every amount still in "
                        + "a per-CPU slot (the RFC's WIP redefining get_mm_counter_sum)");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected long getMmCounter(RssCounter counter) {
                return counter.read();   // BUG: the precise reader reads the central count, not the slots in flight
            }
        };
    }
}
