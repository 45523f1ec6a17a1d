package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import lazycount.cpu.AtomicContext;

/**
 * A model of RCU's two guarantees that a lazy counter's upgrade needs:
 * {@code rcu_read_lock()}/{@code rcu_read_unlock()} delimit a read-side
 * section, and {@code synchronize_rcu()} returns only after every section that
 * began before it has ended.
 *
 * <p>One {@code Rcu} is one domain; {@link #shared()} plays the kernel's global
 * RCU. A thread opens a section with {@link #readLock()} and closes it, once
 * and from the same thread, with {@link ReadSection#close()}; sections do not
 * nest. {@link #synchronize()} may be called by any thread outside a section of
 * the domain and returns after every section that began before it has ended.
 * Misuse (a double or foreign close, nesting, {@link #synchronize()} inside a
 * section, a thread that ended with a section open) throws
 * {@link RcuMisuseException}. {@link #withoutGracePeriod()} is a deliberately
 * broken domain whose {@link #synchronize()} waits for nobody.
 */
public class Rcu {

    /*
     * Design notes.
     *
     * <p><b>What it mirrors.</b> Not tree RCU (whose readers execute no barrier and
     * are detected through quiescent states, context switches and IPIs: nothing a
     * JVM can observe), but the barrier-based reader flavours whose argument is
     * the same and can be written in Java: SRCU's {@code srcu_read_lock()} with its
     * {@code smp_mb()} (kernel/rcu/srcutree.c) and liburcu's "memb" flavour, where
     * a reader publishes a snapshot of the grace-period counter and the updater
     * waits for every reader whose snapshot is older than its own grace period.
     * One {@code Rcu} is one domain (like an {@code srcu_struct});
     * {@link #shared()} is the single domain that plays the kernel's global RCU.
     *
     * <p><b>State.</b> {@code gpSeq}, a 64-bit grace-period sequence that only
     * grows (starts at 1). One {@code Reader} record per thread that ever took a
     * section, registered on first use in a lock-free queue, holding
     * {@code snapshot}: 0 when the thread is outside a section, otherwise the
     * value of {@code gpSeq} it read when the section began. Sections do not nest
     * (the counter needs no nesting; a nested lock is refused rather than
     * half-supported).
     *
     * <p><b>Protocol.</b>
     * <ul>
     * <li>{@link #readLock()}: {@code snapshot = gpSeq}; full fence; then the
     *     section's reads (the caller's {@code rcu_dereference}).
     * <li>{@link ReadSection#close()}: {@code snapshot = 0}, a volatile store, so
     *     every access of the section happens-before an updater that reads it.
     * <li>{@link #synchronize()}: full fence; {@code target = ++gpSeq}; for every
     *     registered reader wait until its snapshot is 0 or {@code >= target};
     *     full fence.
     * </ul>
     *
     * <p><b>Why it is a grace period</b> (the updater has just published a pointer
     * {@code P} with a release store, then calls {@link #synchronize()}; a reader
     * section reads {@code P}). Take any section whose read of {@code P} returned
     * the old value. Either
     * <ol>
     * <li>its read of {@code gpSeq} saw {@code target} or more: impossible, since
     *     that read synchronizes-with the updater's increment, which follows the
     *     publication, so the section's later read of {@code P} would have to see
     *     the new value; or
     * <li>it stored a snapshot {@code < target}; then the updater's scan cannot
     *     have missed the store: reader "store snapshot; smp_mb; load P" against
     *     updater "store P; smp_mb; load snapshot" is the store-buffering pattern,
     *     and with a full fence on both sides at least one load sees the other
     *     side's store. The updater saw the snapshot, so it waits until the record
     *     shows 0 or a newer snapshot, both written by the reader after the
     *     section's last access; its volatile read of either gives happens-before
     *     from the whole section to everything after {@link #synchronize()}.
     * </ol>
     * A reader that registers its record while a scan runs is covered by the same
     * argument: registration is a CAS on the queue (a volatile write) before its
     * fence, and the iterator's volatile reads follow the updater's fence.
     * Sections that begin after the increment read {@code gpSeq >= target} and
     * are not waited for, so a stream of new readers cannot starve an updater.
     * Concurrent updaters each wait for their own target independently.
     *
     * <p><b>Memory ordering</b> (each access, what it mirrors): {@code gpSeq} read
     * {@code getVolatile} ({@code READ_ONCE}, volatile so the case-1 argument is a
     * happens-before edge), incremented by {@code getAndAdd} (a fully ordered
     * atomic RMW); {@code snapshot} written {@code setVolatile} at both ends of a
     * section ({@code WRITE_ONCE}; volatile so the unlock store is a release and
     * both stores take part in the synchronization order) and read
     * {@code getVolatile} by the updater; {@link VarHandle#fullFence()} is
     * {@code smp_mb()}: once in the reader between its snapshot store and its
     * section's reads, twice in the updater, after its publication and after its
     * scan. The JMM has no formal fence semantics; the JDK specifies
     * {@code fullFence} as ordering every load and store before it with every
     * load and store after it, and implements it as a StoreLoad barrier
     * ({@code lock add}/{@code mfence} on x86, {@code dmb ish} on arm64), which is
     * what {@code smp_mb()} is; the store-buffering step above relies on it.
     *
     * <p><b>Misuse</b> ({@link RcuMisuseException}): closing a section twice
     * ({@code rcu_read_unlock} without a matching lock), closing it from another
     * thread, nesting, {@link #synchronize()} inside a section (a self-deadlock in
     * the kernel), and a thread that ended with a section open, detected by the
     * updater that would otherwise wait for it forever. The waits poll
     * ({@link Thread#onSpinWait()}, then {@link Thread#yield()}): a reader section
     * is short, and the kernel's grace-period machinery polls too.
     *
     * <p>{@link #withoutGracePeriod()} builds the one deliberately broken variant
     * (its {@link #synchronize()} returns at once, waiting for nobody) for the
     * teeth of tests and for mutants of protocols built on RCU; it is this class
     * with a flag, never a copy.
     */

