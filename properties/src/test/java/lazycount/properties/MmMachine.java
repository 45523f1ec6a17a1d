package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertRefused;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import java.util.List;
import java.util.function.Consumer;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.cpu.AllocationFailures;
import lazycount.impl.UnderTest;
import lazycount.rss.CloneFailedException;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.MmMisuseException;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.Stranger;
import lazycount.testing.Threads;

/**
 * An mm ({@code Mm.exec(impl, cpus, design)}, the property thread being its
 * task) next to a trivially correct model of its rss_stat lifecycle: the pages
 * each counter must show, which threads are tasks, {@code mm_users}, whether
 * the counters are per-CPU (eager always; lazy after {@code CLONE_VM}) and
 * whether the mm is torn down. {@link Stranger} is the second thread: a remote
 * updater (khugepaged, the OOM reaper) holding temporary references, or, after
 * {@link #cloneVm()}, the second task. Each fork runs the child's whole life on
 * a fresh thread (the child task) and checks the child's counters and its
 * {@code check_mm}.
 */
final class MmMachine {

    record Setup(int nrCpus, RssDesign design) {
        @Override
        public String toString() {
            return "nrCpus " + nrCpus + ", " + design;
        }
    }

    private final CounterImplementation impl;
    private final Setup setup;
    private final Cpus cpus;
    private final Mm mm;
    private final Thread stranger = Stranger.thread();
    private final KernelPolicy policy = UnderTest.policy();

    // The model.
    private final long[] pages = new long[RssMember.values().length];
    private boolean mainIsTask = true;
    private boolean strangerIsTask;
    private int users = 1;
    private int strangerRefs;
    private boolean perCpu;
    private boolean tornDown;
    private boolean underflowed;

    MmMachine(CounterImplementation impl, Setup setup) {
        this.impl = impl;
        this.setup = setup;
        this.cpus = UnderTest.cpus(setup.nrCpus());
        this.mm = Mm.exec(impl, cpus, setup.design(), policy);
        this.perCpu = setup.design() != RssDesign.LAZY;   // only the lazy design starts cheap
    }

    /** {@code add_mm_counter} from the property thread (local path while it is a task). */
    void add(int cpuIndex, RssMember member, long delta, boolean fromStranger, boolean remote) {
        Runnable add = () -> onCpu(cpuIndex, s -> {
            if (remote) {
                mm.addRemote(s, member, delta);
            } else {
                mm.add(s, member, delta);
            }
        });
        if (tornDown) {
            assertRefused(MmMisuseException.class, () -> runAs(fromStranger, add), () -> "add after teardown on " + this);
            return;
        }
        runAs(fromStranger, add);
        pages[member.ordinal()] += delta;
    }

    /** {@code clone(CLONE_VM)} by the property thread; the stranger becomes the second task. */
    void cloneVm() {
        if (tornDown || !mainIsTask) {
            assertRefused(MmMisuseException.class, () -> mm.cloneVm(stranger),
                    () -> "cloneVm by a thread that is not a task of " + this);
            return;
        }
        mm.cloneVm(stranger);
        users++;              // each clone takes a reference, even of a thread already in
        strangerIsTask = true;
        perCpu = true;
    }

    /** {@code fork()} by the property thread; the child lives and dies on a fresh thread. */
    void fork(int cpuIndex, long childDelta) {
        if (tornDown || !mainIsTask) {
            assertRefused(MmMisuseException.class, () -> onCpu(cpuIndex, mm::fork),
                    () -> "fork by a thread that is not a task of " + this);
            return;
        }
        Mm child = onCpuReturning(cpuIndex, mm::fork);
        long[] expected = pages.clone();
        for (RssMember m : RssMember.values()) {
            assertExact(child.sum(m), expected[m.ordinal()], () -> "child's sum(" + m + ") right after fork of " + this);
            assertExact(child.mappedPages(m), expected[m.ordinal()], () -> "child's mappedPages(" + m + ") after fork");
        }
        Threads.runOnNewThread("child task", () -> {
            child.attachTask();
            onCpu(cpuIndex, s -> child.add(s, RssMember.ANONPAGES, childDelta));   // the child's own page fault
            assertExact(child.sum(RssMember.ANONPAGES), expected[RssMember.ANONPAGES.ordinal()] + childDelta,
                    () -> "child's sum(ANONPAGES) after its own add, forked from " + this);
            boolean last = onCpuReturning(cpuIndex, child::exit);
            if (!last) {
                throw new AssertionError("the child task's exit did not tear down the child mm (forked from " + this + ")");
            }
            List<String> report = child.checkMmReport();
            if (!report.isEmpty()) {
                throw new AssertionError("check_mm of the child forked from " + this + " reported " + report);
            }
        });
    }

