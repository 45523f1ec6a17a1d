package lazycount.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;
import lazycount.cpu.AtomicContext;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.DeadCpuFold;

/**
 * The eager baseline: a model of {@code struct percpu_counter} and
 * {@code lib/percpu_counter.c}.
 *
 * <p>A central count plus one slot per possible CPU. Any thread on a
 * {@link CpuSection} of the counter's CPUs may {@link #addBatch}; the add folds
 * the slot into the central count when it reaches the batch. Every add is
 * counted exactly once. {@link #read} is the central count alone, lock-free, and
 * within {@link #readErrorBound()} of the value when quiescent; {@link #sum} takes
 * the lock and is exact when quiescent, but never a snapshot under concurrency
 * (see {@link BatchedCounter}). CPU hotplug leaves the value unchanged.
 * {@link #initMany} builds counters that share one {@link PercpuArea};
 * {@link #destroy}, or {@link #destroyMany} for counters on one area, returns the
 * exact final value once every update is done, and later use throws
 * {@link CounterDestroyedException}.
 */
public class PercpuCounter implements BatchedCounter {

    /*
     * Design notes.
     *
     * <ul>
     * <li>Value. At every instant the counter's value is {@code central + Σ slot[cpu]}
     *     over every possible CPU. An add changes exactly one of those terms
     *     (the caller's slot) or, when it folds, moves the slot's content and the
     *     delta into {@code central} under the lock, which leaves the total changed
     *     by exactly the delta.
     * <li>Slots. A slot is written only by the thread running on its CPU
     *     ({@link CpuSection} is the {@code preempt_disable()} that guarantees it),
     *     so the read-modify-write of {@code this_cpu_add} needs no atomic
     *     instruction. Other threads read slots only in {@link #sum()}; the slot
     *     write is opaque so those reads are never torn ({@code this_cpu_add} is a
     *     single instruction; the kernel's sum reads the slots with plain loads,
     *     which the model makes opaque: untorn and coherent, stricter than C).
     * <li>Fold. When {@code |slot + delta| >= batch} the add takes the lock, adds
     *     {@code slot + delta} to {@code central} and subtracts what it folded from
     *     the slot, as {@code percpu_counter_add_batch} does when built without
     *     {@code CONFIG_HAVE_CMPXCHG_LOCAL} ({@code local_irq_save}; the x86/arm64
     *     variant's cmpxchg loop, which may migrate, is a departure REPORT.md
     *     names). Afterwards
     *     every slot satisfies {@code |slot| < batch}, hence the read bound
     *     {@code nrCpus * (batch - 1)}.
     * <li>Sum. {@link #sum()} holds the lock, so it never sees a fold half done;
     *     it reads each slot once, so it sees each unfolded add entirely or not at
     *     all. It is not a snapshot: slots are read one after another while other
     *     CPUs keep adding.
     * <li>Teardown. {@link #destroy()} sums every possible CPU (the walk
     *     {@code check_mm} pays) and marks the counter dead; later use throws.
     *     Updates racing with destroy are a caller bug (the kernel would use freed
     *     memory); they are refused on a best-effort basis.
     * <li>Steps. The class is not final for two reasons: the mutants catalog
     *     breaks it one step at a time ({@link #fold}, {@link #foldedFromSlot},
     *     {@link #sumOfAllCpus}, {@link #foldDeadCpu}, {@link #nextCpuToWalk},
     *     {@link #holdingLockForTeardown}) by overriding that step of this code, so a change
     *     here changes every mutant built on it; and a design that walks fewer
     *     CPUs ({@link MaskedPercpuCounter}) overrides the two walk hooks,
     *     {@link #beforeSlotWrite} and {@link #nextCpuToWalk}.
     * <li>CPU hotplug. A counter is on its CPUs' hotplug list from construction
     *     to teardown ({@code percpu_counter_init_many}'s {@code list_add},
     *     {@code percpu_counter_destroy}'s {@code list_del}). When a CPU dies,
     *     {@link #foldDeadCpu} moves its slot into {@code central} under the lock
     *     ({@code percpu_counter_cpu_dead}), so the value is unchanged and a sum,
     *     also under the lock, sees the amount in exactly one of the two places.
     *     Sums walk the online and dying CPUs ({@link Cpus#isWalkedBySum}): a dying
     *     CPU's slot may still hold a count, a booting one's was folded. Because
     *     no slot of a dead CPU holds anything, the read bound counts only the CPUs
     *     that can hold a slot ({@link Cpus#nrHoldingSlots}).
     * <li>One walk for many. {@link #destroyMany} tears down counters that share
     *     an area (an mm's four) in one pass over the CPUs, reading each CPU's
     *     unit once, instead of one pass per counter (Guzik's "take care of all 4
     *     counters in each iteration").
     * </ul>
     */

