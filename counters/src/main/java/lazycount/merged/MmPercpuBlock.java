package lazycount.merged;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuFactory;
import lazycount.counter.RssCounter;
import lazycount.cpu.Cpus;
import lazycount.rss.RssMember;

/**
 * One merged per-mm per-CPU block ({@code mm_percpu_struct}) and its lease to
 * one mm. See the package notes for the layout and the reuse rule.
 */
public final class MmPercpuBlock {

    /** Slots 0..3 of each CPU's unit: the rss_stat counters, in {@link RssMember} order. */
    public static final int NR_RSS_COUNTERS = RssMember.values().length;
    /** Placeholder for the per-CPU {@code mm_cid} data. */
    public static final int MM_CID_SLOT = NR_RSS_COUNTERS;
    /** Placeholder for the per-CPU {@code futex_ref} data. */
    public static final int FUTEX_REF_SLOT = NR_RSS_COUNTERS + 1;
    public static final int LONGS_PER_CPU = NR_RSS_COUNTERS + 2;

    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final long id = NEXT_ID.incrementAndGet();
    private final MergedBlockCache home;
    private final PercpuArea area;
    /** 0 while free; while leased, how many of its rss counters are not destroyed yet. */
    private final AtomicInteger liveCounters = new AtomicInteger();
    private final AtomicLong leases = new AtomicLong();

    MmPercpuBlock(MergedBlockCache home, Cpus cpus) {
        this.home = home;
        this.area = new PercpuArea(cpus, LONGS_PER_CPU);          // alloc_percpu: O(nrCpus)
    }

    /** Leases this free block to a new mm and builds its four rss counters on it. */
    RssCounter[] lease(int batch, PercpuFactory percpuFactory) {
        if (!liveCounters.compareAndSet(0, NR_RSS_COUNTERS)) {
            throw new IllegalStateException(this + " handed out while " + liveCounters.get()
                    + " counters on it are still alive");
        }
        leases.incrementAndGet();
        RssCounter[] counters = new RssCounter[NR_RSS_COUNTERS];
        for (int slot = 0; slot < NR_RSS_COUNTERS; slot++) {
            counters[slot] = new MergedRssCounter(percpuFactory.create(area, slot, batch), this);
        }
        return counters;
    }

    /** Called once by each counter's successful destroy; the last one recycles the block. */
    void counterDestroyed() {
        int left = liveCounters.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException(this + " released more often than it has counters");
        }
        if (left == 0) {
            // Every counter's destroy happens-before this point (the decrements form a
            // release sequence), so nobody can touch the slots we are about to clear.
            area.clear();
            home.giveBack(this);
        }
    }

    public Cpus cpus() {
        return area.cpus();
    }

    /** How many of this block's rss counters are alive (0 when the block is free). */
    public int liveCounters() {
        return liveCounters.get();
    }

    /** How many mms this block has been leased to so far. */
    public long leases() {
        return leases.get();
    }

    @Override
    public String toString() {
        return "MmPercpuBlock#" + id + "[nrCpus=" + area.cpus().nrPossible() + ", leases=" + leases.get() + "]";
    }
}
