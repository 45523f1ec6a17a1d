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
import lazycount.cpu.Cpus;

/**
 * The RFC's "sync" step borrowed for the upgrade: fold {@code local} into the
 * atomic word and zero it plainly, so per-CPU mode "has one lazy word less".
 * Harmless when the owner upgrades (it is the only writer); a loss when the
 * frequency trigger upgrades from another context while the owner adds.
 */
public final class UpgradeSyncsLocal extends LazyMutant {

    public UpgradeSyncsLocal() {
        super("upgrade-syncs-local", Race.LOCAL_UPGRADE, Set.of(JCSTRESS, LINCHECK, FRAY),
                "an upgrade run by any context first moves the owner's local word into the remote word (add, then a plain local = 0), so an owner's plain add landing between the read and the zeroing is lost");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected boolean publish(PercpuCounter fresh) {
                long local = localWord();
                addToRemoteWord(local);
                storeLocalWord(0);                         // BUG: the owner may have added since the read
                return super.publish(fresh);
            }
        };
    }
}
