package lazycount.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import lazycount.impl.UnderTest;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One uncontended add, single thread: the lazy counter's local path against
 * the physical floor (a plain {@code long} field) and the JDK's counters, plus
 * its other path (an atomic add) and its per-CPU path after the upgrade.
 * The CPU section is entered once per trial, so no op pays enter/exit.
 */
public class HotPathBenchmark extends ImplementationBenchmark {

    private static final int NR_CPUS = 8;

    private long plainField;
    private final AtomicLong atomicLong = new AtomicLong();
    private final LongAdder longAdder = new LongAdder();
    private CpuSection cpu;
    private RssCounter lazy;
    private RssCounter upgraded;

    @Setup(Level.Trial)
    public void setUp() {
        CounterImplementation impl = Implementations.byName(this.impl);
        Cpus cpus = UnderTest.cpus(NR_CPUS);
        int batch = PercpuCounter.defaultBatch(cpus);
        cpu = cpus.enter(0);
        lazy = impl.newLazyCounter(cpus, batch, UpgradePolicy.NEVER);
        lazy.bindOwner();
        upgraded = impl.newLazyCounter(cpus, batch, UpgradePolicy.NEVER);
        upgraded.bindOwner();
        upgraded.upgrade();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cpu.close();
    }

    @Benchmark
    public void plainField() {
        plainField++;
    }

    @Benchmark
    public void atomicLongAddAndGet() {
        atomicLong.addAndGet(1);
    }

    @Benchmark
    public void longAdderAdd() {
        longAdder.add(1);
    }

    @Benchmark
    public void lazyLocalAdd() {
        lazy.addLocal(cpu, 1);
    }

    @Benchmark
    public void lazyOtherAdd() {
        lazy.addOther(cpu, 1);
    }

    @Benchmark
    public void upgradedLocalAdd() {
        upgraded.addLocal(cpu, 1);
    }
}
