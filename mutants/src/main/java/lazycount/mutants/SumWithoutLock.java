package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * "The reads are {@code READ_ONCE}, they cannot tear": but a fold writes two
 * words, and only the lock makes the pair atomic for a reader.
 */
public final class SumWithoutLock extends PercpuMutant {

    public SumWithoutLock() {
        super("sum-without-lock", Race.PERCPU_FOLD_SUM, Set.of(JCSTRESS, LINCHECK),
                "the precise sum does not take the lock, so it can see a fold half done (central already increased, slot not yet reduced) and count the folded amount twice");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            public long sum() {
                if (isDestroyed()) {
                    return super.sum();                    // throws, as the reference does
                }
                return sumOfAllCpus();                     // BUG: no raw_spin_lock_irqsave(&fbc->lock)
            }
        };
    }
}
