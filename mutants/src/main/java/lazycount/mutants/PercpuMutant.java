package lazycount.mutants;

import lazycount.counter.BatchedCounter;
import lazycount.cpu.Cpus;

/**
 * Base of the mutants of {@code percpu_counter}: the broken counter is used
 * wherever a per-CPU counter is made, directly ({@link #newPercpuCounter}, the
 * eager rss design) and as the per-CPU mode of the lazy counter.
 */
abstract class PercpuMutant extends MutantImplementation {

    PercpuMutant(String name, String breaks) {
        super(name, breaks);
    }

    /** The broken counter. */
    protected abstract BrokenPercpuCounter newBroken(Cpus cpus, int batch);

    @Override
    public final BatchedCounter newPercpuCounter(Cpus cpus, int batch) {
        return newBroken(cpus, batch);
    }

    @Override
    public final BatchedCounter[] newPercpuCounters(Cpus cpus, int count, int batch) {
        BatchedCounter[] counters = new BatchedCounter[count];
        for (int i = 0; i < count; i++) {
            counters[i] = newBroken(cpus, batch);
        }
        return counters;
    }

    @Override
    protected final BrokenPercpuCounter newPercpuForLazy(Cpus cpus, int batch) {
        return newBroken(cpus, batch);
    }
}
