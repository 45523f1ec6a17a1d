package lazycount.candidate;

import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AtomicContext;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * Candidate "fold-at-upgrade": the two lazy words of the reference
 * {@code LazyPercpuCounter}, but the upgrade <em>moves</em> the lazy value into
 * the per-CPU counter, so that per-CPU mode reads one structure only. This is
 * the naive fold, written as a patch would first write it, and it is not fixed
 * here: an other-path add, an owner's add against a foreign upgrade, or a sum
 * that races the upgrade can be lost or miss counts.
 * {@link GracePeriodLazyCounter} is the same idea made safe with RCU.
 *
 * <p>In lazy mode only the owner (the first thread to add locally) may call
 * {@link #addLocal}; other contexts call {@link #addOther}. Any thread may call
 * {@link #upgrade}; two upgraders are serialized and the second returns false.
 * With no concurrent update or upgrade, {@link #sum} and {@link #destroy} are
 * exact (of whatever value the races left) and {@link #read} is within
 * {@link #readErrorBound()}. After {@link #destroy} every use is refused.
 */
public final class FoldAtUpgradeLazyCounter extends TwoWordLazyCounter {

    /*
     * Design notes.
     *
     * <p><b>What it mirrors.</b> The fold of the RFC's upgrade (Krisman, Nov 2025,
     * {@code lib/percpu_counter.c} in {@code krisman/linux} at 518c16d9): the
     * upgrade {@code atomic_long_xchg}es the remote word and adds the old value to
     * the per-CPU counter, and the owner's lazy count becomes the central count.
     * The RFC keeps the mode bit and the remote sum in <em>one</em> tagged word, so
     * its xchg takes the value and flips the mode in one step; this candidate
     * splits them into two words (a {@code remote} long and a {@code state}
     * pointer), which is where the naive fold stops being atomic.
     *
     * <p><b>State.</b> {@code local} (written only by the owning task, plain
     * arithmetic), {@code remote} (written by every other context, atomically),
     * and {@code state}: null in lazy mode, afterwards an immutable
     * {@code PerCpuState} = a {@link PercpuCounter} plus {@code base}, the value
     * folded at the upgrade (neither word is read again). {@link PercpuCounter} has no public way to seed its
     * central count ({@code percpu_counter_init(fbc, amount, gfp)} in the kernel),
     * so the seed lives beside it as {@code base}, published together with it by
     * one pointer store.
     *
     * <p><b>Invariant (intended).</b> Lazy: value = {@code local + remote}.
     * Per-CPU: value = {@code base + central + Σ slot}; {@code local} and
     * {@code remote} are dead words, never read again.
     *
     * <p><b>Protocol.</b>
     * <ul>
     * <li>Local add: read {@code state}; if null, check the caller owns the counter
     *     and {@code local += delta} (plain); else {@code percpu_counter_add_batch}.
     * <li>Other add: read {@code state}; if null, {@code atomic_long_add(delta, &remote)};
     *     else {@code percpu_counter_add_batch}.
     * <li>Upgrade (the owner at {@code CLONE_VM}, or anybody via {@link #upgrade()}):
     *     under the counter's upgrade lock (so that two upgraders cannot both fold),
     *     if still lazy: {@code base = READ_ONCE(local) + xchg(&remote, 0)}, allocate
     *     the per-CPU counter, {@code smp_store_release(&state, {percpu, base})}.
     * <li>Read/sum/destroy: read {@code state} once; lazy: {@code local + remote};
     *     per-CPU: {@code base} plus the per-CPU counter's read/sum/destroy.
     * </ul>
     *
     * <p><b>Where it may not hold</b> (by {@link lazycount.catalog.Race}):
     * <ul>
     * <li>{@link lazycount.catalog.Race#LOCAL_OTHER}: <i>local ∥ other, lazy.</i> Holds: different words, one writer for
     *     {@code local} (non-owners are refused), an atomic add for {@code remote}.
     * <li>{@link lazycount.catalog.Race#OTHER_UPGRADE}: <i>other ∥ upgrade.</i> <b>Suspected broken.</b> khugepaged (or the OOM
     *     reaper, or a parent filling a child at fork) runs {@link #addOther}: it
     *     reads {@code state == null} and is delayed before its atomic add. The
     *     owner calls clone(CLONE_VM): the upgrade xchg's {@code remote} to 0, folds
     *     the old value into {@code base} and publishes. khugepaged's add now lands
     *     on {@code remote}, which per-CPU mode never reads: the increment is lost
     *     ({@code check_mm} would report "Bad rss-counter state" at exit). The window
     *     is wider than one add in flight: the immutable {@code base} must be known
     *     before the publication, so the xchg comes first, and every other-path add
     *     that reads {@code state} between the xchg and the publication lands on the
     *     dead word too (an add that lands before the xchg is folded and safe).
     *     The RFC's single tagged word closes it by
     *     making the other path a cmpxchg loop that fails once the mode bit changes;
     *     {@link GracePeriodLazyCounter} closes it with a grace period.
     * <li>{@link lazycount.catalog.Race#LOCAL_UPGRADE}: <i>local ∥ upgrade from elsewhere</i> (the frequency policy: an
     *     other-path updater crossing the threshold upgrades). <b>Suspected
     *     broken.</b> The owner reads {@code state == null}, reads {@code local = L};
     *     the upgrader reads {@code local = L} and publishes {@code base = L + R};
     *     the owner stores {@code L + delta} into a word nobody reads again: lost,
     *     as is every owner add that reads {@code state} between the upgrader's
     *     read of {@code local} and the publication.
     *     At {@code CLONE_VM} the upgrader is the owner itself, which is not adding
     *     while it upgrades, so the forced rss_stat upgrade does not meet this race.
     * <li>{@link lazycount.catalog.Race#READ_SUM}: <i>read/sum ∥ update or upgrade.</i> <b>Suspected broken even without a
     *     concurrent add</b>: a {@code /proc} reader's {@link #sum()} reads
     *     {@code state == null} (before or after the xchg, as long as before the
     *     publication), the upgrade xchg's {@code remote} to 0, then the sum reads
     *     {@code local = L} and {@code remote = 0} and returns {@code L}, missing
     *     every remote add made before it started (with non-negative deltas, a
     *     value below the value at its invocation).
     *     Quiescent sums and reads are exact (read within the per-CPU bound).
     * <li>{@link lazycount.catalog.Race#PERCPU_FOLD_SUM}: <i>per-CPU add ∥ fold ∥ sum.</i> Holds: {@link PercpuCounter}'s own
     *     argument; {@code base} is immutable.
     * <li>{@link lazycount.catalog.Race#TEARDOWN}: <i>teardown.</i> Holds once the users are done (their last update
     *     happens-before the teardown through {@code mmput}'s atomic decrement):
     *     exact, but of a value that {@link lazycount.catalog.Race#OTHER_UPGRADE}, {@link lazycount.catalog.Race#LOCAL_UPGRADE} and {@link lazycount.catalog.Race#READ_SUM} may already have corrupted.
     * <li>{@link lazycount.catalog.Race#FORK}, {@link lazycount.catalog.Race#CLONE_VM}, {@link lazycount.catalog.Race#EXIT_CHECK_MM}: <i>rss_stat lifecycle.</i> fork fills the child with other-path adds
     *     before the child runs: lazy, holds. {@code CLONE_VM} by the only task:
     *     no local add races the fold, but any concurrent remote updater of the mm
     *     (khugepaged, the OOM reaper, {@code process_madvise}) meets {@link lazycount.catalog.Race#OTHER_UPGRADE}, and a
     *     concurrent {@code /proc} sum meets {@link lazycount.catalog.Race#READ_SUM}. Exit/check_mm: as {@link lazycount.catalog.Race#TEARDOWN}.
     * </ul>
     * Two upgraders are serialized by the upgrade lock (the lock a patch would
     * take: the second one finds the counter upgraded and returns false).
     *
     * <p><b>Memory ordering</b> (each access, the kernel primitive it mirrors):
     * <ul>
     * <li>{@code local}: the owner reads it plain and writes it opaque
     *     ({@code WRITE_ONCE(c->local, c->local + d)}); the upgrader and readers
     *     read it opaque ({@code READ_ONCE}), so a reader never sees it torn or
     *     going backwards. The upgrade does not clear it: clearing would make the
     *     upgrader a second writer of a plain word, and per-CPU mode never reads it.
     * <li>{@code remote}: {@code getAndAddRelease} ({@code atomic_long_add}; Java
     *     has no relaxed RMW), {@code getAndSet} for the fold
     *     ({@code atomic_long_xchg}, fully ordered), read opaque ({@code READ_ONCE}).
     * <li>{@code state}: published by {@code setRelease} under the upgrade lock
     *     ({@code smp_store_release}, i.e. {@code rcu_assign_pointer}), read by
     *     {@code getAcquire} ({@code smp_load_acquire}); the state's fields are
     *     final besides.
     * <li>{@code owner}, {@code destroyed} and the policy's {@code otherUpdates}:
     *     {@link LazyCounterBase}'s.
     * </ul>
     */

    private final Object upgradeLock = new Object();              // the lock a patch would take around the fold

    /** A counter with no owner yet, the given per-CPU batch and upgrade policy. O(1). */
    public FoldAtUpgradeLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        super(cpus, batch, policy);
    }

    @Override
    protected boolean addOtherLazy(CpuSection cpu, long delta) {
        // The window: an upgrade may fold and publish right here, before this add lands.
        REMOTE.getAndAddRelease(this, delta);                     // atomic_long_add(delta, &c->remote)
        return true;
    }

    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        if (state() != null) {
            return false;
        }
        return foldAndPublish(new PercpuCounter(cpus(), batch));  // alloc_percpu: O(nrCpus)
    }

    /**
     * Upgrades several counters onto one per-CPU allocation, one slot each
     * ({@code percpu_counter_init_many} at {@code CLONE_VM}).
     */
    public static void upgradeAll(FoldAtUpgradeLazyCounter[] counters) {
        if (counters.length == 0) {
            return;
        }
        PercpuArea area = new PercpuArea(checkUpgradeAll(counters), counters.length);
        for (int i = 0; i < counters.length; i++) {
            if (counters[i].state() == null) {
                counters[i].foldAndPublish(new PercpuCounter(area, i, counters[i].batch));
            }
        }
    }

    /** The naive fold: move the lazy words into the new counter's base, then publish. */
    private boolean foldAndPublish(PercpuCounter fresh) {
        synchronized (upgradeLock) {                              // spin_lock(&c->upgrade_lock)
            try (AtomicContext.Held atomic = AtomicContext.spinLock("c->upgrade_lock (spin_lock)")) {
                if (STATE.get(this) != null) {                    // stable under the lock
                    return false;
                }
                long base = (long) LOCAL.getOpaque(this)          // READ_ONCE(c->local)
                        + (long) REMOTE.getAndSet(this, 0L);      // atomic_long_xchg(&c->remote, 0)
                STATE.setRelease(this, new PerCpuState(fresh, base, false, false)); // smp_store_release(&c->state, new)
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return "FoldAtUpgradeLazyCounter[nrCpus=" + cpus().nrPossible() + ", batch=" + batch
                + ", mode=" + (state() == null ? "lazy" : "per-CPU") + "]";
    }
}
