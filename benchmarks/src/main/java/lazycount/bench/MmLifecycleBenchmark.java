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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

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
 * <li>{@link #longLived2} and {@link #longLived8}: a long-lived
 *     multi-threaded process: the child clones to 2 or 8 tasks (the lazy
 *     design upgrades at the first clone), each task makes
 *     {@value #UPDATES_PER_TASK} updates on its own CPU, and all exit. The
 *     exit walk is amortized over many updates; the per-CPU fast path is what
 *     counts.
 * <li>{@link #spawnHeavy}: a shell or {@code make} spawning short-lived
 *     single-threaded children with {@code posix_spawn} (vfork + exec). The
 *     shell's own mm is shared once with a vfork child at set-up (the RFC
 *     upgrades at every {@code CLONE_VM}, vfork included, so the shell's
 *     counters are per-CPU from then on); each operation is one spawned
 *     child's life: a fresh mm at exec (no fork fill), a few faults, exit,
 *     plus the shell's own updates around it.
 * </ul>
 * Tasks are modelled by this benchmark thread holding one CPU per task (no
 * thread is started), so the numbers measure the counters' work, not thread
 * handoffs. Every benchmark checks that {@code check_mm} stayed silent, so a
 * fast but wrong counter cannot produce a number.
 */
public class MmLifecycleBenchmark extends ImplementationBenchmark {

    @Param({"EAGER", "LAZY", "CACHED_MERGED"})
    public RssDesign design;

    @Param({"1", "8", "80", "256", "1024", "4096"})
    public int nrCpus;

    /**
     * What {@code get_mm_counter} reads (KernelPolicy.Readers): the approximate read of
     * 6.18, or the precise sum proposed in 2026, which {@code dup_mm}'s {@code get_mm_rss}
     * then pays at every fork.
     */
    @Param({"approximate"})
    public String readers;

    /** Updates each task of a long-lived process makes before it exits. */
    static final int UPDATES_PER_TASK = 256;
    private static final int MAX_TASKS = 8;

    private Cpus cpus;
    private CpuSection cpu;
    /** The CPU the CLONE_VM'd second task runs on (the same one when there is only one). */
    private CpuSection secondCpu;
    private Thread secondTask;
    private Mm parent;
    /** Task t of a long-lived process runs on taskCpus[t]: spread over the machine, shared when CPUs are few. */
    private CpuSection[] taskCpus;
    private Thread[] extraTasks;
    /** The spawning shell: an mm once shared with a vfork child, so upgraded in the lazy design. */
    private Mm shell;
    private CounterImplementation implementation;
    private KernelPolicy policy;

    @Setup(Level.Trial)
    public void startParent() {
        CounterImplementation impl = Implementations.byName(this.impl);
        implementation = impl;
        policy = UnderTest.policy().withReaders(KernelPolicy.parse(KernelPolicy.Readers.class, readers));
        cpus = UnderTest.cpus(nrCpus);
        cpu = cpus.enter(0);
        secondCpu = nrCpus > 1 ? cpus.enter(nrCpus - 1) : cpu;
        secondTask = new Thread(() -> { }, "second-task (never started)");
        taskCpus = new CpuSection[MAX_TASKS];
        taskCpus[0] = cpu;
        for (int t = 1; t < MAX_TASKS; t++) {
            int id = (int) ((long) t * nrCpus / MAX_TASKS);
            taskCpus[t] = id == taskCpus[t - 1].id() ? taskCpus[t - 1]
                    : id == nrCpus - 1 ? secondCpu : cpus.enter(id);
        }
        extraTasks = new Thread[MAX_TASKS];
        for (int t = 1; t < MAX_TASKS; t++) {
            extraTasks[t] = new Thread(() -> { }, "task-" + t + " (never started)");
        }
        shell = Mm.exec(impl, cpus, design, policy);
        shell.add(cpu, RssMember.ANONPAGES, 300);
        shell.cloneVm(secondTask);                     // posix_spawn's vfork child: the CLONE_VM upgrade
        shell.mmput(cpu);                              // ... which execs at once and drops the shell's mm
        parent = Mm.exec(impl, cpus, design, policy);
        parent.add(cpu, RssMember.FILEPAGES, 40);       // what /bin/true's parent has mapped
        parent.add(cpu, RssMember.ANONPAGES, 25);
        parent.add(cpu, RssMember.SHMEMPAGES, 2);
    }

    @TearDown(Level.Trial)
    public void stopParent() {
        parent.exit(cpu);
        checkClean(parent);
        shell.exit(cpu);
        checkClean(shell);
        for (int t = 1; t < MAX_TASKS; t++) {
            if (taskCpus[t] != secondCpu && taskCpus[t] != taskCpus[t - 1]) {
                taskCpus[t].close();
            }
        }
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

    @Benchmark
    public Mm longLived2() {
        return longLived(2);
    }

    @Benchmark
    public Mm longLived8() {
        return longLived(8);
    }

    private Mm longLived(int tasks) {
        Mm child = parent.fork(cpu);
        child.attachTask();
        for (int t = 1; t < tasks; t++) {
            child.cloneVm(extraTasks[t]);               // the first one is the forced upgrade
        }
        for (int u = 0; u < UPDATES_PER_TASK; u++) {
            for (int t = 0; t < tasks; t++) {
                child.add(taskCpu(t, tasks), (u & 1) == 0 ? RssMember.ANONPAGES : RssMember.FILEPAGES, 1);
            }
        }
        for (int t = 1; t < tasks; t++) {
            child.mmput(taskCpu(t, tasks));
        }
        child.exit(cpu);
        return checkClean(child);
    }

    /** Task t of {@code tasks}: spread evenly over the machine. */
    private CpuSection taskCpu(int t, int tasks) {
        return taskCpus[t * (MAX_TASKS / tasks)];
    }

    @Benchmark
    public Mm spawnHeavy() {
        shell.add(cpu, RssMember.ANONPAGES, 1);         // the shell's own work around the spawn
        Mm child = Mm.exec(implementation, cpus, design, policy);   // the spawned program's fresh mm
        faultInAFewPages(child, cpu);
        child.exit(cpu);
        shell.add(cpu, RssMember.ANONPAGES, -1);
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
