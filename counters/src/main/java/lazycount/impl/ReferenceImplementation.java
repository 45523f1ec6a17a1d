package lazycount.impl;

import lazycount.counter.BatchedCounter;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/** The counters as designed: {@link PercpuCounter} and {@link LazyPercpuCounter}. */
public final class ReferenceImplementation implements CounterImplementation {

    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String breaks() {
        return "";
    }

    @Override
    public BatchedCounter newPercpuCounter(Cpus cpus, int batch) {
        return new PercpuCounter(cpus, batch);
    }

    @Override
    public BatchedCounter[] newPercpuCounters(Cpus cpus, int count, int batch) {
        return PercpuCounter.initMany(cpus, count, batch);
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new LazyPercpuCounter(cpus, batch, policy);
    }
}