    /**
     * {@code vfork()} by the property thread: the child (a fresh thread) maps
     * {@code childDelta} pages on this mm and exits while the parent sleeps;
     * then the woken parent maps {@code parentDelta}. While the child has not
     * released the mm the parent is asleep: its vfork is not done and an add
     * by it is refused.
     */
    void vfork(int cpuIndex, long childDelta, long parentDelta) {
        if (tornDown || !mainIsTask) {
            assertRefused(MmMisuseException.class, () -> mm.vfork(new Thread(() -> { }, "never-runs")),
                    () -> "vfork by a thread that is not a task of " + this);
            return;
        }
        Threads.Task child = Threads.task("vfork-child", () -> {
            onCpu(cpuIndex, s -> mm.add(s, RssMember.ANONPAGES, childDelta));
            if (onCpuReturning(cpuIndex, mm::exit)) {
                throw new AssertionError("the vfork child's exit tore down " + this + ", which its parent still uses");
            }
        });
        mm.vfork(child.thread());
        if (mm.vforkDone()) {
            throw new AssertionError("vfork returned with its completion already done: the parent would run beside"
                    + " its child on " + this);
        }
        assertRefused(MmMisuseException.class, () -> onCpu(cpuIndex, s -> mm.add(s, RssMember.ANONPAGES, 1)),
                () -> "an add by a vfork parent before its child released " + this);
        child.start();
        mm.waitForVforkDone();
        child.finish();
        pages[RssMember.ANONPAGES.ordinal()] += childDelta;
        perCpu |= policy.cloneUpgrade() == KernelPolicy.CloneUpgrade.EVERY_CLONE_VM;
        checkInvariant();
        onCpu(cpuIndex, s -> mm.add(s, RssMember.ANONPAGES, parentDelta));
        pages[RssMember.ANONPAGES.ordinal()] += parentDelta;
    }

    /**
     * A kernel thread (the stranger) borrows the mm ({@code kthread_use_mm}),
     * maps {@code delta} pages through {@code add_mm_counter}, and drops it.
     * Whatever the policy, a borrower never takes the plain local path of a
     * counter that is still lazy (it would be a second writer beside the owner).
     */
    void borrowerAdds(int cpuIndex, RssMember member, long delta) {
        if (tornDown) {
            assertRefused(MmMisuseException.class, () -> Stranger.run(mm::kthreadUseMm),
                    () -> "kthreadUseMm after teardown of " + this);
            return;
        }
        if (strangerIsTask) {
            assertRefused(MmMisuseException.class, () -> Stranger.run(mm::kthreadUseMm),
                    () -> "kthreadUseMm by a task of " + this);
            return;
        }
        Stranger.run(() -> {
            if (!mm.mmgetNotZero()) {
                throw new AssertionError("mmgetNotZero() failed on a live mm " + this);
            }
            mm.kthreadUseMm();
            if (mm.callerTakesLocalPath()) {
                for (RssMember m : RssMember.values()) {
                    if (!mm.counter(m).isPerCpu()) {
                        throw new AssertionError("a kthread_use_mm borrower takes the local path while " + m
                                + " is lazy, beside its owner, on " + this);
                    }
                }
            }
            onCpu(cpuIndex, s -> mm.add(s, member, delta));
            mm.kthreadUnuseMm();
            assertRefused(MmMisuseException.class, mm::kthreadUnuseMm, () -> "a second kthreadUnuseMm on " + this);
            if (onCpuReturning(cpuIndex, mm::mmput)) {
                throw new AssertionError("the borrower's mmput tore down " + this + ", which its task still uses");
            }
        });
        pages[member.ordinal()] += delta;
        perCpu |= policy.borrowerPath() == KernelPolicy.BorrowerPath.UPGRADE_AT_USE;
    }

    /**
     * {@code clone(CLONE_VM|CLONE_THREAD)} while the next per-CPU allocation
     * fails: either the clone fails with -ENOMEM and nothing changed, or it
     * needed no allocation and succeeded with every counter per-CPU.
     */
    void cloneUnderMemoryPressure() {
        if (tornDown || !mainIsTask) {
            assertRefused(MmMisuseException.class, () -> mm.cloneThread(stranger),
                    () -> "cloneThread by a thread that is not a task of " + this);
            return;
        }
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        try {
            mm.cloneThread(stranger);
            users++;
            strangerIsTask = true;
            perCpu = true;
        } catch (CloneFailedException e) {
            // -ENOMEM: the model is unchanged, and checkInvariant() compares everything to it.
        } finally {
            cpus.injectAllocationFailures(AllocationFailures.NONE);
        }
    }

    /** {@code mmget_not_zero} by the stranger (a remote updater pinning the mm). */
    void strangerGetsReference() {
        boolean got = Stranger.call(mm::mmgetNotZero);
        if (tornDown) {
            if (got && !underflowed) {
                throw new AssertionError("mmgetNotZero() succeeded after teardown on " + this);
            }
            return;
        }
        if (!got) {
            throw new AssertionError("mmgetNotZero() failed on a live mm " + this);
        }
        users++;
        strangerRefs++;
    }

