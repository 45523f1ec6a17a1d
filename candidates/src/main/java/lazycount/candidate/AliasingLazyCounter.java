package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.counter.LazyCounterBase;
import lazycount.counter.PercpuCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.DeadCpuFold;

/**
 * Candidate {@code aliasing}: ZhangPeng's RFC v2 (April 2024, "mm: convert
 * mm's rss stats to use atomic mode", suggested by Jan Kara;
 * {@code lib/percpu_counter.c}, {@code include/linux/percpu_counter.h},
 * {@code kernel/fork.c}) plus the local/other split of the 2025 RFC. The lazy
 * word <em>is</em> percpu_counter's central {@code count}: it is "folded" into
 * the per-CPU mode by aliasing, never moved.
 *
 * <p>In lazy mode only the owner (the first thread to add locally) may call
 * {@link #addLocal}; other contexts call {@link #addOther}; any thread may
 * upgrade. {@link Variant#PROPOSED} is the design as proposed, which we expect
 * to lose adds (plain read-modify-writes of the atomically updated word, a
 * check-then-set publication); {@link Variant#FIXED} (candidate
 * {@code aliasing-fixed}) changes the word only atomically and publishes by
 * cmpxchg. For the fixed variant every add is counted once; {@link #sum} and
 * {@link #destroy} are exact with no concurrent update, and {@link #read} is
 * exact while lazy and within {@link #readErrorBound()} per-CPU. After
 * {@link #destroy} every use is refused.
 */
public class AliasingLazyCounter extends LazyCounterBase {

