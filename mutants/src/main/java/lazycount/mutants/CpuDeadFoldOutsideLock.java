package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * {@code percpu_counter_cpu_dead} without {@code raw_spin_lock(&fbc->lock)}:
 * "nobody runs on a dead CPU, so its slot needs no lock", but the central
 * count is shared with every batch fold and every sum.
 */
public final class CpuDeadFoldOutsideLock extends PercpuMutant {

    public CpuDeadFoldOutsideLock() {
        super("cpu-dead-fold-outside-lock", Race.HOTPLUG_FOLD, Set.of(JCSTRESS, LINCHECK),
                "the hotplug fold of a dead CPU's slot updates the central count without the lock, so a batch fold at the same time loses one of the two updates and a sum or the teardown can see the slot in both places");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            protected void foldDeadCpu(int cpu) {
                moveDeadSlotToCentral(cpu);                 // BUG: no raw_spin_lock(&fbc->lock)
            }
        };
    }
}
