package lazycount.mutants;

import lazycount.cpu.Cpus;

/**
 * Breaks race 5 (per-CPU add ∥ batch fold), and already sequentially. The fold
 * adds {@code count = slot + delta} to the central count but takes all of
 * {@code count} out of the slot ({@code __this_cpu_sub(*fbc->counters, count)})
 * instead of {@code count - delta}, what the slot actually held: the slot goes
 * to {@code -delta} and the folding add is cancelled.
 */
public final class FoldSubtractsWrongAmount extends PercpuMutant {

    public FoldSubtractsWrongAmount() {
        super("fold-subtracts-wrong-amount",
                "race 5: the batch fold subtracts count (slot + delta) from the slot instead of count - delta, "
                        + "so every folding add is cancelled");
    }

    @Override
    protected BrokenPercpuCounter newBroken(Cpus cpus, int batch) {
        return new WrongFoldCounter(cpus, batch);
    }

    static final class WrongFoldCounter extends BrokenPercpuCounter {
        WrongFoldCounter(Cpus cpus, int batch) {
            super(cpus, batch);
        }

        @Override
        protected long foldedFromSlot(long count, long delta) {
            return count;      // BUG: the slot held count - delta, not count
        }
    }
}
