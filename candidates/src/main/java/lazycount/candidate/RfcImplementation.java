package lazycount.candidate;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Op;
import lazycount.catalog.Verdict;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;

/**
 * Candidate {@code rfc}: RFC v1 <i>Optimize rss_stat initialization/teardown
 * for single-threaded tasks</i> as posted, carried by {@code pongo1231/linux} at
 * 1081a970494e84ff66334067570245009724a495, modelled access by access in
 * {@link RfcLazyCounter} with {@link RfcLazyCounter.Variant#RFC}:
 * <ul>
 * <li>{@code include/linux/lazy_percpu_counter.h}: the whole lazy API
 *     ({@code lazy_percpu_counter_init_many}, {@code _add_atomic},
 *     {@code _add_fast}, {@code _sum_local}, {@code _sum}, {@code _read},
 *     {@code _upgrade_many}, {@code _destroy_many});
 * <li>{@code include/linux/percpu_counter.h}: the union of {@code counters}
 *     and the tagged {@code remote} word; {@code percpu_counter_add},
 *     {@code percpu_counter_add_local} (batch {@code INT_MAX}),
 *     {@code percpu_counter_read}, {@code percpu_counter_sum};
 * <li>{@code lib/percpu_counter.c}: {@code __lazy_percpu_counter_upgrade_many},
 *     {@code cpu_hotplug_add_watchlist}, {@code percpu_counter_destroy_many},
 *     {@code percpu_counter_add_batch} ({@code CONFIG_HAVE_CMPXCHG_LOCAL}),
 *     {@code __percpu_counter_sum}, {@code percpu_counter_cpu_dead};
 * <li>{@code include/linux/mm.h}: {@code get_mm_counter} (the read),
 *     {@code get_mm_counter_sum} (the non-syncing sum),
 *     {@code add_mm_counter_local}, {@code add_mm_counter_other};
 * <li>{@code kernel/fork.c}: {@code mm_init} (lazy init), {@code copy_mm}
 *     ({@code upgrade_many} of the four counters on {@code CLONE_VM}),
 *     {@code check_mm} (the syncing {@code lazy_percpu_counter_sum_local}) and
 *     {@code __mmdrop} ({@code destroy_many}).
 * </ul>
 * The RFC has no single-counter upgrade: {@link RfcLazyCounter#upgrade()} is
 * {@code upgrade_many} of that one counter. The RFC's counter is rss_stat's:
 * its header leaves local accesses to the caller, and its call sites upgrade
 * the four counters together, once, in {@code copy_mm} on {@code CLONE_VM}.
 */
public class RfcImplementation extends RssStatCandidate<RfcLazyCounter.Variant> {

    public static final String NAME = "rfc";

    public RfcImplementation() {
        this(NAME, RfcLazyCounter.Variant.RFC,
                "RFC v1's counter (pongo1231/linux @1081a970 lazy_percpu_counter.h, lib/percpu_counter.c): tagged"
                        + " remote word, plain count aliased as the central count, upgrade only by upgrade_many (no"
                        + " lock), residue parked by percpu_counter_add_local, syncing sum only in check_mm",
                Verdict.refuted(Set.of(JCSTRESS, LINCHECK, JQWIK, FRAY), "under its rss_stat contract: after copy_mm's "
                        + "upgrade get_mm_counter misses the remote residue parked in one slot, beyond nrCpus * "
                        + "(batch - 1) (jqwik); a kthread_use_mm borrower takes the plain local path beside the owner "
                        + "(Lincheck); the upgrade joins the hotplug list after publishing, so a page added on a CPU "
                        + "that dies in between is missed by reads and by a sum while it boots again (jcstress); a "
                        + "precise get_mm_counter racing the CLONE_VM upgrade misses a count the reader added itself "
                        + "(Fray)"));
    }

    protected RfcImplementation(String name, RfcLazyCounter.Variant variant, String description,
            Verdict verdict) {
        super(name, variant, description, verdict);
    }

    /**
     * The series as posted: {@code copy_mm} upgrades on every {@code CLONE_VM}
     * (vfork included) and {@code add_mm_counter_local} tests only
     * {@code current->mm == mm}, so a {@code kthread_use_mm} borrower takes
     * the plain local path. {@code rfc-fixed} sends kernel threads to the
     * other path.
     */
    @Override
    public KernelPolicy kernelPolicy() {
        return variant == RfcLazyCounter.Variant.RFC
                ? new KernelPolicy(KernelPolicy.CloneUpgrade.EVERY_CLONE_VM, KernelPolicy.BorrowerPath.LOCAL_PATH)
                : KernelPolicy.DEFAULT;
    }

    /**
     * The C call path of each operation in the series as posted
     * (include/linux/mm.h, include/linux/lazy_percpu_counter.h,
     * lib/percpu_counter.c, kernel/fork.c at pongo1231/linux 1081a970).
     */
    @Override
    public String kernelPath(Op op) {
        return switch (op) {
            case LOCAL_ADD -> "add_mm_counter_local [current->mm == mm] -> lazy_percpu_counter_add_fast (count += v)";
            case OTHER_ADD -> "add_mm_counter_other -> lazy_percpu_counter_add_atomic (cmpxchg_relaxed loop on remote)";
            case PERCPU_ADD -> "add_mm_counter_* -> percpu_counter_add -> percpu_counter_add_batch";
            case FOLD -> "percpu_counter_add_batch -> raw_spin_lock_irqsave(&fbc->lock); fbc->count += count";
            case UPGRADE -> "lazy_percpu_counter_upgrade_many(fbc, 1, gfp) (no caller upgrades one counter)";
            case UPGRADE_CLONE_VM -> "copy_process -> copy_mm [CLONE_VM] -> lazy_percpu_counter_upgrade_many -> "
                    + "__lazy_percpu_counter_upgrade_many (xchg, percpu_counter_add_local, cpu_hotplug_add_watchlist)";
            case READ -> "get_mm_counter -> lazy_percpu_counter_read_positive -> lazy_percpu_counter_read";
            case SUM -> "get_mm_counter_sum -> lazy_percpu_counter_sum_positive -> lazy_percpu_counter_sum";
            case DESTROY -> "__mmdrop -> check_mm -> lazy_percpu_counter_sum_local; lazy_percpu_counter_destroy_many";
            case BORROWER_ADD -> "kthread_use_mm; add_mm_counter_local [current->mm == mm] -> lazy_percpu_counter_add_fast";
            case CPU_DEAD -> "cpuhp teardown -> percpu_counter_cpu_dead (fbc->lock; count += *per_cpu_ptr)";
            case CLONE_ENOMEM -> "copy_mm [CLONE_VM] -> __lazy_percpu_counter_upgrade_many -> -ENOMEM";
            default -> op.kernel();
        };
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return RfcLazyCounter.of(variant, cpus, batch, policy);
    }

    /** The tagged word keeps 63 bits of the other-path sum ({@code (v << 1) | 1}). */
    @Override
    public int valueBits() {
        return 63;
    }

    /** {@code copy_mm} on {@code CLONE_VM}: {@code lazy_percpu_counter_upgrade_many}, one allocation for the four. */
    @Override
    public void upgradeAll(RssCounter[] counters) {
        upgradeAllSharing(counters, RfcLazyCounter[].class, RfcLazyCounter::upgradeAll);
    }
}
