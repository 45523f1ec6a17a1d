package lazycount.bench;

import lazycount.counter.EagerRssCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import lazycount.impl.UnderTest;

/**
 * {@code get_mm_counter} (read) and the precise sum against the number of
 * possible CPUs, in each mode: a lazy counter in lazy mode, the same after its
 * upgrade, and the eager percpu_counter. Every CPU's slot holds something.
 */
public class ReadSumBenchmark extends AverageTimeBenchmark {

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
