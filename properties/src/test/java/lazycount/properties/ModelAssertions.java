package lazycount.properties;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/** Assertions shared by the properties; messages say what the model expected and why. */
final class ModelAssertions {

    private ModelAssertions() {
    }

    /**
     * {@code |actual - expected| <= bound}, the difference taken modulo 2^64 as
     * the counters' arithmetic is: a value that wrapped is still "close".
     */
    static void assertWithinBound(long actual, long expected, long bound, Supplier<String> what) {
        long difference = actual - expected;   // wraps like the counter does
        if (difference > bound || difference < -bound) {
            throw new AssertionError(what.get() + ": " + actual + " is " + difference
                    + " away from the true value " + expected + ", beyond the bound " + bound);
        }
    }

    static void assertExact(long actual, long expected, Supplier<String> what) {
        if (actual != expected) {
            throw new AssertionError(what.get() + ": expected exactly " + expected + " but was " + actual
                    + " (off by " + (actual - expected) + ")");
        }
    }

    /** Runs {@code misuse} and requires exactly the refusal the model predicts. */
    static <T extends Throwable> void assertRefused(Class<T> refusal, Executable misuse, Supplier<String> what) {
        assertThrows(refusal, misuse, () -> what.get() + " must be refused with " + refusal.getSimpleName());
    }
}
