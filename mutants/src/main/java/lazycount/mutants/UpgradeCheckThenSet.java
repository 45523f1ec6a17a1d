package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 2 and the single-publication rule of the upgrade. The mode is
 * published with a check ("still lazy?", before allocating) and then a plain
 * release store instead of a CAS: two racing upgrades both pass the check and
 * both publish; adds that went into the first published per-CPU counter are
 * lost when the second overwrites the pointer. Sequentially it is exact.
 */
public final class UpgradeCheckThenSet extends MutantImplementation {

    public UpgradeCheckThenSet() {
        super("upgrade-check-then-set",
                "race 2: the upgrade publishes the per-CPU counter with check-then-set instead of a CAS, so two "
                        + "racing upgrades publish two counters and the adds made to the overwritten one are lost");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new CheckThenSetLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class CheckThenSetLazyCounter extends BrokenLazyCounter {
        CheckThenSetLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected boolean publish(PerCpuMode fresh) {
            // BUG: upgrade() checked "mode == null" before allocating; this store trusts that check.
            MODE.setRelease(this, fresh);
            return true;
        }
    }
}
