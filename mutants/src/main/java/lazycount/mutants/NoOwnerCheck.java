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
 * "Only the owner ever calls the local variant": the check that refuses
 * everybody else is dropped.
 */
public final class NoOwnerCheck extends LazyMutant {

    public NoOwnerCheck() {
        super("no-owner-check", Race.LOCAL_SINGLE_WRITER, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "the lazy local path skips the owner check, so two threads on it do plain read-modify-writes of the local word and lose updates instead of being refused");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return trusting(cpus, batch, policy, percpu);
    }

    /** The reference lazy counter whose local path trusts its caller (also the mm mutants' counters). */
    static LazyPercpuCounter trusting(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected void checkCallerOwns() {
                // BUG: no check.
            }
        };
    }
}
