package lazycount.bench;

import java.util.concurrent.TimeUnit;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The life of a short process's mm, per design and number of possible CPUs:
 * the RFC's fork-of-{@code /bin/true} loop and its "parallel-true" variant.
 *
 * <ul>
 * <li>{@link #forkExit}: {@code dup_mm} (the child's counters are created and
 *     filled on the other path from the parent's context), the child starts
 *     and takes a few page faults on the local path, then exits
 *     ({@code exit_mmap}, {@code check_mm}, the counters' teardown).
 * <li>{@link #parallelTrue}: the same child also does {@code clone(CLONE_VM)}
 *     before exiting, so the lazy design pays its upgrade, and the second task
 *     updates from a second CPU and exits. The second task is modelled by this
 *     benchmark thread holding a second CPU (no thread is started), so the
 *     number measures the counters' work, not a thread handoff.
 * </ul>
 * Both check that {@code check_mm} stayed silent, so a fast but wrong
 * counter cannot produce a number.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MmLifecycleBenchmark {

    /**
     * The implementation measured: the reference by default; candidate protocols by name
     * ({@code -p impl=reference,grace-period,tagged-word,aliasing-fixed}), so one run sets
     * what each correct protocol costs side by side.
     */
    @Param({"reference"})
    public String impl;

    @Param({"EAGER", "LAZY", "CACHED_MERGED"})
    public RssDesign design;

    @Param({"1", "8", "80", "256", "1024", "4096"})
    public int nrCpus;

    private Cpus cpus;
    private CpuSection cpu;
    /** The CPU the CLONE_VM'd second task runs on (the same one when there is only one). */
    private CpuSection secondCpu;
    private Thread secondTask;
    private Mm parent;

    @Setup(Level.Trial)
    public void startParent() {
        CounterImplementation impl = Implementations.byName(this.impl);
        cpus = new Cpus(nrCpus);
        cpu = cpus.enter(0);
        secondCpu = nrCpus > 1 ? cpus.enter(nrCpus - 1) : cpu;
        secondTask = new Thread(() -> { }, "second-task (never started)");
        parent = Mm.exec(impl, cpus, design);
        parent.add(cpu, RssMember.FILEPAGES, 40);       // what /bin/true's parent has mapped
        parent.add(cpu, RssMember.ANONPAGES, 25);
        parent.add(cpu, RssMember.SHMEMPAGES, 2);
    }

    @TearDown(Level.Trial)
    public void stopParent() {
        parent.exit(cpu);
        checkClean(parent);
        if (secondCpu != cpu) {
            secondCpu.close();
        }
        cpu.close();
    }

    @Benchmark
    public Mm forkExit() {
        Mm child = parent.fork(cpu);
        child.attachTask();
        faultInAFewPages(child, cpu);
        child.exit(cpu);
        return checkClean(child);
    }

    @Benchmark
    public Mm parallelTrue() {
        Mm child = parent.fork(cpu);
        child.attachTask();
        faultInAFewPages(child, cpu);
        child.cloneVm(secondTask);                      // the forced upgrade
        faultInAFewPages(child, secondCpu);             // the second task's updates
        child.mmput(secondCpu);                         // ... and its exit
        child.exit(cpu);
        return checkClean(child);
    }

    private static void faultInAFewPages(Mm mm, CpuSection on) {
        mm.add(on, RssMember.ANONPAGES, 3);
        mm.add(on, RssMember.FILEPAGES, 2);
        mm.add(on, RssMember.ANONPAGES, -1);
        mm.add(on, RssMember.SHMEMPAGES, 1);
    }

    private static Mm checkClean(Mm mm) {
        if (!mm.checkMmReport().isEmpty()) {
            throw new IllegalStateException("check_mm complained: " + mm.checkMmReport());
        }
        return mm;
    }
}
