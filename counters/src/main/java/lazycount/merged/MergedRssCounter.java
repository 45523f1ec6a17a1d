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

    @Override
    public long destroy() {
        long finalValue = super.destroy();              // throws on a second destroy: no double release
        block.counterDestroyed();
        return finalValue;
    }

    @Override
    public String toString() {
        return "MergedRssCounter[" + super.toString() + " in " + block + "]";
    }
}
