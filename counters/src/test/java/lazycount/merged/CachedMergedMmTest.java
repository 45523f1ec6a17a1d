package lazycount.merged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.CounterFactory;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import org.junit.jupiter.api.Test;

/** {@link RssDesign#CACHED_MERGED} wired through {@code newRssCounters} and the mm lifecycle. */
class CachedMergedMmTest {

    private final CounterFactory impl = CounterFactory.REFERENCE;

    private static MmPercpuBlock blockOf(Mm mm) {
        return ((MergedRssCounter) mm.counter(RssMember.ANONPAGES)).block();
    }

    @Test
    void execThenExitReturnsTheBlockAndTheNextExecReusesIt() {
        Cpus cpus = new Cpus(8);        // a Cpus of its own: no other test's block can match it
        MmPercpuBlock first;
        try (CpuSection s = cpus.enter(3)) {
            Mm mm = Mm.exec(impl, cpus, RssDesign.CACHED_MERGED);
            first = blockOf(mm);
            for (RssMember m : RssMember.values()) {
                assertSame(first, ((MergedRssCounter) mm.counter(m)).block(), "one block per mm");
            }
            mm.add(s, RssMember.ANONPAGES, 100);
            mm.add(s, RssMember.FILEPAGES, 3);
            assertEquals(100, mm.sum(RssMember.ANONPAGES));
            assertTrue(mm.exit(s));
            assertEquals(List.of(), mm.checkMmReport());
            assertEquals(0, first.liveCounters());

            Mm next = Mm.exec(impl, cpus, RssDesign.CACHED_MERGED);
            assertSame(first, blockOf(next), "exit returned the block, exec took it from the cache");
            for (RssMember m : RssMember.values()) {
                assertEquals(0, next.sum(m));
            }
            assertTrue(next.exit(s));
            assertEquals(List.of(), next.checkMmReport());
        }
    }

    @Test
    void aBlockStaysLeasedUntilTheLastReferenceIsDropped() throws Exception {
        Cpus cpus = new Cpus(4);
        try (CpuSection s = cpus.enter(0)) {
            Mm mm = Mm.exec(impl, cpus, RssDesign.CACHED_MERGED);
            MmPercpuBlock block = blockOf(mm);
            assertTrue(mm.mmgetNotZero());                  // a remote updater holds a reference
            assertFalse(mm.exit(s));
            Mm meanwhile = Mm.exec(impl, cpus, RssDesign.CACHED_MERGED);
            assertTrue(block != blockOf(meanwhile), "block handed out while its mm is still referenced");
            mm.addRemote(s, RssMember.SWAPENTS, 7);
            assertTrue(mm.mmput(s));
            assertEquals(List.of(), mm.checkMmReport());
            assertEquals(0, block.liveCounters());
            assertTrue(meanwhile.exit(s));
        }
    }

    /**
     * Four workers exec, fill, fork and exit mms as fast as they can, so blocks
     * move between threads and CPUs through the shared cache. Each worker holds
     * two CPUs and updates from both, so an mm can end at zero with amounts left
     * in its central counts and the opposite in another CPU's slot. Every mm
     * must start at zero (the block was cleared), never share its block with
     * another live mm, and pass check_mm.
     */
    @Test
    void blocksRecycledAcrossThreadsAreNeverSharedAndAlwaysStartClean() throws Exception {
        int threads = 4;
        int iterations = 1500;
        Cpus cpus = new Cpus(2 * threads);
        Map<MmPercpuBlock, Mm> leasedTo = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int cpu = t;
            long seed = 0x5eed_0000L + t;
            Thread worker = new Thread(() -> {
                try (CpuSection home = cpus.enter(cpu); CpuSection away = cpus.enter(cpu + threads)) {
                    start.await();
                    churn(home, away, cpus, new SplittableRandom(seed), iterations, leasedTo);
                } catch (Throwable e) {
                    failure.compareAndSet(null, new AssertionError("worker on CPU " + cpu + " (seed "
                            + Long.toHexString(seed) + ")", e));
                }
            }, "task-on-cpu-" + cpu);
            workers.add(worker);
            worker.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            fail(failure.get());
        }
    }

    private void churn(CpuSection s, CpuSection away, Cpus cpus, SplittableRandom random, int iterations,
                       Map<MmPercpuBlock, Mm> leasedTo) {
        for (int i = 0; i < iterations; i++) {
            Mm mm = Mm.exec(impl, cpus, RssDesign.CACHED_MERGED);
            claim(leasedTo, mm);
            for (RssMember m : RssMember.values()) {
                assertEquals(0, mm.sum(m), "a new mm's counters must start at zero");
                // Deltas around the batch (32 here) so that folds leave amounts in central counts.
                mm.add(s, m, random.nextInt(1, 80));
                mm.add(s, m, -random.nextInt(0, 20));
                mm.addRemote(away, m, -random.nextInt(0, 20));      // khugepaged on another CPU
            }
            Mm child = mm.fork(s);
            claim(leasedTo, child);
            child.attachTask();                       // the child runs on this thread too
            child.add(s, RssMember.ANONPAGES, random.nextInt(-10, 10));
            release(leasedTo, child);
            assertTrue(child.exit(s));
            assertEquals(List.of(), child.checkMmReport());
            release(leasedTo, mm);
            assertTrue(mm.exit(s));
            assertEquals(List.of(), mm.checkMmReport());
        }
    }

    private static void claim(Map<MmPercpuBlock, Mm> leasedTo, Mm mm) {
        Mm previous = leasedTo.putIfAbsent(blockOf(mm), mm);
        if (previous != null) {
            fail(blockOf(mm) + " leased to " + mm + " while " + previous + " still holds it");
        }
    }

    private static void release(Map<MmPercpuBlock, Mm> leasedTo, Mm mm) {
        assertTrue(leasedTo.remove(blockOf(mm), mm));
    }
}
