package lazycount.impl;

import lazycount.counter.LazyPercpuCounter;
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
    public String description() {
        return "two words (plain local, atomic remote) that stay in the sum; the upgrade only publishes the per-CPU pointer";
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new LazyPercpuCounter(cpus, batch, policy, this::newPercpuCounter);
    }
}
