package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * {@code __this_cpu_sub(*fbc->counters, count)} where {@code count - amount}
 * was meant: an easy slip, visible without any concurrency.
 */
public final class FoldSubtractsWrongAmount extends PercpuMutant {

    public FoldSubtractsWrongAmount() {
        super("fold-subtracts-wrong-amount", Race.SEQUENTIAL, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "the batch fold subtracts count (slot + delta) from the slot instead of count - delta, so every folding add is cancelled");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            protected long foldedFromSlot(long count, long delta) {
                return count;                              // BUG: the slot held count - delta
            }
        };
    }
}