    /*
     * Design notes.
     *
     * <p><b>State.</b> {@code count} (the {@code union} of {@code s64 count} and
     * {@code atomic64_t count_atomic}), {@code slots} (null while lazy, i.e.
     * {@code fbc->counters == NULL}; then this counter's column of a per-CPU
     * allocation) and {@code lock} ({@code fbc->lock}). The per-CPU part is a
     * small percpu_counter model of its own, because its central count must be
     * this counter's lazy word: {@code PercpuCounter} owns its central count and
     * {@code PercpuArea}'s slots are package-private, so neither can be reused.
     *
     * <p><b>Invariant.</b> The value is {@code count + (slots == null ? 0 : Σ slot[cpu])}
     * at every instant; the mode goes only from lazy to per-CPU.
     *
     * <p><b>The protocol, as proposed</b> ({@link Variant#PROPOSED}).
     * <ul>
     * <li><i>Lazy, other path</i>: {@code atomic64_add(delta, &fbc->count_atomic)}.
     * <li><i>Lazy, local path</i> (the split added on top of ZhangPeng's design,
     *     whose lazy adds are all atomic): the owner's plain {@code count += delta}.
     * <li><i>Upgrade</i> (at {@code CLONE_THREAD}, under {@code preempt_disable();
     *     local_irq_save()}): re-check {@code counters == NULL}, allocate the slots
     *     ({@code GFP_ATOMIC}), publish the pointer with a plain store. Disabling
     *     interrupts excludes only this CPU: it is a check-then-set.
     * <li><i>Per-CPU mode</i>: percpu_counter_add_batch. The slot is this CPU's
     *     ({@code this_cpu_add}); at the batch, fold under {@code fbc->lock} with
     *     plain {@code fbc->count += slot}. Sum takes the lock, adds every slot.
     * </ul>
     *
     * <p><b>The races ({@link lazycount.catalog.Race}), as proposed.</b> The word the lazy adders change
     * atomically is also changed by plain read-modify-writes (the owner's lazy
     * add; every fold), and adders that read {@code counters == NULL} may still
     * land on it after the upgrade. I expect:
     * <ul>
     * <li>{@link lazycount.catalog.Race#LOCAL_OTHER}: <i>local ∥ other, lazy: broken.</i> The owner loads {@code count}; an
     *     other-path {@code atomic64_add} lands; the owner stores load + delta: the
     *     other add is lost. (The mutant {@code local-rmw-on-remote-word} is this
     *     mistake.) Kernel: the task faulting in a page while khugepaged or the
     *     OOM reaper unmaps one of its pages; or a {@code kthread_use_mm} kthread,
     *     which looks local, racing the owner's plain add.
     * <li>{@link lazycount.catalog.Race#OTHER_UPGRADE}: <i>other ∥ upgrade: broken,</i> even without the split. An other-path
     *     adder reads {@code counters == NULL}, then is delayed (the check and the
     *     atomic are two steps, preemption enabled); the upgrade publishes; a
     *     per-CPU add reaches the batch and folds: under the lock it loads
     *     {@code count}; the stale {@code atomic64_add} lands; the fold stores load
     *     + slot: the add is lost, the lock does not exclude an adder that never
     *     takes it. Two actors suffice: A {@code addOther(d)}; B {@code upgrade()}
     *     then an add with {@code |delta| >= batch}. Kernel: khugepaged collapsing
     *     a range (mmap write lock, but faults on other VMAs proceed under
     *     per-VMA locks) while the task clones a thread and the new thread faults.
     *     Also {@link lazycount.catalog.Race#UPGRADE_UPGRADE}: both pass the re-check, both publish, the
     *     adds made to the overwritten slots are lost. ZhangPeng upgrades at
     *     {@code CLONE_THREAD} only, so two {@code CLONE_VM} (non-thread) tasks
     *     of one mm cloning threads at once would be two upgraders.
     * <li>{@link lazycount.catalog.Race#LOCAL_UPGRADE}: <i>local ∥ upgrade from elsewhere: broken.</i> The owner reads
     *     {@code counters == NULL} and loads {@code count}; the frequency upgrade
     *     publishes; a fold under the lock adds to {@code count}; the owner
     *     stores load + delta: the fold is lost (or, the other way round, the fold
     *     overwrites the owner's add).
     * <li>{@link lazycount.catalog.Race#READ_SUM}: <i>read / sum: holds by itself.</i> {@code read()} is one word
     *     ({@code READ_ONCE(fbc->count)}, bound 0 lazy, {@code nrCpus * (batch - 1)}
     *     per-CPU); the sum holds the lock, so it sees no fold half done, and
     *     reads each word once. Exact when quiet, as far as {@link lazycount.catalog.Race#LOCAL_OTHER}, {@link lazycount.catalog.Race#OTHER_UPGRADE} and {@link lazycount.catalog.Race#LOCAL_UPGRADE} left the
     *     value right.
     * <li>{@link lazycount.catalog.Race#PERCPU_FOLD_SUM}: <i>per-CPU add ∥ fold ∥ sum: holds</i> once no lazy adder is in flight
     *     (percpu_counter's argument); with one in flight, see {@link lazycount.catalog.Race#OTHER_UPGRADE}.
     * <li>{@link lazycount.catalog.Race#TEARDOWN}: <i>teardown: holds.</i> Sum under the lock after every user, then
     *     refuse.
     * <li>{@link lazycount.catalog.Race#FORK}, {@link lazycount.catalog.Race#CLONE_VM}, {@link lazycount.catalog.Race#EXIT_CHECK_MM}: <i>lifecycle.</i> fork fills the child on the atomic path: fine. Our
     *     mm model upgrades at every {@code CLONE_VM}; ZhangPeng's at
     *     {@code CLONE_THREAD} leaves vfork / posix_spawn children sharing a lazy
     *     mm, harmless with all-atomic lazy adds, not with the split (the child
     *     is "local" too). Exit: exact only if those three lost nothing.
     * </ul>
     * Hazards of the kernel code the Java model cannot show: the plain pointer
     * store has no release, so on arm64 an adder could use the slots before their
     * zeroing is visible (Java arrays are always seen zeroed); on 32-bit kernels
     * {@code atomic64_t} is a hashed spinlock ({@code lib/atomic64.c}) while the
     * fold writes the same s64 plain under {@code fbc->lock}, so the two
     * exclude nothing and the plain store can tear.
     *
     * <p><b>The fix</b> ({@link Variant#FIXED}, candidate {@code aliasing-fixed}):
     * the aliased word may only ever change by an atomic read-modify-write, and
     * the pointer only by cmpxchg. Three changes, one rule: the owner's lazy add
     * is {@code atomic64_add} (ZhangPeng's own choice: the split is given up, the
     * owner pays an atomic); the fold adds to {@code count} with
     * {@code atomic64_add} under the lock (a stale lazy add landing then is simply
     * counted in {@code count}, like the reference's "remainder stays in the
     * sum"); the upgrade publishes by {@code cmpxchg_release} (one winner, the
     * loser frees its allocation unseen). {@link lazycount.catalog.Race#LOCAL_OTHER}, {@link lazycount.catalog.Race#OTHER_UPGRADE} and {@link lazycount.catalog.Race#LOCAL_UPGRADE} then reduce to the
     * reference's arguments: every add changes one word atomically by exactly its
     * delta, or one slot under percpu_counter's rules.
     *
     * <p><b>Memory ordering.</b>
     * <ul>
     * <li>{@code count}: atomic adds are {@code getAndAddRelease}
     *     ({@code atomic64_add}; Java has no relaxed RMW). Plain kernel accesses
     *     (the owner's add, the proposed fold) are {@code getOpaque}/
     *     {@code setOpaque}: opaque rather than plain because the kernel's loads
     *     are coherent and untorn on 64-bit, and a lost update here must come from
     *     the missing atomicity, not from a Java incoherence. Readers use
     *     {@code getOpaque} ({@code READ_ONCE}).
     * <li>{@code slots}: proposed, {@code getOpaque} then {@code setOpaque} (the
     *     plain store, coherent); fixed, {@code compareAndExchangeRelease}. Read
     *     opaque; the published {@link Slots} has final fields, which gives the
     *     address-dependency ordering of the kernel's reader.
     * <li>slot words: written only by the CPU's occupant, plain read and opaque
     *     write ({@code this_cpu_add}); read opaque by the sum.
     * <li>{@code owner}, {@code destroyed} and the policy's {@code otherUpdates}:
     *     {@link LazyCounterBase}'s.
     * </ul>
     */

