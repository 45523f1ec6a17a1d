package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertRefused;

import java.util.function.Consumer;
import java.util.function.Function;
import lazycount.counter.Counter;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;

/**
 * What the counter machines ({@link LazyCounterMachine}, {@link PercpuCounterMachine})
 * share: a counter on {@code nrCpus} virtual CPUs next to the model's value and
 * destroyed flag; the read, sum and destroy steps, refused once the counter is
 * destroyed and otherwise checked against the model's value; the two CPU
 * misuses; and the invariant after every step.
 */
abstract class CounterMachine<C extends Counter> {

    final int nrCpus;
    final int batch;
    final Cpus cpus;
    final C counter;

    // The model.
    long value;
    boolean destroyed;

    /** {@code newCounter} on {@code UnderTest.cpus(nrCpus)}. */
    CounterMachine(int nrCpus, int batch, Function<Cpus, C> newCounter) {
        this.nrCpus = nrCpus;
        this.batch = batch;
        this.cpus = UnderTest.cpus(nrCpus);
        this.counter = newCounter.apply(cpus);
    }

    void read() {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, counter::read, () -> "read after destroy on " + this);
            return;
        }
        checkRead();
    }

    void sum() {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, counter::sum, () -> "sum after destroy on " + this);
            return;
        }
        assertExact(counter.sum(), value, () -> "sum() on " + this);
    }

    /** After it the model's counter is destroyed, whether it was before or not. */
    void destroy() {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, counter::destroy, () -> "second destroy on " + this);
            return;
        }
        assertExact(counter.destroy(), value, () -> "destroy() (the teardown value) on " + this);
        destroyed = true;
    }

    void enterCpuOutOfRange(int offset) {
        OnCpu.checkOutOfRangeRefused(cpus, offset);
    }

    void enterOccupiedCpu(int cpuIndex) {
        OnCpu.checkOccupiedRefused(cpus, cpuIndex);
    }

    /** After every step: destroyed as modelled; if alive, {@link #checkShape()}, sum exact, {@link #checkRead()}. */
    void checkInvariant() {
        if (counter.isDestroyed() != destroyed) {
            throw new AssertionError("isDestroyed() is " + counter.isDestroyed() + ", model says " + destroyed + " on " + this);
        }
        if (destroyed) {
            return;
        }
        checkShape();
        assertExact(counter.sum(), value, () -> "sum() after the step on " + this);
        checkRead();
    }

    /** The counter's own state the model tracks besides its value (its mode, its batch). */
    abstract void checkShape();

    /** read() of the live counter, within its bound. */
    abstract void checkRead();

    void onCpu(int cpuIndex, Consumer<CpuSection> update) {
        OnCpu.run(cpus, cpuIndex, update);
    }
}
