package lazycount.mutants;

import lazycount.cpu.Cpus;

/**
 * Breaks race 4/5 (sum exact when quiet), sequentially. The sum's CPU walk
 * stops one short ({@code cpu < nr_cpu_ids - 1}), so whatever is unfolded in
 * the last possible CPU's slot is missing, at teardown too.
 */
public final class SumSkipsLastCpu extends PercpuMutant {

    public SumSkipsLastCpu() {
        super("sum-skips-last-cpu",
                "race 4: the precise sum walks CPUs 0..n-2, so the unfolded amount in the last possible CPU's "
                        + "slot is missing from sum() and from the teardown value");
    }

    @Override
    protected BrokenPercpuCounter newBroken(Cpus cpus, int batch) {
        return new OffByOneSumCounter(cpus, batch);
    }

    static final class OffByOneSumCounter extends BrokenPercpuCounter {
        OffByOneSumCounter(Cpus cpus, int batch) {
            super(cpus, batch);
        }

        @Override
        protected int cpusSummed() {
            return cpus.nrPossible() - 1;      // BUG: off by one
        }
    }
}
