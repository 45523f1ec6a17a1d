package lazycount.counter;

/**
 * What every counter here offers beside its updates: the fast read, the
 * precise sum, the bound between the two, and teardown. {@link BatchedCounter}
 * (the percpu_counter) and {@link RssCounter} (an mm's counter in any design)
 * add their own update paths and say what each of these means for them.
 */
public interface Counter {

    /** Fast and approximate: within {@link #readErrorBound()} of {@link #sum()} when quiescent. */
    long read();

    /** Precise: exact when no update runs concurrently. */
    long sum();

    /** Bound on {@code |read() - sum()|} when quiescent. */
    long readErrorBound();

    /** Teardown: the exact final value; every later use throws {@link CounterDestroyedException}. */
    long destroy();

    boolean isDestroyed();
}