    /** Which protocol the counter runs. */
    public enum Variant {
        /** ZhangPeng's RFC v2 plus the plain local path: plain RMWs on the atomic word, check-then-set publication. */
        PROPOSED,
        /** Every change of {@code count} is an atomic RMW and the pointer is published by cmpxchg. */
        FIXED
    }

    /** One per-CPU allocation: for every possible CPU a cache-line-padded unit of slots. */
    static final class SlotArea {
        private static final int LONGS_PER_CACHE_LINE = 8;
        final long[] slots;
        final int unit;

        SlotArea(Cpus cpus, int counters) {
            this.unit = (counters + LONGS_PER_CACHE_LINE - 1) / LONGS_PER_CACHE_LINE * LONGS_PER_CACHE_LINE;
            this.slots = new long[Math.multiplyExact(cpus.nrPossible(), unit)];   // alloc_percpu, zeroed
        }
    }

    /** {@code fbc->counters}: one counter's column of a {@link SlotArea}. Immutable. */
    static final class Slots {
        final SlotArea area;
        final int column;

        Slots(SlotArea area, int column) {
            this.area = area;
            this.column = column;
        }

        int indexOf(int cpu) {
            return cpu * area.unit + column;
        }
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle COUNT;
    private static final VarHandle SLOTS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(AliasingLazyCounter.class, "count", long.class);
            SLOTS = l.findVarHandle(AliasingLazyCounter.class, "slots", Slots.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int batch;
    private final Variant variant;
    private final Object lock = new Object();                   // fbc->lock
    private final DeadCpuFold hotplugEntry = new HotplugEntry(); // fbc->list

    @SuppressWarnings("unused") private long count;             // fbc->count / fbc->count_atomic
    @SuppressWarnings("unused") private Slots slots;            // fbc->counters

    /** A lazy counter with no owner yet. O(1): nothing per-CPU is allocated. */
    public AliasingLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, Variant variant) {
        super(cpus, policy);
        this.batch = PercpuCounter.checkBatch(batch);
        this.variant = variant;
    }

