package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * "After the upgrade it is a percpu_counter: destroy it", forgetting that
 * this protocol leaves the lazy words in the sum.
 */
public final class DestroyForgetsLazyResidue extends LazyMutant {

    public DestroyForgetsLazyResidue() {
        super("destroy-forgets-lazy-residue", Race.TEARDOWN, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "teardown of an upgraded counter returns only the per-CPU counter's final sum and forgets the lazy words that stay in the sum, so the value check_mm sees is wrong");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            public long destroy() {
                boolean upgraded = isPerCpu();
                long residue = lazyWords();
                long value = super.destroy();
                return upgraded ? value - residue : value; // BUG: the lazy words are part of the value
            }
        };
    }
}
