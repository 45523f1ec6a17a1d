package lazycount.counter;

import java.util.Objects;
import lazycount.cpu.CpuSection;

/**
 * An rss_stat counter of the eager designs: always per-CPU, so both
 * {@code add_mm_counter} paths are the same add and there is nothing to
 * upgrade. Owners are not tracked: any context may add. Over a
 * {@link PercpuCounter} it is the counter as Linux 6.2 to today has it
 * ({@code RssDesign.EAGER}; the cached-merged design extends it only to give its
 * block back at teardown); over a {@code percpu_counter_tree} it is the tree
 * design's ({@code RssDesign.TREE}): {@link #read()} ({@code get_mm_counter}) is
 * the tree's approximate sum, which the mm clamps at 0 as
 * {@code percpu_counter_tree_approximate_sum_positive} does, and {@link #sum()}
 * ({@code get_mm_counter_sum}) its precise sum.
 */
public class EagerRssCounter implements RssCounter {

    private final AddCounter percpu;

    public EagerRssCounter(AddCounter percpu) {
        this.percpu = Objects.requireNonNull(percpu, "percpu");
    }

    /** The per-CPU counter both paths add to. */
    public AddCounter percpu() {
        return percpu;
    }

    @Override
    public void bindOwner() {
        // No local path to protect: every update is a per-CPU add.
    }

    @Override
    public void handOwnerTo(Thread next) {
        // No owner: both paths are the same per-CPU add.
    }

    /** {@code add_mm_counter}: {@code percpu_counter_add} or {@code percpu_counter_tree_add}. */
    @Override
    public void addLocal(CpuSection cpu, long delta) {
        percpu.add(cpu, delta);
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        percpu.add(cpu, delta);
    }

    @Override
    public boolean upgrade() {
        if (percpu.isDestroyed()) {
            throw new CounterDestroyedException("upgrade", this);
        }
        return false;
    }

    @Override
    public boolean isPerCpu() {
        return true;
    }

    @Override
    public long read() {
        return percpu.read();
    }

    @Override
    public long sum() {
        return percpu.sum();
    }

    @Override
    public long readErrorBound() {
        return percpu.readErrorBound();
    }

    /**
     * The teardown of this counter alone ({@code percpu_counter_destroy},
     * {@code percpu_counter_tree_destroy}); an mm's four may go together
     * ({@link #destroyInOneWalk}, {@code CounterFactory.destroyAll}).
     */
    @Override
    public long destroy() {
        long finalValue = percpu.destroy();                       // throws on a second destroy
        afterDestroy();
        return finalValue;
    }

    /** Called once, after this counter's per-CPU counter is destroyed (the merged design gives its block back). */
    protected void afterDestroy() {
    }

    /**
     * Tears down eager counters whose per-CPU counters share one area in one
     * walk ({@link PercpuCounter#destroyMany}); otherwise one by one.
     *
     * @return each counter's final value, in order
     */
    public static long[] destroyInOneWalk(EagerRssCounter[] counters) {
        PercpuCounter[] percpus = new PercpuCounter[counters.length];
        for (int i = 0; i < counters.length; i++) {
            if (!(counters[i].percpu instanceof PercpuCounter p) || p.area() != ((PercpuCounter) counters[0].percpu).area()) {
                long[] values = new long[counters.length];
                for (int k = 0; k < counters.length; k++) {
                    values[k] = counters[k].destroy();
                }
                return values;
            }
            percpus[i] = p;
        }
        long[] values = PercpuCounter.destroyMany(percpus);
        for (EagerRssCounter c : counters) {
            c.afterDestroy();
        }
        return values;
    }

    @Override
    public boolean isDestroyed() {
        return percpu.isDestroyed();
    }

    @Override
    public String toString() {
        return "EagerRssCounter[" + percpu + "]";
    }
}
