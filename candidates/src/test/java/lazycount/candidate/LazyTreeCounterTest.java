package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;
import lazycount.impl.Implementations;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import lazycount.rss.CounterFactory;
import org.junit.jupiter.api.Test;

/** What {@code lazy-tree} adds to the reference lazy counter: the tree as the upgrade target (issue #29). */
class LazyTreeCounterTest {

    private final LazyTreeImplementation impl = (LazyTreeImplementation) Implementations.byName(LazyTreeImplementation.NAME);

    @Test
    void treeBatchIsTheNextPowerOfTwoAtLeastTwo() {
        assertEquals(2, LazyTreeCounter.treeBatchFor(1));
        assertEquals(2, LazyTreeCounter.treeBatchFor(2));
        assertEquals(4, LazyTreeCounter.treeBatchFor(3));
        assertEquals(32, LazyTreeCounter.treeBatchFor(32));
        assertEquals(64, LazyTreeCounter.treeBatchFor(33));
    }

    @Test
    void theUpgradePublishesATreeAndTheLazyWordsStayInTheSum() {
        Cpus cpus = new Cpus(16);
        LazyTreeCounter c = (LazyTreeCounter) impl.newLazyCounter(cpus, 4, UpgradePolicy.NEVER);
        c.bindOwner();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
        OnCpu.run(cpus, 3, s -> c.addOther(s, 7));
        assertNull(c.tree());
        assertTrue(c.upgrade());
        assertFalse(c.upgrade(), "one winner");
        assertNotNull(c.tree());
        assertEquals(4, c.tree().batchSize());
        for (int cpu = 0; cpu < 16; cpu++) {
            OnCpu.run(cpus, cpu, s -> c.addOther(s, 100));
        }
        assertEquals(1612, c.sum());
        assertTrue(Math.abs(c.sum() - c.read()) <= c.readErrorBound());
        assertEquals(1612, c.destroy());
        assertTrue(c.tree().isDestroyed(), "a tree of its own is destroyed with the counter");
    }

    @Test
    void aFailedTreeAllocationLeavesTheCounterLazy() {
        Cpus cpus = new Cpus(8);
        LazyTreeCounter c = (LazyTreeCounter) impl.newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        OnCpu.run(cpus, 1, s -> c.addOther(s, 3));
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        assertThrows(PercpuAllocationException.class, c::upgrade);
        assertFalse(c.isPerCpu());
        assertEquals(3, c.sum());
        assertTrue(c.upgrade());
        assertEquals(3, c.destroy());
    }

    @Test
    void upgradeAllSharesOneInitManyFreedByTheLastTeardown() {
        Cpus cpus = new Cpus(8);
        RssCounter[] counters = new RssCounter[4];
        for (int i = 0; i < 4; i++) {
            counters[i] = impl.newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        }
        LazyTreeCounter early = (LazyTreeCounter) counters[1];
        assertTrue(early.upgrade());
        var itsOwn = early.tree();
        impl.upgradeAll(counters);
        assertSame(itsOwn, early.tree(), "an upgraded counter keeps its tree");
        var first = ((LazyTreeCounter) counters[0]).tree();
        assertNotSame(first, ((LazyTreeCounter) counters[2]).tree());
        for (int i = 0; i < 4; i++) {
            int v = i + 1;
            OnCpu.run(cpus, i, s -> counters[v - 1].addOther(s, 10 * v));
        }
        assertEquals(10, counters[0].destroy());
        assertFalse(first.isDestroyed(), "the init_many is freed by the last of its counters");
        assertEquals(20, counters[1].destroy());
        assertEquals(30, counters[2].destroy());
        assertEquals(40, counters[3].destroy());
        assertTrue(first.isDestroyed());
        assertTrue(itsOwn.isDestroyed());
    }

    @Test
    void anMmsFourGoInOneDestroyMany() {
        Cpus cpus = new Cpus(8);
        RssCounter[] counters = new RssCounter[4];
        for (int i = 0; i < 4; i++) {
            counters[i] = impl.newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        }
        OnCpu.run(cpus, 2, s -> counters[3].addOther(s, 5));                 // a lazy residue
        impl.upgradeAll(counters);
        for (int i = 0; i < 4; i++) {
            int v = i + 1;
            OnCpu.run(cpus, 7 - i, s -> counters[v - 1].addOther(s, 100 * v));
        }
        assertEquals(List.of(100L, 200L, 300L, 405L),
                java.util.Arrays.stream(impl.destroyAll(counters)).boxed().toList());
        for (RssCounter c : counters) {
            assertTrue(c.isDestroyed());
            assertTrue(((LazyTreeCounter) c).tree().isDestroyed());
            assertThrows(lazycount.counter.CounterDestroyedException.class, c::destroy);
        }
    }

    @Test
    void otherDesignsTearDownAsTheDefault() throws Exception {
        for (RssDesign design : RssDesign.values()) {
            Cpus cpus = new Cpus(8);
            OtherThread.run(() -> {
                Mm mm = Mm.exec(impl, cpus, design);
                OnCpu.run(cpus, 3, s -> mm.add(s, RssMember.ANONPAGES, 70));
                mm.cloneVm(new Thread(() -> { }, "second-task (never started)"));
                OnCpu.run(cpus, 5, s -> mm.add(s, RssMember.FILEPAGES, 9));
                OnCpu.run(cpus, 0, s -> mm.mmput(s));
                OnCpu.run(cpus, 0, s -> mm.exit(s));
                assertEquals(List.of(), mm.checkMmReport(), design.toString());
            });
        }
    }

    @Test
    void theReferenceUpgradeAllIsRefusedByName() {
        Cpus cpus = new Cpus(4);
        LazyTreeCounter c = (LazyTreeCounter) impl.newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LazyPercpuCounter.upgradeAll(new LazyPercpuCounter[] {c}));
        assertTrue(e.getMessage().contains("never to a percpu_counter"), e.getMessage());
    }

    @Test
    void anMmUpgradesToRssStatTreesAtCloneVmAndExitsClean() throws Exception {
        Cpus cpus = new Cpus(64);
        OtherThread.run(() -> {
            Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
            OnCpu.run(cpus, 3, s -> mm.add(s, RssMember.ANONPAGES, 1000));
            OnCpu.run(cpus, 63, s -> mm.addRemote(s, RssMember.SHMEMPAGES, 7));
            mm.cloneVm(new Thread(() -> { }, "second-task (never started)"));
            LazyTreeCounter anon = (LazyTreeCounter) mm.counter(RssMember.ANONPAGES);
            assertEquals(CounterFactory.RSS_STAT_BATCH_SIZE, anon.tree().batchSize());
            OnCpu.run(cpus, 40, s -> mm.add(s, RssMember.ANONPAGES, 513));
            assertEquals(1513, mm.sum(RssMember.ANONPAGES));
            OnCpu.run(cpus, 0, s -> mm.mmput(s));
            OnCpu.run(cpus, 0, s -> mm.exit(s));
            assertEquals(List.of(), mm.checkMmReport());
            assertTrue(anon.tree().isDestroyed());
        });
    }
}
