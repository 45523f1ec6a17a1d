package lazycount.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static lazycount.testing.Threads.failureOf;
import static lazycount.testing.Messages.assertNames;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every refusal of {@link Cpus} and {@link CpuSection} names the misuse, the
 * threads and the CPU, and the texts those refusals are built from say what a
 * reader needs. (Written after PIT showed that dropping a thread's name, or a
 * text, from these messages went unnoticed; pit/survivors.md.)
 */
class CpusMisuseMessagesTest {

    private final String me = Thread.currentThread().getName();

    @ParameterizedTest
    @ValueSource(ints = {-1, 2})
    void askingWhetherASumWalksAnImpossibleCpuIsRefusedNamingTheId(int cpu) {
        CpuIdOutOfRangeException e = assertThrows(CpuIdOutOfRangeException.class, () -> new Cpus(2).isWalkedBySum(cpu));
        assertNames(e.getMessage(), String.valueOf(cpu));
    }

    @Test
    void enteringAnOccupiedCpuNamesTheIntruderTheOccupantAndTheCpu() throws Exception {
        Cpus cpus = new Cpus(2);
        try (CpuSection ignored = cpus.enter(1)) {
            Throwable e = failureOf("intruder", () -> cpus.enter(1));
            assertInstanceOf(CpuOccupiedException.class, e);
            assertNames(e.getMessage(), "'intruder'", "'" + me + "'", "CPU 1");
        }
    }

    @Test
    void enteringTheSameCpuTwiceNamesTheThreadAndTheCpu() throws Exception {
        Cpus cpus = new Cpus(2);
        Throwable e = failureOf("re-entrant", () -> {
            try (CpuSection ignored = cpus.enter(0)) {
                cpus.enter(0);
            }
        });
        assertInstanceOf(CpuOccupiedException.class, e);
        assertNames(e.getMessage(), "'re-entrant'", "CPU 0", "twice");
    }

    @Test
    void enteringAnOfflineCpuNamesTheThreadTheCpuAndItsState() throws Exception {
        Cpus cpus = new Cpus(2);
        cpus.takeDown(1);
        Throwable e = failureOf("late-entrant", () -> cpus.enter(1));
        assertInstanceOf(CpuOfflineException.class, e);
        assertNames(e.getMessage(), "'late-entrant'", "CPU 1", "offline");
    }

    @Test
    void aSectionUsedOnAnotherSetOfCpusNamesBothSets() {
        Cpus mine = new Cpus(2);
        Cpus theCounters = new Cpus(3);
        assertNotEquals(mine.toString(), theCounters.toString());  // precondition: the two sets read differently
        try (CpuSection s = mine.enter(0)) {
            WrongCpuSectionException e = assertThrows(WrongCpuSectionException.class, () -> s.checkUsableOn(theCounters));
            assertNames(e.getMessage(), "CPU 0", mine.toString(), theCounters.toString());
        }
    }

    @Test
    void aSectionUsedOrClosedByAnotherThreadNamesTheHolderAndTheCaller() throws Exception {
        Cpus cpus = new Cpus(2);
        try (CpuSection s = cpus.enter(1)) {
            Throwable used = failureOf("borrower", () -> s.checkUsableOn(cpus));
            assertInstanceOf(WrongCpuSectionException.class, used);
            assertNames(used.getMessage(), "CPU 1", "'" + me + "'", "'borrower'");
            Throwable closed = failureOf("closer", s::close);
            assertInstanceOf(WrongCpuSectionException.class, closed);
            assertNames(closed.getMessage(), "CPU 1", "'" + me + "'", "'closer'");
        }
    }

    @Test
    void hotplugFromInsideASectionNamesTheOperationTheThreadAndItsCpu() throws Exception {
        Cpus cpus = new Cpus(3);
        cpus.takeDown(2);
        Throwable down = failureOf("in-section", () -> {
            try (CpuSection ignored = cpus.enter(0)) {
                cpus.takeDown(1);
            }
        });
        assertInstanceOf(CpuHotplugException.class, down);
        assertNames(down.getMessage(), "cpu_down(1)", "'in-section'", "CPU 0");
        // cpu_up sleeps as cpu_down does: refused the same way, before it takes the hotplug lock
        Throwable up = failureOf("in-section", () -> {
            try (CpuSection ignored = cpus.enter(0)) {
                cpus.bringUp(2);
            }
        });
        assertInstanceOf(CpuHotplugException.class, up);
        assertNames(up.getMessage(), "cpu_up(2)", "'in-section'", "CPU 0");
        assertNull(failureOf("outside", () -> cpus.bringUp(2)));
    }

