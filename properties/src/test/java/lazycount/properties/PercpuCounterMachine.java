package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertRefused;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import java.util.function.Consumer;
import lazycount.impl.UnderTest;
import lazycount.counter.BatchedCounter;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.WrongCpuSectionException;
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
final class PercpuCounterMachine {

    record Setup(int nrCpus, int batch) {
        @Override
        public String toString() {
            return "nrCpus " + nrCpus + ", batch " + batch;
        }
    }

    private final String impl;
    private final int nrCpus;
    private final int batch;
    private final Cpus cpus;
    private final BatchedCounter counter;

    private long value;
    private boolean destroyed;
    private int largestBatchUsed;

    PercpuCounterMachine(CounterImplementation impl, Setup setup) {
        this.impl = impl.name();
        this.nrCpus = setup.nrCpus();
        this.batch = setup.batch();
        this.cpus = UnderTest.cpus(nrCpus);
        this.counter = impl.newPercpuCounter(cpus, batch);
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

    void read() {
        CounterSteps.read(counter, destroyed, this, this::checkRead);
    }

    void sum() {
        CounterSteps.sum(counter, destroyed, value, this);
    }

    void destroy() {
        CounterSteps.destroy(counter, destroyed, value, this);
        destroyed = true;
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

    void enterCpuOutOfRange(int offset) {
        OnCpu.checkOutOfRangeRefused(cpus, offset);
    }

    void enterOccupiedCpu(int cpuIndex) {
        OnCpu.checkOccupiedRefused(cpus, cpuIndex);
    }

    void checkInvariant() {
        if (CounterSteps.destroyedAsModelled(counter, destroyed, this)) {
            return;
        }
        if (counter.batch() != batch) {
            throw new AssertionError("batch() is " + counter.batch() + ", created with " + batch + " on " + this);
        }
        assertExact(counter.sum(), value, () -> "sum() after the step on " + this);
        checkRead();
    }

    private void checkRead() {
        long documented = (long) nrCpus * (batch - 1);
        if (counter.readErrorBound() != documented) {
            throw new AssertionError("readErrorBound() is " + counter.readErrorBound() + ", documented " + documented
                    + " on " + this);
        }
        long bound = (long) nrCpus * (largestBatchUsed - 1);
        assertWithinBound(counter.read(), value, bound, () -> "read() on " + this);
    }

    private void onCpu(int cpuIndex, Consumer<CpuSection> update) {
        OnCpu.run(cpus, cpuIndex, update);
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
