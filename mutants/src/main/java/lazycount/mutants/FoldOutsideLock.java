package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * The batch fold without {@code raw_spin_lock(&fbc->lock)}: "each CPU folds
 * only its own slot", but the central count is shared.
 */
public final class FoldOutsideLock extends PercpuMutant {

    public FoldOutsideLock() {
        super("fold-outside-lock", Race.PERCPU_FOLD_SUM, Set.of(JCSTRESS, LINCHECK),
                "the batch fold updates the shared central count without the lock, so two CPUs folding at once lose one fold (non-atomic read-modify-write of the central count)");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            protected void fold(int i, long count, long delta) {
                moveSlotToCentral(i, count, delta);       // BUG: no raw_spin_lock(&fbc->lock)
            }
        };
    }
}
