package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 1 (the local path's single-writer rule). The local path trusts
 * its caller instead of checking that it is the owner, so two threads that
 * both take it in lazy mode do plain read-modify-writes of {@code local} and
 * lose updates. The reference refuses the second thread with
 * {@code NotOwnerException}; this variant fails silently.
 */
public final class NoOwnerCheck extends MutantImplementation {

    public NoOwnerCheck() {
        super("no-owner-check",
                "race 1: the lazy local path skips the owner check, so two threads on it do plain "
                        + "read-modify-writes of the local word and lose updates instead of being refused");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new TrustingLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    /** A lazy counter whose local path accepts any caller (also used by {@link CloneVmWithoutUpgrade}). */
    static final class TrustingLazyCounter extends BrokenLazyCounter {
        TrustingLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected void checkCallerOwns() {
            // BUG: no check; "only the owner ever calls the local variant".
        }
    }
}
