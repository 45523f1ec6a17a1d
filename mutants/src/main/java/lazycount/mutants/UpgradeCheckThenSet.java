package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * {@code if (!c->percpu) c->percpu = alloc();}: the usual lazy-initialisation
 * race. {@code upgrade()} checked the pointer before allocating; this store
 * trusts that check.
 */
public final class UpgradeCheckThenSet extends LazyMutant {

    public UpgradeCheckThenSet() {
        super("upgrade-check-then-set", Race.UPGRADE_UPGRADE, Set.of(JCSTRESS, LINCHECK, FRAY),
                "the upgrade publishes the per-CPU counter with check-then-set instead of a CAS, so two racing upgrades publish two counters and the adds made to the overwritten one are lost");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected boolean publish(PercpuCounter fresh) {
                storePercpu(fresh);                        // BUG: a store where a cmpxchg was needed
                return true;
            }
        };
    }
}
