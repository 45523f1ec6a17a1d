package lazycount.counter;

import lazycount.cpu.CpuSection;

/**
 * A counter with one update, which any context makes on its CPU:
 * {@code percpu_counter_add} ({@link BatchedCounter}) and
 * {@code percpu_counter_tree_add} ({@code lazycount.tree.PercpuCounterTree}).
 * The eager rss_stat designs ({@link EagerRssCounter}) are one of these under
 * both {@code add_mm_counter} paths.
 */
public interface AddCounter extends Counter {

    /**
     * Adds {@code delta} on the CPU of {@code cpu}.
     *
     * @throws lazycount.cpu.WrongCpuSectionException if {@code cpu} is not an open section of this thread on this counter's CPUs
     * @throws CounterDestroyedException after teardown
     */
    void add(CpuSection cpu, long delta);
}
