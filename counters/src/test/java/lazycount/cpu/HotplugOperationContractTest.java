package lazycount.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static lazycount.testing.Threads.failureOf;
import static lazycount.testing.Messages.assertNames;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hotplug operation between its two steps ({@link Cpus.HotplugOperation}):
 * it finishes once, by its starter; a claim lost to a racing entry is caught at
 * its finish; a refused or impossible operation leaves the hotplug lock free
 * and never waits for it. (Written after PIT survivors; pit/survivors.md.)
 */
class HotplugOperationContractTest {


    @Test
    void anOperationNamesItself() {
        Cpus cpus = new Cpus(2);
        Cpus.HotplugOperation down = cpus.startTakeDown(1);
        assertNames(down.toString(), "cpu_down", "1");
        down.finish();
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        assertNames(up.toString(), "cpu_up", "1");
        up.finish();
    }

    @Test
    void finishingAnOperationTwiceIsRefusedEvenWhileItsStarterRunsAnotherOne() {
        Cpus cpus = new Cpus(3);
        List<Integer> folded = new ArrayList<>();
        cpus.joinHotplugList(folded::add);
        Cpus.HotplugOperation first = cpus.startTakeDown(1);
        first.finish();
        Cpus.HotplugOperation second = cpus.startTakeDown(2);   // the same thread holds the hotplug lock again
        CpuHotplugException twice = assertThrows(CpuHotplugException.class, first::finish);
        assertNames(twice.getMessage(), "cpu_down(1)", "twice");
        // the refused finish changed nothing: CPU 1 folded once, the second operation still under way
        assertEquals(List.of(1), folded);
        assertEquals(Cpus.CpuState.DYING, cpus.state(2));
        assertEquals(2, cpus.nrHoldingSlots());
        second.finish();
        assertEquals(List.of(1, 2), folded);
    }

    @Test
    void aThreadCannotStartASecondHotplugOperationBeforeFinishingItsFirst() {
        // cpu_hotplug_lock is not recursive: in the kernel the nested start would deadlock
        Cpus cpus = new Cpus(4);
        cpus.takeDown(3);
        Cpus.HotplugOperation first = cpus.startTakeDown(2);
        CpuHotplugException down = assertThrows(CpuHotplugException.class, () -> cpus.startTakeDown(1));
        assertNames(down.getMessage(), "cpu_down(1)", "'" + Thread.currentThread().getName() + "'", "recursive");
        CpuHotplugException up = assertThrows(CpuHotplugException.class, () -> cpus.startBringUp(3));
        assertNames(up.getMessage(), "cpu_up(3)", "recursive");
        // the refusals changed nothing: the first operation finishes, and the lock is free after it
        assertEquals(Cpus.CpuState.ONLINE, cpus.state(1));
        assertEquals(Cpus.CpuState.DEAD, cpus.state(3));
        first.finish();
        assertEquals(Cpus.CpuState.DEAD, cpus.state(2));
        cpus.bringUp(3);
        assertEquals(Cpus.CpuState.ONLINE, cpus.state(3));
    }

    @Test
    void finishingByAnotherThreadOrTwiceNamesTheOperation() throws Exception {
        Cpus cpus = new Cpus(2);
        Cpus.HotplugOperation down = cpus.startTakeDown(1);
        Throwable stranger = failureOf("stranger", down::finish);
        assertInstanceOf(CpuHotplugException.class, stranger);
        assertNames(stranger.getMessage(), "cpu_down(1)");
        down.finish();
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        up.finish();
        CpuHotplugException twice = assertThrows(CpuHotplugException.class, up::finish);
        assertNames(twice.getMessage(), "cpu_up(1)");
    }

    @Test
    void aCpuDownWhoseClaimARacingEntryOverwroteIsCaughtAtItsFinish() {
        Cpus cpus = new Cpus(2, Cpus.Handover.RELAXED);
        Cpus.HotplugOperation down = cpus.startTakeDown(1);
        // a relaxed entry that read CPU 1 free just before the claim stores its thread over it
        cpus.storeOccupantAsARacingEntryWould(1, new Thread(() -> { }, "racing-entrant"));
        WrongCpuSectionException e = assertThrows(WrongCpuSectionException.class, down::finish);
        assertNames(e.getMessage(), "'racing-entrant'", "CPU 1", "cpu_down(1)");
    }

    @Test
    void aCpuUpWhoseClaimARacingEntryOverwroteIsCaughtAtItsFinish() {
        Cpus cpus = new Cpus(2, Cpus.Handover.RELAXED);
        cpus.takeDown(1);
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        cpus.storeOccupantAsARacingEntryWould(1, new Thread(() -> { }, "racing-entrant"));
        WrongCpuSectionException e = assertThrows(WrongCpuSectionException.class, up::finish);
        assertNames(e.getMessage(), "'racing-entrant'", "CPU 1", "cpu_up(1)");
    }

    @Test
    void aRefusedCpuDownLeavesTheHotplugLockFreeForOtherThreads() throws Exception {
        Cpus cpus = new Cpus(2);
        cpus.takeDown(1);
        assertThrows(CpuHotplugException.class, () -> cpus.takeDown(1));     // offline, not online
        assertThrows(CpuHotplugException.class, () -> cpus.takeDown(0));     // the last online CPU
        // another thread's cpu_up would wait forever for a lock this thread kept
        assertNull(failureOf("other-hotplug", () -> cpus.bringUp(1)));
    }

    @Test
    void aRefusedCpuUpLeavesTheHotplugLockFreeForOtherThreads() throws Exception {
        Cpus cpus = new Cpus(2);
        assertThrows(CpuHotplugException.class, () -> cpus.bringUp(0));      // online, not offline
        assertNull(failureOf("other-hotplug", () -> cpus.takeDown(1)));
    }

    @Test
    void anImpossibleCpuIdIsRefusedAtOnceNotAfterTheOperationUnderWay() throws Exception {
        Cpus cpus = new Cpus(2);
        Cpus.HotplugOperation down = cpus.startTakeDown(1);
        try {
            // an argument error does not wait for cpu_hotplug_lock, which this thread holds
            assertInstanceOf(CpuIdOutOfRangeException.class, failureOf("caller", () -> cpus.startTakeDown(2)));
            assertInstanceOf(CpuIdOutOfRangeException.class, failureOf("caller", () -> cpus.startBringUp(-1)));
        } finally {
            down.finish();
        }
    }
}
