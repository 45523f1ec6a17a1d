package lazycount.candidate;

import lazycount.catalog.Op;
import lazycount.catalog.Verdict;

/**
 * Candidate {@code rfc-fixed}: the minimal fix of RFC v1 as posted
 * ({@code pongo1231/linux} at 1081a970, {@link RfcImplementation}) for
 * rss_stat, kernel-legal: {@link RfcFixedLazyCounter}, v1's counter with the
 * functions it changes overridden (upgrade only by the owner in
 * {@code copy_mm}, the residue folded into {@code count} under
 * {@code fbc->lock} in the exchange's section, validated reads, the hotplug
 * list joined before publishing with a tag-aware
 * {@code percpu_counter_cpu_dead}), and {@code kthread_use_mm} borrowers on
 * the other path ({@code PF_KTHREAD} in {@code add_mm_counter_local}). Nothing
 * sleeps under a lock: the allocation is {@code GFP_KERNEL_ACCOUNT} in
 * {@code copy_mm}, before any lock, and there is no grace period. Its contract
 * is v1's (rss_stat): no single-counter upgrade, no frequency trigger; a
 * foreign upgrade is refused by name ({@link lazycount.counter.NotOwnerException}).
 */
public final class RfcFixedImplementation extends RfcImplementation {

    public static final String NAME = "rfc-fixed";

    public RfcFixedImplementation() {
        super(NAME, RfcLazyCounter.Variant.FIXED,
                "RFC v1 (pongo1231/linux @1081a970) minimally fixed for rss_stat, kernel-legal: upgrade only by the"
                        + " owner in copy_mm (GFP_KERNEL, no lock), residue folded into count under fbc->lock with the"
                        + " xchg, validated reads, hotplug list joined before publishing (tag-aware cpu_dead),"
                        + " PF_KTHREAD borrowers on the other path (63-bit tagged word, declared)",
                Verdict.verified("under its rss_stat contract nothing is lost or doubled and reads keep the"
                        + " percpu_counter bound: the owner is the only plain writer and the upgrader, the residue"
                        + " joins count in the exchange's locked section, reads validate the mode; nothing sleeps"
                        + " under a lock"));
    }

    /** The C call paths that differ from v1's ({@link RfcFixedLazyCounter}'s function map). */
    @Override
    public String kernelPath(Op op) {
        return switch (op) {
            case UPGRADE -> "lazy_percpu_counter_upgrade_many(fbc, 1, gfp) by a non-owner: refused (only copy_mm "
                    + "upgrades)";
            case UPGRADE_CLONE_VM -> "copy_process -> copy_mm [CLONE_VM] -> lazy_percpu_counter_upgrade_many -> "
                    + "__lazy_percpu_counter_upgrade_many (fixed: alloc GFP_KERNEL, cpu_hotplug_add_watchlist, then "
                    + "per counter under fbc->lock: xchg, count += residue)";
            case READ -> "get_mm_counter -> lazy_percpu_counter_read (fixed: word, count, word again)";
            case SUM -> "get_mm_counter_sum -> lazy_percpu_counter_sum (fixed: validated; percpu_counter_sum once "
                    + "per-CPU)";
            case BORROWER_ADD -> "kthread_use_mm; add_mm_counter_local [PF_KTHREAD] -> add_mm_counter_other -> "
                    + "lazy_percpu_counter_add_atomic";
            case CPU_DEAD -> "cpuhp teardown -> percpu_counter_cpu_dead (fixed: skips a listed counter still lazy; "
                    + "fbc->lock; count += *per_cpu_ptr)";
            default -> super.kernelPath(op);
        };
    }
}
