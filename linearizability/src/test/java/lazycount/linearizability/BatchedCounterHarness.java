package lazycount.linearizability;

import java.util.concurrent.atomic.AtomicLong;
import lazycount.counter.BatchedCounter;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;

/**
 * One per-CPU counter ({@code newPercpuCounter}) as the Lincheck operations
 * drive it; see {@link RssCounterHarness} for the CPU and ghost-total design.
 */
final class BatchedCounterHarness {

    private final Cpus cpus;
    private final BatchedCounter counter;
    private final AtomicLong applied = new AtomicLong();

    BatchedCounterHarness(int nrCpus, int batch) {
        this.cpus = UnderTest.cpus(nrCpus);
        this.counter = UnderTest.implementation().newPercpuCounter(cpus, batch);
    }

    BatchedCounter counter() {
        return counter;
    }

    void addBatch(int cpu, long delta, int batch) {
        try (CpuSection section = cpus.enterAny(cpu)) {
            counter.addBatch(section, delta, batch);
        }
        applied.addAndGet(delta);
    }

    /** The quiescent promises of {@link RssCounterHarness#checkQuiescent(lazycount.counter.Counter, long)}. */
    void checkQuiescent() {
        RssCounterHarness.checkQuiescent(counter, applied.get());
    }
}
