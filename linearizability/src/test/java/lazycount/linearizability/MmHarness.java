package lazycount.linearizability;

import static lazycount.linearizability.RssCounterHarness.require;

import java.util.function.BiConsumer;
import java.util.function.ToLongBiFunction;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;

/**
 * One mm as the Lincheck lifecycle checks drive it: three virtual CPUs, the
 * owning task and the tasks it cloned, and the quiescent promises. The task is
 * the owner group's thread; it attaches itself to the mm on its first
 * operation (the child task starting to run), so its faults take the local
 * path. A clone registers a second task that never runs (Lincheck threads
 * cannot be created mid-scenario); each holds a reference until
 * {@link #checkQuiescent}.
 */
final class MmHarness {

    private final Cpus cpus = UnderTest.cpus(3);
    private final Mm mm;
    private volatile Thread task;                             // set by the owner group's thread
    private int clones;                                       // owner group only, then @Validate

    /** The mm of this JVM's implementation, design and {@code KernelPolicy}. */
    MmHarness() {
        this.mm = UnderTest.newMm(cpus);
    }

    /** The mm of this JVM's implementation and design under {@code policy}. */
    MmHarness(KernelPolicy policy) {
        this.mm = UnderTest.implementation().newMm(cpus, UnderTest.design(), policy);
    }

    Mm mm() {
        return mm;
    }

    Cpus cpus() {
        return cpus;
    }

    /** Whether the calling thread is the owning task. */
    boolean isTask() {
        return Thread.currentThread() == task;
    }

    /** The owner group's thread becomes the task on its first operation. */
    void runAsTask() {
        if (task == null) {
            mm.attachTask();
            task = Thread.currentThread();
        }
    }

    /** The owning task faults one anonymous page in (local path). */
    void taskFaultsPage(int cpu) {
        runAsTask();
        try (CpuSection section = cpus.enterAny(cpu)) {
            mm.add(section, RssMember.ANONPAGES, 1);
        }
    }

    /** The owning task clones a task that never runs, with {@code clone} ({@link Mm#cloneVm}, ...); counted if it returns. */
    void cloneTask(BiConsumer<Mm, Thread> clone) {
        runAsTask();
        clone.accept(mm, new Thread(() -> { }, "cloned-task-" + clones));
        clones++;
    }

    /**
     * A remote context maps one anonymous page with a temporary reference
     * ({@code mmget_not_zero}, other path, {@code mmput}); false if it got no reference.
     */
    boolean remoteFaultsPage(int cpu) {
        if (!mm.mmgetNotZero()) {
            return false;
        }
        try (CpuSection section = cpus.enterAny(cpu)) {
            mm.addRemote(section, RssMember.ANONPAGES, 1);
            mm.mmput(section);
        }
        return true;
    }

    /**
     * Quiescent: {@code read} ({@code "sum"}: {@link Mm#sum}, {@code "precise get()"}: {@link Mm#get}) of every
     * counter equals what the page tables map; then dropping the task's and its clones' references tears the mm
     * down with an empty {@code check_mm} report.
     */
    void checkQuiescent(String readName, ToLongBiFunction<Mm, RssMember> read) {
        for (RssMember member : RssMember.values()) {
            long value = read.applyAsLong(mm, member);
            require(value == mm.mappedPages(member), mm + " " + member + ": quiescent " + readName + " = " + value
                    + ", page tables map " + mm.mappedPages(member));
        }
        tearDownClean();
    }

    /** Drops the task's and its clones' references; the last must tear the mm down with a clean {@code check_mm}. */
    void tearDownClean() {
        RssCounterHarness.tearDownClean(mm, cpus, 1 + clones);
    }

    /** The sequential specification's common part: the number of anonymous pages mapped. */
    public static class AnonPagesSpec {
        protected long anonPages;

        public void taskFaultsPage(int cpu) {
            anonPages++;
        }

        public long rss() {
            return anonPages;
        }
    }
}
