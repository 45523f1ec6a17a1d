package lazycount.testkit;

import lazycount.counter.Counter;
import lazycount.counter.CounterDestroyedException;
import lazycount.tree.PercpuCounterTree;

/**
 * The quiescent promises of {@link Counter}, stated once: when nothing runs,
 * {@code sum()} is the exact value and {@code read()} is within the counter's
 * own declared {@code readErrorBound()} of it.
 */
public final class Quiescent {

    private Quiescent() {
    }

    /** Whether a quiescent {@code read()} is within the counter's declared bound of {@code sum()}. */
    public static boolean readWithinBound(Counter counter) {
        return Math.abs(counter.read() - counter.sum()) <= counter.readErrorBound();
    }

    /**
     * Checks every quiescent promise against the exact value {@code expected},
     * then tears the counter down and checks the teardown value and that later
     * use is refused.
     *
     * @throws IllegalStateException naming the promise that failed and the values seen
     *         (an exception, not an assertion error, so Lincheck's validation reports it)
     */
    public static void checkThenDestroy(Counter counter, long expected) {
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
        } catch (CounterDestroyedException refused) {
            return;
        }
        throw new IllegalStateException("sum() after destroy() did not throw CounterDestroyedException");
    }

    /**
     * Whether a settled tree's approximate sum {@code approx} lies in
     * {@code [precise - under, precise + over]} (modulo 2^64, as the tree's own
     * KUnit test writes it: {@code approx - (v - under) >= 0}, {@code approx - (v + over) <= 0}).
     */
    public static boolean approximateInRange(long approx, long precise, PercpuCounterTree.AccuracyRange range) {
        return approx - (precise - range.under()) >= 0 && approx - (precise + range.over()) <= 0;
    }

    /**
     * The settled promises of a counter tree against the exact value
     * {@code expected}: the precise sum is exact, the approximate sum lies in the
     * accuracy range around it; then the teardown ({@code destroyMany} of
     * {@code trees}, the whole init_many, {@code tree} among them) returns it
     * and later use is refused.
     *
     * @throws IllegalStateException naming the promise that failed and the values seen
     */
    public static void checkSettledTreeThenDestroy(PercpuCounterTree tree, long expected) {
        long precise = tree.preciseSum();
        require(precise == expected, "settled preciseSum() = " + precise + " but the adds total " + expected);
        long approx = tree.approximateSum();
        PercpuCounterTree.AccuracyRange range = tree.accuracyRange();
        require(approximateInRange(approx, precise, range), "settled approximateSum() = " + approx + " is outside"
                + " [precise - under, precise + over] = [" + (precise - range.under()) + ", " + (precise + range.over())
                + "] (" + tree + ")");
        long last = tree.destroy();
        require(last == expected, "destroy() = " + last + " but the adds total " + expected);
        try {
            tree.preciseSum();
        } catch (CounterDestroyedException refused) {
            return;
        }
        throw new IllegalStateException("preciseSum() after destroy() did not throw CounterDestroyedException");
    }

    private static void require(boolean holds, String violation) {
        if (!holds) {
            throw new IllegalStateException(violation);
        }
    }
}
