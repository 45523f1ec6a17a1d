package lazycount.tree;

import java.util.Objects;
import lazycount.counter.CounterDestroyedException;
import lazycount.counter.RssCounter;
import lazycount.cpu.CpuSection;

/**
 * One rss_stat counter of the tree design ({@link lazycount.rss.RssDesign#TREE}):
 * a {@link PercpuCounterTree}, so both paths are the same tree add and there is
 * nothing to upgrade. {@link #read()} ({@code get_mm_counter}) is the
 * approximate sum and {@link #sum()} ({@code get_mm_counter_sum}) the precise
 * one; the mm clamps the read at 0 as {@code percpu_counter_tree_approximate_sum_positive}
 * does. Owners are not tracked: any context may add.
 */
public final class TreeRssCounter implements RssCounter {

    /** {@code RSS_STAT_BATCH_SIZE}: the series' batch size for rss_stat trees. */
    public static final long RSS_STAT_BATCH_SIZE = 32;

    private final PercpuCounterTree tree;

    public TreeRssCounter(PercpuCounterTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /** The tree both paths add to. */
    public PercpuCounterTree tree() {
        return tree;
    }

    @Override
    public void bindOwner() {
        // No local path to protect: every update is a tree add.
    }

    @Override
    public void handOwnerTo(Thread next) {
        // No owner.
    }

    /** {@code add_mm_counter}: {@code percpu_counter_tree_add}. */
    @Override
    public void addLocal(CpuSection cpu, long delta) {
        tree.add(cpu, delta);
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        tree.add(cpu, delta);
    }

    @Override
    public boolean upgrade() {
        if (tree.isDestroyed()) {
            throw new CounterDestroyedException("upgrade", this);
        }
        return false;
    }

    @Override
    public boolean isPerCpu() {
        return true;
    }

    /** {@code get_mm_counter}: the approximate sum (root plus bias). */
    @Override
    public long read() {
        return tree.approximateSum();
    }

    /** {@code get_mm_counter_sum}: the precise sum. */
    @Override
    public long sum() {
        return tree.preciseSum();
    }

    @Override
    public long readErrorBound() {
        return tree.readErrorBound();
    }

    /**
     * The teardown of a counter built alone ({@code percpu_counter_tree_destroy});
     * an mm's four go together through {@link #destroyAll}.
     */
    @Override
    public long destroy() {
        return tree.destroy();
    }

    /**
     * {@code check_mm}'s precise sums then {@code percpu_counter_tree_destroy_many}
     * of the four trees one {@code init_many} built.
     */
    public static long[] destroyAll(TreeRssCounter[] counters) {
        PercpuCounterTree[] trees = new PercpuCounterTree[counters.length];
        for (int i = 0; i < counters.length; i++) {
            trees[i] = counters[i].tree;
        }
        return PercpuCounterTree.destroyMany(trees);
    }

    @Override
    public boolean isDestroyed() {
        return tree.isDestroyed();
    }

    @Override
    public String toString() {
        return "TreeRssCounter[" + tree + "]";
    }
}
