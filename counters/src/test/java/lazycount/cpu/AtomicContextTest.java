package lazycount.cpu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.rss.CounterFactory;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;

/**
 * Kernel legality: {@code might_sleep()} refuses a sleeping call, by name, under
 * a spinlock, in an RCU read-side section or with irqs off, and accepts it
 * elsewhere (a CPU section included); the model's spinlocks ({@code fbc->lock},
 * {@code percpu_counters_lock}, the page-table lock of every mm add) are
 * declared where the model takes them.
 */
class AtomicContextTest {

    private final Cpus cpus = new Cpus(4);

    private static void assertSplat(SleepInAtomicException e, String call, String... contexts) {
        String m = e.getMessage();
        assertTrue(m.startsWith("BUG: sleeping function called from invalid context: " + call), m);
        for (String c : contexts) {
            assertTrue(m.contains(c), "names '" + c + "': " + m);
        }
    }

    @Test
    void aSleepingCallOutsideAnyAtomicContextIsAccepted() {
        assertFalse(AtomicContext.inAtomic());
        assertDoesNotThrow(() -> AtomicContext.mightSleep("synchronize_rcu()"));
        assertDoesNotThrow(() -> cpus.allocatePercpu(1, Gfp.KERNEL));
    }

    @Test
    void aCpuSectionIsNotAtomic() {
        OnCpu.run(cpus, 1, s -> {
            assertFalse(AtomicContext.inAtomic(), "a CPU section stands for 'runs on CPU n', not preempt_disable()");
            AtomicContext.mightSleep("synchronize_rcu()");
            cpus.allocatePercpu(1);
        });
    }

    @Test
    void underASpinlockASleepIsRefusedNamingTheLock() {
        try (AtomicContext.Held lock = AtomicContext.spinLock("fbc->lock (raw_spin_lock_irqsave)")) {
            assertTrue(AtomicContext.inAtomic());
            assertSplat(assertThrows(SleepInAtomicException.class, () -> AtomicContext.mightSleep("synchronize_rcu()")),
                    "synchronize_rcu()", "holding spinlock fbc->lock (raw_spin_lock_irqsave)");
        }
        assertDoesNotThrow(() -> AtomicContext.mightSleep("synchronize_rcu()"), "legal again once released");
    }

    @Test
    void inAnRcuReadSectionASleepIsRefusedNamingTheSection() {
        try (AtomicContext.Held section = AtomicContext.rcuReadLock("Rcu[rcu]")) {
            assertSplat(assertThrows(SleepInAtomicException.class, () -> AtomicContext.mightSleep("synchronize_rcu()")),
                    "synchronize_rcu()", "inside the RCU read-side section of Rcu[rcu]");
        }
    }

    @Test
    void withIrqsOffASleepIsRefusedNamingWhere() {
        try (AtomicContext.Held irqs = AtomicContext.irqsOff("local_irq_save() in the switch")) {
            assertSplat(assertThrows(SleepInAtomicException.class, () -> cpus.allocatePercpu(2, Gfp.KERNEL)),
                    "alloc_percpu(GFP_KERNEL)", "with irqs disabled by local_irq_save() in the switch");
        }
    }

    @Test
    void nestedContextsAreNamedInnermostFirst() {
        try (AtomicContext.Held outer = AtomicContext.spinLock("percpu_counters_lock");
                AtomicContext.Held inner = AtomicContext.spinLock("fbc->lock")) {
            SleepInAtomicException e = assertThrows(SleepInAtomicException.class,
                    () -> AtomicContext.mightSleep("synchronize_rcu()"));
            assertTrue(e.getMessage().indexOf("fbc->lock") < e.getMessage().indexOf("percpu_counters_lock"),
                    e.getMessage());
        }
    }

    @Test
    void gfpAtomicNeverSleepsButStillFails() {
        try (AtomicContext.Held lock = AtomicContext.spinLock("a spinlock")) {
            assertDoesNotThrow(() -> cpus.allocatePercpu(1, Gfp.ATOMIC));
            cpus.injectAllocationFailures(AllocationFailures.next(1));
            assertThrows(PercpuAllocationException.class, () -> cpus.allocatePercpu(1, Gfp.ATOMIC));
            cpus.injectAllocationFailures(AllocationFailures.NONE);
        }
    }

    @Test
    void aGfpAtomicScopeMakesTheDefaultAllocationAtomic() {
        assertEquals(Gfp.KERNEL, AtomicContext.allocationFlags());
        try (AtomicContext.Held lock = AtomicContext.spinLock("a spinlock")) {
            assertThrows(SleepInAtomicException.class, () -> cpus.allocatePercpu(1));
            try (AtomicContext.AtomicAllocations gfp = AtomicContext.atomicAllocations()) {
                assertEquals(Gfp.ATOMIC, AtomicContext.allocationFlags());
                assertDoesNotThrow(() -> cpus.allocatePercpu(1));
            }
        }
        assertEquals(Gfp.KERNEL, AtomicContext.allocationFlags());
    }

    @Test
    void leavingAContextTwiceOrFromAnotherThreadIsTheModelsMisuse() throws Exception {
        AtomicContext.Held lock = AtomicContext.spinLock("a spinlock");
        ExecutionException foreign = assertThrows(ExecutionException.class, () -> OtherThread.run(lock::close));
        assertInstanceOf(AtomicContext.WrongContextException.class, foreign.getCause());
        lock.close();
        assertThrows(AtomicContext.WrongContextException.class, lock::close);
        assertFalse(AtomicContext.inAtomic());
    }