    @Override
    public void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        Slots s = slots();
        if (s != null) {
            addPercpu(s, cpu, delta);
            return;
        }
        checkCallerOwns();
        if (variant == Variant.FIXED) {
            COUNT.getAndAddRelease(this, delta);                 // atomic64_add(delta, &fbc->count_atomic)
        } else {
            // fbc->count += delta: plain, on the word other contexts change atomically.
            COUNT.setOpaque(this, (long) COUNT.getOpaque(this) + delta);
        }
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        Slots s = slots();
        if (s != null) {
            addPercpu(s, cpu, delta);
            return;
        }
        COUNT.getAndAddRelease(this, delta);                     // atomic64_add(delta, &fbc->count_atomic)
        if (noteOtherUpdate()) {
            upgradeByPolicy();
        }
    }

    /** percpu_counter_add_batch on this counter's own slots. */
    private void addPercpu(Slots s, CpuSection cpu, long delta) {
        cpu.checkUsableOn(cpus());
        long[] area = s.area.slots;
        int i = s.indexOf(cpu.id());
        long slot = (long) SLOT.get(area, i) + delta;          // only this CPU's occupant writes it
        if (slot >= batch || slot <= -batch) {
            fold(area, i, slot, delta);
        } else {
            SLOT.setOpaque(area, i, slot);                      // this_cpu_add
        }
    }

    private void fold(long[] area, int i, long slot, long delta) {
        synchronized (lock) {                                   // raw_spin_lock_irqsave(&fbc->lock)
            addToCountUnderLock(slot);
            // __this_cpu_sub(*fbc->counters, count - amount)
            SLOT.setOpaque(area, i, (long) SLOT.get(area, i) - (slot - delta));
        }
    }

    /**
     * Step: a fold's change of {@code count}, under the lock (the batch fold's and
     * the hotplug fold's). Subclasses exist only to model broken variants (the
     * mutants catalog).
     */
    protected void addToCountUnderLock(long amount) {
        if (variant == Variant.FIXED) {
            COUNT.getAndAddRelease(this, amount);               // atomic64_add: stale lazy adds may land too
        } else {
            // fbc->count += amount: plain; the lock does not exclude a stale atomic64_add.
            COUNT.setOpaque(this, (long) COUNT.getOpaque(this) + amount);
        }
    }

    /** {@code fbc->count} now: {@code READ_ONCE}, as the kernel's plain load of an s64 (coherent, untorn). */
    protected final long countNow() {
        return (long) COUNT.getOpaque(this);
    }

