package lazycount.bench;

import java.util.concurrent.TimeUnit;
import lazycount.counter.EagerRssCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
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
import org.openjdk.jmh.annotations.Warmup;
import lazycount.impl.UnderTest;

/**
 * {@code get_mm_counter} (read) and the precise sum against the number of
 * possible CPUs, in each mode: a lazy counter in lazy mode, the same after its
 * upgrade, and the eager percpu_counter. Every CPU's slot holds something.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReadSumBenchmark {

    /** Which counter, in which mode. */
    public enum CounterMode { LAZY, UPGRADED, EAGER }

    @Param({"LAZY", "UPGRADED", "EAGER"})
    public CounterMode mode;

    @Param({"1", "8", "80", "256", "1024", "4096"})
    public int nrCpus;

    private RssCounter counter;

    @Setup(Level.Trial)
    public void setUp() {
        CounterImplementation impl = UnderTest.implementation();
        Cpus cpus = UnderTest.cpus(nrCpus);
        int batch = PercpuCounter.defaultBatch(cpus);
        counter = mode == CounterMode.EAGER
                ? new EagerRssCounter(impl.newPercpuCounter(cpus, batch))
                : impl.newLazyCounter(cpus, batch, UpgradePolicy.NEVER);
        if (mode == CounterMode.UPGRADED) {
            counter.upgrade();
        }
        for (int id = 0; id < nrCpus; id++) {
            try (CpuSection cpu = cpus.enter(id)) {
                counter.addOther(cpu, 1 + id % 7);
            }
        }
    }

    @Benchmark
    public long read() {
        return counter.read();
    }

    @Benchmark
    public long sum() {
        return counter.sum();
    }
}
