package lazycount.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import lazycount.testing.OtherThread;
import lazycount.testing.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CpusTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 80, 4096, Cpus.MAX_CPUS})
    void acceptsEverySupportedNumberOfCpus(int n) {
        assertEquals(n, new Cpus(n).nrPossible());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, Cpus.MAX_CPUS + 1})
    void refusesImpossibleNumberOfCpus(int n) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Cpus(n));
        assertTrue(e.getMessage().contains("nrCpus"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 4, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void refusesCpuIdOutOfRange(int id) {
        Cpus cpus = new Cpus(4);
        CpuIdOutOfRangeException e = assertThrows(CpuIdOutOfRangeException.class, () -> cpus.enter(id));
        assertTrue(e.getMessage().contains("CPU id " + id), e.getMessage());
        assertTrue(e.getMessage().contains("[0, 4)"), e.getMessage());
    }

    @Test
    void secondThreadOnAnOccupiedCpuFailsNamingBothThreads() throws Exception {
        Cpus cpus = new Cpus(2);
        try (CpuSection ignored = cpus.enter(1)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> OtherThread.run(() -> cpus.enter(1)));
            assertTrue(e.getCause() instanceof CpuOccupiedException, String.valueOf(e.getCause()));
            String message = e.getCause().getMessage();
            assertTrue(message.contains("CPU 1") && message.contains(Thread.currentThread().getName()), message);
        }
    }

    @Test
    void enteringTheSameCpuTwiceFails() {
        Cpus cpus = new Cpus(2);
        try (CpuSection ignored = cpus.enter(0)) {
            CpuOccupiedException e = assertThrows(CpuOccupiedException.class, () -> cpus.enter(0));
            assertTrue(e.getMessage().contains("twice"), e.getMessage());
        }
    }

    @Test
    void aClosedCpuCanBeEnteredByAnotherThread() throws Exception {
        Cpus cpus = new Cpus(1);
        cpus.enter(0).close();
        Threads.runOnNewThread("other-thread", () -> cpus.enter(0).close());
    }

    @Test
    void closingTwiceFails() {
        CpuSection s = new Cpus(1).enter(0);
        s.close();
        WrongCpuSectionException e = assertThrows(WrongCpuSectionException.class, s::close);
        assertTrue(e.getMessage().contains("closed twice"), e.getMessage());
    }

    @Test
    void closingAnotherThreadsSectionFails() throws Exception {
        Cpus cpus = new Cpus(1);
        CpuSection mine = cpus.enter(0);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> OtherThread.run(mine::close));
        assertTrue(e.getCause() instanceof WrongCpuSectionException, String.valueOf(e.getCause()));
        mine.close();
    }

    @Test
    void sectionIsUsableOnlyByItsHolderWhileOpenOnItsOwnCpus() throws Exception {
        Cpus cpus = new Cpus(2);
        CpuSection s = cpus.enter(0);
        s.checkUsableOn(cpus);
        WrongCpuSectionException otherSet = assertThrows(WrongCpuSectionException.class,
                () -> s.checkUsableOn(new Cpus(2)));
        assertTrue(otherSet.getMessage().contains("used on a counter of"), otherSet.getMessage());
        ExecutionException otherThread = assertThrows(ExecutionException.class,
                () -> OtherThread.run(() -> s.checkUsableOn(cpus)));
        assertTrue(otherThread.getCause().getMessage().contains("held by thread"));
        s.close();
        WrongCpuSectionException closed = assertThrows(WrongCpuSectionException.class, () -> s.checkUsableOn(cpus));
        assertTrue(closed.getMessage().contains("after it was closed"), closed.getMessage());
    }

    @Test
    void enterAnySkipsOccupiedCpus() throws Exception {
        Cpus cpus = new Cpus(2);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (CpuSection ignored = cpus.enter(0)) {
                entered.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        entered.await();
        try (CpuSection s = cpus.enterAny(0)) {
            assertEquals(1, s.id());
            assertTrue(cpus.isHeldByCurrentThread(1));
            assertFalse(cpus.isHeldByCurrentThread(0));
        } finally {
            done.countDown();
            other.join();
        }
    }

    @ParameterizedTest
    @EnumSource(Cpus.Handover.class)
    void everyHandoverRefusesAVisibleOccupant(Cpus.Handover handover) throws Exception {
        Cpus cpus = new Cpus(2, handover);
        try (CpuSection ignored = cpus.enter(1)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> OtherThread.run(() -> cpus.enter(1)));
            assertTrue(e.getCause() instanceof CpuOccupiedException, String.valueOf(e.getCause()));
            assertThrows(CpuOccupiedException.class, () -> cpus.enter(1));
        }
        Threads.runOnNewThread("other-thread", () -> cpus.enter(1).close());
    }

    @Test
    void relaxedHandoverCatchesTwoThreadsThatEnteredAtOnceWhenTheFirstLeaves() throws Exception {
        Cpus cpus = new Cpus(1, Cpus.Handover.RELAXED);
        CpuSection mine = cpus.enter(0);
        Thread intruder = new Thread(() -> { }, "intruder");
        cpus.storeOccupantAsARacingEntryWould(0, intruder);       // its check ran before our store
        WrongCpuSectionException e = assertThrows(WrongCpuSectionException.class, mine::close);
        assertTrue(e.getMessage().contains("intruder") && e.getMessage().contains("another thread entered"),
                e.getMessage());
    }

    @Test
    void relaxedHandoverCatchesTheOverlapAfterTheOtherThreadLeft() {
        Cpus cpus = new Cpus(1, Cpus.Handover.RELAXED);
        CpuSection mine = cpus.enter(0);
        cpus.storeOccupantAsARacingEntryWould(0, null);           // the racing entrant already left
        WrongCpuSectionException e = assertThrows(WrongCpuSectionException.class, mine::close);
        assertTrue(e.getMessage().contains("holds none"), e.getMessage());
    }
}
