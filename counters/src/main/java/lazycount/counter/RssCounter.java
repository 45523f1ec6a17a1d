package lazycount.counter;

import lazycount.cpu.CpuSection;

/**
 * One rss_stat counter as the mm code uses it: {@code add_mm_counter_*} from the
 * owning task (the local path) or from any other context (the other path),
 * the forced upgrade at {@code CLONE_VM}, {@code get_mm_counter} and the
 * teardown sum of {@code check_mm}. Implemented by the lazy counter and, for
 * the eager baseline, by a plain {@link PercpuCounter} for which both paths
 * are the same per-CPU add.
 *
 * <p>Consistency promised: every add is counted exactly once in every mode and
 * across the upgrade; {@link #sum()} and {@link #destroy()} are exact when
 * quiescent; {@link #read()} is within {@link #readErrorBound()} of the value
 * when quiescent. Neither read nor sum is an atomic snapshot under
 * concurrency (see {@link BatchedCounter}). Arithmetic wraps modulo 2<sup>64</sup>,
 * unless the implementation keeps fewer value bits (a tagged word keeps 63):
 * then the adds must stay in that domain.
 */
public interface RssCounter extends Counter {

    /**
     * Makes the calling thread the owning task, the only one allowed on the
     * local path in lazy mode (the child task starting to run after fork).
     *
     * @throws NotOwnerException if another thread already owns the counter
     */
    void bindOwner();

    /**
     * The calling owner hands the lazy local path to {@code next}: the vfork
     * parent to its child, which runs on the parent's mm while the parent
     * sleeps, and the child back to the parent when it releases the mm. A
     * counter with no local path (per-CPU only) does nothing.
     *
     * @throws NotOwnerException if the calling thread does not own the counter
     */
    void handOwnerTo(Thread next);

    /** The owning task's update ({@code current->mm == mm}). */
    void addLocal(CpuSection cpu, long delta);

    /** An update from any other context: khugepaged, the OOM reaper, a forking parent. */
    void addOther(CpuSection cpu, long delta);

    /** Switches to per-CPU mode; idempotent. Returns whether this call did it. */
    boolean upgrade();

    /** Whether updates now go to per-CPU slots. */
    boolean isPerCpu();

    /** {@code get_mm_counter}: fast, approximate in per-CPU mode. */
    @Override
    long read();

    /** Bound on {@code |read() - sum()|} when quiescent in the current mode. */
    @Override
    long readErrorBound();
}
