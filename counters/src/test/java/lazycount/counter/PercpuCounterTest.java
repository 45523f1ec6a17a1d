package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PercpuCounterTest {

    private static void onCpu(Cpus cpus, int cpu, Consumer<CpuSection> body) {
        try (CpuSection s = cpus.enter(cpu)) {
            body.accept(s);
        }
    }

    @Test
    void addBelowBatchStaysInTheSlot() {
        Cpus cpus = new Cpus(4);
        PercpuCounter c = new PercpuCounter(cpus, 10);
        onCpu(cpus, 2, s -> c.add(s, 9));
        assertEquals(0, c.read());
        assertEquals(9, c.sum());
    }

    @Test
    void reachingTheBatchFoldsSlotAndDeltaIntoCentral() {
        Cpus cpus = new Cpus(4);
        PercpuCounter c = new PercpuCounter(cpus, 10);
        onCpu(cpus, 1, s -> {
            c.add(s, 7);
            c.add(s, 3);
        });
        assertEquals(10, c.read());
        assertEquals(10, c.sum());
    }

    @Test
    void negativeAddsFoldAtMinusBatch() {
        Cpus cpus = new Cpus(2);
        PercpuCounter c = new PercpuCounter(cpus, 5);
        onCpu(cpus, 0, s -> {
            c.add(s, -4);
            assertEquals(0, c.read());
            c.add(s, -1);
        });
        assertEquals(-5, c.read());
        assertEquals(-5, c.sum());
    }

    @Test
    void batchOfOneFoldsEveryNonZeroAdd() {
        Cpus cpus = new Cpus(3);
        PercpuCounter c = new PercpuCounter(cpus, 1);
        onCpu(cpus, 2, s -> {
            c.add(s, 1);
            c.add(s, -3);
            c.add(s, 0);
        });
        assertEquals(-2, c.read());
        assertEquals(-2, c.sum());
    }

    @Test
    void addBatchUsesTheGivenBatchNotTheDefault() {
        Cpus cpus = new Cpus(2);
        PercpuCounter c = new PercpuCounter(cpus, 1000);
        onCpu(cpus, 0, s -> c.addBatch(s, 3, 3));
        assertEquals(3, c.read());
    }

    @Test
    void readIsWithinTheBoundAndTheBoundIsTight() {
        int nrCpus = 8;
        int batch = 16;
        Cpus cpus = new Cpus(nrCpus);
        PercpuCounter c = new PercpuCounter(cpus, batch);
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            onCpu(cpus, cpu, s -> c.add(s, batch - 1));
        }
        assertEquals((long) nrCpus * (batch - 1), c.readErrorBound());
        assertEquals(0, c.read());
        assertEquals(c.readErrorBound(), c.sum() - c.read());
    }

    @Test
    void readStaysWithinTheBoundOverMixedSignAdds() {
        Cpus cpus = new Cpus(5);
        PercpuCounter c = new PercpuCounter(cpus, 7);
        long expected = 0;
        for (int i = 0; i < 1000; i++) {
            long delta = (i * 7919L) % 23 - 11;
            expected += delta;
            onCpu(cpus, i % 5, s -> c.add(s, delta));
            assertEquals(expected, c.sum());
            assertTrue(Math.abs(c.sum() - c.read()) <= c.readErrorBound());
        }
    }

    @Test
    void arithmeticWrapsModulo2To64() {
        Cpus cpus = new Cpus(2);
        PercpuCounter c = new PercpuCounter(cpus, 32);
        onCpu(cpus, 0, s -> {
            c.add(s, Long.MAX_VALUE);
            c.add(s, 1);
        });
        assertEquals(Long.MIN_VALUE, c.sum());
        onCpu(cpus, 1, s -> c.add(s, Long.MIN_VALUE));
        assertEquals(0, c.sum());
    }

    @Test
    void defaultBatchIsMax32OrTwiceTheCpus() {
        assertEquals(32, PercpuCounter.defaultBatch(new Cpus(1)));
        assertEquals(32, PercpuCounter.defaultBatch(new Cpus(16)));
        assertEquals(160, PercpuCounter.defaultBatch(new Cpus(80)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void refusesBatchBelowOne(int batch) {
        Cpus cpus = new Cpus(1);
        assertThrows(IllegalArgumentException.class, () -> new PercpuCounter(cpus, batch));
        PercpuCounter c = new PercpuCounter(cpus, 4);
        onCpu(cpus, 0, s -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.addBatch(s, 1, batch));
            assertTrue(e.getMessage().contains("batch"), e.getMessage());
        });
        assertEquals(0, c.sum());
    }

    @Test
    void destroyReturnsTheExactValueAndRefusesEveryLaterUse() {
        Cpus cpus = new Cpus(3);
        PercpuCounter c = new PercpuCounter(cpus, 4);
        onCpu(cpus, 0, s -> c.add(s, 3));
        onCpu(cpus, 2, s -> c.add(s, 9));
        assertFalse(c.isDestroyed());
        assertEquals(12, c.destroy());
        assertTrue(c.isDestroyed());
        CounterDestroyedException e = assertThrows(CounterDestroyedException.class, c::sum);
        assertTrue(e.getMessage().contains("sum() on") && e.getMessage().contains("after destroy"), e.getMessage());
        assertThrows(CounterDestroyedException.class, c::read);
        assertThrows(CounterDestroyedException.class, c::destroy);
        onCpu(cpus, 1, s -> assertThrows(CounterDestroyedException.class, () -> c.add(s, 1)));
    }

    @Test
    void updateThroughASectionOfAnotherCpuSetIsRefused() {
        PercpuCounter c = new PercpuCounter(new Cpus(2), 4);
        onCpu(new Cpus(2), 0, s -> assertThrows(lazycount.cpu.WrongCpuSectionException.class, () -> c.add(s, 1)));
        assertEquals(0, c.sum());
    }

    @Test
    void countersInitialisedTogetherShareAnAllocationButNotTheirValues() {
        Cpus cpus = new Cpus(4);
        PercpuCounter[] many = PercpuCounter.initMany(cpus, 4, 8);
        for (int i = 0; i < many.length; i++) {
            int counter = i;
            for (int cpu = 0; cpu < 4; cpu++) {
                onCpu(cpus, cpu, s -> many[counter].add(s, counter + 1));
            }
        }
        for (int i = 0; i < many.length; i++) {
            assertEquals(4L * (i + 1), many[i].sum());
        }
    }

    @Test
    void concurrentAddsOnDistinctCpusAreAllCounted() throws InterruptedException {
        int threads = 4;
        int perThread = 20_000;
        Cpus cpus = new Cpus(threads);
        PercpuCounter c = new PercpuCounter(cpus, 3);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int cpu = t;
            workers[t] = new Thread(() -> onCpu(cpus, cpu, s -> {
                for (int i = 0; i < perThread; i++) {
                    c.add(s, (i & 1) == 0 ? 2 : -1);
                }
            }));
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals((long) threads * perThread / 2, c.sum());
    }
}
