package lazycount.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The calling thread's atomic context, as {@code preempt_count()},
 * {@code rcu_preempt_depth()} and {@code irqs_disabled()} give it to
 * {@code might_sleep()}: the spinlocks it holds, the RCU read-side sections it
 * is in, the irqs-off regions it runs in. A model class enters a context right
 * after taking what it stands for and leaves it right before releasing it
 * ({@link #spinLock}, {@link #rcuReadLock}, {@link #irqsOff}, each closed by
 * try-with-resources); a sleeping call asks {@link #mightSleep} first, which
 * refuses it by name in atomic context ({@link SleepInAtomicException}).
 *
 * <p>Not atomic: a {@link CpuSection}. It stands for "this task runs on CPU
 * n", the model's way to name the slot a {@code this_cpu} operation touches,
 * and is coarser than the kernel's preempt-disabled regions (an mm operation
 * runs whole inside the caller's section, where the kernel allocates with
 * preemption enabled), so it does not count. A counter that really disables
 * preemption or irqs around a sleeping call says so with {@link #irqsOff}.
 *
 * <p>Allocation flags. A caller whose context may be atomic without the model
 * knowing it (the frequency policy's upgrade, run inside an add that the
 * kernel calls under the page-table lock) passes {@code GFP_ATOMIC} down to the
 * per-CPU allocation; the model's upgrade takes no argument, so the caller sets
 * the flags for its thread instead ({@link #atomicAllocations}), and
 * {@link Cpus#allocatePercpu(int)} allocates with {@link #allocationFlags()}.
 */
public final class AtomicContext {

    /*
     * Design notes.
     *
     * <p>One record per thread (a ThreadLocal, as the RCU model's reader
     * record): a list of the contexts entered and not yet left, and the depth of
     * GFP_ATOMIC scopes. Only its thread reads or writes it, so it needs no
     * ordering at all: plain fields, like the kernel's per-task
     * {@code preempt_count} and {@code rcu_read_lock_nesting}. A context is left
     * by identity, from anywhere in the list (the kernel lets spinlocks be
     * released out of order); leaving one that is not entered, or twice, is
     * refused (the model's own bug, a {@link WrongContextException}). Every
     * entry is closed by try-with-resources, so a check aborted by its tool
     * (an exception through the section) leaves nothing behind for the next
     * run on the same thread.
     */

    /** What a context stands for. */
    public enum Kind {
        SPINLOCK("holding spinlock"),
        RCU_READ("inside the RCU read-side section of"),
        IRQS_OFF("with irqs disabled by");

        private final String phrase;

        Kind(String phrase) {
            this.phrase = phrase;
        }
    }

    /** Leaving a context that is not the calling thread's, or leaving it twice: the model's own misuse. */
    public static final class WrongContextException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        WrongContextException(String message) {
            super(message);
        }
    }

    private static final class State {
        final List<Held> held = new ArrayList<>(4);
        int atomicAllocations;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private AtomicContext() {
    }

    /**
     * Enters "holding spinlock {@code name}" ({@code spin_lock}, {@code raw_spin_lock_irqsave},
     * ...); call it right after taking the lock and close it right before releasing it.
     */
    public static Held spinLock(String name) {
        return enter(Kind.SPINLOCK, name);
    }

    /** Enters "inside the RCU read-side section of {@code domain}" ({@code rcu_read_lock()}). */
    public static Held rcuReadLock(String domain) {
        return enter(Kind.RCU_READ, domain);
    }

    /** Enters "irqs disabled by {@code where}" ({@code local_irq_save()}). */
    public static Held irqsOff(String where) {
        return enter(Kind.IRQS_OFF, where);
    }

    private static Held enter(Kind kind, String name) {
        Held h = new Held(kind, java.util.Objects.requireNonNull(name, "name"), Thread.currentThread());
        STATE.get().held.add(h);
        return h;
    }

    /**
     * {@code might_sleep()} before {@code call}: returns if the calling thread
     * may sleep here.
     *
     * @throws SleepInAtomicException naming {@code call} and every context the thread is in, innermost first
     */
    public static void mightSleep(String call) {
        List<Held> held = STATE.get().held;
        if (held.isEmpty()) {
            return;
        }
        StringBuilder why = new StringBuilder();
        for (int i = held.size() - 1; i >= 0; i--) {
            why.append(i == held.size() - 1 ? "" : ", ").append(held.get(i).describe());
        }
        throw new SleepInAtomicException(SleepInAtomicException.SPLAT + ": " + call + " by thread '"
                + Thread.currentThread().getName() + "' " + why + " (in_atomic: a sleep here can deadlock or"
                + " schedule while atomic)");
    }

    /** Whether the calling thread is in atomic context (a sleeping call would be refused). */
    public static boolean inAtomic() {
        return !STATE.get().held.isEmpty();
    }

    /** The contexts the calling thread is in, innermost first, as {@link #mightSleep} names them ("" if none). */
    public static String describe() {
        List<Held> held = STATE.get().held;
        StringBuilder s = new StringBuilder();
        for (int i = held.size() - 1; i >= 0; i--) {
            s.append(i == held.size() - 1 ? "" : ", ").append(held.get(i).describe());
        }
        return s.toString();
    }

    /**
     * Until the returned scope is closed, the calling thread's per-CPU
     * allocations pass {@code GFP_ATOMIC} ({@link #allocationFlags()}): the
     * {@code gfp} argument a caller that may be atomic passes down.
     */
    public static AtomicAllocations atomicAllocations() {
        STATE.get().atomicAllocations++;
        return new AtomicAllocations(Thread.currentThread());
    }

    /** The flags of the calling thread's per-CPU allocations now: {@code GFP_ATOMIC} inside {@link #atomicAllocations()}. */
    public static Gfp allocationFlags() {
        return STATE.get().atomicAllocations > 0 ? Gfp.ATOMIC : Gfp.KERNEL;
    }

    /** A context entered by one thread; {@link #close()} leaves it. */
    public static final class Held implements AutoCloseable {
        private final Kind kind;
        private final String name;
        private final Thread thread;
        private boolean left;                                     // touched only by thread

        private Held(Kind kind, String name, Thread thread) {
            this.kind = kind;
            this.name = name;
            this.thread = thread;
        }

        public Kind kind() {
            return kind;
        }

        String describe() {
            return kind.phrase + " " + name;
        }

        /** @throws WrongContextException if another thread leaves it, or it is left twice */
        @Override
        public void close() {
            if (thread != Thread.currentThread()) {
                throw new WrongContextException("thread '" + Thread.currentThread().getName() + "' leaves '"
                        + describe() + "', entered by thread '" + thread.getName() + "'");
            }
            if (left) {
                throw new WrongContextException("'" + describe() + "' left twice by thread '" + thread.getName() + "'");
            }
            left = true;
            List<Held> held = STATE.get().held;
            for (int i = held.size() - 1; i >= 0; i--) {
                if (held.get(i) == this) {
                    held.remove(i);
                    return;
                }
            }
            throw new WrongContextException("'" + describe() + "' is not among the contexts of thread '"
                    + thread.getName() + "'");
        }

        @Override
        public String toString() {
            return "AtomicContext.Held[" + describe() + ", thread=" + thread.getName() + (left ? ", left" : "") + "]";
        }
    }

    /** A {@code GFP_ATOMIC} scope of one thread; {@link #close()} ends it. */
    public static final class AtomicAllocations implements AutoCloseable {
        private final Thread thread;
        private boolean closed;

        private AtomicAllocations(Thread thread) {
            this.thread = thread;
        }

        /** @throws WrongContextException if another thread closes it, or it is closed twice */
        @Override
        public void close() {
            if (thread != Thread.currentThread() || closed) {
                throw new WrongContextException("GFP_ATOMIC scope of thread '" + thread.getName() + "' closed "
                        + (closed ? "twice" : "by thread '" + Thread.currentThread().getName() + "'"));
            }
            closed = true;
            STATE.get().atomicAllocations--;
        }
    }
}
