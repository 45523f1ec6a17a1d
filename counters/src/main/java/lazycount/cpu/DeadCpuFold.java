package lazycount.cpu;

/**
 * One entry of the CPU-hotplug list ({@code percpu_counters} in
 * {@code lib/percpu_counter.c}): what {@code percpu_counter_cpu_dead} does to
 * one counter when a CPU has died. A per-CPU counter folds the dead CPU's slot
 * into its central count, under its own lock, so that no part of its value is
 * left on a CPU nobody runs on.
 */
@FunctionalInterface
public interface DeadCpuFold {

    /** Called with the hotplug list locked, once per listed counter, after {@code cpu} has died. */
    void foldDeadCpu(int cpu);
}
