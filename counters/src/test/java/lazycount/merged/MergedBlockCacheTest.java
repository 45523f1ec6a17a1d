package lazycount.merged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.counter.CounterDestroyedException;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.junit.jupiter.api.Test;

/**
 * The lease rule of the cached merged block: a block goes back to the cache
 * only when all four counters on it are destroyed, and comes out all zero.
 * Each test has a cache of its own, so the shared one cannot interfere.
 */
class MergedBlockCacheTest {

    private static final int BATCH = 4;

    private final Cpus cpus = new Cpus(4);

    private static MmPercpuBlock blockOf(RssCounter[] counters) {
        return ((MergedRssCounter) counters[0]).block();
    }

    private static void destroyAll(RssCounter[] counters) {
        for (RssCounter c : counters) {
            assertEquals(0, c.destroy(), c + " was not quiet at zero");
        }
    }

    @Test
    void theFourCountersShareOneBlock() {
        RssCounter[] counters = new MergedBlockCache(2).newRssCounters(cpus, BATCH, PercpuCounter::new);
        assertEquals(MmPercpuBlock.NR_RSS_COUNTERS, counters.length);
        for (RssCounter c : counters) {
            assertSame(blockOf(counters), ((MergedRssCounter) c).block());
            assertTrue(c.isPerCpu(), "the merged design has no lazy mode");
        }
        assertEquals(4, blockOf(counters).liveCounters());
    }

    @Test
    void aBlockIsNotHandedOutWhileOneOfItsCountersIsAlive() {
        MergedBlockCache cache = new MergedBlockCache(2);
        RssCounter[] first = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        MmPercpuBlock block = blockOf(first);
        for (int i = 0; i < 3; i++) {
            first[i].destroy();
        }
        assertEquals(1, block.liveCounters());
        assertEquals(0, cache.size());
        RssCounter[] whileOneIsAlive = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        assertNotSame(block, blockOf(whileOneIsAlive), "handed out a block whose last counter is alive");

        first[3].destroy();
        assertEquals(0, block.liveCounters());
        assertEquals(1, cache.size());
        RssCounter[] afterTeardown = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        assertSame(block, blockOf(afterTeardown), "a fully released block is reused");
        assertEquals(2, block.leases());
        assertEquals(1, cache.hits());
        assertEquals(2, cache.misses());
    }

    @Test
    void aDoubleDestroyIsRefusedAndReleasesNothing() {
        MergedBlockCache cache = new MergedBlockCache(2);
        RssCounter[] counters = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        counters[0].destroy();
        assertThrows(CounterDestroyedException.class, counters[0]::destroy);
        assertEquals(3, blockOf(counters).liveCounters());
        assertEquals(0, cache.size());
    }

    /**
     * The previous mm's counters summed to zero but left folded amounts in the
     * central counts and the opposite in several CPUs' slots. A new counter's
     * central count starts at zero, so only clearing the slots makes it start at zero.
     */
    @Test
    void aReusedBlockStartsAtZeroWhateverTheSlotsHeld() {
        MergedBlockCache cache = new MergedBlockCache(2);
        RssCounter[] first = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        for (RssCounter c : first) {
            onCpu(0, s -> c.addLocal(s, 10));          // folds: central 10, slot 0
            for (int cpu = 1; cpu < 4; cpu++) {
                onCpu(cpu, s -> c.addOther(s, -3));     // slots -3 on CPUs 1..3
            }
            onCpu(0, s -> c.addOther(s, -1));           // slot -1 on CPU 0
            assertEquals(10, c.read(), "the central count holds the folded amount");
        }
        destroyAll(first);

        RssCounter[] reused = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        assertSame(blockOf(first), blockOf(reused));
        for (RssCounter c : reused) {
            assertEquals(0, c.sum(), "a reused block must come out cleared");
            onCpu(2, s -> c.addLocal(s, 1));
            assertEquals(1, c.sum());
        }
    }

    @Test
    void aCounterOfATornDownMmCannotReachItsRecycledBlock() {
        MergedBlockCache cache = new MergedBlockCache(2);
        RssCounter[] dead = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        destroyAll(dead);
        RssCounter[] live = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        assertSame(blockOf(dead), blockOf(live));

        assertThrows(CounterDestroyedException.class, () -> onCpu(1, s -> dead[1].addOther(s, 5)));
        assertThrows(CounterDestroyedException.class, dead[1]::sum);
        assertEquals(0, live[1].sum());
    }

    @Test
    void aFullCacheDropsItsOldestBlockAndServesTheNewestFirst() {
        MergedBlockCache cache = new MergedBlockCache(2);
        RssCounter[] a = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        RssCounter[] b = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        RssCounter[] c = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        destroyAll(a);
        destroyAll(b);
        destroyAll(c);
        assertEquals(2, cache.size());
        assertEquals(1, cache.evictions());
        assertSame(blockOf(c), blockOf(cache.newRssCounters(cpus, BATCH, PercpuCounter::new)));
        assertSame(blockOf(b), blockOf(cache.newRssCounters(cpus, BATCH, PercpuCounter::new)));
        assertNotSame(blockOf(a), blockOf(cache.newRssCounters(cpus, BATCH, PercpuCounter::new)), "a was dropped");
    }

    @Test
    void aBlockServesOnlyTheCpusItWasMadeFor() {
        MergedBlockCache cache = new MergedBlockCache(2);
        RssCounter[] forFour = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        destroyAll(forFour);
        Cpus otherMachine = new Cpus(4);
        RssCounter[] forOther = cache.newRssCounters(otherMachine, BATCH, PercpuCounter::new);
        assertNotSame(blockOf(forFour), blockOf(forOther));
        assertSame(otherMachine, blockOf(forOther).cpus());
        assertEquals(1, cache.size(), "the block of the first Cpus stays cached");
    }

    @Test
    void aZeroCapacityCacheNeverReuses() {
        MergedBlockCache cache = new MergedBlockCache(0);
        RssCounter[] a = cache.newRssCounters(cpus, BATCH, PercpuCounter::new);
        destroyAll(a);
        assertNotSame(blockOf(a), blockOf(cache.newRssCounters(cpus, BATCH, PercpuCounter::new)));
        assertEquals(0, cache.size());
    }

    private void onCpu(int cpu, java.util.function.Consumer<CpuSection> body) {
        try (CpuSection s = cpus.enter(cpu)) {
            body.accept(s);
        }
    }
}