    @Test
    void anotherThreadsContextIsNotMine() throws Exception {
        try (AtomicContext.Held lock = AtomicContext.spinLock("a spinlock")) {
            OtherThread.run(() -> AtomicContext.mightSleep("synchronize_rcu()"));
        }
    }

    @Test
    void cpuHotplugFromAtomicContextIsRefused() {
        try (AtomicContext.Held lock = AtomicContext.spinLock("a spinlock")) {
            assertSplat(assertThrows(SleepInAtomicException.class, () -> cpus.takeDown(1)), "cpu_down(1)",
                    "a spinlock");
        }
        cpus.takeDown(1);
    }

    @Test
    void fbcLockIsDeclaredWhereThePercpuCounterTakesIt() {
        PercpuCounter sleepsInItsSum = new PercpuCounter(cpus, 8) {
            @Override
            protected long sumOfAllCpus() {
                AtomicContext.mightSleep("a sleeping call in __percpu_counter_sum");
                return super.sumOfAllCpus();
            }
        };
        assertSplat(assertThrows(SleepInAtomicException.class, sleepsInItsSum::sum),
                "a sleeping call in __percpu_counter_sum", PercpuCounter.FBC_LOCK);
    }

    @Test
    void theHotplugListLockIsDeclaredWhereTheDeadCallbacksRun() {
        PercpuCounter sleepsInItsDeadFold = new PercpuCounter(cpus, 8) {
            @Override
            protected void foldDeadCpu(int cpu) {
                AtomicContext.mightSleep("a sleeping call in percpu_counter_cpu_dead");
            }
        };
        assertSplat(assertThrows(SleepInAtomicException.class, () -> cpus.takeDown(2)),
                "a sleeping call in percpu_counter_cpu_dead", Cpus.PERCPU_COUNTERS_LOCK);
        sleepsInItsDeadFold.leaveHotplugList();
    }

    /** A lazy counter whose other-path add sleeps: refused under the page-table lock of an mm add. */
    private static final class SleepsInItsOtherAdd implements CounterFactory {
        @Override
        public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
            return new LazyPercpuCounter(cpus, batch, policy) {
                @Override
                protected void addOtherLazy(CpuSection cpu, long delta) {
                    cpus.allocatePercpu(1, Gfp.KERNEL);
                    super.addOtherLazy(cpu, delta);
                }
            };
        }
    }

    @Test
    void everyMmAddRunsUnderThePageTableLock() throws Exception {
        OtherThread.run(() -> {
            Mm mm = Mm.exec(new SleepsInItsOtherAdd(), cpus, RssDesign.LAZY);
            OnCpu.run(cpus, 0, s -> assertSplat(assertThrows(SleepInAtomicException.class,
                    () -> mm.addRemote(s, RssMember.FILEPAGES, 1)), "alloc_percpu(GFP_KERNEL)", Mm.PTL));
            assertFalse(AtomicContext.inAtomic(), "the lock was released on the way out");
        });
    }

    /** The frequency policy's upgrade inside an add allocates GFP_ATOMIC: legal under the page-table lock. */
    private static final class UpgradesAfterOneOtherAdd implements CounterFactory {
        @Override
        public RssCounter[] newRssCounters(Cpus cpus, RssDesign design) {
            RssCounter[] counters = new RssCounter[RssMember.values().length];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = new LazyPercpuCounter(cpus, 8, UpgradePolicy.afterOtherUpdates(1));
            }
            return counters;
        }
    }

    @Test
    void thePolicysUpgradeInsideAnAddAllocatesGfpAtomic() throws Exception {
        OtherThread.run(() -> {
            Mm mm = Mm.exec(new UpgradesAfterOneOtherAdd(), cpus, RssDesign.LAZY);
            OnCpu.run(cpus, 0, s -> mm.addRemote(s, RssMember.FILEPAGES, 3));
            assertTrue(mm.counter(RssMember.FILEPAGES).isPerCpu(), "upgraded under the page-table lock, GFP_ATOMIC");
            cpus.injectAllocationFailures(AllocationFailures.next(1));
            OnCpu.run(cpus, 0, s -> mm.addRemote(s, RssMember.ANONPAGES, 2));
            cpus.injectAllocationFailures(AllocationFailures.NONE);
            assertFalse(mm.counter(RssMember.ANONPAGES).isPerCpu(), "GFP_ATOMIC failed: stays lazy, the add counted");
            assertEquals(2, mm.sum(RssMember.ANONPAGES));
        });
    }

    @Test
    void theReferenceLifecycleIsLegal() throws Exception {
        OtherThread.run(() -> {
            Mm mm = Mm.exec(CounterFactory.REFERENCE, cpus, RssDesign.LAZY);
            OnCpu.run(cpus, 0, s -> {
                mm.add(s, RssMember.ANONPAGES, 100);
                Mm child = mm.fork(s);                            // GFP_KERNEL in the caller's section: legal
                assertEquals(100, child.sum(RssMember.ANONPAGES));
            });
            mm.cloneVm(new Thread("second task"));               // copy_mm: GFP_KERNEL, no lock held
            OnCpu.run(cpus, 1, s -> mm.add(s, RssMember.ANONPAGES, 200));
            cpus.takeDown(3);
            assertEquals(300, mm.sum(RssMember.ANONPAGES));
        });
    }
}
