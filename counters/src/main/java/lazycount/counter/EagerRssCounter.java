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

    /** The per-CPU counter both paths add to. */
    public BatchedCounter percpu() {
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
