package lazycount.candidate;

import lazycount.counter.NotOwnerException;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AtomicContext;
import lazycount.cpu.Cpus;

/**
 * Candidate {@code rfc-fixed}: RFC v1 ({@link RfcLazyCounter}) with the
 * smallest changes that make it correct for rss_stat, each one an override of
 * the v1 function it changes, and kernel-legal: nothing sleeps under a lock.
 *
 * <p>As v1: the owner adds plainly to {@code count} while lazy, every other
 * context adds to the tagged word by a cmpxchg loop (and to the per-CPU slots
 * once the tag is gone), the four counters of an mm upgrade together in
 * {@code copy_mm}, {@code check_mm} syncs and tears down. Changed:
 * <ul>
 * <li>Only the owner upgrades ({@code copy_mm} runs in {@code current}, whose
 *     mm it is): any other caller of the upgrade is refused with
 *     {@link NotOwnerException}. The owner is then the only plain writer of
 *     {@code count} and is not adding while it upgrades, so nothing has to be
 *     waited for: no RCU, no grace period.
 * <li>The residue (the other-path sum the exchange takes out of the word) is
 *     folded into {@code count} in the same {@code fbc->lock} section as the
 *     exchange, so {@code percpu_counter_sum} never misses it and
 *     {@code percpu_counter_read} keeps the percpu_counter bound
 *     {@code nrCpus * (batch - 1)} once the upgrade is over.
 * <li>Reads and sums load the word once, then {@code count}, then check the
 *     mode again: never {@code pointer >> 1}, never the residue twice.
 * <li>The counters join the CPU-hotplug list before their pointers are
 *     published, and {@code percpu_counter_cpu_dead} skips a listed counter
 *     that is still lazy (tested under its lock, which the exchange holds).
 * <li>A {@code kthread_use_mm} borrower takes the other path
 *     ({@code add_mm_counter_local} tests {@code PF_KTHREAD}): the
 *     implementation's kernel policy, not this class.
 * </ul>
 * The allocation is {@code GFP_KERNEL_ACCOUNT} in {@code copy_mm} (process
 * context, no lock held); -ENOMEM changes nothing and fails the clone.
 */
public class RfcFixedLazyCounter extends RfcLazyCounter {

