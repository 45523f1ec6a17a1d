package lazycount.mutants;

import lazycount.counter.BatchedCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.rss.RssDesign;

/**
 * Base of every mutant: the reference counters except where a mutant overrides
 * one factory. The per-CPU counter is the reference {@link PercpuCounter}; the
 * lazy counter is {@link BrokenLazyCounter} without overrides, whose per-CPU
 * mode uses {@link #newPercpuForLazy} (reference logic unless a per-CPU mutant
 * overrides it, so a per-CPU bug also shows through the lazy counter and the
 * rss model).
 */
public abstract class MutantImplementation implements CounterImplementation {

    private final String name;
    private final String breaks;

    protected MutantImplementation(String name, String breaks) {
        if (breaks.isEmpty()) {
            throw new IllegalArgumentException("a mutant must say what it breaks: " + name);
        }
        this.name = name;
        this.breaks = breaks;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String breaks() {
        return breaks;
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
        return new BrokenLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    /** The per-CPU counter of the lazy counter's per-CPU mode. */
    protected BrokenPercpuCounter newPercpuForLazy(Cpus cpus, int batch) {
        return new BrokenPercpuCounter(cpus, batch);
    }

    /** The counters of {@link CounterImplementation#newRssCounters}'s default, for subclasses that override it. */
    protected final RssCounter[] defaultRssCounters(Cpus cpus, RssDesign design) {
        return CounterImplementation.super.newRssCounters(cpus, design);
    }

    @Override
    public String toString() {
        return "mutant " + name;
    }
}
