package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import lazycount.counter.RanOnMask.Setting;
import lazycount.cpu.CpuIdOutOfRangeException;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import org.junit.jupiter.api.Test;

/**
 * Contract points of the per-CPU area and the ran-on mask that PIT found
 * untested (pit/survivors.md): refusals that name the misuse, the area's
 * size in whole cache lines per CPU, the end of the mask's walk when the
 * CPUs fill whole mask words, and the texts a reader of a refusal sees.
 */
class PercpuAreaAndMaskContractTest {

    private final Cpus cpus = new Cpus(4);

    @Test
    void anAreaWithNoSlotsPerCpuIsRefusedNamingTheCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PercpuArea(cpus, 0));
        assertEquals("longsPerCpu must be >= 1, was 0", e.getMessage());
    }

    @Test
    void anAreaReportsItsCpusAndItsSlotsPerCpu() {
        PercpuArea area = new PercpuArea(cpus, 3);
        assertSame(cpus, area.cpus());
        assertEquals(3, area.longsPerCpu());
    }

    @Test
    void eachCpusUnitIsTheFewestWholeCacheLinesThatHoldItsSlots() {
        // the allocation alloc_percpu pays for: nrPossible units of whole 8-long lines, and no more
        int[][] slotsAndUnit = {{1, 8}, {4, 8}, {7, 8}, {8, 8}, {9, 16}};
        for (int[] c : slotsAndUnit) {
            assertEquals(4 * c[1], new PercpuArea(cpus, c[0]).slots.length, c[0] + " slots per CPU");
        }
    }

    @Test
    void anAreasMaskAskedForWithAnotherSettingIsRefusedNamingBoth() {
        PercpuArea area = new PercpuArea(cpus, 2);
        area.ranOnMask(Setting.ATOMIC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> area.ranOnMask(Setting.NON_ATOMIC));
        // exact: "NON_ATOMIC" contains "ATOMIC", so a contains() check cannot tell the two apart
        assertEquals("this area's ran-on mask is ATOMIC, not NON_ATOMIC", e.getMessage());
    }

    @Test
    void askingWhetherACpuThatDoesNotExistIsMarkedIsRefusedByName() {
        RanOnMask mask = new RanOnMask(cpus, Setting.ATOMIC);
        CpuIdOutOfRangeException e = assertThrows(CpuIdOutOfRangeException.class, () -> mask.isMarked(4));
        assertEquals("CPU id 4 is out of range: possible CPUs are [0, 4)", e.getMessage());
        assertThrows(CpuIdOutOfRangeException.class, () -> mask.isMarked(-1));
    }

    @Test
    void theMaskWalkEndsAfterTheLastCpuWhenTheCpusFillWholeWords() {
        RanOnMask mask = new RanOnMask(new Cpus(64), Setting.ATOMIC);
        mask.mark(63);
        assertEquals(63, mask.nextMarked(0));
        // cpumask_next past the last possible CPU: there is no word 1 to read
        assertEquals(-1, mask.nextMarked(64));
    }

    @Test
    void aMaskedCounterOn64CpusSumsAndTearsDownACountOnTheLastCpu() {
        Cpus sixtyFour = new Cpus(64);
        MaskedPercpuCounter c = new MaskedPercpuCounter(new PercpuArea(sixtyFour, 1), 0, 8, Setting.ATOMIC);
        OnCpu.run(sixtyFour, 63, s -> c.add(s, 5));
        // the walk asks for the CPU after 63, the end of the only mask word
        assertEquals(5, c.sum());
        assertEquals(5, c.destroy());
    }

    @Test
    void aMaskNamesItsSettingAndHowManyOfTheCpusItMarks() {
        RanOnMask mask = new RanOnMask(cpus, Setting.ATOMIC);
        mask.mark(1);
        mask.mark(3);
        assertEquals("RanOnMask[ATOMIC, 2 of 4 CPUs]", mask.toString());
    }

    @Test
    void aDestroyedMaskedCounterNamesItselfAndItsMaskInTheRefusal() {
        MaskedPercpuCounter c = new MaskedPercpuCounter(new PercpuArea(cpus, 1), 0, 8, Setting.NON_ATOMIC);
        OnCpu.run(cpus, 2, s -> c.add(s, 1));
        c.destroy();
        CounterDestroyedException e = assertThrows(CounterDestroyedException.class, c::sum);
        // which design (setting) and how far it walks (marked CPUs) is what a reader of the refusal needs
        assertEquals("sum() on MaskedPercpuCounter[nrCpus=4, batch=8, RanOnMask[NON_ATOMIC, 1 of 4 CPUs]]"
                + " after destroy(): the counter was already torn down", e.getMessage());
    }

    @Test
    void aMaskedCounterRefusedForTheWrongSettingLeavesNoEntryThatStealsADyingCpusSlot() {
        PercpuArea area = new PercpuArea(cpus, 2);
        new MaskedPercpuCounter(area, 0, 8, Setting.ATOMIC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaskedPercpuCounter(area, 1, 8, Setting.NON_ATOMIC));
        assertEquals("this area's ran-on mask is ATOMIC, not NON_ATOMIC", e.getMessage());
        // slot 1's real counter, made after the refusal: a leftover hotplug-list entry for slot 1
        // would be folded first when CPU 3 dies and move the count into the refused counter
        MaskedPercpuCounter slotOne = new MaskedPercpuCounter(area, 1, 8, Setting.ATOMIC);
        OnCpu.run(cpus, 3, s -> slotOne.add(s, 5));
        cpus.takeDown(3);
        assertEquals(5, slotOne.sum());
        assertEquals(5, slotOne.destroy());
    }
}
