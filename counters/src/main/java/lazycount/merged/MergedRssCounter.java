package lazycount.merged;

import lazycount.counter.EagerRssCounter;
import lazycount.counter.PercpuCounter;

/**
 * An rss_stat counter of the cached-merged design: an eager counter (both
 * paths are the per-CPU add) on one slot of a leased {@link MmPercpuBlock}.
 * Destroying it sums every CPU (the exit walk) and gives its share of the block
 * back.
 */
public final class MergedRssCounter extends EagerRssCounter {

    private final MmPercpuBlock block;

    MergedRssCounter(PercpuCounter percpu, MmPercpuBlock block) {
        super(percpu);
        this.block = block;
    }

    /** The block this counter's slots live in. */
    public MmPercpuBlock block() {
        return block;
    }

    /** The destroy succeeded (a second one throws first): give this counter's share of the block back. */
    @Override
    protected void afterDestroy() {
        block.counterDestroyed();
    }

    @Override
    public String toString() {
        return "MergedRssCounter[" + super.toString() + " in " + block + "]";
    }
}
