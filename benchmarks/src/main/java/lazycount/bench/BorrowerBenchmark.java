package lazycount.bench;

import lazycount.impl.UnderTest;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the two remedies for a {@code kthread_use_mm} borrower cost (REPORT.md
 * §13): the life of a single-threaded process's lazy mm that one kernel thread
 * borrows once (an aio completion, a vhost worker) and updates
 * {@code borrowerUpdates} times, then the mm's teardown.
 * <ul>
 * <li>{@code OTHER_PATH}: the borrower's updates are atomic adds to the lazy
 *     remote word; the mm never allocates per-CPU memory.
 * <li>{@code UPGRADE_AT_USE}: {@code kthread_use_mm} upgrades the counters
 *     (one O(nrCpus) allocation), the borrower's updates are per-CPU adds, and
 *     the teardown walks every CPU.
 * </ul>
 * The process's own task is not run (its updates would be the same plain adds
 * in both); this benchmark thread is the kernel thread. Each operation checks
 * that {@code check_mm} stayed silent.
 */
public class BorrowerBenchmark extends AverageTimeBenchmark {

    @Param({"OTHER_PATH", "UPGRADE_AT_USE"})
    public KernelPolicy.BorrowerPath borrower;

    @Param({"1", "80", "1024", "4096"})
    public int nrCpus;

    @Param({"16", "1024"})
    public int borrowerUpdates;

    private Cpus cpus;
    private CpuSection cpu;
    private CounterImplementation impl;
    private KernelPolicy policy;

    @Setup
    public void setUp() {
        impl = Implementations.byName("reference");
        cpus = UnderTest.cpus(nrCpus);
        cpu = cpus.enter(0);
        policy = new KernelPolicy(KernelPolicy.CloneUpgrade.EVERY_CLONE_VM, borrower);
    }

    @TearDown
    public void tearDown() {
        cpu.close();
    }

    @Benchmark
    public Mm borrowedOnce() {
        Mm mm = impl.newMm(cpus, RssDesign.LAZY, policy);
        if (!mm.mmgetNotZero()) {
            throw new IllegalStateException("mmget_not_zero failed on a fresh mm");
        }
        mm.kthreadUseMm();
        for (int i = 0; i < borrowerUpdates; i++) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
        }
        mm.kthreadUnuseMm();
        mm.mmput(cpu);
        mm.mmput(cpu);                                  // the process's own reference: exit_mmap, check_mm
        if (!mm.checkMmReport().isEmpty()) {
            throw new IllegalStateException("check_mm complained: " + mm.checkMmReport());
        }
        return mm;
    }
}
