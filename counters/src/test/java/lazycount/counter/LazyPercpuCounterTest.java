package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;

class LazyPercpuCounterTest {

    private final Cpus cpus = new Cpus(4);



    private LazyPercpuCounter ownedByMe() {
        return new LazyPercpuCounter(cpus, Thread.currentThread());
    }

    @Test
    void startsLazyAndEmpty() {
        LazyPercpuCounter c = ownedByMe();
        assertFalse(c.isPerCpu());
        assertEquals(0, c.sum());
        assertEquals(0, c.read());
        assertEquals(0, c.readErrorBound());
        assertSame(Thread.currentThread(), c.owner());
    }

    @Test
    void localAndOtherAddsAreExactInLazyMode() throws Exception {
        LazyPercpuCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
        OnCpu.inAnotherThread(cpus, 1, s -> c.addOther(s, -2));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 10));
        assertEquals(13, c.read());
        assertEquals(13, c.sum());
    }

    @Test
    void localPathOfANonOwnerIsRefusedNamingBothThreads() throws Exception {
        LazyPercpuCounter c = ownedByMe();
        String owner = Thread.currentThread().getName();
        ExecutionException e = assertThrows(ExecutionException.class, () -> OnCpu.inAnotherThread(cpus, 1, s -> c.addLocal(s, 1)));
        assertTrue(e.getCause() instanceof NotOwnerException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("the owner is thread '" + owner + "'"), e.getCause().getMessage());
        assertEquals(0, c.sum());
    }

    @Test
    void localPathWithNoOwnerIsRefused() {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, 32, UpgradePolicy.NEVER);
        assertNull(c.owner());
        NotOwnerException e = assertThrows(NotOwnerException.class, () -> OnCpu.run(cpus, 0, s -> c.addLocal(s, 1)));
        assertTrue(e.getMessage().contains("no owner yet"), e.getMessage());
        c.bindOwner();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 1));
        assertEquals(1, c.sum());
    }

    @Test
    void ownerIsBoundOnce() throws Exception {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, 32, UpgradePolicy.NEVER);
        c.bindOwner();
        c.bindOwner();   // idempotent for the owner itself
        ExecutionException e = assertThrows(ExecutionException.class, () -> OtherThread.run(c::bindOwner));
        assertTrue(e.getCause() instanceof NotOwnerException);
        assertTrue(e.getCause().getMessage().contains("already owned by"), e.getCause().getMessage());
    }

    @Test
    void upgradePreservesTheValueAndIsIdempotent() {
        LazyPercpuCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> {
            c.addLocal(s, 7);
            c.addOther(s, 4);
        });
        assertTrue(c.upgrade());
        assertTrue(c.isPerCpu());
        assertEquals(11, c.sum());
        assertFalse(c.upgrade());
        assertEquals(11, c.sum());
        OnCpu.run(cpus, 2, s -> {
            c.addLocal(s, 1);
            c.addOther(s, 1);
        });
        assertEquals(13, c.sum());
    }

    @Test
    void upgradeAllSharesOneAllocationAndPreservesEveryValue() {
        LazyPercpuCounter[] four = new LazyPercpuCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = ownedByMe();
            int value = i + 1;
            OnCpu.run(cpus, 0, s -> four[value - 1].addLocal(s, value));
        }
        four[2].upgrade();
        LazyPercpuCounter.upgradeAll(four);
        for (int i = 0; i < four.length; i++) {
            assertTrue(four[i].isPerCpu());
            int counter = i;
            OnCpu.run(cpus, 1, s -> four[counter].addOther(s, 10));
            assertEquals(i + 11, four[i].sum());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LazyPercpuCounter.upgradeAll(new LazyPercpuCounter[] {ownedByMe(),
                        new LazyPercpuCounter(new Cpus(4), Thread.currentThread())}));
        assertTrue(e.getMessage().contains("different CPU sets"), e.getMessage());
    }

    @Test
    void upgradingFourTogetherAllocatesAboutWhatOneDoes() {
        Cpus many = new Cpus(4096);
        long one = allocatedBytes(() -> new LazyPercpuCounter(many, Thread.currentThread()).upgrade());
        long four = allocatedBytes(() -> LazyPercpuCounter.upgradeAll(new LazyPercpuCounter[] {
                new LazyPercpuCounter(many, Thread.currentThread()), new LazyPercpuCounter(many, Thread.currentThread()),
                new LazyPercpuCounter(many, Thread.currentThread()), new LazyPercpuCounter(many, Thread.currentThread())}));
        assertTrue(four < 2 * one, "four counters upgraded together allocated " + four + " bytes, one alone " + one);
    }




    @Test
    void refusesBadPolicyAndBatch() {
        assertThrows(IllegalArgumentException.class, () -> UpgradePolicy.afterOtherUpdates(0));
        assertThrows(IllegalArgumentException.class, () -> new LazyPercpuCounter(cpus, 0, UpgradePolicy.NEVER));
    }


    @Test
    void creatingAndDestroyingALazyCounterAllocatesNothingPerCpu() {
        Cpus many = new Cpus(4096);
        long lazyBytes = allocatedBytes(() -> new LazyPercpuCounter(many, Thread.currentThread()).destroy());
        long eagerBytes = allocatedBytes(() -> new PercpuCounter(many, 32).destroy());
        assertTrue(lazyBytes < 1024, "lazy counter allocated " + lazyBytes + " bytes at 4096 CPUs");
        assertTrue(eagerBytes >= 4096L * Long.BYTES, "eager counter allocated only " + eagerBytes + " bytes");
    }

    private static long allocatedBytes(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        r.run();   // warm up: class loading and first-use allocations are not the counter's
        long before = mx.getThreadAllocatedBytes(id);
        r.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void racingAddsAndUpgradesLoseNothing() throws Exception {
        for (int round = 0; round < 50; round++) {
            LazyPercpuCounter c = new LazyPercpuCounter(cpus, 4, UpgradePolicy.NEVER);
            CyclicBarrier start = new CyclicBarrier(4);
            Thread owner = new Thread(() -> OnCpu.run(cpus, 0, s -> {
                c.bindOwner();
                await(start);
                for (int i = 0; i < 2000; i++) {
                    c.addLocal(s, 1);
                }
            }));
            Thread[] others = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int cpu = t + 1;
                others[t] = new Thread(() -> OnCpu.run(cpus, cpu, s -> {
                    await(start);
                    for (int i = 0; i < 2000; i++) {
                        c.addOther(s, 1);
                    }
                }));
            }
            Thread upgrader = new Thread(() -> {
                await(start);
                c.upgrade();
            });
            owner.start();
            for (Thread t : others) {
                t.start();
            }
            upgrader.start();
            owner.join();
            for (Thread t : others) {
                t.join();
            }
            upgrader.join();
            assertEquals(6000, c.sum(), "round " + round);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
