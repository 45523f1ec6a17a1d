package lazycount.merged;

import lazycount.counter.CounterDestroyedException;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.cpu.CpuSection;

/**
 * An rss_stat counter of the cached-merged design: a {@link PercpuCounter} on
 * one slot of a leased {@link MmPercpuBlock}. Both paths are the per-CPU add;
 * destroying it sums every CPU (the exit walk) and gives its share of the block
 * back.
 */
public final class MergedRssCounter implements RssCounter {

    private final PercpuCounter percpu;
    private final MmPercpuBlock block;

    MergedRssCounter(PercpuCounter percpu, MmPercpuBlock block) {
        this.percpu = percpu;
        this.block = block;
    }

    /** The block this counter's slots live in. */
    public MmPercpuBlock block() {
        return block;
    }

    @Override
    public void bindOwner() {
        // No local path: every update is a per-CPU add, from any context.
    }

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
        return false;                                   // per-CPU from birth
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

    @Override
    public long destroy() {
        long finalValue = percpu.destroy();             // throws on a second destroy: no double release
        block.counterDestroyed();
        return finalValue;
    }

    @Override
    public boolean isDestroyed() {
        return percpu.isDestroyed();
    }

    @Override
    public String toString() {
        return "MergedRssCounter[" + percpu + " in " + block + "]";
    }
}
