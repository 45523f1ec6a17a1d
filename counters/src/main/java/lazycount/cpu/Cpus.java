package lazycount.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of virtual CPUs: the model of {@code cpu_possible_mask} and of
 * running "on" a CPU with preemption disabled.
 *
 * <p>Design notes. Java has no per-CPU memory and no way to pin a thread, so a
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
 * <li>{@link Handover#RELAXED} ({@code -Dlazycount.cpu.handover=relaxed}):
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
 */
public final class Cpus {

    /** Largest supported {@code nr_cpu_ids}; the kernel's CONFIG_NR_CPUS tops out at 8192. */
    public static final int MAX_CPUS = 8192;

    private static final VarHandle OCCUPANT = MethodHandles.arrayElementVarHandle(Thread[].class);

    /** How the occupancy word is handed from one thread to the next (see the design notes). */
    public enum Handover {
        /** Compare-and-set on enter and leave: full fences, immediate misuse detection. */
        FENCED,
        /** Acquire on enter, release on leave, no read-modify-write: no fence on x86. */
        RELAXED;

        /** The mode of this JVM: {@code -Dlazycount.cpu.handover=fenced|relaxed}, default fenced. */
        public static Handover ofThisJvm() {
            return HANDOVER;
        }

        static Handover parse(String value) {
            for (Handover h : values()) {
                if (h.name().equalsIgnoreCase(value.trim())) {
                    return h;
                }
            }
            throw new IllegalArgumentException("-Dlazycount.cpu.handover=" + value
                    + ": expected 'fenced' or 'relaxed'");
        }
    }

    private static final Handover HANDOVER = Handover.parse(System.getProperty("lazycount.cpu.handover", "fenced"));

    private final int nrPossible;
    private final Handover handover;
    /** occupant[cpu] is the thread running on that CPU with preemption disabled, or null. */
    private final Thread[] occupant;
    /** Fault injection for alloc_percpu; volatile because a test sets it while other threads allocate. */
    private volatile AllocationFailures allocationFailures = AllocationFailures.NONE;

    /** {@code nrPossible} CPUs with this JVM's {@link Handover} mode. */
    public Cpus(int nrPossible) {
        this(nrPossible, Handover.ofThisJvm());
    }

    public Cpus(int nrPossible, Handover handover) {
        if (nrPossible < 1 || nrPossible > MAX_CPUS) {
            throw new IllegalArgumentException(
                    "nrCpus must be in [1, " + MAX_CPUS + "], was " + nrPossible);
        }
        this.nrPossible = nrPossible;
        this.handover = java.util.Objects.requireNonNull(handover, "handover");
        this.occupant = new Thread[nrPossible];
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
        if (previous != null) {
            throw new CpuOccupiedException(cpu, previous, me);
        }
        return new CpuSection(this, cpu, me);
    }

    /**
     * Runs the calling thread on the first free CPU, scanning from {@code hint}
     * and spinning while every CPU is occupied (a scheduler that waits for a CPU).
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

    /** From now on, per-CPU allocations on these CPUs fail as {@code failures} says. */
    public void injectAllocationFailures(AllocationFailures failures) {
        this.allocationFailures = java.util.Objects.requireNonNull(failures, "failures");
    }

    /**
     * The failure point of {@code alloc_percpu}: every per-CPU allocation on
     * these CPUs passes here before it allocates.
     *
     * @throws PercpuAllocationException if the injected failures say this attempt fails
     */
    public void allocatePercpu(int longsPerCpu) {
        AllocationFailures failures = allocationFailures;
        if (failures.failsNextAttempt()) {
            throw new PercpuAllocationException("alloc_percpu(" + longsPerCpu + " longs x " + nrPossible
                    + " CPUs) failed: -ENOMEM (injected: " + failures + " fail)");
        }
    }

    public Handover handover() {
        return handover;
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
        return "Cpus[nrPossible=" + nrPossible + (handover == Handover.RELAXED ? ", relaxed handover" : "") + "]";
    }
}
