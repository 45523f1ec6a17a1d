package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;

import java.util.Set;
import java.util.function.Supplier;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * {@code percpu_counter_destroy_many} without the counters' locks: "the mm is
 * dead, nobody adds any more", but CPU hotplug is not a user of the mm, and its
 * dead-CPU fold writes a counter's central count and slot under that lock.
 * From PIT: the survivor {@code destroyLocked} with {@code locked < counters.length}
 * negated (pit/survivors.md).
 */
public final class DestroyManyWithoutLocks extends PercpuMutant {

    public DestroyManyWithoutLocks() {
        super("destroy-many-without-locks", Race.HOTPLUG_FOLD, Set.of(JCSTRESS, FRAY),
                "the one-walk teardown of counters sharing an area reads them without their locks, so a CPU going down at the same time is seen with its fold half done: the dying CPU's count is lost (central read before the fold, slot after) or counted twice");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            protected long[] holdingLockForTeardown(Supplier<long[]> walk) {
                return walk.get();                         // BUG: no raw_spin_lock_irqsave(&fbc[i].lock)
            }
        };
    }
}
