package lazycount.linearizability;

import static lazycount.linearizability.RssCounterHarness.require;

import java.util.concurrent.atomic.AtomicLong;
import lazycount.counter.BatchedCounter;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * One per-CPU counter ({@code newPercpuCounter}) as the Lincheck operations
 * drive it; see {@link RssCounterHarness} for the CPU and ghost-total design.
 */
final class BatchedCounterHarness {

    private final Cpus cpus;
    private final BatchedCounter counter;
    private final AtomicLong applied = new AtomicLong();

    BatchedCounterHarness(int nrCpus, int batch) {
        this.cpus = new Cpus(nrCpus);
        this.counter = UnderCheck.implementation().newPercpuCounter(cpus, batch);
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

    /** Same quiescent promises as {@link RssCounterHarness#checkQuiescent()}. */
    void checkQuiescent() {
        long expected = applied.get();
        long sum = counter.sum();
        require(sum == expected, "quiescent sum() = " + sum + " but the adds total " + expected);
        long read = counter.read();
        long bound = counter.readErrorBound();
        require(Math.abs(read - sum) <= bound, "quiescent read() = " + read + " is more than readErrorBound() = "
                + bound + " away from sum() = " + sum);
        long last = counter.destroy();
        require(last == expected, "destroy() = " + last + " but the adds total " + expected);
        require(counter.isDestroyed(), "isDestroyed() is false after destroy()");
        try {
            counter.sum();
        } catch (CounterDestroyedException expectedRefusal) {
            return;
        }
        throw new IllegalStateException("sum() after destroy() did not throw CounterDestroyedException");
    }
}
