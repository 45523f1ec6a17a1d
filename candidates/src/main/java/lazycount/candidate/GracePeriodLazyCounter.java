package lazycount.candidate;

import java.util.ArrayList;
import java.util.List;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * Candidate "grace-period": {@link FoldAtUpgradeLazyCounter}'s fold made safe
 * the kernel way. Other-path adds run inside an RCU read-side section of the
 * counter's {@link Rcu} domain; the upgrade publishes the per-CPU counter,
 * waits for a grace period, and only then folds the remote word, which by
 * then can no longer change.
 *
 * <p>In lazy mode only the owner (the first thread to add locally) may call
 * {@link #addLocal}; other contexts call {@link #addOther}. Any thread may
 * upgrade ({@link #upgrade}, or {@link #upgradeAll} for an mm's counters with
 * one grace period), but not from inside a read-side section of the counter's
 * domain ({@link RcuMisuseException}): the upgrade blocks for a grace period.
 * Every add is counted exactly once; {@link #sum} and {@link #destroy} are
 * exact when no update runs concurrently (a concurrent sum sees each add
 * entirely or not at all), and {@link #read} is within
 * {@link #readErrorBound()}. After {@link #destroy} every use is refused.
 */
public final class GracePeriodLazyCounter extends TwoWordLazyCounter {

    /*
     * Design notes.
     *
     * <p><b>What it mirrors.</b> The mode switch of {@code lib/percpu-refcount.c}
     * ({@code __percpu_ref_switch_to_atomic}: set the mode flag, wait a grace period
     * with {@code call_rcu_hurry}, then {@code percpu_ref_switch_to_atomic_rcu}
     * folds the per-CPU counts, which readers in {@code rcu_read_lock()} sections
     * can no longer change), run in the opposite direction; and {@code rcu_sync}
     * ({@code kernel/rcu/sync.c}) as {@code percpu_down_read()} uses it
     * ({@code include/linux/percpu-rwsem.h}): the fast path checks
     * {@code rcu_sync_is_idle()} inside a preempt-disabled (RCU) section, and the
     * writer flips the mode and waits a grace period before relying on it. The
     * RCU is the {@link Rcu} model.
     *
     * <p><b>State.</b> {@code local} (written only by the owning task, plain),
     * {@code remote} (written by other contexts, atomically, only inside a read-side
     * section and only while they see lazy mode), and {@code state}: null in lazy
     * mode, afterwards an immutable {@code PerCpuState} = the {@link PercpuCounter},
     * a {@code base}, and two flags saying whether {@code local} and {@code remote}
     * are still part of the value. {@link PercpuCounter} has no public way to seed
     * or add to its central count without a {@link CpuSection}, so the folded
     * value lives beside it as {@code base}.
     *
     * <p><b>Invariant.</b> value = lazy: {@code local + remote}; per-CPU:
     * {@code base + central + Σ slot + (readsLocal ? local : 0) + (readsRemote ? remote : 0)}.
     * Nothing is ever moved from one word to another (except the
     * {@link PercpuCounter}'s own batch fold): a fold changes only <em>which</em>
     * words are read, and only for a word that has stopped changing, replacing the
     * state with one whose {@code base} already holds that word's final value.
     *
     * <p><b>Protocol.</b>
     * <ul>
     * <li>Local add (not in a section): read {@code state}; if null, check the
     *     caller owns the counter and {@code local += delta} plain; else
     *     {@code percpu_counter_add_batch}.
     * <li>Other add: read {@code state}; if set, per-CPU add (the mode never goes
     *     back, so no section is needed). Otherwise {@code rcu_read_lock()}, re-read
     *     {@code state} ({@code rcu_dereference}); if still null
     *     {@code atomic_long_add(delta, &remote)}, else the per-CPU add;
     *     {@code rcu_read_unlock()}. The frequency policy's upgrade runs after the
     *     unlock ({@code synchronize_rcu} inside a section would deadlock).
     * <li>Upgrade: publish {@code S1 = {percpu, base, readsLocal, readsRemote = true}}
     *     by {@code cmpxchg_release} (one winner; a loser drops its allocation).
     *     If the caller is the owning task (the {@code CLONE_VM} case: {@code copy_mm}
     *     runs in the mm's only task), {@code base = local} and {@code readsLocal = false};
     *     otherwise {@code base = 0} and {@code readsLocal = true}. Then
     *     {@code synchronize_rcu()}, then {@code r = READ_ONCE(remote)} and publish
     *     {@code S2 = {percpu, base + r, readsLocal, readsRemote = false}}.
     *     {@link #upgradeAll} publishes an mm's four counters, waits for one grace
     *     period, and folds the four.
     * </ul>
     *
     * <p><b>Why {@code local} is folded only by its owner.</b> The owner's plain
     * add is not in a read-side section (the RFC's local path is a bare
     * {@code count += amount}, and the model's {@code rcu_read_lock} costs a full
     * fence), so no grace period drains an owner's add in flight. Only the owner
     * itself knows it is not between its mode read and its store: it is executing
     * the upgrade. So the owner folds {@code local} at publication (the word is
     * frozen from then on: the owner's next add sees {@code S1} by program order),
     * and an upgrade by anybody else (the frequency policy, or {@link #upgrade()}
     * from another thread) leaves {@code local} in the sum for good, as the
     * reference does.
     *
     * <p><b>Why the fold reads {@code remote} instead of {@code xchg(&remote, 0)}.</b>
     * After the grace period {@code remote} has no writer left, so reading it
     * gives the same value as an xchg; clearing it would open a window where a
     * concurrent {@link #sum()} that loaded {@code S1} (which reads {@code remote})
     * loads the cleared word and misses {@code r}. Not clearing it makes the fold a
     * single pointer store, so no lock is shared between fold and sum.
     *
     * <p><b>Why no increment is lost or doubled</b> (by {@link lazycount.catalog.Race}):
     * <ul>
     * <li>{@link lazycount.catalog.Race#LOCAL_OTHER}: <i>local ∥ other, lazy.</i> Different words; {@code local} has one writer
     *     (non-owners are refused in lazy mode), {@code remote} is an atomic add.
     * <li>{@link lazycount.catalog.Race#OTHER_UPGRADE}: <i>other ∥ upgrade.</i> An other-path add that read {@code state == null}
     *     inside its section began before the upgrader's {@code synchronize_rcu()}
     *     could have missed it (the {@link Rcu} notes give the store-buffering
     *     argument), so its add to {@code remote} happens-before the fold's read of
     *     {@code remote}: it is in {@code r}, and counted by {@code S1} (which reads
     *     {@code remote}) before and by {@code S2}'s {@code base} after. An add that
     *     read {@code S1} or {@code S2} goes to a slot. This is exactly
     *     {@link FoldAtUpgradeLazyCounter}'s lost interleaving, closed by the wait.
     * <li>{@link lazycount.catalog.Race#LOCAL_UPGRADE}: <i>local ∥ upgrade from elsewhere.</i> A non-owner's upgrade keeps
     *     {@code readsLocal}: the owner's late add to {@code local} stays counted.
     *     An owner's upgrade cannot race its own add.
     * <li>{@link lazycount.catalog.Race#READ_SUM}: <i>read/sum ∥ update or upgrade.</i> A sum reads {@code state} once and
     *     then the words that state names; each of null, {@code S1} and {@code S2}
     *     names a set of words whose total is the value, and the words dropped by
     *     each transition are frozen at the value moved into {@code base}
     *     ({@code local} at {@code S1} when the owner upgrades, {@code remote} at
     *     {@code S2}). So whichever state a sum sees, it sees each add entirely or
     *     not at all; it is not a snapshot (as in the reference). Quiescent:
     *     exact; the read is within the per-CPU bound.
     * <li>{@link lazycount.catalog.Race#PERCPU_FOLD_SUM}: <i>per-CPU add ∥ fold ∥ sum.</i> {@link PercpuCounter}'s own argument.
     * <li>{@link lazycount.catalog.Race#TEARDOWN}: <i>teardown.</i> After all users (ordered by {@code mmput}'s atomic
     *     decrement), {@link #destroy()} computes the same formula: exact, in
     *     every state, even if an upgrade never finished its fold.
     * <li>{@link lazycount.catalog.Race#FORK}, {@link lazycount.catalog.Race#CLONE_VM}, {@link lazycount.catalog.Race#EXIT_CHECK_MM}: <i>rss_stat lifecycle.</i> fork fills the child lazily; {@code CLONE_VM}
     *     by the mm's only task folds {@code local} and, after one grace period,
     *     the four counters' {@code remote}s, with khugepaged or the OOM reaper
     *     adding concurrently; exit and {@code check_mm} as {@link lazycount.catalog.Race#TEARDOWN}.
     * </ul>
     * Cost: {@code synchronize_rcu()} in {@code clone(CLONE_VM)} blocks the
     * cloning task for a grace period (milliseconds in a kernel); a patch would
     * rather defer the fold to {@code call_rcu}, which this protocol allows
     * unchanged, since {@code S1} is already exact. The price in per-CPU mode is
     * none once folded by the owner; a non-owner's upgrade leaves one word to read.
     * The lazy other path pays the model's {@code rcu_read_lock()} (a thread-local
     * lookup, a volatile store and a full fence), far more than the kernel's
     * (a preempt count or per-task nesting increment): benchmarks of the lazy
     * other path measure the model, not the kernel.
     *
     * <p><b>Memory ordering</b> (each access, the kernel primitive it mirrors):
     * <ul>
     * <li>{@code local}: owner reads plain, writes opaque
     *     ({@code WRITE_ONCE(c->local, c->local + d)}); others read opaque
     *     ({@code READ_ONCE}, never torn nor going backwards).
     * <li>{@code remote}: {@code getAndAddRelease} ({@code atomic_long_add}; Java
     *     has no relaxed RMW); read opaque ({@code atomic_long_read}); the fold's
     *     read is ordered after the readers' adds by the grace period.
     * <li>{@code state}: {@code compareAndExchangeRelease} for {@code S1}
     *     ({@code cmpxchg_release}: {@code rcu_assign_pointer} plus the race between
     *     upgraders), {@code setRelease} for {@code S2} ({@code rcu_assign_pointer};
     *     only the winner writes it); read {@code getAcquire}
     *     ({@code rcu_dereference}/{@code smp_load_acquire}). The full fences that
     *     make the grace period sound are {@link Rcu}'s.
     * <li>{@code owner}, {@code destroyed} and the policy's {@code otherUpdates}:
     *     {@link LazyCounterBase}'s.
     * </ul>
     */

    private final Rcu rcu;

    /** A counter on the shared RCU domain ({@link Rcu#shared()}). O(1): nothing per-CPU yet. */
    public GracePeriodLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        this(cpus, batch, policy, Rcu.shared());
    }

    /** A counter whose other path and upgrade use {@code rcu} (a test domain, or a broken one for a mutant). */
    public GracePeriodLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, Rcu rcu) {
        super(cpus, batch, policy);
        this.rcu = rcu;
    }

    /**
     * The lazy-mode other path, in a read-side section; the frequency policy's
     * upgrade runs after it returns, outside the section (it waits a grace period).
     */
    @Override
    protected boolean addOtherLazy(CpuSection cpu, long delta) {
        try (Rcu.ReadSection ignored = rcu.readLock()) {          // rcu_read_lock()
            PerCpuState s = state();                              // rcu_dereference(c->state)
            if (s != null) {
                s.percpu.addBatch(cpu, delta, batch);
                return false;
            }
            REMOTE.getAndAddRelease(this, delta);                 // atomic_long_add(delta, &c->remote)
            return true;
        }                                                         // rcu_read_unlock()
    }

    /**
     * Publishes the per-CPU counter, waits for a grace period, folds {@code remote}.
     *
     * @throws RcuMisuseException if called inside a read-side section of this counter's domain
     */
    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        if (state() != null) {
            return false;
        }
        checkNotInReadSection("upgrade");
        if (!publish(new PercpuCounter(cpus(), batch))) {         // alloc_percpu: O(nrCpus)
            return false;
        }
        rcu.synchronize();                                        // synchronize_rcu()
        foldRemote();
        return true;
    }

    /**
     * Upgrades several counters onto one per-CPU allocation, one slot each
     * ({@code percpu_counter_init_many} at {@code CLONE_VM}), with one grace
     * period for all of them.
     */
    public static void upgradeAll(GracePeriodLazyCounter[] counters) {
        if (counters.length == 0) {
            return;
        }
        GracePeriodLazyCounter first = counters[0];
        for (GracePeriodLazyCounter c : counters) {
            c.checkAlive("upgradeAll");
            if (c.cpus() != first.cpus() || c.rcu != first.rcu) {
                throw new IllegalArgumentException("upgradeAll() over counters of different CPU sets or RCU domains: "
                        + first + " on " + first.rcu + " and " + c + " on " + c.rcu);
            }
        }
        first.checkNotInReadSection("upgradeAll");
        PercpuArea area = new PercpuArea(first.cpus(), counters.length);
        List<GracePeriodLazyCounter> published = new ArrayList<>(counters.length);
        for (int i = 0; i < counters.length; i++) {
            if (counters[i].state() == null && counters[i].publish(new PercpuCounter(area, i, counters[i].batch))) {
                published.add(counters[i]);
            }
        }
        if (!published.isEmpty()) {
            first.rcu.synchronize();                              // one synchronize_rcu() for the mm
            published.forEach(GracePeriodLazyCounter::foldRemote);
        }
    }

    /** Step 1: S1, which still reads {@code remote}; folds {@code local} only if the caller owns it. */
    private boolean publish(PercpuCounter fresh) {
        boolean callerOwns = owner() == Thread.currentThread();    // READ_ONCE(c->owner) == current
        // The owner reads its own word; it is not adding while it upgrades.
        long base = callerOwns ? (long) LOCAL.get(this) : 0L;
        PerCpuState s1 = new PerCpuState(fresh, base, !callerOwns, true);
        // cmpxchg_release(&c->state, NULL, s1): one winner; the loser's allocation is dropped.
        if (STATE.compareAndExchangeRelease(this, null, s1) == null) {
            return true;
        }
        fresh.leaveHotplugList();                                 // percpu_counter_destroy of the loser: list_del
        return false;
    }

    /** Step 2, after the grace period: {@code remote} has no writer left; S2 stops reading it. */
    private void foldRemote() {
        PerCpuState s1 = state();
        long frozen = (long) REMOTE.getOpaque(this);              // atomic_long_read: ordered by synchronize_rcu
        STATE.setRelease(this, s1.withRemoteFolded(frozen));      // rcu_assign_pointer(c->state, s2)
    }

    /** Whether the upgrade has folded {@code remote} (false while lazy or during the grace period). */
    public boolean isRemoteFolded() {
        PerCpuState s = state();
        return s != null && !s.readsRemote;
    }

    /** Whether per-CPU mode still reads {@code local} (an upgrade by a thread other than the owner). */
    public boolean readsLocalInPerCpuMode() {
        PerCpuState s = state();
        return s != null && s.readsLocal;
    }

    public Rcu rcu() {
        return rcu;
    }

    private void checkNotInReadSection(String operation) {
        if (rcu.isInReadSection()) {
            throw new RcuMisuseException(operation + "() on " + this + " inside a read-side section of " + rcu
                    + ": its synchronize_rcu() would wait for the caller forever");
        }
    }

    @Override
    public String toString() {
        PerCpuState s = state();
        return "GracePeriodLazyCounter[nrCpus=" + cpus().nrPossible() + ", batch=" + batch + ", mode="
                + (s == null ? "lazy" : s.readsRemote ? "per-CPU, remote not yet folded" : "per-CPU") + "]";
    }
}
