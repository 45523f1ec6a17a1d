package lazycount.impl;

import java.util.Arrays;
import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.catalog.Verdict;
import lazycount.counter.BatchedCounter;
import lazycount.counter.EagerRssCounter;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuArea;
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

    /** What the suite expects of an implementation. */
    enum Kind {
        /** Ours, argued correct: must pass every check. */
        CORRECT,
        /** A protocol a kernel patch could use, verdict unknown: verified, or refuted with a counter-example. */
        CANDIDATE,
        /** Known broken: at least one tool must catch it. */
        MUTANT
    }

    default Kind kind() {
        return Kind.CORRECT;
    }

    /** Empty unless this is a mutant; for a mutant, the mistake and what it breaks. */
    default String breaks() {
        return "";
    }

    /** The race a mutant breaks; null for correct implementations and candidates. */
    default Race race() {
        return null;
    }

    /**
     * The tools expected to catch a mutant (the gate checks each of them does);
     * empty when no tool can here, and then {@link #unobservableBecause()} says why.
     */
    default Set<Tool> expectedCatchers() {
        return Set.of();
    }

    /** Why no tool can catch this mutant on this JVM and hardware; empty when some tool can. */
    default String unobservableBecause() {
        return "";
    }

    /**
     * For a candidate, the verdict the suite reached (the gate checks it still
     * holds); null for correct implementations, mutants and undecided candidates.
     */
    default Verdict recordedVerdict() {
        return null;
    }

    /**
     * Whether this models the kernel's percpu_counter closely enough for the
     * fidelity checks ({@code read()} is the central count alone, the read
     * bound is {@code nrCpus * (batch - 1)} and is reached). An implementation
     * that is correct but built otherwise (an exact {@code read()}, say)
     * returns false, and only the contract checks apply to it.
     */
    default boolean kernelFaithful() {
        return true;
    }

    /**
     * {@code check_mm} and the counters' teardown for an mm's counters: each
     * counter's final value, in order. Here one {@code destroy()} per counter
     * (one walk over the CPUs each); a design may tear them down together.
     */
    default long[] destroyAll(RssCounter[] counters) {
        long[] values = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            values[i] = counters[i].destroy();
        }
        return values;
    }

    /**
     * How many bits of a counter's value the implementation keeps. 64 (the
     * default): arithmetic wraps modulo 2^64 whatever the adds. Fewer (a
     * tagged word keeps 63): exactness is promised only while the sum of the
     * magnitudes of all adds to a counter stays below {@code 2^(valueBits - 1)},
     * and the arithmetic checks generate adds inside that domain. A page count
     * needs about 50 bits on any machine.
     */
    default int valueBits() {
        return 64;
    }

    /** One line for listings: what the implementation is, or what it breaks. */
    default String description() {
        return breaks();
    }

    default boolean isCorrect() {
        return kind() == Kind.CORRECT;
    }

    /**
     * One percpu_counter on slot {@code slotIndex} of every CPU's unit of
     * {@code area}: the single factory every design's per-CPU counters come
     * from (eager, the merged block, the lazy counter's upgrade), so a broken
     * per-CPU counter reaches all of them.
     */
    default PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch);
    }

    /** {@code percpu_counter_init}: one counter in an allocation of its own. */
    default BatchedCounter newPercpuCounter(Cpus cpus, int batch) {
        return newPercpuCounter(new PercpuArea(cpus, 1), 0, batch);
    }

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
                RssCounter[] merged = MergedBlockCache.shared().newRssCounters(cpus, batch, this::newPercpuCounter);
                System.arraycopy(merged, 0, counters, 0, counters.length);
            }
        }
        return counters;
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

    /** A new mm with no task; mutants of the mm lifecycle return a subclass. */
    default Mm newMm(Cpus cpus, RssDesign design) {
        return Mm.create(this, cpus, design);
    }
}
