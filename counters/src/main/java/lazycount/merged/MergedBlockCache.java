package lazycount.merged;

import java.util.ArrayDeque;
import java.util.Iterator;
import lazycount.counter.PercpuFactory;
import lazycount.counter.RssCounter;
import lazycount.cpu.Cpus;

/**
 * A bounded cache of cleared {@link MmPercpuBlock}s: what fork takes instead of
 * calling the per-CPU allocator. Thread-safe; see the package notes.
 */
public final class MergedBlockCache {

    /** Capacity of the {@linkplain #shared() shared} cache. */
    public static final int DEFAULT_CAPACITY = 8;

    private static final MergedBlockCache SHARED = new MergedBlockCache(DEFAULT_CAPACITY);

    private final int capacity;
    private final ArrayDeque<MmPercpuBlock> free = new ArrayDeque<>();   // guarded by this; head is newest
    private long hits;       // guarded by this
    private long misses;     // guarded by this
    private long evictions;  // guarded by this

    public MergedBlockCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** The process-wide cache that {@code RssDesign.CACHED_MERGED} uses. */
    public static MergedBlockCache shared() {
        return SHARED;
    }

    /** The four rss counters of a new mm, on a block of {@code cpus} leased from this cache. */
    public RssCounter[] newRssCounters(Cpus cpus, int batch, PercpuFactory percpuFactory) {
        return take(cpus).lease(batch, percpuFactory);
    }

    /** A free, all-zero block for {@code cpus}: a cached one if any, else a new allocation. */
    MmPercpuBlock take(Cpus cpus) {
        synchronized (this) {
            for (Iterator<MmPercpuBlock> it = free.iterator(); it.hasNext(); ) {
                MmPercpuBlock block = it.next();
                if (block.cpus() == cpus) {
                    it.remove();
                    hits++;
                    return block;
                }
            }
            misses++;
        }
        return new MmPercpuBlock(this, cpus);                   // allocate outside the lock
    }

    /** Takes back a cleared block whose counters are all destroyed; drops the oldest if full. */
    void giveBack(MmPercpuBlock block) {
        synchronized (this) {
            if (capacity == 0) {
                evictions++;
                return;
            }
            if (free.size() == capacity) {
                free.removeLast();
                evictions++;
            }
            free.addFirst(block);
        }
    }

    public synchronized int size() {
        return free.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Takes served from the cache. */
    public synchronized long hits() {
        return hits;
    }

    /** Takes that had to allocate. */
    public synchronized long misses() {
        return misses;
    }

    /** Cleared blocks dropped because the cache was full. */
    public synchronized long evictions() {
        return evictions;
    }

    @Override
    public synchronized String toString() {
        return "MergedBlockCache[size=" + free.size() + "/" + capacity + ", hits=" + hits
                + ", misses=" + misses + ", evictions=" + evictions + "]";
    }
}
