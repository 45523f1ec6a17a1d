package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * Breaks race 2 (other add ∥ upgrade) by double counting. After its atomic add
 * to {@code remote}, the other path re-reads the mode and, if an upgrade
 * published it meanwhile, adds the delta to the per-CPU counter as well: the
 * developer feared the upgrade had folded {@code remote} before the add landed
 * (true of a folding protocol), but in "the remainder stays in the sum"
 * {@code remote} is still counted, so the in-flight add is counted twice.
 * Sequentially (no upgrade between the two reads) it is exact.
 */
public final class UpgradeCountsInflightTwice extends MutantImplementation {

    public UpgradeCountsInflightTwice() {
        super("upgrade-counts-inflight-twice",
                "race 2: an other-path add that sees the upgrade published right after its atomic add to remote "
                        + "re-applies the delta to the per-CPU counter, though remote stays in the sum: counted twice");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new ReapplyingLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class ReapplyingLazyCounter extends BrokenLazyCounter {
        ReapplyingLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected void addOtherLazy(CpuSection cpu, long delta) {
            addToRemoteWord(delta);
            PerCpuMode upgradedMeanwhile = mode();
            if (upgradedMeanwhile != null) {
                // BUG: "the upgrade may have folded remote already"; it did not, remote is still counted.
                upgradedMeanwhile.counter().addBatch(cpu, delta, batch);
            }
        }
    }
}
