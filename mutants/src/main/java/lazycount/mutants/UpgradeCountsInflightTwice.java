package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * Mixing up the protocols: "the upgrade may have folded remote before my add
 * landed, so add again to the per-CPU counter". This protocol never folds.
 */
public final class UpgradeCountsInflightTwice extends LazyMutant {

    public UpgradeCountsInflightTwice() {
        super("upgrade-counts-inflight-twice", Race.OTHER_UPGRADE, Set.of(JCSTRESS, LINCHECK, FRAY),
                "an other-path add that sees the upgrade published right after its atomic add to remote re-applies the delta to the per-CPU counter, though remote stays in the sum: counted twice");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected void addOtherLazy(CpuSection cpu, long delta) {
                super.addOtherLazy(cpu, delta);
                PercpuCounter upgradedMeanwhile = percpu();
                if (upgradedMeanwhile != null) {
                    upgradedMeanwhile.addBatch(cpu, delta, batch());   // BUG: remote is still counted
                }
            }
        };
    }
}
