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
 * "After the upgrade it is a percpu_counter: get_mm_counter is
 * percpu_counter_read", forgetting that this protocol leaves the lazy words
 * in the value. The precise sum stays right; only the fast read is short, by
 * everything counted before the upgrade (the RFC's parked residue, in
 * another shape).
 */
public final class ReadForgetsLazyWords extends LazyMutant {

    public ReadForgetsLazyWords() {
        super("read-forgets-lazy-words", Race.READ_SUM, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "after the upgrade read() returns the per-CPU counter's read alone, leaving out the lazy words "
                        + "that stay in the value, so get_mm_counter misses every page counted before CLONE_VM");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            public long read() {
                long value = super.read();
                return isPerCpu() ? value - lazyWords() : value;   // BUG: the lazy words are part of the value
            }
        };
    }
}