    /*
     * Design notes.
     *
     * <p><b>The function map</b>, Java to the C it changes (v1 at pongo1231/linux
     * 1081a970; h = include/linux/lazy_percpu_counter.h, pc.c = lib/percpu_counter.c):
     * <ul>
     * <li>{@link #upgradeMany}: {@code __lazy_percpu_counter_upgrade_many}, pc.c
     *     401-438, rewritten:
     *     <pre>
     * for (i = 0; i &lt; nr; i++)
     *         if (WARN_ON_ONCE(READ_ONCE(c[i].owner) != current)) return -EINVAL;  (copy_mm only)
     * pcpu_mem = __alloc_percpu_gfp(nr * sizeof(s32), __alignof__(s32), gfp);  (GFP_KERNEL_ACCOUNT)
     * if (!pcpu_mem) return -ENOMEM;
     * cpu_hotplug_add_watchlist(c, nr);             (before the pointers: see percpu_counter_cpu_dead)
     * for (i = 0; i &lt; nr; i++) {
     *         raw_spin_lock_irqsave(&amp;c[i].c.lock, flags);
     *         if (lazy_percpu_counter_initialized(&amp;c[i])) { unlock; continue; }  (was WARN_ON, then BUG_ON)
     *         remote = atomic_long_xchg(&amp;c[i].c.remote, (long)(pcpu_mem + i * sizeof(s32)));
     *         BUG_ON(!(remote &amp; LAZY_INIT_BIAS));
     *         c[i].c.count += remove_bias(remote);  (was percpu_counter_add_local, batch INT_MAX)
     *         raw_spin_unlock_irqrestore(&amp;c[i].c.lock, flags);
     * }</pre>
     *     The {@code owner} test stands for "called from {@code copy_mm} by
     *     {@code current}", which the C states by its one call site; the model
     *     refuses by name any other caller. {@code lazy_percpu_counter_upgrade_many}
     *     (h 125-136, the wrapper that tests element 0) is v1's, unchanged
     *     ({@link RfcLazyCounter#upgrade}, {@link RfcLazyCounter#upgradeAll}).
     * <li>{@link #foldResidue}: the {@code c[i].c.count += remove_bias(remote)}
     *     line above, under {@code fbc->lock}.
     * <li>{@link #read}: {@code lazy_percpu_counter_read}, h 111-116, rewritten:
     *     {@code w = atomic_long_read(&remote); if (!(w & 1)) return READ_ONCE(count);
     *     v = READ_ONCE(count); smp_rmb(); if (atomic_long_read(&remote) & 1) return
     *     remove_bias(w) + v; return READ_ONCE(count);}
     * <li>{@link #sum}: {@code lazy_percpu_counter_sum}, h 97-102: the same
     *     validation, {@code percpu_counter_sum} once per-CPU.
     * <li>{@link #deadCpuWhileLazy}: {@code percpu_counter_cpu_dead}, pc.c
     *     273-293, one test added under {@code fbc->lock}:
     *     {@code if (!lazy_percpu_counter_initialized(fbc)) continue;}
     *     (a counter listed before its pointer is published has no slot yet).
     * </ul>
     * Unchanged from v1: {@code lazy_percpu_counter_add_fast} (the owner's plain
     * add), {@code lazy_percpu_counter_add_atomic} (a cmpxchg loop on the tagged
     * word that adds only while the tag says lazy, and otherwise takes the
     * per-CPU path, so it can never corrupt the pointer the exchange stores),
     * {@code percpu_counter_add_batch}, {@code lazy_percpu_counter_sum_local}
     * (the syncing sum, run by {@code check_mm} only, when nobody else can touch
     * the counter), {@code lazy_percpu_counter_destroy_many}.
     *
     * <p><b>Why no count is lost or doubled at the upgrade.</b> The owner is the
     * upgrader, so no plain add of {@code count} is in flight. An other-path
     * cmpxchg either lands before the exchange (its amount is in the residue,
     * folded once) or fails and sees the pointer (its amount goes to a slot). A
     * per-CPU fold and {@code percpu_counter_sum} take {@code fbc->lock}, which
     * covers the exchange and the residue's fold together, so they see both or
     * neither. A validating reader that sees {@code count} with the residue in
     * it (a release store after the exchange, read with acquire) sees the
     * pointer on its re-check, so it never adds the residue twice.
     *
     * <p><b>Legality.</b> The allocation and the hotplug list's lock come before
     * {@code fbc->lock}; under {@code fbc->lock} there is only the exchange and
     * an add. The earlier {@code rfc-fixed}, which let any context upgrade,
     * waited {@code synchronize_rcu()} under {@code fbc->lock} for the owner's
     * plain add in flight: lockdep and {@code might_sleep()} refuse that, and so
     * does the model ({@code RfcFixedLegalityTest} keeps that variant as an
     * override of {@link #foldResidue} and checks that it is refused by name).
     *
     * <p><b>Memory ordering</b>: v1's for every access it keeps
     * ({@link RfcLazyCounter}); the residue's fold is a release store of
     * {@code count} (a plain C store under the lock; release so that a lock-free
     * validating reader that acquires the new {@code count} finds the pointer on
     * its re-check, which the kernel gets from the exchange's full barrier
     * before it); the validating reader loads {@code count} with acquire
     * ({@code READ_ONCE} then {@code smp_rmb()} before the re-check).
     */

