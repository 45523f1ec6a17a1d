package lazycount.candidate;

import lazycount.catalog.Verdict;
import lazycount.counter.MaskedPercpuCounter;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RanOnMask;
import lazycount.rss.RssDesign;

/**
 * Candidates {@code cpu-mask} and {@code cpu-mask-nonatomic}: Mateusz Guzik's
 * second counter-proposal on the RFC's thread, "some tracking of whether a
 * given mm was ever active on a given CPU", so that the exit walk (and every
 * precise sum) visits only those CPUs. Every per-CPU counter of the design is a
 * {@link MaskedPercpuCounter}: an add marks its CPU in the mm's
 * {@link RanOnMask} (one per per-CPU area, so the four counters of an mm share
 * it) before it writes the slot, remote updaters (khugepaged, the OOM reaper,
 * a forking parent) included, since their slot writes land on whatever CPU
 * they run on. The teardown walks the mask once for the four counters (as
 * {@code one-walk} does). It applies to every design: eager, the cached
 * merged block (the mask is cleared with the block) and the lazy design after
 * its upgrade. It is {@link OneWalkImplementation} (the same lazy counter and
 * the same teardown) with masked per-CPU counters.
 *
 * <p>Why not the kernel's own {@code mm_cpumask(mm)}: on x86 it is set by
 * {@code switch_mm_irqs_off} for the CPUs the mm's tasks run on and cleared
 * lazily as the mm leaves a CPU, and a remote updater running another mm
 * writes a slot on a CPU the mask may not name. The walk would skip that
 * slot. A dedicated mask, never cleared while the mm lives, avoids both.
 *
 * <p>The two candidates differ in how a clear bit is set
 * ({@link RanOnMask.Setting}): {@code cpu-mask} with {@code cpumask_set_cpu}
 * (atomic), {@code cpu-mask-nonatomic} with {@code __cpumask_set_cpu}, on the
 * reasoning "each CPU only sets its own bit", which forgets that 64 CPUs share
 * a word.
 */
public class CpuMaskImplementation extends OneWalkImplementation {

    public static final String NAME = "cpu-mask";
    public static final String NON_ATOMIC_NAME = "cpu-mask-nonatomic";

    private final RanOnMask.Setting setting;

    /** {@code cpu-mask}: the bit set atomically. */
    public CpuMaskImplementation() {
        this(NAME, RanOnMask.Setting.ATOMIC,
                "the reference counters; every slot write first marks its CPU in a per-mm mask (atomic"
                        + " cpumask_set_cpu); sums and the exit walk visit only marked CPUs, the four counters in one walk",
                Verdict.verified("every slot that can hold a count is on a marked CPU; marks are never lost"));
    }

    protected CpuMaskImplementation(String name, RanOnMask.Setting setting, String description, Verdict verdict) {
        super(name, description, verdict);
        this.setting = setting;
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new MaskedPercpuCounter(area, slotIndex, batch, setting);
    }

}
