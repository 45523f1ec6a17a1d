package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertRefused;

import lazycount.counter.Counter;
import lazycount.counter.CounterDestroyedException;

/**
 * The read, sum and destroy steps every counter model takes alike: refused
 * once the counter is destroyed, otherwise checked against the model's value.
 * {@code model} is the machine, named in a failure.
 */
final class CounterSteps {

    private CounterSteps() {
    }

    static void read(Counter counter, boolean destroyed, Object model, Runnable checkRead) {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, counter::read, () -> "read after destroy on " + model);
            return;
        }
        checkRead.run();
    }

    static void sum(Counter counter, boolean destroyed, long value, Object model) {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, counter::sum, () -> "sum after destroy on " + model);
            return;
        }
        assertExact(counter.sum(), value, () -> "sum() on " + model);
    }

    /** After it the model's counter is destroyed, whether it was before or not. */
    static void destroy(Counter counter, boolean destroyed, long value, Object model) {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, counter::destroy, () -> "second destroy on " + model);
            return;
        }
        assertExact(counter.destroy(), value, () -> "destroy() (the teardown value) on " + model);
    }

    /** Fails unless the counter is destroyed exactly when the model says so; whether it is. */
    static boolean destroyedAsModelled(Counter counter, boolean destroyed, Object model) {
        if (counter.isDestroyed() != destroyed) {
            throw new AssertionError("isDestroyed() is " + counter.isDestroyed() + ", model says " + destroyed + " on " + model);
        }
        return destroyed;
    }
}
