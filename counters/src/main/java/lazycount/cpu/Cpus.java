package lazycount.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of virtual CPUs: the model of {@code cpu_possible_mask} and of
 * running "on" a CPU with preemption disabled.
 *
 * <p>A thread runs on a CPU from {@link #enter} (or {@link #enterWhenFree},
 * {@link #enterAny}, which wait for a free CPU) until it closes the returned
 * {@link CpuSection}; only that thread may touch the CPU's slots meanwhile.
 * Entering an occupied or offline CPU is refused ({@link CpuOccupiedException},
 * {@link CpuOfflineException}); under {@link Handover#RELAXED} two simultaneous
 * entries may instead be caught at a leave ({@link WrongCpuSectionException}).
 * Leaving a CPU is a release and entering one an acquire, so the next thread on a
 * CPU sees every slot write of the previous one.
 *
 * <p>{@link #takeDown} ({@code cpu_down}) and {@link #bringUp} ({@code cpu_up}),
 * whole or in two steps, are serialized; a thread that holds a CPU may not
 * start one ({@link CpuHotplugException}). A dying CPU's slot is folded into
 * every counter on the {@linkplain #joinHotplugList hotplug list}; a sum walks
 * exactly the CPUs {@link #isWalkedBySum} names. Per-CPU allocations pass through
 * {@link #allocatePercpu}, where failures can be injected.
 *
 * <p>Subclasses exist only to model broken variants of the machinery (the mutants
 * catalog, built through {@code CounterFactory.newCpus}); the protected step
 * {@link #stopMachine} is where such a variant differs.
 */
public class Cpus {

    /*
     * Design notes.
     *
     * <p>Java has no per-CPU memory and no way to pin a thread, so a
     * CPU here is an index into per-CPU slot arrays plus an occupancy word. A thread
     * {@linkplain #enter(int) enters} a CPU for a section (the {@code
     * preempt_disable()} analogue) and leaves it with {@link CpuSection#close()}
     * ({@code preempt_enable()}). Inside the section the thread is the only one
     * allowed to touch that CPU's slots, which is what makes the kernel's plain
     * {@code this_cpu_add} safe; a second thread entering an occupied CPU is the
     * misuse that would break it, so it fails at once.
     *
     * <p>Leaving a CPU is a release and entering one is an acquire, mirroring
     * what a context switch gives the kernel (the next task on a CPU sees every
     * slot write of the previous one: same CPU, program order). Nothing more is
     * needed, and {@link Handover} says how much more the model adds:
     * <ul>
     * <li>{@link Handover#FENCED} (the default): enter and leave are
     *     compare-and-sets, so a second thread entering an occupied CPU fails at
     *     once, in {@link #enter}. A Java CAS is a full fence (on x86 a locked
     *     instruction), where {@code preempt_disable()}/{@code preempt_enable()}
     *     are compiler barriers: every update of a check sits between two full
     *     fences the kernel does not have, which can hide an ordering bug of the
     *     counter under test.
     * <li>{@link Handover#RELAXED}:
     *     enter is an acquire load and an opaque store, leave an opaque load and a
     *     release store; on x86 these are plain moves, no fence at all. Misuse is
     *     still refused: an entry onto a CPU whose occupant is visible fails at
     *     once; two threads that enter the same free CPU at the same instant both
     *     get in, and the overlap is detected when the first of them leaves
     *     (whichever store came second in the word's coherence order, the other
     *     thread finds a value not its own at its leave, and throws
     *     {@link WrongCpuSectionException}). The suite runs whole in this mode;
     *     REPORT.md says what it changed.
     * </ul>
     * {@link #enterAny} is a scheduler choosing a free CPU (in the kernel under
     * the runqueue lock), not a misuse check: it is a CAS in both modes.
     *
     * <p>CPU hotplug ({@code kernel/cpu.c}, {@code lib/percpu_counter.c}). Every CPU
     * starts {@linkplain CpuState#ONLINE online}. {@link #takeDown} is
     * {@code cpu_down}: the CPU becomes {@linkplain CpuState#DYING dying} (the
     * kernel sets {@code cpu_dying_mask} before it clears {@code cpu_online_mask};
     * here one word holds both bits), waits until no thread is on it (stop_machine
     * waits for preempt-disabled sections), is claimed so that nothing can enter it,
     * and then, at {@code CPUHP_PERCPU_CNT_DEAD}, every counter on the
     * {@linkplain #joinHotplugList hotplug list} folds the dead CPU's slot
     * ({@link DeadCpuFold}, {@code percpu_counter_cpu_dead}); the CPU is then
     * {@linkplain CpuState#DEAD dead}, and stays in the dying mask, as
     * {@code cpuhp_set_state} leaves it until the next bring-up. {@link #bringUp}
     * is {@code cpu_up}: the dying bit is cleared first
     * ({@linkplain CpuState#BOOTING booting}: in neither mask, so no sum walks it),
     * then the CPU is online again. Hotplug operations are serialized
     * ({@code cpu_hotplug_lock}); each comes whole or in two steps
     * ({@link #startTakeDown}, {@link #startBringUp}) so that a check can act while
     * a CPU is dying or booting. A sum walks the CPUs in either mask
     * ({@link #isWalkedBySum}, {@code for_each_cpu_or(cpu, cpu_online_mask,
     * cpu_dying_mask)}).
     */

    /** Largest supported {@code nr_cpu_ids}; the kernel's CONFIG_NR_CPUS tops out at 8192. */
    public static final int MAX_CPUS = 8192;

    private static final VarHandle OCCUPANT = MethodHandles.arrayElementVarHandle(Thread[].class);

    /** The occupant of a CPU that is not online: nobody can enter it (it was never started). */
    private static final Thread HOTPLUG = new Thread("cpu hotplug (CPU not online)");

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(int[].class);

    /** A CPU's hotplug state: its bits in {@code cpu_online_mask} and {@code cpu_dying_mask}. */
    public enum CpuState {
        /** Online, not dying: tasks run on it; sums walk it. */
        ONLINE("online"),
        /**
         * Going down, its slots not folded yet: sums walk it. Tasks still enter it and add to its slots
         * until the take-down claims it (stop_machine), as the kernel's dying CPU still runs tasks; the
         * one word does not tell "dying, still online" from "dying, offline, not folded yet".
         */
        DYING("dying"),
        /** Offline, its slots folded (still in the dying mask): sums walk it. */
        DEAD("offline"),
        /** Coming up: dying bit cleared, not online yet, so no sum walks it. */
        BOOTING("booting");

        private final String description;

        CpuState(String description) {
            this.description = description;
        }

        String describe() {
            return description;
        }

        /** In {@code cpu_online_mask | cpu_dying_mask}. */
        public boolean walkedBySum() {
            return this != BOOTING;
        }
    }

    /** How the occupancy word is handed from one thread to the next (see the design notes). */
    public enum Handover {
        /** Compare-and-set on enter and leave: full fences, immediate misuse detection. */
        FENCED,
        /** Acquire on enter, release on leave, no read-modify-write: no fence on x86. */
        RELAXED
    }

    /**
     * Whether a lazy counter's local path refuses a caller that is not its
     * owner ({@link #REFUSE}, the model's safety net) or trusts it as the
     * kernel does, where {@code current->mm == mm} is the whole test
     * ({@link #TRUST}): an experiment that shows which protocols lose an update
     * when a second writer (a {@code kthread_use_mm} borrower) reaches the
     * local path. The machine carries it because {@code current} is the
     * machine's notion.
     */
    public enum OwnerCheck {
        REFUSE,
        TRUST
    }

    private final int nrPossible;
    private final Handover handover;
    private final OwnerCheck ownerCheck;
    /** occupant[cpu] is the thread running on that CPU with preemption disabled, or null. */
    private final Thread[] occupant;
    /** state[cpu] is a {@link CpuState} ordinal; written only under {@link #hotplugLock}. */
    private final int[] state;
    /** CPUs that are {@link CpuState#DEAD} or {@link CpuState#BOOTING}: their slots hold nothing. */
    private volatile int folded;
    /** cpu_hotplug_lock: one hotplug operation at a time, held from its start to its finish. */
    private final java.util.concurrent.locks.ReentrantLock hotplugLock = new java.util.concurrent.locks.ReentrantLock();
    /**
     * The percpu_counters list; guarded by itself (percpu_counters_lock). Entries are
     * compared by identity, never hashed: Lincheck's model checker makes identity hash
     * codes deterministic per invocation, so an entry hashed outside it is not found
     * inside. Removal scans from the end: O(1) for the last-in first-out use of the
     * benchmarks, O(n) at worst where the kernel's list_del is O(1).
     */
    private final java.util.ArrayList<DeadCpuFold> hotplugList = new java.util.ArrayList<>();
    /** What {@link AtomicContext} calls the hotplug list's lock. */
    public static final String PERCPU_COUNTERS_LOCK = "percpu_counters_lock (spin_lock_irqsave)";
    /** Fault injection for alloc_percpu; volatile because a test sets it while other threads allocate. */
    private volatile AllocationFailures allocationFailures = AllocationFailures.NONE;

    /** {@code nrPossible} CPUs, {@link Handover#FENCED}, local paths that {@link OwnerCheck#REFUSE refuse} a non-owner. */
    public Cpus(int nrPossible) {
        this(nrPossible, Handover.FENCED, OwnerCheck.REFUSE);
    }

    public Cpus(int nrPossible, Handover handover) {
        this(nrPossible, handover, OwnerCheck.REFUSE);
    }

    public Cpus(int nrPossible, Handover handover, OwnerCheck ownerCheck) {
        if (nrPossible < 1 || nrPossible > MAX_CPUS) {
            throw new IllegalArgumentException(
                    "nrCpus must be in [1, " + MAX_CPUS + "], was " + nrPossible);
        }
        this.nrPossible = nrPossible;
        this.handover = java.util.Objects.requireNonNull(handover, "handover");
        this.ownerCheck = java.util.Objects.requireNonNull(ownerCheck, "ownerCheck");
        this.occupant = new Thread[nrPossible];
        this.state = new int[nrPossible];                         // all ONLINE (ordinal 0)
    }

    /** The number of possible CPUs ({@code nr_cpu_ids}); slots exist for each. */
    public int nrPossible() {
        return nrPossible;
    }

    /**
     * Runs the calling thread on {@code cpu} until the returned section is closed.
     *
     * @throws CpuIdOutOfRangeException if {@code cpu} is not a possible CPU
     * @throws CpuOccupiedException if another thread (or this one) is already on it
     */
    public CpuSection enter(int cpu) {
        checkCpuId(cpu);
        Thread me = Thread.currentThread();
        Thread previous;
        if (handover == Handover.FENCED) {
            // cmpxchg on the occupancy word: a full fence, more than the context switch's acquire.
            previous = (Thread) OCCUPANT.compareAndExchange(occupant, cpu, null, me);
        } else {
            // Acquire pairs with the previous occupant's release in leave(): the context-switch handover.
            previous = (Thread) OCCUPANT.getAcquire(occupant, cpu);
            if (previous == null) {
                OCCUPANT.setOpaque(occupant, cpu, me);            // coherent, so an overlap shows at leave()
            }
        }
        if (previous == HOTPLUG) {
            throw new CpuOfflineException(cpu, state(cpu), me);
        }
        if (previous != null) {
            throw new CpuOccupiedException(cpu, previous, me);
        }
        return new CpuSection(this, cpu, me);
    }

    /**
     * Runs the calling thread on {@code cpu}, waiting while another thread is
     * on it: a task bound to one CPU, which the scheduler runs there once the
     * CPU is free (a scheduler action, so a CAS in both handover modes).
     *
     * @throws CpuOfflineException if the CPU is not online (now or while waiting)
     * @throws CpuOccupiedException if the calling thread is already on it
     */
    public CpuSection enterWhenFree(int cpu) {
        checkCpuId(cpu);
        Thread me = Thread.currentThread();
        while (true) {
            Thread previous = (Thread) OCCUPANT.compareAndExchange(occupant, cpu, null, me);
            if (previous == null) {
                return new CpuSection(this, cpu, me);
            }
            if (previous == HOTPLUG) {
                throw new CpuOfflineException(cpu, state(cpu), me);
            }
            if (previous == me) {
                throw new CpuOccupiedException(cpu, me, me);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Runs the calling thread on the first free online CPU, scanning from
     * {@code hint} and spinning while every online CPU is occupied (a scheduler
     * that waits for a CPU).
     */
    public CpuSection enterAny(int hint) {
        Thread me = Thread.currentThread();
        int start = Math.floorMod(hint, nrPossible);
        while (true) {
            for (int i = 0; i < nrPossible; i++) {
                int cpu = (start + i) % nrPossible;
                if (OCCUPANT.compareAndSet(occupant, cpu, null, me)) {
                    return new CpuSection(this, cpu, me);
                }
            }
            Thread.onSpinWait();
        }
    }

    /** {@code cpu}'s hotplug state now. */
    public CpuState state(int cpu) {
        checkCpuId(cpu);
        return CpuState.values()[(int) STATE.getOpaque(state, cpu)];
    }

    /**
     * Whether a sum must read {@code cpu}'s slot: it is online or dying
     * ({@code cpu_online_mask | cpu_dying_mask}). Opaque, as the kernel's
     * {@code test_bit} is a plain load: a slot of a listed counter is non-zero
     * only between an add and the fold, when the CPU is online or dying, and a
     * sum that holds the counter's lock before the fold cannot read a state
     * written after it (booting comes after the fold).
     */
    public boolean isWalkedBySum(int cpu) {
        checkCpuId(cpu);
        return CpuState.values()[(int) STATE.getOpaque(state, cpu)].walkedBySum();
    }

    /**
     * How many CPUs may hold a part of a listed counter's value in their slot:
     * the possible CPUs except those dead (folded) or booting. A percpu_counter's
     * read error bound is {@code (batch - 1)} times this, the kernel's
     * {@code batch * num_online_cpus()} of {@code __percpu_counter_compare}.
     */
    public int nrHoldingSlots() {
        return nrPossible - folded;
    }

    /** {@code cpu_down(cpu)}: both steps of {@link #startTakeDown}. */
    public void takeDown(int cpu) {
        startTakeDown(cpu).finish();
    }

    /** {@code cpu_up(cpu)}: both steps of {@link #startBringUp}. */
    public void bringUp(int cpu) {
        startBringUp(cpu).finish();
    }

    /**
     * The first half of {@code cpu_down}: takes the hotplug lock, marks
     * {@code cpu} dying, waits until no thread is on it and claims it. The
     * returned operation's {@link HotplugOperation#finish()} runs the dead
     * callbacks (every listed counter folds the CPU's slot) and leaves the CPU
     * dead; until then sums still walk the CPU and its slots keep their values.
     *
     * @throws CpuHotplugException if the CPU is not online, is the last online
     *         one, or the caller holds a CPU (hotplug sleeps)
     * @throws SleepInAtomicException if the caller is in atomic context ({@link AtomicContext})
     */
    public HotplugOperation startTakeDown(int cpu) {
        checkCpuId(cpu);
        refuseHotplugFromHere("cpu_down(" + cpu + ")");
        hotplugLock.lock();                                       // cpus_write_lock()
        try {
            require(state(cpu) == CpuState.ONLINE, "cpu_down(" + cpu + "): CPU " + cpu + " is " + state(cpu).describe()
                    + ", not online");
            require(onlineCount() > 1, "cpu_down(" + cpu + "): the last online CPU cannot go down (-EBUSY)");
            // set_cpu_dying(cpu, true), then set_cpu_online(cpu, false): sums keep walking it.
            STATE.setRelease(state, cpu, CpuState.DYING.ordinal());
            stopMachine(cpu);
        } catch (RuntimeException e) {
            hotplugLock.unlock();
            throw e;
        }
        return new HotplugOperation(cpu, true);
    }

    /**
     * Step: stop_machine's part in {@code cpu_down}: waits until no task runs on
     * the dying {@code cpu} and claims it in the same step, so that from then on
     * nothing enters it ({@link #claimIfFree} in a loop). The caller holds the
     * hotplug lock.
     */
    protected void stopMachine(int cpu) {
        while (!claimIfFree(cpu)) {
            Thread.onSpinWait();
        }
    }

    /**
     * One attempt to claim {@code cpu} for hotplug: {@code cmpxchg(occupant, NULL,
     * hotplug)}, a full fence as stop_machine's IPIs are; false if a task is on it.
     */
    protected final boolean claimIfFree(int cpu) {
        return OCCUPANT.compareAndSet(occupant, cpu, null, HOTPLUG);
    }

    /** Whether no task runs on {@code cpu} now: a volatile read of its occupancy word ({@code READ_ONCE}, ordered). */
    protected final boolean isFree(int cpu) {
        return OCCUPANT.getVolatile(occupant, cpu) == null;
    }

    /**
     * The first half of {@code cpu_up}: takes the hotplug lock and clears
     * {@code cpu}'s dying bit ({@code cpuhp_set_state}); the CPU is in neither
     * mask until {@link HotplugOperation#finish()} sets it online and lets
     * threads enter it.
     *
     * @throws CpuHotplugException if the CPU is not offline, or the caller holds a CPU
     */
    public HotplugOperation startBringUp(int cpu) {
        checkCpuId(cpu);
        refuseHotplugFromHere("cpu_up(" + cpu + ")");
        hotplugLock.lock();
        try {
            require(state(cpu) == CpuState.DEAD, "cpu_up(" + cpu + "): CPU " + cpu + " is " + state(cpu).describe()
                    + ", not offline");
            STATE.setRelease(state, cpu, CpuState.BOOTING.ordinal());   // set_cpu_dying(cpu, false)
        } catch (RuntimeException e) {
            hotplugLock.unlock();
            throw e;
        }
        return new HotplugOperation(cpu, false);
    }

    /** A hotplug operation between its two steps; the hotplug lock is held until {@link #finish()}. */
    public final class HotplugOperation {
        private final int cpu;
        private final boolean down;
        private boolean finished;   // touched only by the thread holding the hotplug lock

        private HotplugOperation(int cpu, boolean down) {
            this.cpu = cpu;
            this.down = down;
        }

        /** Ends the operation: folds and leaves the CPU dead (down), or sets it online (up). */
        public void finish() {
            if (!hotplugLock.isHeldByCurrentThread() || finished) {
                throw new CpuHotplugException("finish() of " + this + " by a thread that did not start it, or twice");
            }
            finished = true;
            try {
                if (down) {
                    runDeadCallbacks(cpu);
                    folded++;                                     // under the hotplug lock: one writer
                    STATE.setRelease(state, cpu, CpuState.DEAD.ordinal());
                    checkStillClaimed();
                } else {
                    folded--;
                    STATE.setRelease(state, cpu, CpuState.ONLINE.ordinal());   // set_cpu_online(cpu, true)
                    checkStillClaimed();
                    OCCUPANT.setRelease(occupant, cpu, null);     // the scheduler may use it again
                }
            } finally {
                hotplugLock.unlock();                             // cpus_write_unlock()
            }
        }

        /**
         * A relaxed-handover entry ({@link Handover#RELAXED}) that read the CPU free
         * just before the claim stores its thread blindly over the claim; it is
         * caught here, as two relaxed entries are caught at a leave. Under
         * {@link Handover#FENCED} every entry is a compare-and-set from free, so
         * nothing can overwrite a claim; a variant of {@link #stopMachine} that
         * fails to claim is left to the machinery checks, which see its effect
         * (a task on a dead CPU, a count left in its slot), not to this guard.
         */
        private void checkStillClaimed() {
            if (handover != Handover.RELAXED) {
                return;
            }
            Thread now = (Thread) OCCUPANT.getVolatile(occupant, cpu);
            if (now != HOTPLUG) {
                throw new WrongCpuSectionException(describe(now) + " entered CPU " + cpu + " while " + this
                        + " held it (an entry that raced the hotplug claim)");
            }
        }

        @Override
        public String toString() {
            return (down ? "cpu_down(" : "cpu_up(") + cpu + ")";
        }
    }

    /** CPUHP_PERCPU_CNT_DEAD: percpu_counter_cpu_dead walks the list under percpu_counters_lock. */
    private void runDeadCallbacks(int cpu) {
        synchronized (hotplugList) {                              // spin_lock_irq(&percpu_counters_lock)
            try (AtomicContext.Held atomic = AtomicContext.spinLock(PERCPU_COUNTERS_LOCK)) {
                for (DeadCpuFold counter : hotplugList) {
                    counter.foldDeadCpu(cpu);
                }
            }
        }
    }

    /**
     * Puts a counter on the hotplug list ({@code list_add} under
     * {@code percpu_counters_lock}, as {@code percpu_counter_init_many} does):
     * from now on every CPU that dies is folded into it.
     *
     * @throws CpuHotplugException if it is already on the list
     */
    public void joinHotplugList(DeadCpuFold counter) {
        synchronized (hotplugList) {
            try (AtomicContext.Held atomic = AtomicContext.spinLock(PERCPU_COUNTERS_LOCK)) {
                require(indexOnHotplugList(counter) < 0, "list_add of " + counter
                        + ", already on the hotplug list (list corruption)");
                hotplugList.add(counter);
            }
        }
    }

    /**
     * Takes a counter off the hotplug list ({@code list_del} in
     * {@code percpu_counter_destroy}).
     *
     * @throws CpuHotplugException if it is not on the list
     */
    public void leaveHotplugList(DeadCpuFold counter) {
        synchronized (hotplugList) {
            try (AtomicContext.Held atomic = AtomicContext.spinLock(PERCPU_COUNTERS_LOCK)) {
                int i = indexOnHotplugList(counter);
                require(i >= 0, "list_del of " + counter + ", which is not on the hotplug list");
                hotplugList.remove(i);
            }
        }
    }

    /**
     * Puts a counter on the hotplug list unless it is there already, in one
     * section under the list lock (a protocol whose racing upgraders may each try
     * to list the same counter); returns whether this call added it.
     */
    public boolean joinHotplugListIfAbsent(DeadCpuFold counter) {
        synchronized (hotplugList) {
            try (AtomicContext.Held atomic = AtomicContext.spinLock(PERCPU_COUNTERS_LOCK)) {
                if (indexOnHotplugList(counter) >= 0) {
                    return false;
                }
                hotplugList.add(counter);
                return true;
            }
        }
    }

    /** How many counters are on the hotplug list ({@code percpu_counters}) now. */
    public int hotplugListSize() {
        synchronized (hotplugList) {
            return hotplugList.size();
        }
    }

    /** Whether {@code counter} is on the hotplug list. */
    public boolean isOnHotplugList(DeadCpuFold counter) {
        synchronized (hotplugList) {
            return indexOnHotplugList(counter) >= 0;
        }
    }

    /** Where {@code counter} is on the list, by identity, or -1; the caller holds the list lock. */
    private int indexOnHotplugList(DeadCpuFold counter) {
        for (int i = hotplugList.size() - 1; i >= 0; i--) {
            if (hotplugList.get(i) == counter) {
                return i;
            }
        }
        return -1;
    }

    private int onlineCount() {
        int n = 0;
        for (int cpu = 0; cpu < nrPossible; cpu++) {
            n += state(cpu) == CpuState.ONLINE ? 1 : 0;
        }
        return n;
    }

    /**
     * The places a hotplug operation may not start from: a CPU the caller runs on
     * with preemption disabled (hotplug sleeps), and the caller's own unfinished
     * hotplug operation ({@code cpu_hotplug_lock} is not recursive: the kernel
     * would deadlock where the Java lock would let it in).
     */
    private void refuseHotplugFromHere(String operation) {
        AtomicContext.mightSleep(operation + " (cpus_write_lock)");   // hotplug sleeps
        Thread me = Thread.currentThread();
        for (int cpu = 0; cpu < nrPossible; cpu++) {
            if (OCCUPANT.getOpaque(occupant, cpu) == me) {
                throw new CpuHotplugException(operation + " by thread '" + me.getName() + "' while it runs on CPU "
                        + cpu + " with preemption disabled (hotplug sleeps)");
            }
        }
        if (hotplugLock.isHeldByCurrentThread()) {
            throw new CpuHotplugException(operation + " by thread '" + me.getName()
                    + "' inside its own unfinished hotplug operation (cpu_hotplug_lock is not recursive: deadlock)");
        }
    }

    private static void require(boolean holds, String misuse) {
        if (!holds) {
            throw new CpuHotplugException(misuse);
        }
    }

    /** From now on, per-CPU allocations on these CPUs fail as {@code failures} says. */
    public void injectAllocationFailures(AllocationFailures failures) {
        this.allocationFailures = java.util.Objects.requireNonNull(failures, "failures");
    }

    /**
     * The failure point of {@code alloc_percpu}: every per-CPU allocation on
     * these CPUs passes here before it allocates, with the calling thread's
     * flags ({@link AtomicContext#allocationFlags()}: {@code GFP_KERNEL}, or
     * {@code GFP_ATOMIC} where its caller passed that down).
     *
     * @throws SleepInAtomicException if the flags may sleep and the caller is in atomic context
     * @throws PercpuAllocationException if the injected failures say this attempt fails
     */
    public void allocatePercpu(int longsPerCpu) {
        allocatePercpu(longsPerCpu, AtomicContext.allocationFlags());
    }

    /**
     * {@code __alloc_percpu_gfp(size, align, gfp)}'s failure point: an
     * allocation that may block first asks {@code might_sleep()}
     * ({@code pcpu_alloc}'s {@code might_sleep_if(gfpflags_allow_blocking(gfp))}
     * in its {@code pcpu_alloc_mutex}); a {@code GFP_ATOMIC} one is allowed in
     * any context. Either fails as the injected failures say.
     *
     * @throws SleepInAtomicException if {@code gfp} may block and the caller is in atomic context
     * @throws PercpuAllocationException if the injected failures say this attempt fails
     */
    public void allocatePercpu(int longsPerCpu, Gfp gfp) {
        if (gfp.mayBlock()) {
            AtomicContext.mightSleep("alloc_percpu(" + gfp.kernelName() + ")");
        }
        AllocationFailures failures = allocationFailures;
        if (failures.failsNextAttempt()) {
            throw new PercpuAllocationException("alloc_percpu(" + longsPerCpu + " longs x " + nrPossible
                    + " CPUs) failed: -ENOMEM (injected: " + failures + " fail)");
        }
    }

    public Handover handover() {
        return handover;
    }

    public OwnerCheck ownerCheck() {
        return ownerCheck;
    }

    /** Test hook: the blind occupancy store of a RELAXED entry that raced another one past the check. */
    void storeOccupantAsARacingEntryWould(int cpu, Thread entrant) {
        OCCUPANT.setOpaque(occupant, cpu, entrant);
    }

    /** Whether the calling thread is the one running on {@code cpu}. */
    public boolean isHeldByCurrentThread(int cpu) {
        checkCpuId(cpu);
        // Only the occupant writes its own thread here, so an opaque read is exact for it.
        return OCCUPANT.getOpaque(occupant, cpu) == Thread.currentThread();
    }

    /** @throws CpuIdOutOfRangeException unless {@code 0 <= cpu < nrPossible()} */
    public void checkCpuId(int cpu) {
        if (cpu < 0 || cpu >= nrPossible) {
            throw new CpuIdOutOfRangeException(cpu, nrPossible);
        }
    }

    void leave(int cpu, Thread leaver) {
        if (handover == Handover.FENCED) {
            // cmpxchg: a full fence; the release it contains publishes this section's slot writes.
            if (!OCCUPANT.compareAndSet(occupant, cpu, leaver, null)) {
                throw new IllegalStateException("CPU " + cpu + " is not held by " + leaver.getName()
                        + " (occupant: " + describe((Thread) OCCUPANT.getVolatile(occupant, cpu)) + ")");
            }
            return;
        }
        Thread occupantNow = (Thread) OCCUPANT.getOpaque(occupant, cpu);
        if (occupantNow != leaver) {
            throw new WrongCpuSectionException("thread '" + leaver.getName() + "' leaves CPU " + cpu
                    + " but its occupancy word holds " + describe(occupantNow) + ": another thread entered"
                    + " the CPU while this one was on it (two threads on one CPU with preemption disabled)");
        }
        // smp_store_release: publishes this section's slot writes to the next occupant.
        OCCUPANT.setRelease(occupant, cpu, null);
    }

    static String describe(Thread t) {
        return t == null ? "none" : "thread '" + t.getName() + "'";
    }

    @Override
    public String toString() {
        return "Cpus[nrPossible=" + nrPossible + (folded > 0 ? ", " + folded + " offline" : "") + (handover == Handover.RELAXED ? ", relaxed handover" : "") + "]";
    }
}
