package lazycount.impl;

import java.util.Arrays;
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

    /** Lazy counters upgrade onto one shared per-CPU allocation, like {@code percpu_counter_init_many}. */
    @Override
    public void upgradeAll(RssCounter[] counters) {
        if (Arrays.stream(counters).allMatch(c -> c instanceof LazyPercpuCounter)) {
            LazyPercpuCounter.upgradeAll(Arrays.copyOf(counters, counters.length, LazyPercpuCounter[].class));
        } else {
            CounterImplementation.super.upgradeAll(counters);
        }
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new LazyPercpuCounter(cpus, batch, policy);
    }
}
