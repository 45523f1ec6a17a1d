package lazycount.rss;

/** How an mm's four rss_stat counters are built. */
public enum RssDesign {
    /** Linux 6.6+: four percpu_counters sharing one per-CPU allocation, paid at every fork. */
    EAGER,
    /** The RFC: four lazy counters, upgraded to per-CPU mode at {@code CLONE_VM}. */
    LAZY,
    /**
     * The counter-proposal (Desnoyers): four percpu_counters whose slots live in
     * one merged per-mm per-CPU block (with the mm_cid and futex_ref data), taken
     * from a cache of such blocks instead of the per-CPU allocator. Always per-CPU;
     * the exit walk remains. See {@code lazycount.merged}.
     */
    CACHED_MERGED,
    /**
     * Desnoyers' 2026 series: four {@code percpu_counter_tree}s built eagerly at
     * {@code mm_init} on one per-CPU allocation; {@code get_mm_counter} is the
     * approximate sum (the root), {@code get_mm_counter_sum} and {@code check_mm}
     * the precise sum. See {@code lazycount.tree}.
     */
    TREE
}
