package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The walk designs' building blocks: {@link PercpuCounter#destroyMany}, {@link RanOnMask}, {@link MaskedPercpuCounter}. */
class WalkDesignsTest {

    private final Cpus cpus = new Cpus(130);                      // three mask words, the last one partial

    @Test
    void destroyManyReturnsWhatFourWalksWouldAndDestroysEveryCounter() {
        PercpuCounter[] four = PercpuCounter.initMany(cpus, 4, 8);
        for (int k = 0; k < four.length; k++) {
            int member = k;
            OnCpu.run(cpus, 0, s -> four[member].add(s, 100 + member));   // folds into central
            OnCpu.run(cpus, 129, s -> four[member].add(s, member + 1));   // stays in a slot
            OnCpu.run(cpus, 64, s -> four[member].add(s, -member));
        }
        long[] expected = new long[4];
        for (int k = 0; k < 4; k++) {
            expected[k] = four[k].sum();
        }
        assertArrayEquals(expected, PercpuCounter.destroyMany(four));
        for (PercpuCounter c : four) {
            assertTrue(c.isDestroyed());
            assertThrows(CounterDestroyedException.class, c::sum);
        }
        CounterDestroyedException again = assertThrows(CounterDestroyedException.class,
                () -> PercpuCounter.destroyMany(four));
        assertTrue(again.getMessage().contains("destroy"), again.getMessage());
    }

    @Test
    void destroyManyRefusesCountersOfDifferentAreasOrOneCounterTwice() {
        PercpuCounter a = new PercpuCounter(cpus, 8);
        PercpuCounter b = new PercpuCounter(cpus, 8);
        IllegalArgumentException areas = assertThrows(IllegalArgumentException.class,
                () -> PercpuCounter.destroyMany(new PercpuCounter[] {a, b}));
        assertTrue(areas.getMessage().contains("different areas"), areas.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> PercpuCounter.destroyMany(new PercpuCounter[] {a, a}));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        assertFalse(a.isDestroyed(), "a refused call destroys nothing");
        assertEquals(0, PercpuCounter.destroyMany(new PercpuCounter[0]).length);
    }

    @ParameterizedTest
    @EnumSource(RanOnMask.Setting.class)
    void maskMarksAcrossWordBoundariesAndWalksInOrder(RanOnMask.Setting setting) {
        RanOnMask mask = new RanOnMask(cpus, setting);
        assertEquals(-1, mask.nextMarked(0));
        for (int cpu : new int[] {129, 0, 63, 64, 0}) {
            mask.mark(cpu);
        }
        assertEquals(4, mask.weight());
        assertEquals(0, mask.nextMarked(0));
        assertEquals(63, mask.nextMarked(1));
        assertEquals(64, mask.nextMarked(64));
        assertEquals(129, mask.nextMarked(65));
        assertEquals(-1, mask.nextMarked(130));
        assertTrue(mask.isMarked(63) && !mask.isMarked(62));
        assertThrows(lazycount.cpu.CpuIdOutOfRangeException.class, () -> mask.mark(130));
    }

    @Test
    void maskedCounterMarksEveryCpuItWritesAndItsSumWalksOnlyThose() {
        PercpuArea area = new PercpuArea(cpus, 4);
        MaskedPercpuCounter c = new MaskedPercpuCounter(area, 0, 8, RanOnMask.Setting.ATOMIC);
        MaskedPercpuCounter d = new MaskedPercpuCounter(area, 1, 8, RanOnMask.Setting.ATOMIC);
        assertTrue(c.ranOn() == d.ranOn(), "the counters of one area share one mask");
        OnCpu.run(cpus, 5, s -> c.add(s, 3));
        OnCpu.run(cpus, 100, s -> d.add(s, 50));                 // a fold marks its CPU too
        assertEquals(2, c.ranOn().weight());
        assertEquals(3, c.sum());
        assertEquals(50, d.sum());
        assertArrayEquals(new long[] {3, 50}, PercpuCounter.destroyMany(new PercpuCounter[] {c, d}));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> new MaskedPercpuCounter(area, 2, 8, RanOnMask.Setting.NON_ATOMIC));
        assertTrue(other.getMessage().contains("ATOMIC"), other.getMessage());
    }

    @Test
    void clearingAnAreaForReuseUnmarksEveryCpu() {
        PercpuArea area = new PercpuArea(cpus, 1);
        MaskedPercpuCounter c = new MaskedPercpuCounter(area, 0, 8, RanOnMask.Setting.ATOMIC);
        OnCpu.run(cpus, 7, s -> c.add(s, 1));
        c.destroy();
        area.clear();
        assertEquals(0, area.ranOnMask(RanOnMask.Setting.ATOMIC).weight());
    }
}
