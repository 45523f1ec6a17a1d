package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static lazycount.testing.Messages.assertNames;

import java.util.concurrent.ExecutionException;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of the lazy counter names the misuse: which thread did what to
 * which counter, and who owns it. (Sharpened after PIT showed that dropping a
 * thread's name from these messages went unnoticed; pit/README.md.)
 */
class LazyCounterMisuseMessagesTest {

    private final Cpus cpus = new Cpus(2);
    private final String me = Thread.currentThread().getName();

    private static Throwable causeOf(ExecutionException e) {
        return e.getCause();
    }

    @Test
    void aSecondOwnerIsRefusedNamingBothThreads() {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, 32, UpgradePolicy.NEVER);
        c.bindOwner();
        Throwable e = causeOf(assertThrows(ExecutionException.class, () -> OtherThread.run(c::bindOwner)));
        assertTrue(e instanceof NotOwnerException, String.valueOf(e));
        assertNames(e.getMessage(), "thread 'other-thread' cannot own " + c, "already owned by thread '" + me + "'");
    }

    @Test
    void handingOwnershipToNobodyIsRefusedByName() {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, Thread.currentThread());
        NullPointerException e = assertThrows(NullPointerException.class, () -> c.handOwnerTo(null));
        assertEquals("next", e.getMessage());
        assertEquals(Thread.currentThread(), c.owner());
    }

    @Test
    void onlyTheOwnerHandsOwnershipOnNamingAllThree() throws Exception {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, Thread.currentThread());
        Thread next = new Thread(() -> { }, "next-owner");
        Throwable e = causeOf(assertThrows(ExecutionException.class, () -> OtherThread.run(() -> c.handOwnerTo(next))));
        assertTrue(e instanceof NotOwnerException, String.valueOf(e));
        assertNames(e.getMessage(), "thread 'other-thread' cannot hand " + c, "to thread 'next-owner'",
                "the owner is thread '" + me + "'");
        assertEquals(Thread.currentThread(), c.owner());
    }

    @Test
    void handingOnACounterWithNoOwnerSaysSo() {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, 32, UpgradePolicy.NEVER);
        Thread next = new Thread(() -> { }, "next-owner");
        NotOwnerException e = assertThrows(NotOwnerException.class, () -> c.handOwnerTo(next));
        assertNames(e.getMessage(), "thread '" + me + "' cannot hand " + c, "to thread 'next-owner'", "the owner is nobody");
    }

    @Test
    void theLocalPathWithNoOwnerNamesTheCallerAndTheRemedy() {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, 32, UpgradePolicy.NEVER);
        NotOwnerException e = assertThrows(NotOwnerException.class, () -> OnCpu.run(cpus, 0, s -> c.addLocal(s, 1)));
        assertNames(e.getMessage(), "local path used by thread '" + me + "' on " + c, "no owner yet", "bindOwner() first");
    }

    @Test
    void theLocalPathOfAStrangerNamesBothThreads() {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, Thread.currentThread());
        Throwable e = causeOf(assertThrows(ExecutionException.class,
                () -> OnCpu.inAnotherThread(cpus, 1, s -> c.addLocal(s, 1))));
        assertTrue(e instanceof NotOwnerException, String.valueOf(e));
        assertNames(e.getMessage(), "local path used by thread 'other-thread' on " + c, "the owner is thread '" + me + "'",
                "addOther()");
        assertEquals(0, c.sum());
    }

    @Test
    void upgradeAllRefusesADestroyedCounterByName() {
        LazyPercpuCounter alive = new LazyPercpuCounter(cpus, Thread.currentThread());
        LazyPercpuCounter destroyed = new LazyPercpuCounter(cpus, Thread.currentThread());
        destroyed.destroy();
        CounterDestroyedException e = assertThrows(CounterDestroyedException.class,
                () -> LazyPercpuCounter.upgradeAll(new LazyPercpuCounter[] {alive, destroyed}));
        assertNames(e.getMessage(), "upgradeAll");
        assertTrue(!alive.isPerCpu(), "a refused upgradeAll upgraded nothing");
    }

    @Test
    void upgradeAllRefusesCountersOfTwoCpuSetsNamingBoth() {
        Cpus other = new Cpus(3);
        LazyPercpuCounter a = new LazyPercpuCounter(cpus, Thread.currentThread());
        LazyPercpuCounter b = new LazyPercpuCounter(other, Thread.currentThread());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LazyPercpuCounter.upgradeAll(new LazyPercpuCounter[] {a, b}));
        assertNames(e.getMessage(), "different CPU sets", cpus.toString(), other.toString());
    }

    @Test
    void countersDescribeThemselvesInEveryMessage() {
        LazyPercpuCounter c = new LazyPercpuCounter(cpus, 32, UpgradePolicy.NEVER);
        assertEquals("LazyPercpuCounter[nrCpus=2, batch=32, mode=lazy]", c.toString());
        c.upgrade();
        assertEquals("LazyPercpuCounter[nrCpus=2, batch=32, mode=per-CPU]", c.toString());
        assertEquals("PercpuCounter[nrCpus=2, batch=7]", new PercpuCounter(cpus, 7).toString());
    }

    @Test
    void destroyManyRefusesCountersOfTwoAreasOrTwiceTheSameNamingThem() {
        PercpuArea area = new PercpuArea(cpus, 2);
        PercpuCounter a = new PercpuCounter(area, 0, 5);
        PercpuCounter b = new PercpuCounter(area, 1, 6);
        PercpuCounter elsewhere = new PercpuCounter(cpus, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PercpuCounter.destroyMany(new PercpuCounter[] {a, elsewhere}));
        assertNames(e.getMessage(), "different areas", a.toString(), elsewhere.toString());
        e = assertThrows(IllegalArgumentException.class, () -> PercpuCounter.destroyMany(new PercpuCounter[] {a, b, a}));
        assertNames(e.getMessage(), "lists " + a + " twice");
    }

    @Test
    void leavingTheHotplugListTwiceNamesTheCounter() {
        PercpuCounter p = new PercpuCounter(cpus, 9);
        p.destroy();
        RuntimeException e = assertThrows(RuntimeException.class, p::leaveHotplugList);
        assertNames(e.getMessage(), "list_del of hotplug-list entry of " + p, "not on the hotplug list");
    }
}
