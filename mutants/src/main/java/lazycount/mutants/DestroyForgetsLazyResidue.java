package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 6 (teardown: exact final value), sequentially once upgraded.
 * Teardown of an upgraded counter returns the per-CPU counter's final sum
 * alone ("after the upgrade it is a percpu_counter: percpu_counter_destroy()
 * and done"), forgetting that with "the remainder stays in the sum" the lazy
 * words still hold everything added before the upgrade (and in-flight adds
 * that landed after it). {@code sum()} stays right; only the teardown value,
 * the one {@code check_mm} judges, is wrong.
 */
public final class DestroyForgetsLazyResidue extends MutantImplementation {

    public DestroyForgetsLazyResidue() {
        super("destroy-forgets-lazy-residue",
                "race 6: teardown of an upgraded counter returns only the per-CPU counter's final sum and forgets "
                        + "the lazy words that stay in the sum, so the value check_mm sees is wrong");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new PercpuOnlyTeardownLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class PercpuOnlyTeardownLazyCounter extends BrokenLazyCounter {
        PercpuOnlyTeardownLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected long teardownResidue(PerCpuMode m) {
            // BUG: in per-CPU mode the lazy words are still part of the value.
            return m == null ? super.teardownResidue(null) : 0;
        }
    }
}
