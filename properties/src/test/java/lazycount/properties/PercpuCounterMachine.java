package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertRefused;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import lazycount.counter.BatchedCounter;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.WrongCpuSectionException;
import lazycount.impl.UnderTest;
import lazycount.impl.CounterImplementation;
import lazycount.testing.Stranger;

/**
 * A per-CPU counter ({@code impl.newPercpuCounter}) next to a trivially correct
 * model: one wrapping {@code long}, a destroyed flag, and the largest batch any
 * add used (the read bound {@code nrCpus * (batch - 1)} is promised only while
 * every add used a batch no larger than the counter's own; a larger one widens
 * it to {@code nrCpus * (largest - 1)}, because every slot stays below the batch
 * of its last add).
 */
final class PercpuCounterMachine extends CounterMachine<BatchedCounter> {

    record Setup(int nrCpus, int batch) {
        @Override
        public String toString() {
            return "nrCpus " + nrCpus + ", batch " + batch;
        }
    }

    private final String impl;
    private int largestBatchUsed;

    PercpuCounterMachine(CounterImplementation impl, Setup setup) {
        super(setup.nrCpus(), setup.batch(), cpus -> impl.newPercpuCounter(cpus, setup.batch()));
        this.impl = impl.name();
        this.largestBatchUsed = batch;
    }

    /** {@code percpu_counter_add} (the counter's batch) or {@code add_batch} with {@code addBatch}; 0 = default. */
    void add(int cpuIndex, long delta, int addBatch, boolean fromStranger) {
        Runnable add = () -> onCpu(cpuIndex, s -> {
            if (addBatch == 0) {
                counter.add(s, delta);
            } else {
                counter.addBatch(s, delta, addBatch);
            }
        });
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, () -> runAs(fromStranger, add), () -> "add after destroy on " + this);
            return;
        }
        runAs(fromStranger, add);
        value += delta;
        largestBatchUsed = Math.max(largestBatchUsed, addBatch);
    }

    /** A batch below 1 is refused and changes nothing. */
    void addWithInvalidBatch(int cpuIndex, int badBatch) {
        if (destroyed) {
            return;   // which refusal comes first (dead counter or bad batch) is unspecified
        }
        assertRefused(IllegalArgumentException.class, () -> onCpu(cpuIndex, s -> counter.addBatch(s, 1, badBatch)),
                () -> "addBatch with batch " + badBatch + " on " + this);
    }

    /** A section of another set of CPUs, a closed one, or one held by another thread: refused. */
    void addThroughWrongSection(int cpuIndex, int how) {
        if (destroyed) {
            return;   // which refusal comes first (dead counter or wrong section) is unspecified
        }
        int cpu = Steps.cpuOf(cpuIndex, nrCpus);
        switch (how) {
            case 0 -> {
                Cpus elsewhere = UnderTest.cpus(nrCpus);
                try (CpuSection foreign = elsewhere.enter(cpu)) {
                    assertRefused(WrongCpuSectionException.class, () -> counter.add(foreign, 1),
                            () -> "add through a section of another Cpus on " + this);
                }
            }
            case 1 -> {
                CpuSection closed = cpus.enter(cpu);
                closed.close();
                assertRefused(WrongCpuSectionException.class, () -> counter.add(closed, 1),
                        () -> "add through a closed section on " + this);
            }
            default -> {
                try (CpuSection mine = cpus.enter(cpu)) {
                    assertRefused(WrongCpuSectionException.class, () -> Stranger.run(() -> counter.add(mine, 1)),
                            () -> "add through a section held by another thread on " + this);
                }
            }
        }
    }

    @Override
    void checkShape() {
        if (counter.batch() != batch) {
            throw new AssertionError("batch() is " + counter.batch() + ", created with " + batch + " on " + this);
        }
    }

    @Override
    void checkRead() {
        long documented = (long) nrCpus * (batch - 1);
        if (counter.readErrorBound() != documented) {
            throw new AssertionError("readErrorBound() is " + counter.readErrorBound() + ", documented " + documented
                    + " on " + this);
        }
        long bound = (long) nrCpus * (largestBatchUsed - 1);
        assertWithinBound(counter.read(), value, bound, () -> "read() on " + this);
    }

    private static void runAs(boolean fromStranger, Runnable step) {
        OnCpu.runAs(fromStranger, step);
    }

    @Override
    public String toString() {
        return "percpu counter[impl=" + impl + ", nrCpus=" + nrCpus + ", batch=" + batch + "; model: value=" + value
                + (largestBatchUsed > batch ? ", largest batch used " + largestBatchUsed : "")
                + (destroyed ? ", destroyed" : "") + "]";
    }
}