    private static final long IDLE = 0L;
    private static final int SPINS_BEFORE_YIELD = 64;
    private static final int SPINS_BETWEEN_LIVENESS_CHECKS = 256;

    private static final VarHandle GP_SEQ;
    private static final VarHandle SNAPSHOT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            GP_SEQ = l.findVarHandle(Rcu.class, "gpSeq", long.class);
            SNAPSHOT = l.findVarHandle(Reader.class, "snapshot", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Rcu SHARED = new Rcu("rcu", true);

    private final String name;
    private final boolean waitsForReaders;
    private final ThreadLocal<Reader> readerOfThread = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Reader> readers = new ConcurrentLinkedQueue<>();

    @SuppressWarnings("unused") // accessed through GP_SEQ
    private long gpSeq = 1L;

    /** A fresh, correct RCU domain (an {@code srcu_struct}). */
    public Rcu() {
        this("rcu-domain", true);
    }

    private Rcu(String name, boolean waitsForReaders) {
        this.name = name;
        this.waitsForReaders = waitsForReaders;
    }

    /** The one domain all counters share by default: the kernel's global RCU. */
    public static Rcu shared() {
        return SHARED;
    }

    /**
     * A deliberately broken domain whose {@link #synchronize()} returns at once
     * without waiting for readers. For teeth and mutants only.
     */
    public static Rcu withoutGracePeriod() {
        return new Rcu("rcu-without-grace-period", false);
    }

    /** Whether {@link #synchronize()} really waits (false only for {@link #withoutGracePeriod()}). */
    public boolean waitsForReaders() {
        return waitsForReaders;
    }

    /**
     * {@code rcu_read_lock()}: begins a read-side section of the calling thread.
     *
     * @throws RcuMisuseException if the thread is already in a section of this domain
     */
    public ReadSection readLock() {
        Reader me = readerOfCurrentThread();
        if (me.open != null) {
            throw new RcuMisuseException("nested rcu_read_lock() by thread '" + me.thread.getName()
                    + "' on " + this + ": this model does not nest read-side sections");
        }
        long gp = (long) GP_SEQ.getVolatile(this);                // READ_ONCE(gp_seq)
        SNAPSHOT.setVolatile(me, gp);                             // WRITE_ONCE(reader->snapshot, gp)
        VarHandle.fullFence();                                    // smp_mb(): snapshot before the section's reads
        me.open = new ReadSection(this, me, AtomicContext.rcuReadLock(toString()));   // might_sleep() refuses now
        return me.open;
    }

    /** Whether the calling thread is inside a read-side section of this domain. */
    public boolean isInReadSection() {
        Reader me = readerOfThread.get();
        return me != null && me.open != null;
    }

    /**
     * {@code synchronize_rcu()}: returns after every read-side section that
     * began before this call has ended; everything those sections did
     * happens-before the return.
     *
     * @throws RcuMisuseException if called inside a read-side section of this
     *         domain, or if a thread ended with a section open
     * @throws lazycount.cpu.SleepInAtomicException if called in atomic context: holding a
     *         spinlock, inside a read-side section of another domain, with irqs off
     *         ({@link AtomicContext}): {@code synchronize_rcu()} sleeps
     */
    public void synchronize() {
        if (isInReadSection()) {
            throw new RcuMisuseException("synchronize_rcu() inside a read-side section by thread '"
                    + Thread.currentThread().getName() + "' on " + this
                    + ": it would wait for itself forever");
        }
        AtomicContext.mightSleep("synchronize_rcu()");           // might_sleep(): it waits a grace period
        VarHandle.fullFence();                                    // smp_mb(): the caller's publication before the scan
        long target = (long) GP_SEQ.getAndAdd(this, 1L) + 1;     // start a new grace period
        if (waitsForReaders) {
            waitForReadersOlderThan(target);
        }
        VarHandle.fullFence();                                    // smp_mb(): the readers' sections before the caller's next access
    }

    /** How many grace periods have started (tests use it to know a {@link #synchronize()} is under way). */
    public long gracePeriodsStarted() {
        return (long) GP_SEQ.getVolatile(this) - 1;
    }

    private void waitForReadersOlderThan(long target) {
        for (Iterator<Reader> it = readers.iterator(); it.hasNext(); ) {
            Reader r = it.next();
            if (!awaitQuiescent(r, target)) {
                it.remove();                                      // its thread ended outside any section
            }
        }
    }

    /** Waits until {@code r} is outside any section begun before {@code target}; false if it can be dropped. */
    private boolean awaitQuiescent(Reader r, long target) {
        for (int spins = 1; ; spins++) {
            long snapshot = (long) SNAPSHOT.getVolatile(r);       // READ_ONCE(reader->snapshot)
            if (snapshot == IDLE || snapshot >= target) {
                return snapshot != IDLE || keepsIdleReader(r.thread);
            }
            if (spins % SPINS_BETWEEN_LIVENESS_CHECKS == 0) {
                checkStillRunning(r, snapshot);
            }
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Step: whether a reader found outside any section stays registered for the
     * next grace periods: while its thread lives, since a thread that ended can
     * begin no section again (its record is the thread's for the domain's life,
     * never registered twice). Subclasses exist only to model broken variants of
     * this machinery (the mutants catalog).
     */
    protected boolean keepsIdleReader(Thread readerThread) {
        return readerThread.isAlive();
    }

    /**
     * An implementation under test that builds its own RCU domains: a broken
     * variant of this machinery (the mutants catalog). The machinery checks build
     * their domain through {@link #newDomainOf}.
     */
    public interface Domains {
        Rcu newDomain();
    }

    /** A fresh domain of {@code implementation}: its own if it builds them ({@link Domains}), else a correct one. */
    public static Rcu newDomainOf(Object implementation) {
        return implementation instanceof Domains d ? d.newDomain() : new Rcu();
    }

    private void checkStillRunning(Reader r, long snapshot) {
        // Thread termination happens-before isAlive() returning false, so a
        // snapshot still set afterwards is a section its thread never closed.
        if (!r.thread.isAlive() && (long) SNAPSHOT.getVolatile(r) == snapshot) {
            throw new RcuMisuseException("thread '" + r.thread.getName() + "' ended inside a read-side section of "
                    + this + " (begun at grace period " + snapshot + "): synchronize_rcu() would wait forever");
        }
    }

    private Reader readerOfCurrentThread() {
        Reader me = readerOfThread.get();
        if (me == null) {
            me = new Reader(Thread.currentThread());
            readers.add(me);                                      // a CAS: visible to any scan that follows our fence
            readerOfThread.set(me);
        }
        return me;
    }

    @Override
    public String toString() {
        return "Rcu[" + name + "]";
    }

    /** One thread's reader record ({@code snapshot} is shared; {@code open} is the thread's own). */
    private static final class Reader {
        final Thread thread;
        @SuppressWarnings("unused") // accessed through SNAPSHOT
        long snapshot;
        ReadSection open;                                         // touched only by thread

        Reader(Thread thread) {
            this.thread = thread;
        }
    }

    /** An open read-side section; {@link #close()} is {@code rcu_read_unlock()}. */
    public static final class ReadSection implements AutoCloseable {
        private final Rcu rcu;
        private final Reader reader;
        private final AtomicContext.Held atomic;                 // rcu_read_lock()'s part of the atomic context
        private boolean closed;                                   // touched only by the reader's thread

        private ReadSection(Rcu rcu, Reader reader, AtomicContext.Held atomic) {
            this.rcu = rcu;
            this.reader = reader;
            this.atomic = atomic;
        }

        /**
         * {@code rcu_read_unlock()}.
         *
         * @throws RcuMisuseException if closed twice or by a thread other than the one that opened it
         */
        @Override
        public void close() {
            Thread me = Thread.currentThread();
            if (reader.thread != me) {
                throw new RcuMisuseException("rcu_read_unlock() by thread '" + me.getName()
                        + "' of a section opened by thread '" + reader.thread.getName() + "' on " + rcu);
            }
            if (closed) {
                throw new RcuMisuseException("rcu_read_unlock() without rcu_read_lock(): section of thread '"
                        + me.getName() + "' on " + rcu + " closed twice");
            }
            closed = true;
            reader.open = null;
            atomic.close();
            SNAPSHOT.setVolatile(reader, IDLE);                   // release: the section before any updater that sees it
        }

        @Override
        public String toString() {
            return "ReadSection[" + rcu + ", thread=" + reader.thread.getName() + (closed ? ", closed" : "") + "]";
        }
    }
}
