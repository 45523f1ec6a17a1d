package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * PIT's surviving mutant {@code LazyPercpuCounter.publish}: "replaced boolean
 * return with true" (pit/survivors.md), made a catalog mutant. The cmpxchg
 * still decides which counter is published, so no add is lost; but the loser
 * of two racing upgrades reports that it won, and keeps its never-published
 * counter on the CPU-hotplug list. Only a check that races two upgrades and
 * counts the winners sees it: no sequential test, and none of the checks PIT
 * runs, does.
 */
public final class UpgradeLoserClaimsWin extends LazyMutant {

    public UpgradeLoserClaimsWin() {
        super("upgrade-loser-claims-win", Race.UPGRADE_UPGRADE, Set.of(JCSTRESS, FRAY),
                "the upgrade's cmpxchg decides the winner, but the loser also returns true (and never drops its allocation), so two racing upgrades both report that they switched the counter");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected boolean publish(PercpuCounter fresh) {
                super.publish(fresh);
                return true;                               // BUG: the cmpxchg's result is ignored
            }
        };
    }
}
