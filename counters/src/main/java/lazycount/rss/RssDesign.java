package lazycount.rss;

/** How an mm's four rss_stat counters are built. */
public enum RssDesign {
    /** Linux 6.6+: four percpu_counters sharing one per-CPU allocation, paid at every fork. */
    EAGER,
    /** The RFC: four lazy counters, upgraded to per-CPU mode at {@code CLONE_VM}. */
    LAZY
}
