package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.cpu.AllocationFailures;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;
import lazycount.testing.OnCpu;
import org.junit.jupiter.api.Test;

/**
 * Contract points PIT found untested (pit/README.md): {@code upgradeAll}
 * allocates only when some counter is still lazy (a later CLONE_VM costs
 * nothing, and cannot fail with -ENOMEM), accepts no counters at all, and a
 * per-CPU counter refuses a slot outside its area's unit and reports its
 * batch and area. A second {@code upgrade()} is free too.
 */
class UpgradeAllAndAreaContractTest {

    private final Cpus cpus = new Cpus(2);

    private LazyPercpuCounter[] ownedByMe(int n) {
        LazyPercpuCounter[] c = new LazyPercpuCounter[n];
        for (int i = 0; i < n; i++) {
            c[i] = new LazyPercpuCounter(cpus, Thread.currentThread());
        }
        return c;
    }

    @Test
    void upgradeAllOfNoCountersDoesNothing() {
        assertDoesNotThrow(() -> LazyPercpuCounter.upgradeAll(new LazyPercpuCounter[0]));
    }

    @Test
    void aLaterUpgradeAllAllocatesNothingSoItCannotFailWithEnomem() {
        LazyPercpuCounter[] c = ownedByMe(4);
        LazyPercpuCounter.upgradeAll(c);
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        assertDoesNotThrow(() -> LazyPercpuCounter.upgradeAll(c), "every counter is per-CPU: nothing to allocate");
        assertThrows(PercpuAllocationException.class, () -> cpus.allocatePercpu(1),
                "the armed failure was not consumed by the second upgradeAll");
    }

    @Test
    void upgradeAllAllocatesOnceForTheCountersStillLazy() {
        LazyPercpuCounter[] c = ownedByMe(3);
        assertTrue(c[1].upgrade());
        PercpuCounter alreadyThere = c[1].percpu();
        OnCpu.run(cpus, 0, s -> {
            for (LazyPercpuCounter x : c) {
                x.addLocal(s, 5);
            }
        });
        LazyPercpuCounter.upgradeAll(c);
        assertSame(alreadyThere, c[1].percpu(), "a per-CPU counter keeps its counter");
        assertSame(c[0].percpu().area(), c[2].percpu().area(), "the lazy ones share one allocation");
        for (LazyPercpuCounter x : c) {
            assertTrue(x.isPerCpu());
            assertEquals(5, x.sum());
        }
    }

    @Test
    void aPerCpuCounterRefusesASlotOutsideItsAreaByName() {
        PercpuArea area = new PercpuArea(cpus, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PercpuCounter(area, 2, 32));
        assertTrue(e.getMessage().contains("slot index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PercpuCounter(area, -1, 32));
    }

    @Test
    void aPerCpuCounterReportsItsAreaAndBatch() {
        PercpuArea area = new PercpuArea(cpus, 2);
        PercpuCounter p = new PercpuCounter(area, 1, 7);
        assertSame(area, p.area());
        assertSame(cpus, p.cpus());
        assertEquals(7, p.batch());
        LazyPercpuCounter lazy = new LazyPercpuCounter(cpus, 9, UpgradePolicy.NEVER);
        assertEquals(9, lazy.batch());
        assertSame(UpgradePolicy.NEVER, lazy.policy());
    }

    @Test
    void upgradingAPerCpuCounterAgainAllocatesNothing() {
        LazyPercpuCounter c = ownedByMe(1)[0];
        assertTrue(c.upgrade());
        PercpuCounter first = c.percpu();
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        assertEquals(false, assertDoesNotThrow(c::upgrade), "a second upgrade() is a no-op returning false");
        assertSame(first, c.percpu());
        assertThrows(PercpuAllocationException.class, () -> cpus.allocatePercpu(1),
                "the armed failure was not consumed by the second upgrade");
    }
}
