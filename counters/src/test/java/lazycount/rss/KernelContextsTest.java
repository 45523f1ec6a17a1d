package lazycount.rss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import lazycount.counter.NotOwnerException;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;
import lazycount.rss.CounterFactory;
import lazycount.rss.KernelPolicy.BorrowerPath;
import lazycount.rss.KernelPolicy.CloneUpgrade;
import lazycount.testing.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The kernel contexts of issue 12 on the reference: vfork, kthread_use_mm, -ENOMEM, and their misuse. */
class KernelContextsTest {

    private final Cpus cpus = new Cpus(4);
    private final CounterFactory impl = CounterFactory.REFERENCE;

    private static KernelPolicy policy(CloneUpgrade clone, BorrowerPath borrower) {
        return new KernelPolicy(clone, borrower);
    }

    private void onCpu(int cpu, Consumer<CpuSection> body) {
        try (CpuSection s = cpus.enter(cpu)) {
            body.accept(s);
        }
    }

    /** Runs a vfork child that maps {@code pages} and exits; the calling parent sleeps meanwhile. */
    private void vforkChildMaps(Mm mm, long pages) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread child = new Thread(() -> {
            try {
                onCpu(1, s -> mm.add(s, RssMember.ANONPAGES, pages));
                onCpu(1, s -> assertFalse(mm.exit(s)));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "vfork-child");
        mm.vfork(child);
        child.start();
        mm.waitForVforkDone();
        child.join();
        if (failure.get() != null) {
            throw new AssertionError("vfork child failed", failure.get());
        }
    }

    @ParameterizedTest
    @EnumSource(CloneUpgrade.class)
    void vforkChildUpdatesTheParentsCountersAndHandsThemBack(CloneUpgrade trigger) throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, policy(trigger, BorrowerPath.OTHER_PATH));
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1));
        vforkChildMaps(mm, 100);
        assertEquals(trigger == CloneUpgrade.EVERY_CLONE_VM, Modes.anyPerCpu(mm), "upgraded at vfork under " + trigger);
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 10));     // the woken parent's plain add, after the child's
        assertEquals(111, mm.sum(RssMember.ANONPAGES));
        assertEquals(1, mm.tasks());
        onCpu(0, s -> assertTrue(mm.exit(s)));
        assertEquals(List.of(), mm.checkMmReport());
    }

    @Test
    void aSleepingVforkParentAndAReleasedChildAreRefused() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, policy(CloneUpgrade.NOT_AT_VFORK, BorrowerPath.OTHER_PATH));
        AtomicReference<Throwable> childLater = new AtomicReference<>();
        java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch probed = new java.util.concurrent.CountDownLatch(1);
        Thread child = new Thread(() -> {
            onCpu(1, mm::exit);
            exited.countDown();
            try {
                onCpu(1, s -> mm.add(s, RssMember.ANONPAGES, 1));
            } catch (Throwable t) {
                childLater.set(t);
            }
            probed.countDown();
        }, "vfork-child");
        mm.vfork(child);
        MmMisuseException asleep = assertThrows(MmMisuseException.class,
                () -> onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1)));
        assertTrue(asleep.getMessage().contains("vfork parent"), asleep.getMessage());
        assertThrows(MmMisuseException.class, () -> mm.cloneVm(new Thread(() -> { })));
        child.start();
        mm.waitForVforkDone();
        probed.await();
        assertTrue(childLater.get() instanceof MmMisuseException, String.valueOf(childLater.get()));
        assertTrue(childLater.get().getMessage().contains("already released"), childLater.get().getMessage());
        MmMisuseException twice = assertThrows(MmMisuseException.class, mm::waitForVforkDone);
        assertTrue(twice.getMessage().contains("no vfork child"), twice.getMessage());
        assertThrows(MmMisuseException.class, () -> mm.vfork(Thread.currentThread()));
        assertEquals(0, mm.sum(RssMember.ANONPAGES));
    }

    @ParameterizedTest
    @EnumSource(BorrowerPath.class)
    void aBorrowerTakesThePathItsPolicySays(BorrowerPath path) throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, policy(CloneUpgrade.EVERY_CLONE_VM, path));
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Threads.runOnNewThread("other-thread", () -> {
            assertTrue(mm.mmgetNotZero());
            mm.kthreadUseMm();
            assertEquals(path != BorrowerPath.OTHER_PATH, mm.callerTakesLocalPath());
            try {
                onCpu(1, s -> mm.add(s, RssMember.ANONPAGES, 100));
            } catch (Throwable t) {
                failure.set(t);
            }
            mm.kthreadUnuseMm();
            onCpu(1, mm::mmput);
        });
        if (path == BorrowerPath.LOCAL_PATH) {
            // The RFC as posted: a second writer on the plain local path. The model's owner check
            // refuses it; the kernel, which has none, would lose one of the two writers' updates.
            assertTrue(failure.get() instanceof NotOwnerException, String.valueOf(failure.get()));
            return;
        }
        assertEquals(null, failure.get());
        assertEquals(path == BorrowerPath.UPGRADE_AT_USE, Modes.anyPerCpu(mm));
        assertEquals(101, mm.sum(RssMember.ANONPAGES));
    }

    @Test
    void borrowingMisuseIsRefused() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
        MmMisuseException task = assertThrows(MmMisuseException.class, mm::kthreadUseMm);
        assertTrue(task.getMessage().contains("only a kernel thread"), task.getMessage());
        Threads.runOnNewThread("other-thread", () -> {
            MmMisuseException unused = assertThrows(MmMisuseException.class, mm::kthreadUnuseMm);
            assertTrue(unused.getMessage().contains("not using it"), unused.getMessage());
            mm.kthreadUseMm();
            MmMisuseException twice = assertThrows(MmMisuseException.class, mm::kthreadUseMm);
            assertTrue(twice.getMessage().contains("already uses it"), twice.getMessage());
            mm.kthreadUnuseMm();
        });
    }

    @Test
    void upgradeAtUseFallsBackToTheOtherPathWhenItCannotAllocate() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, policy(CloneUpgrade.EVERY_CLONE_VM, BorrowerPath.UPGRADE_AT_USE));
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        Threads.runOnNewThread("other-thread", () -> {
            mm.kthreadUseMm();                                      // cannot fail, as in the kernel
            assertFalse(mm.callerTakesLocalPath());
            onCpu(1, s -> mm.add(s, RssMember.ANONPAGES, 5));
            mm.kthreadUnuseMm();
        });
        assertFalse(Modes.anyPerCpu(mm));
        assertEquals(5, mm.sum(RssMember.ANONPAGES));
    }

    @ParameterizedTest
    @EnumSource(value = RssDesign.class)
    void aCloneThatCannotAllocateFailsWithTheMmUnchanged(RssDesign design) throws Exception {
        Mm mm = Mm.exec(impl, cpus, design);
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 3));
        boolean perCpuBefore = Modes.anyPerCpu(mm);
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        Thread second = new Thread(() -> { }, "second-task");
        if (design == RssDesign.LAZY) {
            CloneFailedException e = assertThrows(CloneFailedException.class, () -> mm.cloneThread(second));
            assertTrue(e.getMessage().contains("-ENOMEM"), e.getMessage());
            assertTrue(e.getCause() instanceof PercpuAllocationException);
        } else {
            mm.cloneThread(second);                                 // already per-CPU: nothing to allocate
            cpus.injectAllocationFailures(AllocationFailures.NONE);
        }
        assertEquals(design == RssDesign.LAZY ? 1 : 2, mm.tasks());
        assertEquals(perCpuBefore || design != RssDesign.LAZY, Modes.anyPerCpu(mm));
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 4));           // still the only writer of its local path
        assertEquals(7, mm.sum(RssMember.ANONPAGES));
        if (design == RssDesign.LAZY) {
            mm.cloneThread(second);                                 // the allocation succeeds this time
            assertTrue(Modes.anyPerCpu(mm));
        }
        onCpu(0, s -> assertFalse(mm.mmput(s)));                   // the second task's reference
        onCpu(0, s -> assertTrue(mm.exit(s)));
        assertEquals(List.of(), mm.checkMmReport());
    }

    @Test
    void aForkThatCannotAllocateFailsAndTheParentGoesOn() {
        Mm mm = Mm.exec(impl, cpus, RssDesign.EAGER);
        onCpu(0, s -> mm.add(s, RssMember.FILEPAGES, 2));
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        assertThrows(CloneFailedException.class, () -> onCpu(0, mm::fork));
        onCpu(0, s -> mm.fork(s));                                  // the next fork allocates
        assertEquals(2, mm.sum(RssMember.FILEPAGES));
    }

    @Test
    void allocationFailuresAreDeterministicAndNamed() {
        Cpus a = new Cpus(2);
        Cpus b = new Cpus(2);
        a.injectAllocationFailures(AllocationFailures.withProbability(0.5, 42));
        b.injectAllocationFailures(AllocationFailures.withProbability(0.5, 42));
        StringBuilder ra = new StringBuilder();
        StringBuilder rb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            ra.append(fails(a) ? 'x' : '.');
            rb.append(fails(b) ? 'x' : '.');
        }
        assertEquals(ra.toString(), rb.toString());
        assertTrue(ra.indexOf("x") >= 0 && ra.indexOf(".") >= 0, ra.toString());
        PercpuAllocationException e = assertThrows(PercpuAllocationException.class, () -> {
            Cpus c = new Cpus(2);
            c.injectAllocationFailures(AllocationFailures.next(1));
            c.allocatePercpu(1);
        });
        assertTrue(e.getMessage().contains("-ENOMEM") && e.getMessage().contains("injected"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AllocationFailures.withProbability(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> AllocationFailures.next(0));
    }

    private static boolean fails(Cpus cpus) {
        try {
            cpus.allocatePercpu(1);
            return false;
        } catch (PercpuAllocationException e) {
            return true;
        }
    }

    @Test
    void policiesParseTheirSpellingAndNameTheAlternatives() {
        assertEquals(CloneUpgrade.NOT_AT_VFORK, KernelPolicy.parse(CloneUpgrade.class, "not-at-vfork"));
        assertEquals(BorrowerPath.UPGRADE_AT_USE, KernelPolicy.parse(BorrowerPath.class, "upgrade-at-use"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelPolicy.parse(BorrowerPath.class, "sideways"));
        assertTrue(e.getMessage().contains("local-path, upgrade-at-use, other-path"), e.getMessage());
    }
}
