package lazycount.counter;

/**
 * Builds a percpu_counter on one slot of a per-CPU allocation: how a lazy
 * counter's upgrade, {@code percpu_counter_init_many} and the merged block get
 * their per-CPU counters from the implementation under test (the reference's
 * {@code PercpuCounter::new}, or a broken variant of it).
 */
@FunctionalInterface
public interface PercpuFactory {

    PercpuCounter create(PercpuArea area, int slotIndex, int batch);
}
