package lazycount.mutants;

import lazycount.cpu.Cpus;

/**
 * Breaks race 5 (per-CPU add ∥ batch fold ∥ sum). The fold updates the central
 * count without {@code fbc->lock} ("each CPU only folds its own slot"), but
 * the central count is shared: two CPUs folding at once both read the old
 * central count and one fold is lost; a sum can also see a fold half done.
 * Sequentially it is exact.
 */
public final class FoldOutsideLock extends PercpuMutant {

    public FoldOutsideLock() {
        super("fold-outside-lock",
                "race 5: the batch fold updates the shared central count without the lock, so two CPUs "
                        + "folding at once lose one fold (non-atomic read-modify-write of the central count)");
    }

    @Override
    protected BrokenPercpuCounter newBroken(Cpus cpus, int batch) {
        return new UnlockedFoldCounter(cpus, batch);
    }

    static final class UnlockedFoldCounter extends BrokenPercpuCounter {
        UnlockedFoldCounter(Cpus cpus, int batch) {
            super(cpus, batch);
        }

        @Override
        protected void fold(int slotIndex, long count, long delta) {
            foldUnlocked(slotIndex, count, delta);      // BUG: no raw_spin_lock(&fbc->lock)
        }
    }
}