    /** Default batch, as {@code percpu_counter_batch = max(32, 2 * nr_cpus)}. */
    public static int defaultBatch(Cpus cpus) {
        return Math.max(32, 2 * cpus.nrPossible());
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CENTRAL;
    private static final VarHandle DESTROYED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CENTRAL = l.findVarHandle(PercpuCounter.class, "central", long.class);
            DESTROYED = l.findVarHandle(PercpuCounter.class, "destroyed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Cpus cpus;
    private final PercpuArea area;
    private final int slotIndex;
    private final int batch;
    private final Object lock = new Object();   // fbc->lock
    /** What {@link AtomicContext} calls {@code fbc->lock}, a raw spinlock taken with irqs off. */
    public static final String FBC_LOCK = "fbc->lock (raw_spin_lock_irqsave)";
    private final DeadCpuFold hotplugEntry = new HotplugEntry();   // fbc->list

    @SuppressWarnings("unused") // accessed through CENTRAL
    private long central;                        // fbc->count: written under lock only
    @SuppressWarnings("unused") // accessed through DESTROYED
    private boolean destroyed;

    /** {@code percpu_counter_init}: one counter in an area of its own. */
    public PercpuCounter(Cpus cpus, int batch) {
        this(new PercpuArea(cpus, 1), 0, batch);
    }

    /** A counter whose slots are slot {@code slotIndex} of every CPU's unit of a shared area. */
    public PercpuCounter(PercpuArea area, int slotIndex, int batch) {
        checkBatch(batch);
        area.checkSlotIndex(slotIndex);
        this.cpus = area.cpus();
        this.area = area;
        this.slotIndex = slotIndex;
        this.batch = batch;
        joinHotplugList();                                        // percpu_counter_init_many: list_add
    }

    /** {@code percpu_counter_init_many}: {@code count} counters sharing one allocation. */
    public static PercpuCounter[] initMany(Cpus cpus, int count, int batch) {
        PercpuArea area = new PercpuArea(cpus, count);
        PercpuCounter[] counters = new PercpuCounter[count];
        for (int i = 0; i < count; i++) {
            counters[i] = new PercpuCounter(area, i, batch);
        }
        return counters;
    }

    @Override
    public void addBatch(CpuSection cpu, long delta, int batch) {
        checkBatch(batch);
        checkAlive("addBatch");
        cpu.checkUsableOn(cpus);
        int i = area.indexOf(cpu.id(), slotIndex);
        beforeSlotWrite(cpu.id());
        // Only this CPU's occupant writes the slot, so its own plain read is current.
        long count = (long) SLOT.get(area.slots, i) + delta;
        if (count >= batch || count <= -batch) {
            fold(i, count, delta);
        } else {
            // this_cpu_add: single-writer update; opaque so sum() never reads a torn value.
            SLOT.setOpaque(area.slots, i, count);
        }
    }

    /** Step: the batch fold, {@link #moveSlotToCentral} under the lock. */
    protected void fold(int i, long count, long delta) {
        synchronized (lock) {                                     // raw_spin_lock(&fbc->lock)
            try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                moveSlotToCentral(i, count, delta);
            }
        }
    }

    /** The fold's two writes; the caller holds the lock. */
    protected final void moveSlotToCentral(int i, long count, long delta) {
        // fbc->count += count, WRITE_ONCE so the lock-free read() is never torn.
        CENTRAL.setOpaque(this, (long) CENTRAL.get(this) + count);
        // __this_cpu_sub(*fbc->counters, count - amount): the slot gives up what was folded.
        SLOT.setOpaque(area.slots, i, (long) SLOT.get(area.slots, i) - foldedFromSlot(count, delta));
    }

    /** Step: what the slot held of the folded {@code count} (the rest is this add's delta). */
    protected long foldedFromSlot(long count, long delta) {
        return count - delta;
    }

    /**
     * Step: {@code percpu_counter_cpu_dead} for this counter, called with the
     * hotplug list locked once {@code cpu} is dead: its slot moves into the
     * central count under the lock, so a sum sees it in exactly one place.
     */
    protected void foldDeadCpu(int cpu) {
        synchronized (lock) {                                     // raw_spin_lock(&fbc->lock)
            try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                moveDeadSlotToCentral(cpu);
            }
        }
    }

