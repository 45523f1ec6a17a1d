package lazycount.tree;

import java.util.Arrays;
import lazycount.cpu.Cpus;

/**
 * The shape of a {@link PercpuCounterTree}: the C's {@code struct counter_config}
 * ({@code nr_items}, {@code nr_levels}, {@code n_arity_order[]}) for an order of
 * {@code nr_cpu_ids}, and the accuracy multiplier derived from it.
 *
 * <p>{@link #forNrCpus} is the configuration the kernel picks at boot
 * ({@code percpu_counter_tree_subsystem_init}: the row
 * {@code per_nr_cpu_order_config[get_count_order(nr_cpu_ids)]}); {@link #of}
 * builds any other shape with the same rules (at most five levels, each fan-out
 * a power of two, the fan-out orders summing to the CPU order), for experiments.
 * Immutable.
 */
public final class TreeTopology {

    /*
     * Design notes.
     *
     * Source: lib/percpu_counter_tree.c of Mathieu Desnoyers' series "Improve proc RSS
     * accuracy and OOM killer latency", in the tree state linux-mm/linux-mm
     * 2f1e5706062c9c6476e0335288557c6c18b71090 (see PercpuCounterTree's notes for how
     * the file's text was read). Map:
     *   ROWS / NR_ITEMS        <- per_nr_cpu_order_config[]        percpu_counter_tree.c 168-190
     *   MAX_NR_LEVELS          <- #define MAX_NR_LEVELS            percpu_counter_tree.c 146
     *   forNrCpus              <- percpu_counter_tree_subsystem_init  percpu_counter_tree.c 681-696
     *   accuracyMultiplier()   <- calculate_accuracy_topology       percpu_counter_tree.c 662-679
     *   itemsSizeBytes()       <- __percpu_counter_tree_items_size (set in subsystem_init),
     *                             percpu_counter_tree_items_size    percpu_counter_tree.h 116-121
     *   getCountOrder          <- get_count_order (include/linux/bitops.h): ceil(log2 n)
     *
     * nr_levels excludes the final level (the approximate sum, the root item);
     * nr_items counts the items of levels 1 .. nr_levels inclusive, root last, and is
     * sum over l = 1..nr_levels of 2^(order - (a_0 + ... + a_{l-1})). The table is
     * kept as the C has it and of() derives nr_items by that formula; a unit test
     * pins that both agree on every row.
     *
     * The model's Cpus allows up to 8192 CPUs (order 13); the table is kept whole
     * (orders 0 to 20) as the C has it.
     */

    /** {@code MAX_NR_LEVELS}. */
    public static final int MAX_NR_LEVELS = 5;

    /** Bytes of one tree item: {@code struct percpu_counter_tree_level_item} is {@code ____cacheline_aligned_in_smp} (64 on x86-64). */
    public static final int ITEM_BYTES = 64;

    /** {@code per_nr_cpu_order_config[order].n_arity_order}, row by row (orders 0 to 20). */
    private static final int[][] ROWS = {
        {}, {1}, {1, 1}, {1, 1, 1}, {2, 1, 1}, {2, 2, 1}, {2, 2, 2}, {3, 2, 2}, {3, 3, 2}, {3, 3, 3},
        {3, 3, 2, 2}, {3, 3, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 2, 2}, {3, 3, 3, 3, 2}, {3, 3, 3, 3, 3},
        {4, 3, 3, 3, 3}, {4, 4, 3, 3, 3}, {4, 4, 4, 3, 3}, {4, 4, 4, 4, 3}, {4, 4, 4, 4, 4},
    };

    /** {@code per_nr_cpu_order_config[order].nr_items}, as the C table states them. */
    static final int[] NR_ITEMS = {
        0, 1, 3, 7, 7, 11, 21, 21, 37, 73, 149, 293, 585, 1173, 2341, 4681, 4681, 8777, 17481, 34953, 69905,
    };

    private final int nrCpusOrder;
    private final int[] arityOrders;
    private final int nrItems;
    private final long accuracyMultiplier;

    private TreeTopology(int nrCpusOrder, int[] arityOrders) {
        this.nrCpusOrder = nrCpusOrder;
        this.arityOrders = arityOrders;
        this.nrItems = deriveNrItems(nrCpusOrder, arityOrders);
        this.accuracyMultiplier = calculateAccuracyTopology(nrCpusOrder, arityOrders);
    }

