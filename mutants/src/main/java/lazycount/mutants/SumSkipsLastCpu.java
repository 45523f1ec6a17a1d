package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * An off-by-one in the CPU walk of {@code __percpu_counter_sum}.
 */
public final class SumSkipsLastCpu extends PercpuMutant {

    public SumSkipsLastCpu() {
        super("sum-skips-last-cpu", Race.SEQUENTIAL, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "the precise sum walks CPUs 0..n-2, so the unfolded amount in the last possible CPU's slot is missing from sum() and from the teardown value");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            protected long sumOfAllCpus() {
                return super.sumOfAllCpus() - slotOf(cpus().nrPossible() - 1);   // BUG: walks 0..n-2
            }
        };
    }
}