    /** This counter's entry on the hotplug list (a named class: Lincheck cannot read a lambda's captured fields). */
    private final class HotplugEntry implements DeadCpuFold {
        @Override
        public void foldDeadCpu(int cpu) {
            PercpuCounter.this.foldDeadCpu(cpu);
        }

        @Override
        public String toString() {
            return "hotplug-list entry of " + PercpuCounter.this;
        }
    }

    /** The dead-CPU fold's two writes; the caller holds the lock. Nobody runs on {@code cpu}. */
    protected final void moveDeadSlotToCentral(int cpu) {
        int i = area.indexOf(cpu, slotIndex);
        CENTRAL.setOpaque(this, (long) CENTRAL.get(this) + (long) SLOT.getOpaque(area.slots, i));   // fbc->count += *pcount
        SLOT.setOpaque(area.slots, i, 0L);                        // *pcount = 0
    }

    /**
     * Puts this counter on its CPUs' hotplug list ({@code list_add}); the
     * constructor does, so only a protocol that took it off needs this.
     *
     * @throws lazycount.cpu.CpuHotplugException if it is on the list already
     */
    public final void joinHotplugList() {
        cpus.joinHotplugList(hotplugEntry);
    }

    /**
     * Takes this counter off the hotplug list ({@code list_del}): teardown does,
     * and so must a protocol that drops a counter it never published.
     *
     * @throws lazycount.cpu.CpuHotplugException if it is not on the list
     */
    public final void leaveHotplugList() {
        cpus.leaveHotplugList(hotplugEntry);
    }

    /** Whether a dying CPU would fold into this counter now. */
    public final boolean isOnHotplugList() {
        return cpus.isOnHotplugList(hotplugEntry);
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public long read() {
        checkAlive("read");
        return (long) CENTRAL.getOpaque(this);                  // fbc->count: a plain load in C, opaque here
    }

    @Override
    public long sum() {
        checkAlive("sum");
        synchronized (lock) {                                     // raw_spin_lock_irqsave(&fbc->lock)
            try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                return sumOfAllCpus();
            }
        }
    }

    /** Step: the central count plus the slot of every CPU the walk visits; the caller holds the lock. */
    protected long sumOfAllCpus() {
        long sum = (long) CENTRAL.getOpaque(this);              // stable under the lock; opaque for lock-free callers
        for (int cpu = nextCpuToWalk(0); cpu >= 0; cpu = nextCpuToWalk(cpu + 1)) {
            sum += (long) SLOT.getOpaque(area.slots, area.indexOf(cpu, slotIndex)); // *per_cpu_ptr: plain in C
        }
        return sum;
    }

    /** Walk hook: called with the CPU whose slot an add is about to write (or fold). Nothing here. */
    protected void beforeSlotWrite(int cpu) {
    }

    /**
     * Walk hook: the first CPU at or after {@code from} whose slot a sum must
     * read, or -1. Here: every online or dying CPU
     * ({@code for_each_cpu_or(cpu, cpu_online_mask, cpu_dying_mask)}).
     */
    protected int nextCpuToWalk(int from) {
        for (int cpu = from; cpu < cpus.nrPossible(); cpu++) {
            if (cpus.isWalkedBySum(cpu)) {
                return cpu;
            }
        }
        return -1;
    }

