package lazycount.counter;

import lazycount.cpu.CpuSection;

/**
 * The rss_stat counter as Linux 6.2 to today has it: always a
 * {@link PercpuCounter}, so both paths are the same per-CPU add and there is
 * nothing to upgrade. Owners are not tracked: any context may add. The
 * cached-merged design extends it only to give its block back at teardown.
 */
public class EagerRssCounter implements RssCounter {

    private final BatchedCounter percpu;

    public EagerRssCounter(BatchedCounter percpu) {
        this.percpu = percpu;
    }

    @Override
    public void bindOwner() {
        // No local path to protect: every update is a per-CPU add.
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

    @Override
    public long destroy() {
        return percpu.destroy();
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
