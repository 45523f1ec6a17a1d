package lazycount.impl;

import lazycount.counter.BatchedCounter;
import lazycount.counter.EagerRssCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.merged.MergedBlockCache;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * A set of counter implementations the suite can check: the reference one, or
 * a broken variant (a mutant). Every jcstress test, Lincheck check and jqwik
 * property builds its counters through the implementation
 * {@link Implementations#selected() selected} for the run, so a variant is
 * checked by the same tests, never by copies of them.
 */
public interface CounterImplementation {

    /** A short name, used on the command line ({@code -Dlazycount.impl=NAME}). */
    String name();

    /** Empty for a correct implementation; for a mutant, the race or rule it breaks. */
    String breaks();

    default boolean isCorrect() {
        return breaks().isEmpty();
    }

    BatchedCounter newPercpuCounter(Cpus cpus, int batch);

    /** A lazy counter with no owner bound yet. */
    RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy);

    /** The four rss_stat counters of a new mm, in {@code RssMember} order. */
    default RssCounter[] newRssCounters(Cpus cpus, RssDesign design) {
        int batch = PercpuCounter.defaultBatch(cpus);
        RssCounter[] counters = new RssCounter[4];
        switch (design) {
            case EAGER -> {
                BatchedCounter[] many = newPercpuCounters(cpus, counters.length, batch);
                for (int i = 0; i < counters.length; i++) {
                    counters[i] = new EagerRssCounter(many[i]);
                }
            }
            case LAZY -> {
                for (int i = 0; i < counters.length; i++) {
                    counters[i] = newLazyCounter(cpus, batch, UpgradePolicy.NEVER);
                }
            }
            case CACHED_MERGED -> {
                RssCounter[] merged = MergedBlockCache.shared().newRssCounters(cpus, batch);
                System.arraycopy(merged, 0, counters, 0, counters.length);
            }
        }
        return counters;
    }

    /** {@code percpu_counter_init_many}. */
    default BatchedCounter[] newPercpuCounters(Cpus cpus, int count, int batch) {
        BatchedCounter[] counters = new BatchedCounter[count];
        for (int i = 0; i < count; i++) {
            counters[i] = newPercpuCounter(cpus, batch);
        }
        return counters;
    }

    /**
     * The forced upgrade of an mm's counters at {@code CLONE_VM}: by default
     * each on its own.
     */
    default void upgradeAll(RssCounter[] counters) {
        for (RssCounter c : counters) {
            c.upgrade();
        }
    }

    /** A new mm with no task; mutants of the mm lifecycle return a subclass. */
    default Mm newMm(Cpus cpus, RssDesign design) {
        return Mm.create(this, cpus, design);
    }
}
