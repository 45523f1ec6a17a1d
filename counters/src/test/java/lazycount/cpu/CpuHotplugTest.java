package lazycount.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hotplug state machine of {@link Cpus} and its misuse refusals. */
class CpuHotplugTest {

    @Test
    void aCpuGoesThroughDyingDeadBootingOnline() {
        Cpus cpus = new Cpus(3);
        assertEquals(Cpus.CpuState.ONLINE, cpus.state(1));
        Cpus.HotplugOperation down = cpus.startTakeDown(1);
        assertEquals(Cpus.CpuState.DYING, cpus.state(1));
        assertTrue(cpus.isWalkedBySum(1), "a dying CPU's slots may still hold counts");
        assertEquals(3, cpus.nrHoldingSlots());
        down.finish();
        assertEquals(Cpus.CpuState.DEAD, cpus.state(1));
        assertTrue(cpus.isWalkedBySum(1), "a dead CPU stays in the dying mask until it comes back");
        assertEquals(2, cpus.nrHoldingSlots());
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        assertEquals(Cpus.CpuState.BOOTING, cpus.state(1));
        assertFalse(cpus.isWalkedBySum(1), "a booting CPU is in neither mask");
        up.finish();
        assertEquals(Cpus.CpuState.ONLINE, cpus.state(1));
        assertEquals(3, cpus.nrHoldingSlots());
        cpus.enter(1).close();
    }

    @ParameterizedTest
    @EnumSource(Cpus.Handover.class)
    void enteringACpuThatIsNotOnlineIsRefusedByName(Cpus.Handover handover) {
        Cpus cpus = new Cpus(2, handover);
        Cpus.HotplugOperation down = cpus.startTakeDown(1);
        CpuOfflineException dying = assertThrows(CpuOfflineException.class, () -> cpus.enter(1));
        assertTrue(dying.getMessage().contains("CPU 1, which is dying"), dying.getMessage());
        down.finish();
        CpuOfflineException dead = assertThrows(CpuOfflineException.class, () -> cpus.enter(1));
        assertTrue(dead.getMessage().contains("offline"), dead.getMessage());
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        assertThrows(CpuOfflineException.class, () -> cpus.enter(1));
        up.finish();
        cpus.enter(1).close();
    }

    @Test
    void theSchedulerSkipsOfflineCpus() {
        Cpus cpus = new Cpus(3);
        cpus.takeDown(1);
        for (int hint = 0; hint < 3; hint++) {
            try (CpuSection s = cpus.enterAny(hint)) {
                assertTrue(s.id() != 1, "enterAny(" + hint + ") chose offline CPU 1");
            }
        }
    }

    @Test
    void takeDownWaitsForTheThreadOnTheCpu() throws Exception {
        Cpus cpus = new Cpus(2);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean down = new AtomicBoolean();
        Thread task = new Thread(() -> {
            try (CpuSection s = cpus.enter(1)) {
                entered.countDown();
                await(release);
                assertFalse(down.get(), "the CPU went down under a thread running on it");
            }
        });
        task.start();
        entered.await();
        Thread hotplug = new Thread(() -> {
            cpus.takeDown(1);
            down.set(true);
        });
        hotplug.start();
        hotplug.join(200);
        assertTrue(hotplug.isAlive(), "cpu_down returned while a thread ran on the CPU");
        assertEquals(Cpus.CpuState.DYING, cpus.state(1));
        release.countDown();
        hotplug.join();
        task.join();
        assertTrue(down.get());
        assertEquals(Cpus.CpuState.DEAD, cpus.state(1));
    }

    @Test
    void enterWhenFreeWaitsForTheOccupantAndRefusesAnOfflineCpu() throws Exception {
        Cpus cpus = new Cpus(2);
        CpuSection held = cpus.enter(1);
        AtomicBoolean entered = new AtomicBoolean();
        Thread pinned = new Thread(() -> {
            try (CpuSection s = cpus.enterWhenFree(1)) {
                entered.set(true);
            }
        });
        pinned.start();
        pinned.join(100);
        assertFalse(entered.get(), "entered CPU 1 while another thread was on it");
        held.close();
        pinned.join();
        assertTrue(entered.get());
        cpus.takeDown(1);
        CpuOfflineException e = assertThrows(CpuOfflineException.class, () -> cpus.enterWhenFree(1));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        try (CpuSection s = cpus.enterWhenFree(0)) {
            assertThrows(CpuOccupiedException.class, () -> cpus.enterWhenFree(0));
        }
    }

