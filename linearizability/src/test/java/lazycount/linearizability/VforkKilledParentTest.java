package lazycount.linearizability;

import static lazycount.linearizability.RssCounterHarness.require;

import java.util.concurrent.atomic.AtomicReference;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.UnderTest;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * vfork with a SIGKILLed parent, under Lincheck's general-purpose model
 * checker (the child is a thread created mid-run, as in {@link VforkTest}).
 * {@code wait_for_vfork_done} sleeps {@code TASK_KILLABLE}: a fatal signal
 * wakes the parent while its child still runs on the mm, and on its way out
 * ({@code do_exit -> exit_mm -> exit_mm_release}) the parent faults with
 * {@code current->mm == mm}, beside its child. One life, every interleaving
 * Lincheck samples of it:
 * <pre>
 *   parent task: vfork(child); start child; killed out of the wait
 *                (vforkWaitKilled); faults 10; exit
 *   child:       add 100; exit (nothing to complete if the parent was killed first)
 * </pre>
 * Whether vfork upgrades and the path of the killed parent's add are this
 * JVM's {@code KernelPolicy}. Promise: neither add is refused (the model's
 * owner check refusing the killed parent stands for the kernel losing its
 * add), the last exit tears the mm down, and {@code check_mm} reports nothing
 * (no add lost by two plain writers of the lazy word). The parent is the
 * checker's own thread: one thread fewer to schedule than a parent thread
 * of its own, and the kill needs no poll (the wait returns at once, killed or
 * with the completion already done).
 */
@Checks(value = Race.VFORK_KILLED, ops = {Op.KILLED_PARENT_ADD, Op.VFORK_CHILD, Op.EXIT})
public class VforkKilledParentTest {

    @Test
    void modelChecking() {
        CounterImplementation impl = UnderTest.implementation();   // resolved outside: the checker wants determinism
        RssDesign design = UnderTest.design();
        KernelPolicy policy = UnderTest.policy();
        Cpus.Handover handover = UnderTest.handover();
        Cpus.OwnerCheck ownerCheck = UnderTest.ownerCheck();
        Lincheck.runConcurrentTest(LincheckBudget.generalPurposeInvocations(300),
                () -> oneLife(impl.newMm(impl.newCpus(2, handover, ownerCheck), design, policy)));
    }

    private static void oneLife(Mm mm) {
        Cpus cpus = mm.cpus();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        mm.attachTask();
        Thread child = new Thread(() -> {
            try (CpuSection s = cpus.enter(1)) {
                mm.add(s, RssMember.ANONPAGES, 100);
                mm.exit(s);                                     // exec or _exit
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "vfork-child");
        mm.vfork(child);
        child.start();
        mm.vforkWaitKilled();                                   // SIGKILL: TASK_KILLABLE wakes it
        try (CpuSection s = cpus.enter(0)) {
            mm.add(s, RssMember.ANONPAGES, 10);                 // exit_mm_release faults
            mm.exit(s);
        }
        try {
            child.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted joining the vfork child", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the vfork child failed: " + failure.get(), failure.get());
        }
        require(mm.isTornDown(), mm + " not torn down after both tasks exited");
        require(mm.checkMmReport().isEmpty(), mm + ": check_mm reported " + mm.checkMmReport()
                + " after adds of 100 (the child) and 10 (the killed parent)");
    }
}
