package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 4 (read/sum ∥ upgrade) through memory ordering only. In the
 * folding protocol of {@link FoldingLazyCounter} the owner's upgrade seeds the
 * new per-CPU counter's central count with {@code local} by a plain write and
 * per-CPU mode stops counting {@code local}, so the mode pointer must be
 * published with release and read with acquire. Here it is published with a
 * plain CAS ({@code cmpxchg_relaxed}) and read opaque ({@code READ_ONCE}): a
 * reader may see the new mode and a central count without the folded value,
 * and the owner's earlier adds vanish from its sum.
 *
 * <p>Honest note: on x86 with HotSpot this is very likely unobservable. The
 * hardware (TSO) keeps the seeding store before the publishing CAS, which is a
 * locked instruction, and the reader's loads are ordered by their address
 * dependency (mode, then its counter, then the counter's central count). The
 * only window is the JIT moving the plain seeding store below the plain CAS,
 * which C2 is allowed to do but is not known to do here. On a weakly ordered
 * machine (Arm, POWER) the writer-side reordering is allowed by the hardware
 * as well; jcstress there (a reader that sees per-CPU mode and sums) is the
 * tool that could catch it. In JMM terms the bug is plain: no happens-before
 * edge orders the seed before a reader's sum.
 */
public final class ModeFlagOpaque extends MutantImplementation {

    public ModeFlagOpaque() {
        super("mode-flag-opaque",
                "race 4: a folding upgrade publishes and reads the mode pointer opaque instead of release/acquire, "
                        + "so a reader seeing per-CPU mode may miss the folded local value (likely unobservable on x86)");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new RelaxedModeLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class RelaxedModeLazyCounter extends FoldingLazyCounter {
        RelaxedModeLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected boolean publish(PerCpuMode fresh) {
            // BUG: cmpxchg_relaxed: nothing orders the seeded central count before the pointer.
            while (true) {
                if (MODE.weakCompareAndSetPlain(this, null, fresh)) {
                    return true;
                }
                if (MODE.getOpaque(this) != null) {
                    return false;
                }
            }
        }

        @Override
        protected PerCpuMode mode() {
            // BUG: READ_ONCE where smp_load_acquire is needed.
            return (PerCpuMode) MODE.getOpaque(this);
        }
    }
}