    /** {@code mmput} of a reference the stranger holds; after teardown, an extra mmput (refused). */
    void strangerDropsReference(int cpuIndex) {
        if (tornDown) {
            assertRefused(MmMisuseException.class, () -> Stranger.run(() -> onCpu(cpuIndex, mm::mmput)),
                    () -> "mmput with no reference left on " + this);
            underflowed = true;
            return;
        }
        if (strangerRefs == 0) {
            return;   // nothing to drop: the stranger never puts a reference it does not hold
        }
        boolean last = Stranger.call(() -> onCpuReturning(cpuIndex, mm::mmput));
        strangerRefs--;
        dropUser(last, "mmput by the stranger");
    }

    /** {@code exit()} of the property thread or of the stranger. */
    void exit(int cpuIndex, boolean stranger) {
        boolean isTask = stranger ? strangerIsTask : mainIsTask;
        if (tornDown || !isTask) {
            assertRefused(MmMisuseException.class, () -> runAs(stranger, () -> onCpu(cpuIndex, mm::exit)),
                    () -> "exit by a thread that is not a task of " + this);
            return;
        }
        boolean last = stranger ? Stranger.call(() -> onCpuReturning(cpuIndex, mm::exit))
                : onCpuReturning(cpuIndex, mm::exit);
        if (stranger) {
            strangerIsTask = false;
        } else {
            mainIsTask = false;
        }
        dropUser(last, (stranger ? "the second task's" : "the first task's") + " exit");
    }

    void checkMmReportBeforeTeardown() {
        if (!tornDown) {
            assertRefused(MmMisuseException.class, mm::checkMmReport, () -> "checkMmReport before teardown of " + this);
        }
    }

    private void dropUser(boolean tearDownReported, String what) {
        users--;
        boolean expectTeardown = users == 0;
        if (tearDownReported != expectTeardown) {
            throw new AssertionError(what + " returned " + tearDownReported + " but the model has " + users
                    + " users left on " + this);
        }
        if (expectTeardown) {
            tornDown = true;
            java.util.Arrays.fill(pages, 0);
            List<String> report = mm.checkMmReport();
            if (!report.isEmpty()) {
                throw new AssertionError("check_mm at teardown of " + this + " reported " + report);
            }
        }
    }

    /** After every step: each counter's sum equals the pages mapped, reads within bound, mode and lifecycle as modelled. */
    void checkInvariant() {
        if (mm.isTornDown() != tornDown) {
            throw new AssertionError("isTornDown() is " + mm.isTornDown() + ", model says " + tornDown + " on " + this);
        }
        if (tornDown) {
            return;
        }
        int tasks = (mainIsTask ? 1 : 0) + (strangerIsTask ? 1 : 0);
        if (mm.tasks() != tasks) {
            throw new AssertionError("tasks() is " + mm.tasks() + ", model says " + tasks + " on " + this);
        }
        long bound = perCpu ? (long) setup.nrCpus() * (PercpuCounter.defaultBatch(cpus) - 1) : 0;
        for (RssMember m : RssMember.values()) {
            long expected = pages[m.ordinal()];
            RssCounter c = mm.counter(m);
            if (c.isPerCpu() != perCpu) {
                throw new AssertionError(m + " counter isPerCpu() is " + c.isPerCpu() + ", model says " + perCpu
                        + " on " + this);
            }
            assertExact(mm.sum(m), expected, () -> "sum(" + m + ") on " + this);
            assertExact(mm.mappedPages(m), expected, () -> "mappedPages(" + m + ") on " + this);
            // Contract: the bound the counter declares (a tree's accuracy range: the TREE design's, lazy-tree's once
            // upgraded); for a kernel-faithful implementation on a percpu_counter layout, the kernel's (fidelity).
            long readBound = setup.design() == RssDesign.TREE || !impl.kernelFaithful() ? c.readErrorBound() : bound;
            assertWithinBound(c.read(), expected, readBound, () -> "read of " + m + " on " + this);
        }
    }

    private void onCpu(int cpuIndex, Consumer<CpuSection> step) {
        OnCpu.run(cpus, cpuIndex, step);
    }

    private <T> T onCpuReturning(int cpuIndex, java.util.function.Function<CpuSection, T> step) {
        return OnCpu.call(cpus, cpuIndex, step);
    }

    private static void runAs(boolean fromStranger, Runnable step) {
        OnCpu.runAs(fromStranger, step);
    }

    @Override
    public String toString() {
        return "mm[impl=" + impl.name() + ", " + setup + "; model: pages=" + java.util.Arrays.toString(pages)
                + ", users=" + users + (mainIsTask ? ", first task in" : "") + (strangerIsTask ? ", second task in" : "")
                + (perCpu ? ", per-CPU" : ", lazy") + (tornDown ? ", torn down" : "") + "]";
    }
}