    /**
     * {@code check_mm}'s sums and {@code percpu_counter_destroy_many} for
     * counters on one area, in one walk: every counter's lock is held (in
     * array order), each visited CPU's unit is read once for all of them, and
     * every counter is marked destroyed. The walk visits the CPUs the first
     * counter's {@link #nextCpuToWalk} names (counters on one area share it).
     *
     * @return each counter's final value, in order
     * @throws CounterDestroyedException if any of them is already destroyed
     * @throws IllegalArgumentException if they do not share one area
     */
    public static long[] destroyMany(PercpuCounter[] counters) {
        for (int i = 0; i < counters.length; i++) {
            if (counters[i].area != counters[0].area) {
                throw new IllegalArgumentException("destroyMany() over counters of different areas: "
                        + counters[0] + " and " + counters[i]);
            }
            for (int k = 0; k < i; k++) {                         // an mm has four: no set needed
                if (counters[k] == counters[i]) {
                    throw new IllegalArgumentException("destroyMany() lists " + counters[i] + " twice");
                }
            }
        }
        long[] sums = counters.length == 0 ? new long[0] : destroyLocked(counters, 0);
        for (PercpuCounter c : counters) {
            c.leaveHotplugList();            // percpu_counter_destroy_many: list_del, after the locks (lock order)
        }
        return sums;
    }

    private static long[] destroyLocked(PercpuCounter[] counters, int locked) {
        if (locked < counters.length) {
            return counters[locked].holdingLockForTeardown(() -> destroyLocked(counters, locked + 1));
        }
        long[] sums = new long[counters.length];
        for (int k = 0; k < counters.length; k++) {
            counters[k].checkAlive("destroy");
            sums[k] = (long) CENTRAL.getOpaque(counters[k]);
        }
        PercpuCounter first = counters[0];
        for (int cpu = first.nextCpuToWalk(0); cpu >= 0; cpu = first.nextCpuToWalk(cpu + 1)) {
            for (int k = 0; k < counters.length; k++) {           // one CPU's unit: one or two cache lines
                sums[k] += (long) SLOT.getOpaque(first.area.slots, first.area.indexOf(cpu, counters[k].slotIndex));
            }
        }
        for (PercpuCounter c : counters) {
            DESTROYED.setRelease(c, true);
        }
        return sums;
    }

    /**
     * Step: runs {@code walk} holding this counter's lock, as
     * {@code percpu_counter_destroy_many} holds each counter's
     * ({@code raw_spin_lock_irqsave(&fbc[i].lock)}): a dead-CPU fold, the one
     * writer a teardown can meet, is then seen whole or not at all.
     */
    protected long[] holdingLockForTeardown(Supplier<long[]> walk) {
        synchronized (lock) {
            try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                return walk.get();
            }
        }
    }

    /** The area this counter's slots live in. */
    public final PercpuArea area() {
        return area;
    }

    /** What {@code cpu}'s slot holds now ({@code READ_ONCE(*per_cpu_ptr(fbc->counters, cpu))}). */
    protected final long slotOf(int cpu) {
        cpus.checkCpuId(cpu);
        return (long) SLOT.getOpaque(area.slots, area.indexOf(cpu, slotIndex));
    }

    /** The set of CPUs this counter's slots belong to. */
    public final Cpus cpus() {
        return cpus;
    }

    /** {@code (batch - 1)} per CPU whose slot can hold a count: every possible CPU but the dead and booting ones. */
    @Override
    public long readErrorBound() {
        return (long) cpus.nrHoldingSlots() * (batch - 1);
    }

    @Override
    public long destroy() {
        long finalValue;
        synchronized (lock) {
            try (AtomicContext.Held atomic = AtomicContext.spinLock(FBC_LOCK)) {
                checkAlive("destroy");
                finalValue = sumOfAllCpus();
                DESTROYED.setRelease(this, true);
            }
        }
        // percpu_counter_destroy: list_del outside fbc->lock, whose holder the hotplug walk may wait for.
        // A fold between the two moves a dead CPU's slot into a count nobody reads again.
        leaveHotplugList();
        return finalValue;
    }

    @Override
    public boolean isDestroyed() {
        return (boolean) DESTROYED.getAcquire(this);
    }

    private void checkAlive(String operation) {
        // READ_ONCE of a flag that only a misuse can race with: best-effort detection.
        if ((boolean) DESTROYED.getOpaque(this)) {
            throw new CounterDestroyedException(operation, this);
        }
    }

    /**
     * The batch rule of {@code percpu_counter_add_batch}, also for a lazy
     * counter's batch for its per-CPU mode. Returns {@code batch}.
     *
     * @throws IllegalArgumentException if {@code batch < 1}
     */
    public static int checkBatch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, was " + batch);
        }
        return batch;
    }

    @Override
    public String toString() {
        return "PercpuCounter[nrCpus=" + cpus.nrPossible() + ", batch=" + batch + "]";
    }
}