    /**
     * The kernel's configuration for {@code nrCpuIds} possible CPUs
     * ({@code percpu_counter_tree_subsystem_init}).
     *
     * @throws IllegalArgumentException if {@code nrCpuIds < 1} or its order is past the table
     *         (the C's "Unsupported number of CPUs")
     */
    public static TreeTopology forNrCpus(int nrCpuIds) {
        if (nrCpuIds < 1) {
            throw new IllegalArgumentException("nr_cpu_ids must be >= 1, was " + nrCpuIds);
        }
        int order = getCountOrder(nrCpuIds);
        if (order >= ROWS.length) {
            throw new IllegalArgumentException("percpu_counter_tree_subsystem_init: Unsupported number of CPUs ("
                    + nrCpuIds + ")");
        }
        return new TreeTopology(order, ROWS[order].clone());
    }

    /** {@link #forNrCpus} for a machine's possible CPUs. */
    public static TreeTopology forCpus(Cpus cpus) {
        return forNrCpus(cpus.nrPossible());
    }

    /**
     * A custom shape: {@code arityOrders[l]} is log2 of the fan-out from level
     * {@code l} to level {@code l + 1}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= nrCpusOrder <= 20}, there are at most
     *         {@link #MAX_NR_LEVELS} levels, each order is at least 1, they sum to {@code nrCpusOrder},
     *         and there is no level exactly when {@code nrCpusOrder == 0}
     */
    public static TreeTopology of(int nrCpusOrder, int... arityOrders) {
        int[] a = arityOrders.clone();
        if (nrCpusOrder < 0 || nrCpusOrder >= ROWS.length) {
            throw new IllegalArgumentException("nrCpusOrder must be in [0, " + (ROWS.length - 1) + "], was " + nrCpusOrder);
        }
        if (a.length > MAX_NR_LEVELS) {
            throw new IllegalArgumentException("at most MAX_NR_LEVELS = " + MAX_NR_LEVELS + " levels, was " + a.length);
        }
        int sum = 0;
        for (int order : a) {
            if (order < 1) {
                throw new IllegalArgumentException("every n_arity_order must be >= 1, was " + Arrays.toString(a));
            }
            sum += order;
        }
        if (sum != nrCpusOrder) {
            throw new IllegalArgumentException("n_arity_order " + Arrays.toString(a) + " sums to " + sum
                    + ", not to the CPU order " + nrCpusOrder + ": the root would not be a single item");
        }
        return new TreeTopology(nrCpusOrder, a);
    }

    /** {@code get_count_order(n)}: the smallest {@code k} with {@code 2^k >= n}, for {@code n >= 1}. */
    public static int getCountOrder(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("get_count_order of " + n);
        }
        return n == 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }

    private static int deriveNrItems(int order, int[] a) {
        int items = 0;
        int shift = 0;
        for (int level = 1; level <= a.length; level++) {
            shift += a[level - 1];
            items += 1 << (order - shift);
        }
        return items;
    }

    /** {@code calculate_accuracy_topology}: sum over levels 0..nr_levels-1 of (batch unit x items at that level). */
    private static long calculateAccuracyTopology(int order, int[] a) {
        long multiplier = 0;
        long levelItems = 1L << order;
        long batchSize = 1;
        for (int level = 0; level < a.length; level++) {
            multiplier += batchSize * levelItems;
            batchSize <<= a[level];
            levelItems >>= a[level];
        }
        return multiplier;
    }

    /** {@code nr_cpus_order}: {@code get_count_order(nr_cpu_ids)}. */
    public int nrCpusOrder() {
        return nrCpusOrder;
    }

    /** {@code nr_levels}: the tree levels below the root (0 for a single CPU). */
    public int nrLevels() {
        return arityOrders.length;
    }

    /** {@code n_arity_order[level]}, for {@code 0 <= level < nrLevels()}. */
    public int arityOrder(int level) {
        return arityOrders[level];
    }

    /** {@code nr_items}: items of levels 1 to the root, excluding the per-CPU level 0. */
    public int nrItems() {
        return nrItems;
    }

    /** {@code accuracy_multiplier}: the accuracy range per unit of batch size. */
    public long accuracyMultiplier() {
        return accuracyMultiplier;
    }

    /** {@code percpu_counter_tree_items_size()}: bytes of the items of one tree (0 for a single CPU). */
    public long itemsSizeBytes() {
        return nrCpusOrder == 0 ? 0 : (long) nrItems * ITEM_BYTES;
    }

    /** Whether this is the shape for a machine of {@code nrCpuIds} CPUs' order. */
    boolean fits(int nrCpuIds) {
        return getCountOrder(nrCpuIds) == nrCpusOrder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeTopology t && t.nrCpusOrder == nrCpusOrder && Arrays.equals(t.arityOrders, arityOrders);
    }

    @Override
    public int hashCode() {
        return 31 * nrCpusOrder + Arrays.hashCode(arityOrders);
    }

    @Override
    public String toString() {
        return "TreeTopology[order=" + nrCpusOrder + ", n_arity_order=" + Arrays.toString(arityOrders)
                + ", nr_items=" + nrItems + "]";
    }
}
