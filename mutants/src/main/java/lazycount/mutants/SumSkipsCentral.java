package lazycount.mutants;

import lazycount.cpu.Cpus;

/**
 * Breaks race 4/5 (sum exact when quiet), sequentially. {@code sum()} starts
 * from zero instead of the central count ({@code s64 ret = 0;} where
 * {@code ret = fbc->count} was meant), so everything folded is missing, at
 * teardown too.
 */
public final class SumSkipsCentral extends PercpuMutant {

    public SumSkipsCentral() {
        super("sum-skips-central",
                "race 4: the precise sum adds the per-CPU slots but not the central count, so every folded "
                        + "amount is missing from sum() and from the teardown value");
    }

    @Override
    protected BrokenPercpuCounter newBroken(Cpus cpus, int batch) {
        return new NoCentralSumCounter(cpus, batch);
    }

    static final class NoCentralSumCounter extends BrokenPercpuCounter {
        NoCentralSumCounter(Cpus cpus, int batch) {
            super(cpus, batch);
        }

        @Override
        protected long sumStart() {
            return 0;          // BUG: should start from fbc->count
        }
    }
}
