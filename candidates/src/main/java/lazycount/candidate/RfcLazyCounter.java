package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.counter.LazyCounterBase;
import lazycount.counter.PercpuCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AtomicContext;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.DeadCpuFold;

/**
 * Candidate {@code rfc}: the RFC's lazy per-CPU counter as posted (RFC v1,
 * carried by {@code pongo1231/linux} at 1081a970:
 * {@code include/linux/lazy_percpu_counter.h}, {@code lib/percpu_counter.c}),
 * modelled access by access. {@link RfcFixedLazyCounter} (candidate
 * {@code rfc-fixed}) overrides the functions its fix changes.
 *
 * <p>A counter starts lazy and owned by nobody. In lazy mode only its owner
 * (the first thread to call {@link #addLocal}) may add locally, with a plain
 * add to one word; any other caller of {@link #addLocal} is refused, and every
 * other context (khugepaged, the OOM reaper, a forking parent) uses
 * {@link #addOther}, an atomic add to a second, tagged word. {@link #upgradeAll}
 * switches the four counters of an mm to per-CPU mode for good at
 * {@code CLONE_VM}, onto one allocation; in {@code rfc}, {@link #upgrade} is
 * the same upgrade of one counter (the RFC has no other). Either may throw
 * {@link lazycount.cpu.PercpuAllocationException} or
 * {@link UpgradeEnomemException} when the allocation is refused (nothing
 * changed), and the RFC's BUG_ON surfaces as {@link KernelBugException}.
 * {@link #destroy} ends the counter once every user is done; any later use is
 * refused.
 *
 * <p>Exactness. Both variants keep 63 bits of the other-path sum
 * ({@code valueBits() == 63}). With no concurrent update, {@link #sum} and
 * {@link #destroy} are exact. In {@code rfc} a read or sum racing the upgrade
 * can return garbage, and after the upgrade {@link #read} may be off by the
 * residue the upgrade parks in one CPU's slot, with no bound in terms of
 * nrCpus and batch. In {@code rfc-fixed} only the owner upgrades, and a
 * quiet {@link #read} is exact while lazy and within
 * {@link #readErrorBound()} per-CPU once the upgrade is over. Lazy creation
 * and teardown are O(1); an upgrade and the teardown of an upgraded counter
 * are O(nrCpus).
 */
public class RfcLazyCounter extends LazyCounterBase {

