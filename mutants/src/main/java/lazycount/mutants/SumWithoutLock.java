package lazycount.mutants;

import lazycount.cpu.Cpus;

/**
 * Breaks race 5 (batch fold ∥ sum). {@code sum()} walks the counter without
 * {@code fbc->lock} ("the reads are READ_ONCE, they cannot tear"), so it can
 * run between the fold's two writes: it reads the central count that already
 * contains the folded slot, then the slot not yet reduced, and returns that
 * amount twice. Sequentially, and when quiet, it is exact.
 */
public final class SumWithoutLock extends PercpuMutant {

    public SumWithoutLock() {
        super("sum-without-lock",
                "race 5: the precise sum does not take the lock, so it can see a fold half done (central already "
                        + "increased, slot not yet reduced) and count the folded amount twice");
    }

    @Override
    protected BrokenPercpuCounter newBroken(Cpus cpus, int batch) {
        return new LocklessSumCounter(cpus, batch);
    }

    static final class LocklessSumCounter extends BrokenPercpuCounter {
        LocklessSumCounter(Cpus cpus, int batch) {
            super(cpus, batch);
        }

        @Override
        public long sum() {
            if (isDestroyed()) {
                return super.sum();          // throws CounterDestroyedException, as the reference does
            }
            return sumWalk();                // BUG: no raw_spin_lock_irqsave(&fbc->lock)
        }
    }
}
