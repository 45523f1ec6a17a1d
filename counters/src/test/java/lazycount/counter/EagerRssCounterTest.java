package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.testing.Threads;
import org.junit.jupiter.api.Test;

class EagerRssCounterTest {

    @Test
    void bothPathsAreThePerCpuAddFromAnyThread() throws Exception {
        Cpus cpus = new Cpus(2);
        EagerRssCounter c = new EagerRssCounter(new PercpuCounter(cpus, 4));
        assertTrue(c.isPerCpu());
        assertFalse(c.upgrade());
        try (CpuSection s = cpus.enter(0)) {
            c.addLocal(s, 3);
        }
        Threads.runOnNewThread("other-thread", () -> {
            try (CpuSection s = cpus.enter(1)) {
                c.addLocal(s, 2);
                c.addOther(s, 5);
            }
        });
        assertEquals(10, c.sum());
        assertTrue(Math.abs(c.sum() - c.read()) <= c.readErrorBound());
        assertEquals(10, c.destroy());
        assertThrows(CounterDestroyedException.class, c::upgrade);
        assertThrows(CounterDestroyedException.class, c::destroy);
    }
}