    /*
     * Design notes.
     *
     * <p><b>What it mirrors ({@code rfc}).</b> RFC v1 as posted, in
     * {@code pongo1231/linux} at 1081a970494e84ff66334067570245009724a495:
     * {@code include/linux/lazy_percpu_counter.h} (the whole API),
     * {@code include/linux/percpu_counter.h} (the union of {@code counters} and
     * {@code remote}; {@code percpu_counter_add}, {@code _add_local},
     * {@code _read}, {@code _sum}), {@code lib/percpu_counter.c}
     * ({@code __lazy_percpu_counter_upgrade_many},
     * {@code cpu_hotplug_add_watchlist}, {@code percpu_counter_destroy_many},
     * {@code percpu_counter_add_batch} in its {@code CONFIG_HAVE_CMPXCHG_LOCAL}
     * form, {@code __percpu_counter_sum}, {@code percpu_counter_cpu_dead}),
     * {@code include/linux/mm.h} ({@code get_mm_counter},
     * {@code get_mm_counter_sum}, {@code add_mm_counter_local},
     * {@code add_mm_counter_other}) and {@code kernel/fork.c} ({@code mm_init},
     * {@code copy_mm}, {@code check_mm}, {@code __mmdrop}). The map, Java to C at
     * 1081a970 (h = lazy_percpu_counter.h, pc.h = percpu_counter.h, pc.c =
     * lib/percpu_counter.c; mm.h and fork.c line numbers were not worked out, so
     * they are given by function):
     * <ul>
     * <li>constructor: {@code lazy_percpu_counter_init_many}, h 51-59, for one
     *     counter (fork.c {@code mm_init}).
     * <li>{@link #addLocal}: {@code lazy_percpu_counter_add_fast}, h 75-81
     *     (mm.h {@code add_mm_counter_local} when {@code current->mm == mm});
     *     per-CPU: {@code percpu_counter_add}, pc.h 72-75.
     * <li>{@link #addOther}, {@code addAtomic}: {@code lazy_percpu_counter_add_atomic},
     *     h 61-73 (mm.h {@code add_mm_counter_other}, and
     *     {@code add_mm_counter_local} when {@code current->mm != mm}).
     * <li>{@link #upgradeAll}: {@code lazy_percpu_counter_upgrade_many}, h 125-136
     *     (fork.c {@code copy_mm} on {@code CLONE_VM}), then
     *     {@code upgradeMany}: {@code __lazy_percpu_counter_upgrade_many}, pc.c
     *     401-438, with {@code allocate} its {@code __alloc_percpu_gfp}
     *     (pc.c 407-411), {@code bugOnUntagged} its BUG_ON (pc.c 427),
     *     {@code parkResidue} its {@code percpu_counter_add_local} (pc.c 429;
     *     pc.h 94-98, batch {@code PERCPU_COUNTER_LOCAL_BATCH} = INT_MAX, pc.h 18)
     *     and {@code joinHotplugList} {@code cpu_hotplug_add_watchlist}, pc.c
     *     189-203 (called at pc.c 435).
     * <li>{@link #upgrade}: {@code lazy_percpu_counter_upgrade_many(c, 1, ..)},
     *     h 125-136: the RFC has no single-counter upgrade, so the upgrade of one
     *     counter is the only one its API offers. Not a call rss_stat makes
     *     (beyond its contract; generic checks call it).
     * <li>{@link #read}: {@code lazy_percpu_counter_read}, h 111-116 (mm.h
     *     {@code get_mm_counter} through {@code _read_positive}, h 118-123, whose
     *     clamp is {@code Mm.get}'s); per-CPU: {@code percpu_counter_read}, pc.h
     *     111-114.
     * <li>{@link #sum}: {@code lazy_percpu_counter_sum}, h 97-102 (mm.h
     *     {@code get_mm_counter_sum} through {@code _sum_positive}, h 104-109);
     *     per-CPU: {@code percpu_counter_sum}, pc.h 106-109, and {@code percpuSum}
     *     {@code __percpu_counter_sum}, pc.c 172-186. It does not sync.
     * <li>{@code sumLocal}: {@code lazy_percpu_counter_sum_local}, h 87-95, the
     *     syncing sum, whose only caller is fork.c {@code check_mm}.
     * <li>{@link #destroy}: fork.c {@code __mmdrop}'s {@code check_mm}
     *     ({@code sumLocal}), then {@code destroyMany}:
     *     {@code lazy_percpu_counter_destroy_many}, h 138-144, and
     *     {@code percpu_counter_destroy_many}, pc.c 234-259.
     * <li>{@code percpuAdd}, {@code addBatchOnCpu}, {@code foldIntoCount}:
     *     {@code percpu_counter_add_batch}, pc.c 94-114.
     * <li>{@code HotplugEntry}: {@code percpu_counter_cpu_dead}, pc.c 273-293.
     * <li>{@code isPercpu(word())}: {@code lazy_percpu_counter_initialized},
     *     h 46-49; {@code >> 1}: {@code remove_bias}, h 41-44.
     * </ul>
     * Not modelled: {@code debug_percpu_counter_activate}/{@code _deactivate}
     * (debugobjects), and {@code percpu_counter_destroy_many}'s final
     * {@code counters = NULL} (the model refuses every use after
     * {@link #destroy} instead, and its diagnostics still read the pointer).
     * Departures: {@code destroy} is per counter, where {@code __mmdrop} calls
     * {@code destroy_many} once for the four and it tests element 0 only: for
     * counters upgraded together (all that rss_stat does) the effect is the same,
     * the allocation freed once, by its base, when its last counter is destroyed;
     * an mm whose counters are in mixed modes (only by {@link #upgrade}, beyond
     * the contract) is not modelled. {@code cpu_hotplug_add_watchlist} lists all
     * the counters in one section of the list lock; the model lists them one by
     * one: the counters are independent, so each one's outcome is one the C
     * allows.
     *
     * <p><b>State.</b> Two words of {@code struct percpu_counter} and its lock:
     * <ul>
     * <li>{@code count}, the percpu_counter's own s64. Lazy: the owner's word,
     *     changed with plain arithmetic. Per-CPU: the central count. The upgrade
     *     does not move it: the owner's lazy total simply <em>becomes</em> the
     *     central count ("fold by aliasing").
     * <li>{@code remote}, the union word. Lazy: the other-path sum tagged
     *     {@code (v << 1) | 1}. Per-CPU: the {@code __percpu} pointer to the slots,
     *     bit 0 clear. The mode is bit 0 of the word and nothing else.
     * <li>the slots, one per possible CPU, in an allocation shared by the counters
     *     upgraded together ({@link PercpuAllocation}: our own {@code long[]},
     *     because {@code PercpuArea}'s slots are not reachable from this package;
     *     same cache-line rounding). The kernel's slots are s32; longs behave the
     *     same here because every add folds before a slot's magnitude reaches the
     *     batch ({@code INT_MAX} for {@code percpu_counter_add_local}).
     * </ul>
     *
     * <p><b>How the word is represented.</b> A reference to an immutable
     * {@link RemoteWord} whose {@link RemoteWord#bits()} is the long the C word
     * holds: a {@link TaggedRemoteSum} ({@code (v << 1) | 1}) or a
     * {@link PercpuPointer} (a made-up {@code __percpu} address with bit 0 clear,
     * plus the slots it designates). One CAS or getAndSet on this one reference
     * decides mode and value together, as the C's single word does; the mode test
     * is bit 0 of {@code bits()}, exactly {@code lazy_percpu_counter_initialized};
     * and a reader that takes a pointer for a tagged sum computes
     * {@code pointer >> 1}, the same garbage the C computes, rather than a
     * Java-only ClassCastException. Each store writes a fresh object, so the CAS's
     * reference comparison succeeds exactly when the word is unchanged since it
     * was read (the C compares values; the only difference is an ABA back to the
     * same value, where the C succeeds and we retry: same result). Both kinds have
     * only final fields, which gives a reader of the pointer the ordering the
     * kernel gets from the address dependency.
     *
     * <p><b>Value.</b> Lazy: {@code (remote >> 1) + count}. Per-CPU:
     * {@code count + Σ slot}, plus, between the upgrade's exchange and its
     * {@code percpu_counter_add_local}, the residue the upgrader holds in a local
     * variable, visible to nobody.
     *
     * <p><b>Protocol of {@code rfc} (v1).</b>
     * <ul>
     * <li>Local add: load the word; per-CPU: {@code percpu_counter_add}; lazy:
     *     {@code count += delta}, plain (a read-modify-write with no lock, no
     *     atomic, no WRITE_ONCE).
     * <li>Other add: a loop: load the word; per-CPU: {@code percpu_counter_add}
     *     and return; lazy: {@code cmpxchg_relaxed} of {@code word + (delta << 1)},
     *     retried from the load when it fails.
     * <li>Upgrade ({@code upgrade_many} of n counters; {@link #upgradeAll} n = 4,
     *     {@link #upgrade} n = 1): the wrapper loads counter 0's word and returns
     *     if it is per-CPU; no lock anywhere. Then one allocation for the n
     *     (-ENOMEM: nothing changed, the clone fails); per counter: WARN_ON if
     *     already per-CPU, exchange the pointer in, BUG_ON if the old word was not
     *     tagged, {@code percpu_counter_add_local} (batch {@code INT_MAX}) of the
     *     untagged old word into the current CPU's slot; then all n join the
     *     hotplug list.
     * <li>Read and sum: load the word; per-CPU: {@code count} alone (read) or
     *     {@code __percpu_counter_sum} under the lock (sum); lazy: load the word
     *     <em>again</em> and return {@code (word >> 1) + count}. Neither writes.
     * <li>Teardown ({@code check_mm}'s sum): per-CPU: {@code __percpu_counter_sum};
     *     lazy: "sync" ({@code count} through the other path, then
     *     {@code count = 0}, plain), then load the word again, without checking
     *     the tag, and return {@code word >> 1}. Then, if per-CPU, off the
     *     hotplug list and the allocation freed once.
     * </ul>
     * Our Java threads outside a {@link CpuSection} are on no CPU, and the
     * kernel's callers of {@code percpu_counter_add_local} (the upgrader in
     * {@code copy_mm}) and of the sync's fall-through are preemptible: we place
     * them on the CPU the calling thread holds, else on one chosen from its id,
     * as a scheduler would. Such a thread writes a slot whose CPU another thread
     * may occupy, so every slot write is a CAS ({@code this_cpu_try_cmpxchg},
     * which is atomic against anything else running on that CPU; the fold's
     * {@code __this_cpu_sub} runs with interrupts off and is a CAS here for the
     * same reason). The C's {@code percpu_counter_add} loads {@code fbc->counters}
     * again; the model adds through the pointer it loaded, the same one unless a
     * second upgrade (beyond the contract, and then a BUG_ON) replaced it.
     *
     * <p><b>Memory ordering</b> (each access, the mode chosen and why):
     * <ul>
     * <li>{@code remote}: read opaque ({@code atomic_long_read}, a READ_ONCE:
     *     single-copy atomic, no ordering); other-path add by a
     *     {@code weakCompareAndSetPlain} loop ({@code atomic_long_cmpxchg_relaxed}:
     *     relaxed, so plain is the matching mode, the new record's final field
     *     being all a reader needs; weak because the C loop goes back to its load
     *     after any failure, so a spurious failure is one more iteration, and the
     *     cmpxchg's returned value is only compared with the expected one); the
     *     upgrade's {@code getAndSet} ({@code atomic_long_xchg}, fully ordered:
     *     volatile is Java's full ordering); its WARN_ON's load opaque
     *     ({@code atomic_long_read}); the constructor's plain set
     *     ({@code atomic_long_set} on an object nobody else has yet).
     * <li>{@code count}: the kernel never marks it. The owner reads its own word
     *     plain and stores opaque (a plain C store; opaque so it is single-copy
     *     atomic, as an aligned 64-bit store is on a 64-bit kernel; on a 32-bit
     *     kernel it is two stores and a reader can see it torn). Every other
     *     reader reads it opaque (a plain C load, modelled untorn and coherent, so
     *     that no result here comes from the JVM rather than the protocol). Folds
     *     update it under the lock: plain read, release store (a lock-free reader
     *     exists; in the kernel the chain exchange, ..., lock, store orders the
     *     store after the exchange through xchg's full barrier, and Java needs the
     *     release for a reader that acquires {@code count} and then re-reads the
     *     word). The {@code rfc-fixed} residue fold is a release store for the same
     *     reason, and its validating reader loads {@code count} with acquire
     *     (READ_ONCE then smp_rmb): {@link RfcFixedLazyCounter}. The teardown sync
     *     reads it opaque and stores 0 opaque.
     * <li>slots: read opaque ({@code this_cpu_read}, and READ_ONCE in the sum);
     *     written by {@code weakCompareAndSetPlain} loops
     *     ({@code this_cpu_try_cmpxchg}, no ordering, retried by its loop).
     * <li>{@code owner}, {@code destroyed} and the policy's count (model-only):
     *     {@link LazyCounterBase}'s. Other model-only bookkeeping (the residue
     *     parked at the upgrade, WARN and hotplug-list tallies) uses opaque or
     *     atomic adds.
     * </ul>
     *
     * <p><b>The races ({@link lazycount.catalog.Race}) for {@code rfc}</b> (our argument, not a verdict):
     * <ul>
     * <li>{@link lazycount.catalog.Race#LOCAL_OTHER}: <i>local ∥ other, lazy.</i> Different words: {@code count} has the owner
     *     as its only writer, {@code remote} is a CAS. Holds, with one exception
     *     the model cannot express as a legal call: a {@code kthread_use_mm}
     *     borrower, for which {@code current->mm == mm} holds (mm.h tests nothing
     *     else), so it takes the plain path as a second writer (lost updates, then
     *     "Bad rss-counter state"). The syncing sum writes {@code count} too, but
     *     only {@code check_mm} runs it, when every user is gone.
     * <li>{@link lazycount.catalog.Race#OTHER_UPGRADE}: <i>other ∥ upgrade.</i> The CAS and the exchange are on the same word: a
     *     CAS that lands first is in the exchanged-out sum, hence in the residue; a
     *     CAS that loses sees bit 0 clear and goes to a slot. Counted once. Two
     *     upgraders (two {@link #upgrade} calls, or {@link #upgradeAll} and an
     *     {@link #upgrade}) are not excluded: the wrapper checks element 0 and
     *     takes no lock, so both may pass it; the second exchange returns the
     *     first's pointer and hits BUG_ON ({@link KernelBugException}), after a
     *     WARN_ON if its own check already saw the pointer; the first one's slots,
     *     and whatever was added to them, are lost. For rss_stat this cannot
     *     happen: only the mm's single task can clone.
     * <li>{@link lazycount.catalog.Race#LOCAL_UPGRADE}: <i>local ∥ upgrade triggered elsewhere</i> (the generic counter's
     *     frequency policy; the RFC has no policy, we call its upgrade where a
     *     generic user would). The owner's mode check and its plain
     *     read-modify-write of {@code count} are not atomic, and after the upgrade
     *     {@code count} is the central count that folds update under the lock.
     *     Suspected refutation: owner reads the word (lazy) and {@code count = c};
     *     the remote context upgrades, then adds 20 with batch 4, which folds:
     *     {@code count = c + 20}; the owner stores {@code c + 1}: the 20 is lost.
     *     Unreachable for rss_stat (the upgrader is the owner, in {@code copy_mm}).
     * <li>{@link lazycount.catalog.Race#READ_SUM}: <i>read / sum ∥ updates and upgrade.</i> Several ways out:
     *     (a) read and sum check the mode, then load the word again for the value:
     *     an exchange in between makes them return {@code (pointer >> 1) + count}
     *     (about 5e13 with our made-up addresses; in the kernel whatever the
     *     percpu address is) -- a {@code /proc} read or the OOM killer's
     *     {@code get_mm_rss} racing the first {@code pthread_create};
     *     (b) between the exchange and the residue's add, a per-CPU sum or read
     *     misses the whole pre-upgrade other-path sum, so with positive deltas a
     *     sum can return less than the value before it started;
     *     (c) afterwards the residue is parked in the upgrader CPU's slot (batch
     *     {@code INT_MAX}) until the next add on that CPU folds it, so read()
     *     ({@code get_mm_counter}, {@code get_mm_rss}) is off by up to the whole
     *     residue, indefinitely if that CPU sees no more adds; sum()
     *     ({@code get_mm_counter_sum}) walks the slots and is exact when quiet.
     *     The upgrader's own read() misses its own earlier other-path add;
     *     (d) a lazy read or sum that loads the word before, and {@code count}
     *     after, an upgrade plus a fold of the parked slot sees the residue twice
     *     (C leaves the order of the two operands' loads open; we load the word
     *     first);
     *     (e) the syncing sum runs only in {@code check_mm}, quiescent: no race
     *     within the contract. (Were it run by a non-owner while the owner adds or
     *     an upgrade lands, its {@code count = 0} would lose or double an add,
     *     and after an exchange inside it its fall-through adds {@code count}
     *     per-CPU and then wipes the central count; v1 keeps that code, but
     *     nothing calls it there.)
     * <li>{@link lazycount.catalog.Race#PERCPU_FOLD_SUM}: <i>per-CPU add ∥ fold ∥ sum.</i> {@code percpu_counter} as in the tree:
     *     the fold and the sum hold the lock, slot writes are CASes. Holds.
     * <li>{@link lazycount.catalog.Race#TEARDOWN}: <i>teardown.</i> {@code check_mm} runs the syncing sum when every user is
     *     gone, so it is exact; later use is refused. {@code destroy_many} frees
     *     the four counters' one allocation once, by {@code fbc[0].counters}, and
     *     does nothing for counters still lazy. Holds.
     * <li>{@link lazycount.catalog.Race#FORK}, {@link lazycount.catalog.Race#CLONE_VM}, {@link lazycount.catalog.Race#EXIT_CHECK_MM}: <i>lifecycle.</i> fork fills the child through the other path; the
     *     upgrade at {@code CLONE_VM} runs in the only task before the second one
     *     exists (and before {@code mmget}); exit and {@code check_mm} are
     *     quiescent. Counting holds; read() carries the parked residue
     *     ({@link lazycount.catalog.Race#READ_SUM} (c)).
     * </ul>
     * <p><b>CPU hotplug</b> (REPORT.md §13). The counter is on the hotplug list from
     * its {@code cpu_hotplug_add_watchlist}; {@code percpu_counter_cpu_dead}
     * is the kernel's, unchanged (under the lock, the dead CPU's slot into
     * {@code count}); the sum walks online and dying CPUs. {@code upgrade_many}
     * joins the list only after publishing all the pointers and parking their
     * residues, from a preemptible upgrader, so a CPU that takes an add (or holds
     * a residue) and dies in between is never folded: the count stays on the dead
     * CPU, still summed while it is in the dying mask, missed while it boots
     * again, and missing from read(). A listed counter is always per-CPU in v1
     * (the {@link KernelBugException} in {@code HotplugEntry} is a guard).
     * {@code rfc-fixed} joins before it publishes, before it takes the lock
     * (percpu_counter_cpu_dead takes the list lock, then the counter's), and its
     * {@code percpu_counter_cpu_dead} skips a listed counter that is still lazy
     * ({@link #deadCpuWhileLazy}).
     *
     * <p><b>Kernel legality.</b> {@code fbc->lock} is declared to the model's
     * {@link AtomicContext} wherever it is taken; nothing sleeps under it. The
     * allocation of {@code upgrade_many} is {@code GFP_KERNEL_ACCOUNT} from
     * {@code copy_mm} (process context, no lock held), and {@code GFP_ATOMIC}
     * when the frequency policy (beyond the rss_stat contract) upgrades from
     * inside an add.
     *
     * <p><b>{@code rfc-fixed}</b> ({@link RfcFixedLazyCounter}, with its own
     * function map) is v1 with the functions its fix changes overridden:
     * {@link #upgradeMany} (owner only; the hotplug list before publishing; the
     * exchange and the residue's fold into {@code count} in one {@code fbc->lock}
     * section), {@link #read} and {@link #sum} (validated), {@link #deadCpuWhileLazy}
     * (skip). An earlier {@code rfc-fixed}, a fix of the author's work-in-progress
     * tree ({@code krisman/linux} @112dfa45) in which any context could upgrade,
     * waited {@code synchronize_rcu()} under {@code fbc->lock}: kernel-illegal,
     * kept only as a broken override in {@code RfcFixedLegalityTest}.
     * Kept as the RFC has it: the tagged word holds 63 bits of the other-path sum
     * (its cmpxchg wraps modulo 2^63, which is no longer the value modulo 2^64
     * once {@code count} is added), so both variants declare
     * {@code valueBits() == 63} and are checked inside that domain; a page count
     * never comes near it. (Tried and dropped: upgrading on overflow kept 64 bits
     * but changed the mode without an upgrade, which the contract forbids.)
     * Not fixable inside the counter: the {@code kthread_use_mm} borrower on the
     * plain path (the fix belongs in {@code add_mm_counter_local}: test
     * {@code PF_KTHREAD}, or upgrade in {@code kthread_use_mm}).
     *
     * <p><b>Costs.</b> Lazy creation and teardown are O(1); an upgrade pays one
     * O(nrCpus) allocation for the four counters; teardown of an upgraded counter
     * pays the O(nrCpus) walk. The read and sum of a lazy counter are two loads of
     * the word and one of {@code count} ({@code rfc}) or three and a fence
     * ({@code rfc-fixed}); {@code rfc-fixed}'s upgrade takes each counter's lock
     * once more than v1's.
     */

