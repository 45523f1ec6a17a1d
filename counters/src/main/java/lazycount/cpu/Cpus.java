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
 * <p>Leaving a CPU is a release and entering one is an acquire (the occupancy
 * word is handed over by CAS and released with {@code setRelease}), mirroring
 * the full barriers of a context switch: the next thread on a CPU sees every
 * slot write of the previous one.
 */
public final class Cpus {

    /** Largest supported {@code nr_cpu_ids}; the kernel's CONFIG_NR_CPUS tops out at 8192. */
    public static final int MAX_CPUS = 8192;

    private static final VarHandle OCCUPANT = MethodHandles.arrayElementVarHandle(Thread[].class);

    private final int nrPossible;
    /** occupant[cpu] is the thread running on that CPU with preemption disabled, or null. */
    private final Thread[] occupant;

    public Cpus(int nrPossible) {
        if (nrPossible < 1 || nrPossible > MAX_CPUS) {
            throw new IllegalArgumentException(
                    "nrCpus must be in [1, " + MAX_CPUS + "], was " + nrPossible);
        }
        this.nrPossible = nrPossible;
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
        // cmpxchg on the occupancy word: acquire side of the context-switch handover.
        Thread previous = (Thread) OCCUPANT.compareAndExchange(occupant, cpu, null, me);
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
        // smp_store_release analogue: publishes this section's slot writes to the next occupant.
        if (!OCCUPANT.compareAndSet(occupant, cpu, leaver, null)) {
            throw new IllegalStateException("CPU " + cpu + " is not held by " + leaver.getName()
                    + " (occupant: " + describe((Thread) OCCUPANT.getVolatile(occupant, cpu)) + ")");
        }
    }

    static String describe(Thread t) {
        return t == null ? "none" : "thread '" + t.getName() + "'";
    }

    @Override
    public String toString() {
        return "Cpus[nrPossible=" + nrPossible + "]";
    }
}
