package lazycount.counter;

import lazycount.cpu.CpuSection;

/**
 * What {@code lib/percpu_counter.c} offers: a central count plus one slot per
 * possible CPU, folded into the central count when a slot reaches the batch.
 *
 * <p>Consistency promised (and checked by the suite):
 * <ul>
 * <li>{@link #addBatch} is linearizable as an increment of the counter's value.
 * <li>{@link #sum()} is exact when no update runs concurrently (quiescent
 *     exactness). Concurrently it sees each add entirely or not at all, but it is
 *     <em>not</em> an atomic snapshot: with deltas of both signs it can return a
 *     value the counter never held. With non-negative deltas it lies between the
 *     value at its invocation and the value at its response.
 * <li>{@link #read()} returns the central count alone; when quiescent it is
 *     within {@link #readErrorBound()} of {@link #sum()}.
 * <li>Arithmetic is modulo 2<sup>64</sup> (two's complement wrap-around), the
 *     wrap of the kernel's s64 {@code fbc->count} under {@code -fno-strict-overflow}.
 *     The kernel's s32 slots do not meet it at one edge (a {@code slot + amount}
 *     of {@code S64_MIN} passes the {@code abs()} test and is truncated);
 *     REPORT.md names that departure.
 * </ul>
 */
public interface BatchedCounter extends AddCounter {

    /** {@code percpu_counter_add_batch}. @throws IllegalArgumentException if {@code batch < 1} */
    void addBatch(CpuSection cpu, long delta, int batch);

    /** {@code percpu_counter_add}: {@link #addBatch} with this counter's default batch. */
    @Override
    default void add(CpuSection cpu, long delta) {
        addBatch(cpu, delta, batch());
    }

    /** The default batch ({@code percpu_counter_batch}). */
    int batch();

    /** {@code percpu_counter_read}: the central count only; fast and approximate. */
    @Override
    long read();

    /** {@code percpu_counter_sum}: central count plus every CPU's slot, under the lock. */
    @Override
    long sum();

    /**
     * Bound on {@code |read() - sum()|} when quiescent and every add used a batch
     * no larger than {@link #batch()}: {@code nrCpus * (batch - 1)}.
     */
    @Override
    long readErrorBound();

    /**
     * {@code percpu_counter_destroy} after the final {@code percpu_counter_sum}
     * that {@code check_mm} does: walks every possible CPU and returns the exact
     * final value. Every later use throws {@link CounterDestroyedException}.
     */
    @Override
    long destroy();
}