    /**
     * Which protocol: {@code RFC}, RFC v1 as posted ({@code pongo1231/linux} at
     * 1081a970), this class; {@code FIXED}, our minimal kernel-legal fix of v1,
     * {@link RfcFixedLazyCounter}.
     */
    public enum Variant {
        RFC, FIXED
    }

    /**
     * {@code __alloc_percpu_gfp} for the upgrade: grants or refuses an
     * allocation of {@code nrCounters} slots per CPU ({@code GFP_KERNEL_ACCOUNT}
     * can fail, and then the clone fails with -ENOMEM).
     */
    @FunctionalInterface
    public interface PercpuAllocator {
        PercpuAllocator ALWAYS = (cpus, nrCounters) -> true;

        boolean grant(Cpus cpus, int nrCounters);
    }

    /**
     * The upgrade returned -ENOMEM: the {@link PercpuAllocator} refused the
     * allocation (nothing changed). An allocation failure injected through
     * {@link Cpus#injectAllocationFailures} is a
     * {@link lazycount.cpu.PercpuAllocationException} instead ({@code rfc} only).
     */
    public static final class UpgradeEnomemException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UpgradeEnomemException(String message) {
            super(message);
        }
    }

    /** A BUG_ON of the RFC fired: the kernel would oops here. */
    public static final class KernelBugException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        KernelBugException(String message) {
            super(message);
        }
    }

    /** The C word: {@link #bits()} is what {@code atomic_long_read(&fbc->remote)} returns. */
    sealed interface RemoteWord permits TaggedRemoteSum, PercpuPointer {
        long bits();
    }

    /** Lazy mode: the other-path sum {@code v} stored as {@code (v << 1) | LAZY_INIT_BIAS}. */
    record TaggedRemoteSum(long bits) implements RemoteWord {
    }

    /** Per-CPU mode: the {@code __percpu} pointer, slot {@code index} of every CPU's unit of {@code allocation}. */
    record PercpuPointer(PercpuAllocation allocation, int index, long address) implements RemoteWord {
        @Override
        public long bits() {
            return address;
        }
    }

    /**
     * One {@code __alloc_percpu_gfp} of {@code nrCounters} slots per CPU, each
     * CPU's unit rounded up to a cache line. It has a made-up {@code __percpu}
     * base address (8-byte aligned, so bit 0 is clear, as the tag requires) and
     * counts its frees so that freeing an interior pointer is visible.
     */
    static final class PercpuAllocation {
        private static final int LONGS_PER_CACHE_LINE = 8;
        private static final int S32_SIZE = 4;
        private static final VarHandle FREES;
        private static final VarHandle INTERIOR_FREES;
        private static final VarHandle RELEASED_COUNTERS;
        private static final long PAGE = 0x1000L;
        private static long nextBase = 0x0000_6000_0000_0000L;   // guarded by PercpuAllocation.class

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                FREES = l.findVarHandle(PercpuAllocation.class, "frees", int.class);
                INTERIOR_FREES = l.findVarHandle(PercpuAllocation.class, "interiorFrees", int.class);
                RELEASED_COUNTERS = l.findVarHandle(PercpuAllocation.class, "releasedCounters", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Cpus cpus;
        final int nrCounters;
        private final int unit;
        final long[] slots;
        final long baseAddress;
        @SuppressWarnings("unused") private int frees;
        @SuppressWarnings("unused") private int interiorFrees;
        @SuppressWarnings("unused") private int releasedCounters;

        PercpuAllocation(Cpus cpus, int nrCounters) {
            this.cpus = cpus;
            this.nrCounters = nrCounters;
            this.unit = (nrCounters + LONGS_PER_CACHE_LINE - 1) / LONGS_PER_CACHE_LINE * LONGS_PER_CACHE_LINE;
            this.slots = new long[Math.multiplyExact(cpus.nrPossible(), unit)];   // zeroed: O(nrCpus)
            this.baseAddress = takeBaseAddress(nrCounters);
        }

        private static synchronized long takeBaseAddress(int nrCounters) {
            long base = nextBase;                                 // page aligned: bit 0 clear
            nextBase += PAGE * ((nrCounters * S32_SIZE + PAGE - 1) / PAGE);
            return base;
        }

        PercpuPointer pointer(int index) {
            // (void __percpu *)counters + i * counter_size, counter_size = sizeof(s32)
            return new PercpuPointer(this, index, baseAddress + (long) index * S32_SIZE);
        }

        int indexOf(int cpu, int index) {
            return cpu * unit + index;
        }

        /** {@code free_percpu(address)}: an address other than the base is an interior pointer. */
        void freePercpu(long address) {
            FREES.getAndAdd(this, 1);
            if (address != baseAddress) {
                INTERIOR_FREES.getAndAdd(this, 1);
            }
        }

        /** The fixed teardown: the last of the counters sharing the allocation frees it, once, by its base. */
        void releaseCounter() {
            if ((int) RELEASED_COUNTERS.getAndAdd(this, 1) + 1 == nrCounters) {
                freePercpu(baseAddress);
            }
        }

        int interiorFrees() {
            return (int) INTERIOR_FREES.getOpaque(this);
        }

        int frees() {
            return (int) FREES.getOpaque(this);
        }
    }

    static final long LAZY_INIT_BIAS = 1L;
    /** The range of a sum kept in the tagged word, {@code (v << 1) | 1}: 63 bits (valueBits()). */
    static final long TAG_MIN = Long.MIN_VALUE >> 1;
    static final long TAG_MAX = Long.MAX_VALUE >> 1;
    /** {@code PERCPU_COUNTER_LOCAL_BATCH}: the batch of {@code percpu_counter_add_local}. */
    static final int LOCAL_BATCH = Integer.MAX_VALUE;

    static final VarHandle COUNT;
    static final VarHandle REMOTE;
    private static final VarHandle PARKED_RESIDUE;
    private static final VarHandle WARNINGS;
    private static final VarHandle HOTPLUG_JOINS;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(RfcLazyCounter.class, "count", long.class);
            REMOTE = l.findVarHandle(RfcLazyCounter.class, "remote", RemoteWord.class);
            PARKED_RESIDUE = l.findVarHandle(RfcLazyCounter.class, "parkedResidue", long.class);
            WARNINGS = l.findVarHandle(RfcLazyCounter.class, "warnings", int.class);
            HOTPLUG_JOINS = l.findVarHandle(RfcLazyCounter.class, "hotplugJoins", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What {@link AtomicContext} calls {@link #lock}. */
    static final String FBC_LOCK = "fbc->lock (raw_spin_lock_irqsave)";

    private final int batch;
    private final PercpuAllocator allocator;
    final Object lock = new Object();                        // fbc->lock (raw_spinlock_t, taken with irqs off)
    private final DeadCpuFold hotplugEntry = new HotplugEntry(); // fbc->list

    @SuppressWarnings("unused") private long count;          // fbc->count
    @SuppressWarnings("unused") private RemoteWord remote;   // union { counters; remote; }
    @SuppressWarnings("unused") private long parkedResidue;  // model-only ghost: residue parked by the upgrade
    @SuppressWarnings("unused") private int warnings;        // model-only: WARN_ON splats
    @SuppressWarnings("unused") private int hotplugJoins;    // model-only: cpu_hotplug_add_watchlist calls

    /**
     * {@code lazy_percpu_counter_init_many(.., 0, ..)} for one counter: lazy, zero, no owner yet. O(1).
     * {@code allocator} grants or refuses the upgrade's {@code __alloc_percpu_gfp}.
     */
    public RfcLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuAllocator allocator) {
        super(cpus, policy);
        this.batch = PercpuCounter.checkBatch(batch);
        this.allocator = allocator;
        COUNT.set(this, 0L);                                              // lpc[i].c.count = amount
        REMOTE.set(this, new TaggedRemoteSum(LAZY_INIT_BIAS));            // atomic_long_set(&remote, LAZY_INIT_BIAS)
    }

    public RfcLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        this(cpus, batch, policy, PercpuAllocator.ALWAYS);
    }

    /** The counter of {@code variant}: this class ({@code rfc}), or {@link RfcFixedLazyCounter} ({@code rfc-fixed}). */
    public static RfcLazyCounter of(Variant variant, Cpus cpus, int batch, UpgradePolicy policy,
            PercpuAllocator allocator) {
        return variant == Variant.RFC ? new RfcLazyCounter(cpus, batch, policy, allocator)
                : new RfcFixedLazyCounter(cpus, batch, policy, allocator);
    }

    public static RfcLazyCounter of(Variant variant, Cpus cpus, int batch, UpgradePolicy policy) {
        return of(variant, cpus, batch, policy, PercpuAllocator.ALWAYS);
    }

    // ---------------------------------------------------------------- updates

    /** {@code lazy_percpu_counter_add_fast}: the owner's plain add while lazy. */
    @Override
    public void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        RemoteWord word = word();                                 // lazy_percpu_counter_initialized(lpc)
        if (isPercpu(word)) {
            percpuAdd((PercpuPointer) word, cpu, delta);          // percpu_counter_add(&lpc->c, amount)
            return;
        }
        checkCallerOwns();
        // lpc->c.count += amount: plain read of the owner's own word, plain (here opaque) store.
        COUNT.setOpaque(this, (long) COUNT.get(this) + delta);
    }

    /** {@code lazy_percpu_counter_add_atomic} ({@code add_mm_counter_other}). */
    @Override
    public void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        boolean landedLazily = addAtomic(cpu, delta);
        if (landedLazily && noteOtherUpdate()) {
            upgradeByPolicy();                                            // the policy fired here, in this context
        }
    }

    /**
     * The tagged CAS loop, falling through to the per-CPU add once bit 0 is
     * clear. {@code cpu} is null when the caller holds no section (the sync
     * inside {@link #sum()}). Returns whether the add landed in the lazy word.
     */
    final boolean addAtomic(CpuSection cpu, long amount) {
        long shifted = amount << 1;                               // long x = amount << 1
        RemoteWord word;
        do {
            word = word();                                        // counter = atomic_long_read(&lpc->c.remote)
            if (isPercpu(word)) {                                 // !(counter & LAZY_INIT_BIAS)
                percpuAdd((PercpuPointer) word, cpu, amount);     // percpu_counter_add(&lpc->c, amount)
                return false;
            }
            // atomic_long_cmpxchg_relaxed(&remote, counter, counter + x) != counter: retry from the load
        } while (!REMOTE.weakCompareAndSetPlain(this, word, new TaggedRemoteSum(word.bits() + shifted)));
        return true;
    }

    // ---------------------------------------------------------------- upgrade

    /**
     * {@code lazy_percpu_counter_upgrade_many(&lpc, 1, GFP_KERNEL_ACCOUNT)}:
     * the RFC has no single-counter upgrade, so this is the only upgrade of one
     * counter its API offers ({@link #upgradeAll} with n = 1: no lock, the
     * wrapper's one check).
     *
     * @return whether this call upgraded the counter (the RFC's wrapper returns 0 either way)
     * @throws lazycount.cpu.PercpuAllocationException if an injected allocation failure fails it; nothing changed
     * @throws UpgradeEnomemException if the {@link PercpuAllocator} refuses; nothing changed
     * @throws KernelBugException (RFC) if a racing upgrade published its pointer first (BUG_ON)
     */
    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        return upgradeManyIfFirstIsLazy(new RfcLazyCounter[] {this});
    }

    /**
     * {@code copy_mm} on {@code CLONE_VM}: {@code lazy_percpu_counter_upgrade_many}
     * over an mm's counters, one per-CPU allocation for all of them.
     *
     * @throws lazycount.cpu.PercpuAllocationException (RFC) if an injected allocation failure fails it (clone
     *         fails with -ENOMEM); nothing changed
     * @throws UpgradeEnomemException if the {@link PercpuAllocator} refuses; nothing changed
     * @throws KernelBugException (RFC) if a counter was already per-CPU while the first was lazy
     */
    public static void upgradeAll(RfcLazyCounter[] counters) {
        if (counters.length == 0) {
            return;
        }
        RfcLazyCounter first = counters[0];
        for (RfcLazyCounter c : counters) {
            c.checkAlive("upgradeAll");
            if (c.cpus() != first.cpus() || c.getClass() != first.getClass()) {
                throw new IllegalArgumentException("upgradeAll() over counters of different CPU sets or variants: "
                        + first + " and " + c);
            }
        }
        upgradeManyIfFirstIsLazy(counters);
    }

    /**
     * RFC: {@code lazy_percpu_counter_upgrade_many}: element 0 alone is checked
     * ("batches are expected to be upgraded together"), no lock. Returns whether
     * it called {@code __lazy_percpu_counter_upgrade_many}.
     */
    private static boolean upgradeManyIfFirstIsLazy(RfcLazyCounter[] counters) {
        if (isPercpu(counters[0].word())) {                       // if (!lazy_percpu_counter_initialized(c))
            return false;                                         // return 0
        }
        counters[0].upgradeMany(counters);                        // __lazy_percpu_counter_upgrade_many(c, nr, gfp)
        return true;
    }

    /**
     * RFC: {@code __lazy_percpu_counter_upgrade_many}: one allocation (on
     * failure, -ENOMEM with nothing changed); per counter, with no lock, WARN_ON
     * if already per-CPU, the fully ordered exchange of the pointer for the
     * tagged word, BUG_ON if the old word was untagged, and the old other-path
     * sum into the current CPU's slot; then the debugobjects activation (not
     * modelled) and the hotplug list, after every pointer is published.
     */
    protected void upgradeMany(RfcLazyCounter[] counters) {
        PercpuAllocation allocation = allocate(counters[0], counters.length);   // __alloc_percpu_gfp, or -ENOMEM
        for (int i = 0; i < counters.length; i++) {
            RfcLazyCounter lpc = counters[i];
            if (isPercpu(lpc.word())) {                           // WARN_ON(lazy_percpu_counter_initialized(lpc))
                WARNINGS.getAndAdd(lpc, 1);
            }
            PercpuPointer nCounter = allocation.pointer(i);       // n_counter = pcpu_mem + i * counter_size
            RemoteWord remote = (RemoteWord) REMOTE.getAndSet(lpc, nCounter);   // atomic_long_xchg, fully ordered
            lpc.bugOnUntagged(remote, "__lazy_percpu_counter_upgrade_many");    // BUG_ON(!(remote & LAZY_INIT_BIAS))
            lpc.parkResidue(nCounter, remote.bits() >> 1);       // percpu_counter_add_local(&lpc->c, remove_bias(remote))
        }
        for (RfcLazyCounter lpc : counters) {
            lpc.joinHotplugList();                                // cpu_hotplug_add_watchlist(counters, nr_counters)
        }
    }

    static PercpuAllocation allocate(RfcLazyCounter c, int nrCounters) {
        // The machine's -ENOMEM injection point, and might_sleep() unless the caller passed GFP_ATOMIC down.
        c.cpus().allocatePercpu(nrCounters);
        if (!c.allocator.grant(c.cpus(), nrCounters)) {          // __alloc_percpu_gfp(.., GFP_KERNEL_ACCOUNT)
            throw new UpgradeEnomemException("__alloc_percpu_gfp of " + nrCounters + " counter(s) failed for "
                    + c + ": the upgrade returns -ENOMEM and clone() fails; the counter stays lazy");
        }
        return new PercpuAllocation(c.cpus(), nrCounters);
    }

    /**
     * RFC: {@code percpu_counter_add_local} (batch {@code INT_MAX}) of the
     * residue on the upgrader's current CPU; the ghost records it for
     * {@link #readErrorBound()}.
     */
    private void parkResidue(PercpuPointer pointer, long residue) {
        onCurrentCpu(cpu -> addBatchOnCpu(pointer, cpu, residue, LOCAL_BATCH));
        PARKED_RESIDUE.setOpaque(this, residue);
    }

    final void bugOnUntagged(RemoteWord old, String where) {
        if (isPercpu(old)) {                                      // BUG_ON(!(remote & LAZY_INIT_BIAS))
            throw new KernelBugException("BUG_ON in " + where + " on " + this + ": the exchanged-out word "
                    + Long.toHexString(old.bits()) + " is a per-CPU pointer, not a tagged sum: a second"
                    + " upgrade overwrote the first one's pointer, whose slots are now lost");
        }
    }

    final void joinHotplugList() {
        // RFC, cpu_hotplug_add_watchlist: INIT_LIST_HEAD + list_add under percpu_counters_lock. A second join
        // (two racing upgrades) corrupts the kernel's list; the model's list keeps one entry and the tally shows
        // the corruption (hotplugListJoins()).
        if ((int) HOTPLUG_JOINS.getAndAdd(this, 1) == 0) {
            cpus().joinHotplugList(hotplugEntry);
        }
    }

    /**
     * {@code percpu_counter_cpu_dead} for this counter, the kernel's unchanged:
     * under the lock, the dead CPU's slot into {@code count}; a listed counter
     * whose word is still lazy goes to {@link #deadCpuWhileLazy}.
     */
    private final class HotplugEntry implements DeadCpuFold {
        @Override
        public void foldDeadCpu(int cpu) {
            synchronized (lock) {                                 // raw_spin_lock(&fbc->lock)
                try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                    foldDeadCpuLocked(cpu);
                }
            }
        }

        private void foldDeadCpuLocked(int cpu) {
            RemoteWord word = word();
            if (!isPercpu(word)) {
                deadCpuWhileLazy(cpu, word);
                return;
            }
            PercpuPointer pointer = (PercpuPointer) word;
            long[] slots = pointer.allocation().slots;
            int i = pointer.allocation().indexOf(cpu, pointer.index());
            long slot = (long) SLOT.getOpaque(slots, i);
            COUNT.setRelease(RfcLazyCounter.this, (long) COUNT.get(RfcLazyCounter.this) + slot);   // fbc->count += *pcount
            subtractFromSlot(slots, i, slot);                     // *pcount = 0
        }

        @Override
        public String toString() {
            return "hotplug-list entry of " + RfcLazyCounter.this;
        }
    }

    /**
     * Step: {@code percpu_counter_cpu_dead} on a listed counter whose union
     * word is still the tagged lazy sum, under its lock. v1 lists a counter only
     * after publishing its pointer, so this never happens there: a guard, as
     * {@code per_cpu_ptr} of a non-pointer would be.
     */
    protected void deadCpuWhileLazy(int cpu, RemoteWord word) {
        throw new KernelBugException("percpu_counter_cpu_dead(" + cpu + ") on " + this
                + ", listed while its union word is still the tagged lazy sum "
                + Long.toHexString(word.bits()) + ": per_cpu_ptr of a non-pointer (v1 lists a counter"
                + " only after publishing its pointer: a guard)");
    }

    // ---------------------------------------------------------------- per-CPU mode

    /** {@code percpu_counter_add}: the caller's section names the CPU; without one, the current CPU. */
    private void percpuAdd(PercpuPointer pointer, CpuSection cpu, long amount) {
        if (cpu == null) {
            onCurrentCpu(id -> addBatchOnCpu(pointer, id, amount, batch));
            return;
        }
        cpu.checkUsableOn(cpus());
        addBatchOnCpu(pointer, cpu.id(), amount, batch);
    }

    /** {@code percpu_counter_add_batch}, {@code CONFIG_HAVE_CMPXCHG_LOCAL}: a this_cpu_try_cmpxchg loop. */
    private void addBatchOnCpu(PercpuPointer pointer, int cpuId, long amount, int addBatch) {
        long[] slots = pointer.allocation().slots;
        int i = pointer.allocation().indexOf(cpuId, pointer.index());
        while (true) {
            long slot = (long) SLOT.getOpaque(slots, i);          // this_cpu_read(*fbc->counters)
            long next = slot + amount;
            if (next >= addBatch || next <= -addBatch) {          // abs(count + amount) >= batch
                foldIntoCount(slots, i, amount);
                return;
            }
            if (SLOT.weakCompareAndSetPlain(slots, i, slot, next)) {   // this_cpu_try_cmpxchg
                return;
            }
        }
    }

    private void foldIntoCount(long[] slots, int i, long amount) {
        synchronized (lock) {                                     // raw_spin_lock_irqsave(&fbc->lock)
            try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                foldIntoCountLocked(slots, i, amount);
            }
        }
    }

    private void foldIntoCountLocked(long[] slots, int i, long amount) {
        long slot = (long) SLOT.getOpaque(slots, i);              // __this_cpu_read: may have changed
        // fbc->count += count + amount: plain under the lock. Release store: the lock-free read()
        // must not see it untorn yet find the pre-upgrade word (the kernel gets that from xchg's barrier).
        COUNT.setRelease(this, (long) COUNT.get(this) + slot + amount);
        subtractFromSlot(slots, i, slot);                         // __this_cpu_sub(*fbc->counters, count)
    }

    private static void subtractFromSlot(long[] slots, int i, long amount) {
        long slot;
        do {
            slot = (long) SLOT.getOpaque(slots, i);
        } while (!SLOT.weakCompareAndSetPlain(slots, i, slot, slot - amount));
    }

    /** {@code __percpu_counter_sum}: the online and dying CPUs, under the lock. */
    final long percpuSum(PercpuPointer pointer) {
        synchronized (lock) {                                     // raw_spin_lock_irqsave(&fbc->lock)
            try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                return percpuSumLocked(pointer);
            }
        }
    }

    private long percpuSumLocked(PercpuPointer pointer) {
        PercpuAllocation a = pointer.allocation();
        long sum = (long) COUNT.get(this);                        // stable: folds hold the lock
        for (int cpu = 0; cpu < cpus().nrPossible(); cpu++) {
            if (cpus().isWalkedBySum(cpu)) {                      // for_each_cpu_or(online, dying)
                sum += (long) SLOT.getOpaque(a.slots, a.indexOf(cpu, pointer.index()));   // *per_cpu_ptr
            }
        }
        return sum;
    }

    /**
     * Runs a {@code this_cpu} operation of a preemptible kernel caller on the
     * CPU it runs on: the one the calling thread holds, else a free online one
     * it is scheduled on for the operation (a CPU cannot die under a task
     * running on it, so the operation never writes a dead CPU's slot).
     */
    private void onCurrentCpu(java.util.function.IntConsumer operation) {
        Cpus cpus = cpus();
        for (int cpu = 0; cpu < cpus.nrPossible(); cpu++) {
            if (cpus.isHeldByCurrentThread(cpu)) {
                operation.accept(cpu);
                return;
            }
        }
        int hint = (int) Math.floorMod(Thread.currentThread().getId(), (long) cpus.nrPossible());
        try (CpuSection section = cpus.enterAny(hint)) {
            operation.accept(section.id());
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public boolean isPerCpu() {
        return isPercpu(word());
    }

    /** {@code lazy_percpu_counter_read}: {@code get_mm_counter} (whose clamp at 0 is {@code Mm.get}'s). */
    @Override
    public long read() {
        checkAlive("read");
        if (isPercpu(word())) {                                   // lazy_percpu_counter_initialized(lpc)
            return (long) COUNT.getOpaque(this);                  // percpu_counter_read: fbc->count, plain
        }
        return lazyValue();
    }

    /**
     * RFC, lazy branch of {@code lazy_percpu_counter_read} and {@code _sum}:
     * {@code remove_bias(atomic_long_read(&lpc->c.remote)) + lpc->c.count}, the
     * word loaded a second time, after the mode check, and not checked again.
     */
    private long lazyValue() {
        long untagged = word().bits() >> 1;                       // remove_bias(atomic_long_read(&remote))
        return untagged + (long) COUNT.getOpaque(this);           // + lpc->c.count, plain
    }

    /**
     * RFC: {@code lazy_percpu_counter_sum} ({@code get_mm_counter_sum}, whose
     * clamp at 0 is the caller's): per-CPU, {@code percpu_counter_sum}; lazy, the
     * same two loads as {@link #read}. It writes nothing.
     */
    @Override
    public long sum() {
        checkAlive("sum");
        RemoteWord word = word();                                 // lazy_percpu_counter_initialized(lpc)
        if (isPercpu(word)) {
            return percpuSum((PercpuPointer) word);               // percpu_counter_sum(&lpc->c)
        }
        return lazyValue();
    }

    /**
     * RFC: {@code lazy_percpu_counter_sum_local}, the syncing sum, which only
     * {@code check_mm} calls: per-CPU, {@code percpu_counter_sum}; lazy,
     * {@code count} through the other path, then {@code count = 0} (plain), then
     * the word loaded again and untagged, its tag not checked again.
     */
    private long sumLocal() {
        RemoteWord word = word();                                 // lazy_percpu_counter_initialized(lpc)
        if (isPercpu(word)) {
            return percpuSum((PercpuPointer) word);               // percpu_counter_sum(&lpc->c)
        }
        addAtomic(null, (long) COUNT.getOpaque(this));            // lazy_percpu_counter_add_atomic(lpc, lpc->c.count)
        COUNT.setOpaque(this, 0L);                                // lpc->c.count = 0, plain
        return word().bits() >> 1;                                // remove_bias(atomic_long_read(&remote))
    }

    /**
     * Declared bound on {@code |read() - sum()|} when quiescent. Lazy: 0 (both
     * words are read). Per-CPU: {@code nrCpus * (batch - 1)}, the
     * percpu_counter bound, plus the magnitude of the residue
     * the upgrade parked in one slot with batch {@code INT_MAX} (at most
     * {@code INT_MAX - 1}: an s32 slot folds beyond): there is no bound in terms
     * of nrCpus and batch alone. The residue is a ghost the kernel does not keep.
     */
    @Override
    public long readErrorBound() {
        if (!isPercpu(word())) {
            return 0;
        }
        long perCpu = (long) cpus().nrHoldingSlots() * (batch - 1);
        long residue = (long) PARKED_RESIDUE.getOpaque(this);
        long magnitude = residue == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(residue);
        return perCpu + Math.min(magnitude, (long) LOCAL_BATCH);
    }

    // ---------------------------------------------------------------- teardown

    /**
     * RFC: {@code __mmdrop}: {@code check_mm}'s {@code lazy_percpu_counter_sum_local},
     * then {@code lazy_percpu_counter_destroy_many} ({@link #destroyMany}).
     */
    @Override
    public long destroy() {
        markDestroyed();
        long finalValue = sumLocal();                             // check_mm: long x = lazy_percpu_counter_sum_local(..)
        destroyMany();
        return finalValue;
    }

    /**
     * RFC: {@code lazy_percpu_counter_destroy_many}, this counter's part: nothing
     * if it is still lazy; else {@code percpu_counter_destroy_many}:
     * {@code list_del} under {@code percpu_counters_lock}, then
     * {@code free_percpu(fbc[0].counters)}, once for the counters upgraded
     * together (here by the last of them to be destroyed, by the allocation's
     * base). The final {@code counters = NULL} is not modelled (see the notes).
     */
    private void destroyMany() {
        RemoteWord word = word();
        if (!isPercpu(word)) {                                    // if (lazy_percpu_counter_initialized(lpc))
            return;                                               // lazy: nothing allocated, never listed
        }
        if (hotplugListJoins() > 0) {
            cpus().leaveHotplugList(hotplugEntry);                // list_del(&fbc[i].list)
        }
        ((PercpuPointer) word).allocation().releaseCounter();     // free_percpu(fbc[0].counters), once
    }

    // ---------------------------------------------------------------- model diagnostics

    /** {@link Variant#RFC}; {@link RfcFixedLazyCounter} says {@link Variant#FIXED}. */
    public Variant variant() {
        return Variant.RFC;
    }

    public int batch() {
        return batch;
    }

    /** WARN_ON splats this counter caused (a lost or repeated upgrade). */
    public int warnings() {
        return (int) WARNINGS.getOpaque(this);
    }

    /** How many times this counter was put on the CPU-hotplug list; more than once corrupts the list. */
    public int hotplugListJoins() {
        return (int) HOTPLUG_JOINS.getOpaque(this);
    }

    /** {@code free_percpu} calls on this counter's allocation so far (0 while lazy). */
    public int percpuFrees() {
        RemoteWord word = word();
        return isPercpu(word) ? ((PercpuPointer) word).allocation().frees() : 0;
    }

    /** {@code free_percpu} calls on an interior pointer of this counter's allocation so far (0 while lazy). */
    public int interiorPointerFrees() {
        RemoteWord word = word();
        return isPercpu(word) ? ((PercpuPointer) word).allocation().interiorFrees() : 0;
    }

    /** The raw union word, as {@code atomic_long_read(&fbc->remote)} returns it. */
    public long rawRemoteWord() {
        return word().bits();
    }

    // ---------------------------------------------------------------- helpers

    final RemoteWord word() {
        return (RemoteWord) REMOTE.getOpaque(this);               // atomic_long_read(&lpc->c.remote)
    }

    /** {@code lazy_percpu_counter_initialized}: bit 0 of the word is clear. */
    static boolean isPercpu(RemoteWord word) {
        return (word.bits() & LAZY_INIT_BIAS) == 0;
    }

    @Override
    public String toString() {
        return "RfcLazyCounter[" + (variant() == Variant.RFC ? "rfc" : "rfc-fixed") + ", nrCpus=" + cpus().nrPossible()
                + ", batch=" + batch + ", mode=" + (isPercpu(word()) ? "per-CPU" : "lazy") + "]";
    }
}
