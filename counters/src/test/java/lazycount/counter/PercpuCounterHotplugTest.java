package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.junit.jupiter.api.Test;

/** {@code percpu_counter_cpu_dead} and the hotplug list, on the reference per-CPU and lazy counters. */
class PercpuCounterHotplugTest {

    private static void add(Cpus cpus, int cpu, BatchedCounter c, long delta) {
        try (CpuSection s = cpus.enter(cpu)) {
            c.add(s, delta);
        }
    }

    @Test
    void aDyingCpusSlotIsSummedThenFoldedIntoCentral() {
        Cpus cpus = new Cpus(3);
        PercpuCounter c = new PercpuCounter(cpus, 10);
        add(cpus, 2, c, 7);
        Cpus.HotplugOperation down = cpus.startTakeDown(2);
        assertEquals(7, c.sum(), "the sum walks a dying CPU");
        assertEquals(0, c.read());
        down.finish();
        assertEquals(7, c.read(), "the dead CPU's slot is in the central count");
        assertEquals(7, c.sum());
        assertEquals(0, c.slotOf(2));
        Cpus.HotplugOperation up = cpus.startBringUp(2);
        assertEquals(7, c.sum(), "a booting CPU is not walked, and holds nothing");
        up.finish();
        add(cpus, 2, c, 1);
        assertEquals(8, c.destroy());
    }

    @Test
    void theReadBoundCountsOnlyCpusThatCanHoldASlot() {
        Cpus cpus = new Cpus(4);
        PercpuCounter c = new PercpuCounter(cpus, 10);
        assertEquals(4 * 9, c.readErrorBound());
        cpus.takeDown(3);
        assertEquals(3 * 9, c.readErrorBound());
        Cpus.HotplugOperation up = cpus.startBringUp(3);
        assertEquals(3 * 9, c.readErrorBound());
        up.finish();
        assertEquals(4 * 9, c.readErrorBound());
    }

    @Test
    void aCounterIsListedFromInitToTeardown() {
        Cpus cpus = new Cpus(2);
        PercpuCounter c = new PercpuCounter(cpus, 4);
        assertTrue(c.isOnHotplugList());
        c.destroy();
        assertFalse(c.isOnHotplugList());
        PercpuCounter[] four = PercpuCounter.initMany(cpus, 4, 4);
        for (PercpuCounter each : four) {
            assertTrue(each.isOnHotplugList());
        }
        PercpuCounter.destroyMany(four);
        for (PercpuCounter each : four) {
            assertFalse(each.isOnHotplugList());
        }
        cpus.takeDown(1);                                         // nothing left to fold into
    }

    @Test
    void aLazyCounterUpgradedWhileACpuIsDownFoldsWhenTheNextOneDies() {
        Cpus cpus = new Cpus(3);
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, 10, UpgradePolicy.NEVER);
        c.bindOwner();
        cpus.takeDown(2);
        assertTrue(c.upgrade());
        assertTrue(c.percpu().isOnHotplugList(), "listed before anybody can add to a slot");
        add(cpus, 1, c.percpu(), 5);
        cpus.takeDown(1);
        assertEquals(5, c.read());
        assertEquals(5, c.destroy());
        assertFalse(c.percpu().isOnHotplugList());
    }
}