    /** {@code atomic64_set(&fbc->count_atomic, value)}: one untorn store, ordered after the section's reads. */
    protected final void setCount(long value) {
        COUNT.setRelease(this, value);
    }

    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        if (slots() != null) {
            return false;
        }
        return publish(new Slots(new SlotArea(cpus(), 1), 0));  // alloc_percpu(GFP_ATOMIC): O(nrCpus)
    }

    /**
     * The mm's counters onto one per-CPU allocation, one column each
     * ({@code percpu_counter_init_many} in switch mode), at {@code CLONE_VM}.
     */
    public static void upgradeAll(AliasingLazyCounter[] counters) {
        if (counters.length == 0) {
            return;
        }
        SlotArea area = new SlotArea(checkUpgradeAll(counters), counters.length);
        for (int i = 0; i < counters.length; i++) {
            if (counters[i].slots() == null) {
                counters[i].publish(new Slots(area, i));
            }
        }
    }

    /**
     * Puts the counter on the hotplug list, then publishes {@code fresh}. The
     * kernel's switch does {@code list_add} right after publishing, with
     * interrupts off, which keeps stop_machine (and so any CPU's death) from
     * completing in between; the model, which has no interrupts, joins first
     * instead, to the same effect: no CPU dies between publication and the
     * join. A fold of a listed counter not published yet finds no slots and
     * does nothing; a racing upgrader that loses leaves the counter listed for
     * the winner.
     */
    private boolean publish(Slots fresh) {
        if (variant == Variant.PROPOSED && slots() != null) {
            return false;
        }
        cpus().joinHotplugListIfAbsent(hotplugEntry);           // one list_add per counter, under percpu_counters_lock
        return publishSlots(fresh);
    }

    private boolean publishSlots(Slots fresh) {
        if (variant == Variant.FIXED) {
            // cmpxchg_release(&fbc->counters, NULL, fresh): one winner; the loser's slots are never seen.
            return SLOTS.compareAndExchangeRelease(this, null, fresh) == null;
        }
        // With interrupts off: if (!fbc->counters) fbc->counters = fresh; excludes this CPU only.
        SLOTS.setOpaque(this, fresh);
        return true;
    }

    /** {@code percpu_counter_cpu_dead}: under the lock, the dead CPU's slot into the aliased count. */
    private final class HotplugEntry implements DeadCpuFold {
        @Override
        public void foldDeadCpu(int cpu) {
            synchronized (lock) {                               // raw_spin_lock(&fbc->lock)
                Slots s = slots();
                if (s == null) {
                    return;                                     // listed, not published yet: no slot to fold
                }
                long[] area = s.area.slots;
                int i = s.indexOf(cpu);
                long slot = (long) SLOT.getOpaque(area, i);
                addToCountUnderLock(slot);                      // fbc->count += *pcount
                SLOT.setOpaque(area, i, 0L);                    // *pcount = 0
            }
        }

        @Override
        public String toString() {
            return "hotplug-list entry of " + AliasingLazyCounter.this;
        }
    }

    @Override
    public boolean isPerCpu() {
        return slots() != null;
    }

    @Override
    public long read() {
        checkAlive("read");
        return (long) COUNT.getOpaque(this);                    // READ_ONCE(fbc->count) / atomic64_read
    }

    @Override
    public long sum() {
        checkAlive("sum");
        Slots s = slots();
        if (s == null) {
            return (long) COUNT.getOpaque(this);                // atomic64_read(&fbc->count_atomic)
        }
        synchronized (lock) {
            return sumLocked(s);
        }
    }

    private long sumLocked(Slots s) {
        long sum = (long) COUNT.getOpaque(this);                // stale lazy adds may still change it
        for (int cpu = 0; cpu < cpus().nrPossible(); cpu++) {
            if (cpus().isWalkedBySum(cpu)) {                    // for_each_cpu_or(online, dying)
                sum += (long) SLOT.getOpaque(s.area.slots, s.indexOf(cpu)); // READ_ONCE(*per_cpu_ptr)
            }
        }
        return sum;
    }

    @Override
    public long readErrorBound() {
        return slots() == null ? 0 : (long) cpus().nrHoldingSlots() * (batch - 1);
    }

    @Override
    public long destroy() {
        markDestroyed();
        Slots s = slots();
        if (s == null) {
            return (long) COUNT.getOpaque(this);
        }
        long last;
        synchronized (lock) {                                   // check_mm's sum, then free_percpu
            last = sumLocked(s);
        }
        cpus().leaveHotplugList(hotplugEntry);                  // percpu_counter_destroy: list_del
        return last;
    }

    public int batch() {
        return batch;
    }

    public Variant variant() {
        return variant;
    }

    private Slots slots() {
        return (Slots) SLOTS.getOpaque(this);                   // fbc->counters, a coherent plain load
    }

    @Override
    public String toString() {
        return "AliasingLazyCounter[" + variant + ", nrCpus=" + cpus().nrPossible() + ", batch=" + batch
                + ", mode=" + (isPerCpu() ? "per-CPU" : "lazy") + "]";
    }
}
