package lazycount.mutants;

import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * A second, fold-based protocol for the lazy counter, the one a developer who
 * wants per-CPU mode to read fewer words would write: the upgrade copies
 * {@code local} into the new per-CPU counter's initial count
 * ({@code percpu_counter_set(fresh, c->local)} before publishing it) and per-CPU mode stops counting
 * {@code local}; {@code remote} stays in the sum (in-flight other-path adds may
 * still land there).
 *
 * <p>Why it is correct as written here: it folds only when the upgrader is the
 * owner ({@code CLONE_VM} is done by the mm's only task). The owner is the
 * only writer of {@code local}, so the value it copies is final: its own later
 * adds see the published mode (program order) and go to the slots. A reader
 * that sees the mode (acquire) sees the seeded count (published by the release
 * CAS); a reader that sees lazy mode counts {@code local}, which was never
 * cleared. An upgrade by any other thread (the frequency trigger) folds
 * nothing, as the reference.
 *
 * <p>It is not registered as an implementation; two mutants break it by one
 * step each: {@link FrequencyUpgradeFoldsLocal} (folds whoever upgrades) and
 * {@link ModeFlagOpaque} (publishes and reads the mode without release/acquire).
 */
public class FoldingLazyCounter extends BrokenLazyCounter {

    public FoldingLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpuFactory) {
        super(cpus, batch, policy, percpuFactory);
    }

    @Override
    protected final PerCpuMode prepareUpgrade() {
        if (!mayFoldLocal()) {
            return PerCpuMode.remainderStaysInSum(newPercpu());
        }
        BrokenPercpuCounter fresh = newPercpu();
        fresh.seedBeforePublication(localWord());
        return new PerCpuMode(fresh, true, false);
    }

    /** Step: whether this upgrade may move {@code local}: only if its only writer is the caller. */
    protected boolean mayFoldLocal() {
        return owner() == Thread.currentThread();
    }
}