    public RfcFixedLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuAllocator allocator) {
        super(cpus, batch, policy, allocator);
    }

    public RfcFixedLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        this(cpus, batch, policy, PercpuAllocator.ALWAYS);
    }

    @Override
    public Variant variant() {
        return Variant.FIXED;
    }

    /**
     * {@code __lazy_percpu_counter_upgrade_many}, fixed: by the owner only; one
     * allocation with no lock held; the hotplug list joined before publishing;
     * per counter, under {@code fbc->lock}, the exchange and the residue's fold
     * into {@code count}.
     *
     * @throws NotOwnerException if a counter's owner is not the calling thread (only copy_mm upgrades)
     */
    @Override
    protected void upgradeMany(RfcLazyCounter[] counters) {
        for (RfcLazyCounter c : counters) {
            checkUpgraderOwns(c);
        }
        PercpuAllocation allocation = allocate(counters[0], counters.length);   // GFP_KERNEL_ACCOUNT, or -ENOMEM
        for (RfcLazyCounter c : counters) {
            if (!isPercpu(c.word())) {                            // the owner is the only upgrader: stable
                c.joinHotplugList();                              // cpu_hotplug_add_watchlist, before publishing
            }
        }
        for (int i = 0; i < counters.length; i++) {
            RfcFixedLazyCounter lpc = (RfcFixedLazyCounter) counters[i];
            synchronized (lpc.lock) {                             // raw_spin_lock_irqsave(&fbc->lock)
                try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                    if (isPercpu(lpc.word())) {                   // was WARN_ON then BUG_ON: keep its pointer
                        allocation.releaseCounter();              // its slot of pcpu_mem stays unused
                        continue;
                    }
                    RemoteWord remote = (RemoteWord) REMOTE.getAndSet(lpc, allocation.pointer(i));   // atomic_long_xchg
                    lpc.bugOnUntagged(remote, "__lazy_percpu_counter_upgrade_many");  // BUG_ON(!(remote & 1))
                    lpc.foldResidue(remote);
                }
            }
        }
    }

    private static void checkUpgraderOwns(RfcLazyCounter c) {
        Thread owner = c.owner();
        Thread me = Thread.currentThread();
        if (owner != me) {
            throw new NotOwnerException("upgrade of " + c + " by thread '" + me.getName() + "', but its owner is "
                    + (owner == null ? "nobody" : "thread '" + owner.getName() + "'") + ": rfc-fixed upgrades only"
                    + " in copy_mm, by current, the plain add's only writer (a foreign upgrade would race it)");
        }
    }

    /**
     * Step: under {@code fbc->lock}, right after the exchange: the old
     * other-path sum into {@code count}, {@code c->count += remove_bias(remote)}.
     */
    protected void foldResidue(RemoteWord old) {
        // Plain C store under the lock; release: after the exchange for a validating reader (see the notes).
        COUNT.setRelease(this, (long) COUNT.get(this) + (old.bits() >> 1));
    }

    /** {@code percpu_counter_cpu_dead}, fixed: a counter listed before its pointer is published has no slot yet. */
    @Override
    protected void deadCpuWhileLazy(int cpu, RemoteWord word) {
    }

    /** {@code lazy_percpu_counter_read}, fixed: one load of the word, then {@code count}, then the mode again. */
    @Override
    public long read() {
        checkAlive("read");
        return validatedRead();
    }

    private long validatedRead() {
        RemoteWord word = word();                                 // atomic_long_read(&remote)
        if (isPercpu(word)) {
            return (long) COUNT.getOpaque(this);                  // percpu_counter_read: fbc->count
        }
        long c = (long) COUNT.getAcquire(this);                   // READ_ONCE(count); smp_rmb()
        if (!isPercpu(word())) {                                  // still lazy: w and c are one state
            return (word.bits() >> 1) + c;
        }
        return (long) COUNT.getOpaque(this);                      // upgraded meanwhile: percpu_counter_read
    }

    /** {@code lazy_percpu_counter_sum}, fixed: the validated read while lazy, {@code percpu_counter_sum} once per-CPU. */
    @Override
    public long sum() {
        checkAlive("sum");
        RemoteWord word = word();
        if (isPercpu(word)) {
            return percpuSum((PercpuPointer) word);               // percpu_counter_sum(&lpc->c)
        }
        long value = validatedRead();
        RemoteWord now = word();
        return isPercpu(now) ? percpuSum((PercpuPointer) now) : value;
    }
}
