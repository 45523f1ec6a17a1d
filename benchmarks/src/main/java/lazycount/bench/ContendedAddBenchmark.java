package lazycount.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import lazycount.impl.UnderTest;

/**
 * Throughput of one shared counter updated by 1 and 2 threads: the lazy
 * counter after its upgrade (every add is a per-CPU add, each thread on its own
 * CPU) against {@link LongAdder}, the JDK's striped counter.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ContendedAddBenchmark {

    /** The shared counters. */
    @State(Scope.Benchmark)
    public static class Shared {
        final Cpus cpus = UnderTest.cpus(8);
        final LongAdder longAdder = new LongAdder();
        RssCounter upgraded;

        @Setup(Level.Trial)
        public void setUp() {
            CounterImplementation impl = UnderTest.implementation();
            upgraded = impl.newLazyCounter(cpus, PercpuCounter.defaultBatch(cpus), UpgradePolicy.NEVER);
            upgraded.upgrade();                        // as at CLONE_VM: any task may add on its CPU
        }
    }

    /** Each JMH thread runs on a CPU of its own for the whole trial. */
    @State(Scope.Thread)
    public static class OnCpu {
        CpuSection cpu;

        @Setup(Level.Trial)
        public void enter(Shared shared, ThreadParams thread) {
            cpu = shared.cpus.enter(thread.getThreadIndex());
        }

        @TearDown(Level.Trial)
        public void leave() {
            cpu.close();
        }
    }

    @Benchmark
    @Threads(1)
    public void upgradedAdd1Thread(Shared shared, OnCpu me) {
        shared.upgraded.addLocal(me.cpu, 1);
    }

    @Benchmark
    @Threads(2)
    public void upgradedAdd2Threads(Shared shared, OnCpu me) {
        shared.upgraded.addLocal(me.cpu, 1);
    }

    @Benchmark
    @Threads(1)
    public void longAdder1Thread(Shared shared) {
        shared.longAdder.add(1);
    }

    @Benchmark
    @Threads(2)
    public void longAdder2Threads(Shared shared) {
        shared.longAdder.add(1);
    }
}
