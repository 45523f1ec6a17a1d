package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 3 (local add ∥ upgrade triggered from elsewhere). The folding
 * protocol of {@link FoldingLazyCounter} is correct for the owner's own
 * {@code CLONE_VM} upgrade; this variant applies it to every upgrade, including
 * the frequency-triggered one ({@link UpgradePolicy#afterOtherUpdates}) that an
 * other-path thread runs. That thread copies {@code local} while the owner,
 * which has not yet seen the new mode, is still adding to it plainly: the
 * owner's late add is lost (per-CPU mode no longer counts {@code local}).
 * Sequentially, and whenever the owner upgrades, it is exact.
 */
public final class FrequencyUpgradeFoldsLocal extends MutantImplementation {

    public FrequencyUpgradeFoldsLocal() {
        super("frequency-upgrade-folds-local",
                "race 3: an upgrade run by a non-owner (the frequency trigger) folds the owner's local word into "
                        + "the per-CPU counter while the owner may still add to it plainly, losing that add");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new FoldAnyUpgraderLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class FoldAnyUpgraderLazyCounter extends FoldingLazyCounter {
        FoldAnyUpgraderLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected boolean mayFoldLocal() {
            // BUG: "the upgrade folds local" was designed for the owner's CLONE_VM upgrade only.
            return true;
        }
    }
}
