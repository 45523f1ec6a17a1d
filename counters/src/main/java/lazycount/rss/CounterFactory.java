package lazycount.rss;

import java.util.Arrays;
import lazycount.counter.BatchedCounter;
import lazycount.counter.EagerRssCounter;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.merged.MergedBlockCache;
import lazycount.tree.PercpuCounterTree;
import lazycount.tree.TreeTopology;

/**
 * Where every counter and mm of the model is built: the construction seams a
 * protocol varies. The defaults are the reference ({@link PercpuCounter},
 * {@link LazyPercpuCounter}, {@link Mm}); a protocol or a broken variant
 * overrides the one seam it changes, and everything built above that seam
 * (the eager design, the merged block, the lazy counter's upgrade, the mm)
 * then runs on it. {@link #REFERENCE} overrides nothing.
 */
public interface CounterFactory {

    /** The reference: every seam as the kernel model builds it. */
    CounterFactory REFERENCE = new CounterFactory() {
        @Override
        public String toString() {
            return name();
        }
    };

    /** A short name for messages and {@link Mm#toString()}. */
    default String name() {
        return "reference";
    }

    /**
     * The machine the counters run on: {@code nrPossible} virtual CPUs with their
     * hotplug. Every check builds its CPUs here, so a broken variant of the
     * machinery (a mutant) reaches every counter and mm built on it.
     */
    default Cpus newCpus(int nrPossible, Cpus.Handover handover, Cpus.OwnerCheck ownerCheck) {
        return new Cpus(nrPossible, handover, ownerCheck);
    }

    /**
     * One percpu_counter on slot {@code slotIndex} of every CPU's unit of
     * {@code area}: every design's per-CPU counters come from here (eager, the
     * merged block, the lazy counter's upgrade), so a broken per-CPU counter
     * reaches all of them.
     */
    default PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch);
    }

    /** {@code percpu_counter_init}: one counter in an allocation of its own. */
    default BatchedCounter newPercpuCounter(Cpus cpus, int batch) {
        return newPercpuCounter(new PercpuArea(cpus, 1), 0, batch);
    }

    /** {@code percpu_counter_init_many}: {@code count} counters on one shared allocation. */
    default PercpuCounter[] newPercpuCounters(Cpus cpus, int count, int batch) {
        PercpuArea area = new PercpuArea(cpus, count);
        PercpuCounter[] counters = new PercpuCounter[count];
        for (int i = 0; i < count; i++) {
            counters[i] = newPercpuCounter(area, i, batch);
        }
        return counters;
    }

    /**
     * {@code percpu_counter_tree_init_many}: {@code count} counter trees on one
     * per-CPU allocation, with the kernel's topology for {@code cpus}: the tree
     * design's rss_stat and every tree check build their trees here, so a broken
     * tree ({@link #newCounterTree}) reaches all of them.
     */
    default PercpuCounterTree[] newCounterTrees(Cpus cpus, int count, long batchSize) {
        return PercpuCounterTree.initMany(cpus, TreeTopology.forCpus(cpus), count, batchSize, this::newCounterTree);
    }

    /** One counter tree at its place in an init_many: the real one; a broken variant overrides. */
    default PercpuCounterTree newCounterTree(PercpuCounterTree.Place place) {
        return PercpuCounterTree.REAL.create(place);
    }

    /** A lazy counter with no owner bound yet. */
    default RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new LazyPercpuCounter(cpus, batch, policy, this::newPercpuCounter);
    }

    /** {@code RSS_STAT_BATCH_SIZE}: the tree series' batch size for the rss_stat trees. */
    long RSS_STAT_BATCH_SIZE = 32;

    /** The four rss_stat counters of a new mm, in {@code RssMember} order. */
    default RssCounter[] newRssCounters(Cpus cpus, RssDesign design) {
        int batch = PercpuCounter.defaultBatch(cpus);
        RssCounter[] counters = new RssCounter[RssMember.values().length];
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
                RssCounter[] merged = MergedBlockCache.shared().newRssCounters(cpus, batch, this::newPercpuCounter);
                System.arraycopy(merged, 0, counters, 0, counters.length);
            }
            case TREE -> {
                PercpuCounterTree[] trees = newCounterTrees(cpus, counters.length, RSS_STAT_BATCH_SIZE);
                for (int i = 0; i < counters.length; i++) {
                    counters[i] = new EagerRssCounter(trees[i]);
                }
            }
        }
        return counters;
    }

    /**
     * The forced upgrade of an mm's counters at {@code CLONE_VM}: lazy counters
     * of the reference protocol (or a variant of it) upgrade onto one shared
     * allocation, like {@code percpu_counter_init_many}; others each on its own.
     */
    default void upgradeAll(RssCounter[] counters) {
        if (Arrays.stream(counters).allMatch(c -> c instanceof LazyPercpuCounter)) {
            LazyPercpuCounter.upgradeAll(Arrays.copyOf(counters, counters.length, LazyPercpuCounter[].class));
            return;
        }
        for (RssCounter c : counters) {
            c.upgrade();
        }
    }

    /**
     * {@code check_mm} and the counters' teardown for an mm's counters: each
     * counter's final value, in order. Here one {@code destroy()} per counter
     * (one walk over the CPUs each), except the tree design's, which go together
     * ({@code percpu_counter_tree_destroy_many}, as they were built); a design may
     * tear them down together.
     */
    default long[] destroyAll(RssCounter[] counters) {
        if (counters.length > 0 && Arrays.stream(counters)
                .allMatch(c -> c instanceof EagerRssCounter e && e.percpu() instanceof PercpuCounterTree)) {
            PercpuCounterTree[] trees = new PercpuCounterTree[counters.length];
            for (int i = 0; i < counters.length; i++) {
                trees[i] = (PercpuCounterTree) ((EagerRssCounter) counters[i]).percpu();
            }
            return PercpuCounterTree.destroyMany(trees);          // check_mm's precise sums, then destroy_many
        }
        long[] values = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            values[i] = counters[i].destroy();
        }
        return values;
    }

    /** A new mm with no task, its counters from this factory; a variant of the mm lifecycle returns a subclass. */
    default Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy);
    }
}
