package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 2 (other add ∥ upgrade). The upgrade takes {@code remote} and
 * resets it ({@code atomic_long_xchg(&c->remote, 0)}), seeds the new per-CPU
 * counter with it, and only then publishes the mode; per-CPU mode no longer
 * counts {@code remote}. An other-path add that read "lazy" before the publish
 * and lands in {@code remote} after the exchange is in neither place: lost.
 * (If two upgrades race, the loser's exchanged value is dropped with its
 * counter: the same mistake.) Sequentially it is exact.
 */
public final class UpgradeFoldThenPublish extends MutantImplementation {

    public UpgradeFoldThenPublish() {
        super("upgrade-fold-then-publish",
                "race 2: the upgrade moves remote into the new per-CPU counter and then publishes the mode, "
                        + "and per-CPU mode stops counting remote, so an other-path add landing in between is lost");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new FoldRemoteLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class FoldRemoteLazyCounter extends BrokenLazyCounter {
        FoldRemoteLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected PerCpuMode prepareUpgrade() {
            BrokenPercpuCounter fresh = newPercpu();
            fresh.seedBeforePublication((long) REMOTE.getAndSet(this, 0L));
            // BUG: remote may still receive in-flight adds until the mode is published, and is no longer counted.
            return new PerCpuMode(fresh, false, true);
        }
    }
}
