package lazycount.merged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.cpu.Cpus;
import org.junit.jupiter.api.Test;

/**
 * The cached merged block's contract beyond the lease rule
 * ({@link MergedBlockCacheTest}): the tallies a benchmark reads, the texts a
 * refusal prints, and the refusals of a block used against its lease. Written
 * from PIT's survivors over {@code lazycount.merged} (pit/survivors.md).
 */
class MergedBlockContractTest {

    private static final int BATCH = 4;

    private final Cpus cpus = new Cpus(4);

    private RssCounter[] lease(MergedBlockCache cache) {
        return cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
    }

    private static MmPercpuBlock blockOf(RssCounter[] counters) {
        return ((MergedRssCounter) counters[0]).block();
    }

    private static void destroyAll(RssCounter[] counters) {
        for (RssCounter c : counters) {
            c.destroy();
        }
    }

    @Test
    void aNegativeCapacityIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MergedBlockCache(-1));
        assertEquals("capacity must be >= 0, was -1", e.getMessage());
        assertEquals(3, new MergedBlockCache(3).capacity());
        assertEquals(MergedBlockCache.DEFAULT_CAPACITY, MergedBlockCache.shared().capacity());
    }

    /** A cache of capacity 0 drops every block it is given back: each is an eviction (the benchmark's tally). */
    @Test
    void aZeroCapacityCacheCountsEveryBlockGivenBackAsEvicted() {
        MergedBlockCache cache = new MergedBlockCache(0);
        destroyAll(lease(cache));
        destroyAll(lease(cache));
        assertEquals(2, cache.evictions());
        assertEquals(0, cache.hits());
        assertEquals(2, cache.misses());
        assertEquals("MergedBlockCache[size=0/0, hits=0, misses=2, evictions=2]", cache.toString());
    }

    @Test
    void blocksAndCountersDescribeThemselves() {
        MergedBlockCache cache = new MergedBlockCache(1);
        RssCounter[] a = lease(cache);
        RssCounter[] b = lease(cache);
        String block = blockOf(a).toString();
        assertTrue(block.matches("MmPercpuBlock#\\d+\\[nrCpus=4, leases=1]"), block);
        assertNotEquals(block, blockOf(b).toString(), "two blocks must be told apart in a report");
        // What it is (an eager counter on a per-CPU counter) and where it lives.
        assertEquals("MergedRssCounter[EagerRssCounter[PercpuCounter[nrCpus=4, batch=" + BATCH + "]] in " + block + "]",
                a[0].toString());
        destroyAll(a);
        destroyAll(b);
        assertEquals("MergedBlockCache[size=1/1, hits=0, misses=2, evictions=1]", cache.toString());
    }

    /** The lease rule as the block enforces it: no second lease while counters on it live. */
    @Test
    void aBlockLeasedWhileItsCountersLiveIsRefusedByName() {
        MmPercpuBlock block = blockOf(lease(new MergedBlockCache(1)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> block.lease(BATCH, PercpuCounter::new));
        assertEquals(block + " handed out while 4 counters on it are still alive", e.getMessage());
        assertEquals(1, block.leases(), "a refused lease is not a lease");
        assertEquals(4, block.liveCounters());
    }

    @Test
    void aBlockReleasedMoreOftenThanItHasCountersIsRefusedByName() {
        MergedBlockCache cache = new MergedBlockCache(1);
        RssCounter[] counters = lease(cache);
        MmPercpuBlock block = blockOf(counters);
        destroyAll(counters);
        IllegalStateException e = assertThrows(IllegalStateException.class, block::counterDestroyed);
        assertEquals(block + " released more often than it has counters", e.getMessage());
    }
}