    @Test
    void listingACounterTwiceNamesTheCounter() {
        Cpus cpus = new Cpus(2);
        DeadCpuFold counter = new DeadCpuFold() {
            @Override
            public void foldDeadCpu(int cpu) {
            }

            @Override
            public String toString() {
                return "counter-A";
            }
        };
        cpus.joinHotplugList(counter);
        CpuHotplugException e = assertThrows(CpuHotplugException.class, () -> cpus.joinHotplugList(counter));
        assertNames(e.getMessage(), "counter-A", "already on the hotplug list");
    }

    @Test
    void anInjectedAllocationFailureSaysWhichInjectionFailedIt() {
        Cpus cpus = new Cpus(2);
        AllocationFailures failures = AllocationFailures.next(1);
        cpus.injectAllocationFailures(failures);
        PercpuAllocationException e = assertThrows(PercpuAllocationException.class, () -> cpus.allocatePercpu(3));
        assertNames(e.getMessage(), "-ENOMEM", "(injected: the next 1 fail)");   // the literal: toString() could be ""
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 4})
    void enterWhenFreeStateAndIsHeldRefuseAnImpossibleCpuIdByName(int cpu) {
        Cpus cpus = new Cpus(4);
        // the id's own refusal, not an array index error from inside the model
        for (org.junit.jupiter.api.function.Executable call : new org.junit.jupiter.api.function.Executable[] {
                () -> cpus.enterWhenFree(cpu), () -> cpus.state(cpu), () -> cpus.isHeldByCurrentThread(cpu)}) {
            CpuIdOutOfRangeException e = assertThrows(CpuIdOutOfRangeException.class, call);
            assertNames(e.getMessage(), "CPU id " + cpu, "[0, 4)");
        }
    }

    @ParameterizedTest
    @EnumSource(Cpus.Handover.class)
    void aSectionWhoseCpuAnotherEntryTookIsCaughtAtItsCloseNamingBothThreads(Cpus.Handover handover) throws Exception {
        Cpus cpus = new Cpus(2, handover);
        Thread second = new Thread(() -> { }, "second-entrant");
        Throwable e = failureOf("first-entrant", () -> {
            CpuSection s = cpus.enter(0);
            cpus.storeOccupantAsARacingEntryWould(0, second);     // whatever let it in, it is on CPU 0 now
            s.close();
        });
        // in either mode: never a silent leave of a CPU another thread is on
        assertInstanceOf(IllegalStateException.class, e);
        assertNames(e.getMessage(), "first-entrant", "CPU 0", "'second-entrant'");
    }

    @Test
    void aSectionNamesItsCpuItsHolderAndWhetherItIsClosed() {
        Cpus cpus = new Cpus(4);
        CpuSection s = cpus.enter(3);
        assertNames(s.toString(), "3", me);
        assertFalse(s.toString().contains("closed"), s.toString());
        s.close();
        assertNames(s.toString(), "3", me, "closed");
    }

    @Test
    void aSetOfCpusNamesItsSizeItsOfflineCpusAndARelaxedHandover() {
        Cpus fenced = new Cpus(4, Cpus.Handover.FENCED);
        assertNames(fenced.toString(), "4");
        // nothing offline, nothing relaxed: neither is mentioned
        assertFalse(fenced.toString().contains("offline"), fenced.toString());
        assertFalse(fenced.toString().contains("relaxed"), fenced.toString());
        fenced.takeDown(1);
        assertNames(fenced.toString(), "4", "1 offline");
        fenced.bringUp(1);
        assertFalse(fenced.toString().contains("offline"), fenced.toString());
        Cpus relaxed = new Cpus(4, Cpus.Handover.RELAXED);
        assertNames(relaxed.toString(), "4", "relaxed");
        assertFalse(relaxed.toString().contains("offline"), relaxed.toString());
    }
}