    @Test
    void everyListedCounterFoldsTheDeadCpuOnceAndLeftOnesDoNot() {
        Cpus cpus = new Cpus(4);
        List<String> folds = new ArrayList<>();
        DeadCpuFold a = cpu -> folds.add("a" + cpu);
        DeadCpuFold b = cpu -> folds.add("b" + cpu);
        cpus.joinHotplugList(a);
        cpus.joinHotplugList(b);
        cpus.takeDown(2);
        cpus.leaveHotplugList(a);
        cpus.takeDown(3);
        assertEquals(List.of("a2", "b2", "b3"), folds);
        assertTrue(cpus.isOnHotplugList(b));
        assertFalse(cpus.isOnHotplugList(a));
    }

    @Test
    void hotplugListCorruptionIsRefused() {
        Cpus cpus = new Cpus(2);
        DeadCpuFold a = cpu -> { };
        cpus.joinHotplugList(a);
        CpuHotplugException twice = assertThrows(CpuHotplugException.class, () -> cpus.joinHotplugList(a));
        assertTrue(twice.getMessage().contains("already on the hotplug list"), twice.getMessage());
        assertFalse(cpus.joinHotplugListIfAbsent(a), "listed twice");
        cpus.leaveHotplugList(a);
        assertTrue(cpus.joinHotplugListIfAbsent(a));
        cpus.leaveHotplugList(a);
        CpuHotplugException never = assertThrows(CpuHotplugException.class, () -> cpus.leaveHotplugList(a));
        assertTrue(never.getMessage().contains("not on the hotplug list"), never.getMessage());
    }

    @Test
    void takingDownACpuThatIsNotOnlineIsRefused() {
        Cpus cpus = new Cpus(3);
        cpus.takeDown(1);
        CpuHotplugException e = assertThrows(CpuHotplugException.class, () -> cpus.takeDown(1));
        assertTrue(e.getMessage().contains("cpu_down(1): CPU 1 is offline, not online"), e.getMessage());
        CpuHotplugException up = assertThrows(CpuHotplugException.class, () -> cpus.bringUp(0));
        assertTrue(up.getMessage().contains("cpu_up(0): CPU 0 is online, not offline"), up.getMessage());
        cpus.bringUp(1);
        cpus.takeDown(1);                                         // the lock was released by every refusal
    }

    @Test
    void theLastOnlineCpuCannotGoDown() {
        Cpus cpus = new Cpus(2);
        cpus.takeDown(0);
        CpuHotplugException e = assertThrows(CpuHotplugException.class, () -> cpus.takeDown(1));
        assertTrue(e.getMessage().contains("last online CPU"), e.getMessage());
    }

    @Test
    void hotplugFromInsideACpuSectionIsRefused() {
        Cpus cpus = new Cpus(3);
        try (CpuSection s = cpus.enter(0)) {
            CpuHotplugException self = assertThrows(CpuHotplugException.class, () -> cpus.takeDown(0));
            assertTrue(self.getMessage().contains("while it runs on CPU 0 with preemption disabled"), self.getMessage());
            assertThrows(CpuHotplugException.class, () -> cpus.takeDown(2));
        }
        cpus.takeDown(2);
    }

    @Test
    void aHalfDoneOperationIsFinishedOnceByItsStarter() throws Exception {
        Cpus cpus = new Cpus(2);
        Cpus.HotplugOperation down = cpus.startTakeDown(1);
        Throwable[] seen = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                down.finish();
            } catch (Throwable t) {
                seen[0] = t;
            }
        });
        other.start();
        other.join();
        assertTrue(seen[0] instanceof CpuHotplugException, String.valueOf(seen[0]));
        down.finish();
        assertThrows(CpuHotplugException.class, down::finish);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
