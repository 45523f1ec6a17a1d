package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import org.junit.jupiter.api.Test;

/**
 * Contract points of the eager rss counter that PIT found untested
 * (pit/survivors.md): {@link EagerRssCounter#destroyInOneWalk} tears down
 * counters that share one area in one walk over the CPUs and any others one
 * by one, and tells each counter of its teardown once it is destroyed; a
 * counter reports whether it is destroyed and names itself in a refusal.
 */
class EagerRssCounterContractTest {

    private final Cpus cpus = new Cpus(2);

    /** A per-CPU counter that counts the walks over the CPUs begun through its walk hook. */
    private static final class WalkCounting extends PercpuCounter {
        private final int[] walks;

        WalkCounting(PercpuArea area, int slotIndex, int[] walks) {
            super(area, slotIndex, 8);
            this.walks = walks;
        }

        @Override
        protected int nextCpuToWalk(int from) {
            if (from == 0) {
                walks[0]++;
            }
            return super.nextCpuToWalk(from);
        }
    }

    /** An eager counter that logs its teardown hook (where the merged design gives its block back). */
    private static final class Logging extends EagerRssCounter {
        private final String name;
        private final List<String> log;

        Logging(String name, BatchedCounter percpu, List<String> log) {
            super(percpu);
            this.name = name;
            this.log = log;
        }

        @Override
        protected void afterDestroy() {
            log.add(name + (isDestroyed() ? " destroyed" : " still alive"));
        }
    }

    /** A per-CPU counter that is not a {@link PercpuCounter}: a decorator of one. */
    private record Wrapped(PercpuCounter inner) implements BatchedCounter {
        @Override
        public void addBatch(CpuSection cpu, long delta, int batch) {
            inner.addBatch(cpu, delta, batch);
        }

        @Override
        public int batch() {
            return inner.batch();
        }

        @Override
        public long read() {
            return inner.read();
        }

        @Override
        public long sum() {
            return inner.sum();
        }

        @Override
        public long readErrorBound() {
            return inner.readErrorBound();
        }

        @Override
        public long destroy() {
            return inner.destroy();
        }

        @Override
        public boolean isDestroyed() {
            return inner.isDestroyed();
        }
    }

    @Test
    void anMmsCountersOnOneAreaAreTornDownInOneWalkOverTheCpus() {
        int[] walks = {0};
        PercpuArea area = new PercpuArea(cpus, 4);
        EagerRssCounter[] four = new EagerRssCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = new EagerRssCounter(new WalkCounting(area, i, walks));
        }
        OnCpu.run(cpus, 0, s -> {
            for (int i = 0; i < four.length; i++) {
                four[i].addLocal(s, i + 1);
            }
        });
        OnCpu.run(cpus, 1, s -> four[3].addOther(s, 10));                  // folds into central
        walks[0] = 0;
        assertArrayEquals(new long[] {1, 2, 3, 14}, EagerRssCounter.destroyInOneWalk(four));
        // Guzik's point: one pass reads each CPU's unit once for the four, not four passes
        assertEquals(1, walks[0], "walks over the CPUs for four counters on one area");
        for (EagerRssCounter c : four) {
            assertTrue(c.isDestroyed());
        }
    }

    @Test
    void countersOnDifferentAreasAreTornDownOneByOne() {
        List<String> log = new ArrayList<>();
        EagerRssCounter a = new Logging("a", new PercpuCounter(cpus, 8), log);
        EagerRssCounter b = new Logging("b", new PercpuCounter(cpus, 8), log);
        OnCpu.run(cpus, 1, s -> {
            a.addLocal(s, 3);
            b.addLocal(s, 20);
        });
        // no shared area, so no single walk: each gets its own destroy(), hook included
        assertArrayEquals(new long[] {3, 20}, EagerRssCounter.destroyInOneWalk(new EagerRssCounter[] {a, b}));
        assertEquals(List.of("a destroyed", "b destroyed"), log);
    }

    @Test
    void countersOverAnyOtherPerCpuCounterAreTornDownOneByOne() {
        PercpuCounter[] pair = PercpuCounter.initMany(cpus, 2, 8);
        EagerRssCounter a = new EagerRssCounter(new Wrapped(pair[0]));
        EagerRssCounter b = new EagerRssCounter(new Wrapped(pair[1]));
        OnCpu.run(cpus, 0, s -> {
            a.addLocal(s, 5);
            b.addOther(s, 6);
        });
        // only PercpuCounters can share a walk; any other BatchedCounter is destroyed on its own
        assertArrayEquals(new long[] {5, 6}, EagerRssCounter.destroyInOneWalk(new EagerRssCounter[] {a, b}));
        assertTrue(a.isDestroyed() && b.isDestroyed());
    }

    @Test
    void eachCounterHearsOfItsTeardownInOneWalkOnceAfterItIsDestroyed() {
        List<String> log = new ArrayList<>();
        PercpuCounter[] pair = PercpuCounter.initMany(cpus, 2, 8);
        EagerRssCounter a = new Logging("a", pair[0], log);
        EagerRssCounter b = new Logging("b", pair[1], log);
        EagerRssCounter.destroyInOneWalk(new EagerRssCounter[] {a, b});
        // the merged design returns its block in afterDestroy: skipped, the block never goes back to the cache
        assertEquals(List.of("a destroyed", "b destroyed"), log);
    }

    @Test
    void anEagerCounterIsDestroyedOnlyOnceItIsDestroyed() {
        EagerRssCounter c = new EagerRssCounter(new PercpuCounter(cpus, 4));
        assertFalse(c.isDestroyed());
        c.destroy();
        assertTrue(c.isDestroyed());
    }

    @Test
    void aDestroyedEagerCounterRefusesAnUpgradeNamingItself() {
        EagerRssCounter c = new EagerRssCounter(new PercpuCounter(cpus, 4));
        c.destroy();
        CounterDestroyedException e = assertThrows(CounterDestroyedException.class, c::upgrade);
        // the use after free names the operation and the counter, down to its per-CPU counter
        assertEquals("upgrade() on EagerRssCounter[PercpuCounter[nrCpus=2, batch=4]] after destroy():"
                + " the counter was already torn down", e.getMessage());
    }
}
