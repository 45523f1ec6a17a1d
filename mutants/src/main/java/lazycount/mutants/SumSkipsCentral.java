package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * {@code s64 ret = 0;} where {@code ret = fbc->count} was meant.
 */
public final class SumSkipsCentral extends PercpuMutant {

    public SumSkipsCentral() {
        super("sum-skips-central", Race.SEQUENTIAL, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "the precise sum adds the per-CPU slots but not the central count, so every folded amount is missing from sum() and from the teardown value");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            protected long sumOfAllCpus() {
                return super.sumOfAllCpus() - read();      // BUG: the walk starts from 0, not fbc->count
            }
        };
    }
}
