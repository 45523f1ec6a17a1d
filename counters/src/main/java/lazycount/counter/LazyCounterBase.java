package lazycount.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.cpu.AtomicContext;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;

/**
 * What every lazy counter here has besides its protocol: the owning task, the
 * teardown flag, the count the frequency policy keeps, and the CPU set. The
 * reference {@link LazyPercpuCounter} and every candidate extend it, so a
 * candidate differs from the reference only in its words and its protocol.
 *
 * <p>None of this is part of the value. A subclass keeps its own words, and
 * calls these helpers where its protocol says: {@link #checkAlive} first in
 * every operation, {@link #checkCallerOwns} on the lazy local path,
 * {@link #noteOtherUpdate} after an other-path add that landed in a lazy word
 * (and {@link #upgradeByPolicy} when it returns true), {@link #markDestroyed}
 * first in {@code destroy()}. The owner is bound at construction or by
 * {@link #bindOwner()} and changes only by {@link #handOwnerTo}; a second
 * {@code destroy()} throws.
 */
public abstract class LazyCounterBase implements RssCounter {

    /*
     * Design notes.
     *
     * <p><b>State.</b> {@code owner} (null until {@link #bindOwner()}; bound once),
     * {@code destroyed} (set once, by {@link #markDestroyed()}), {@code otherUpdates}
     * (other-path adds seen in lazy mode, counted only while the {@link UpgradePolicy}
     * is enabled), and the final {@code cpus} and {@code policy}.
     *
     * <p><b>Memory ordering</b> (each access, the kernel primitive it mirrors):
     * <ul>
     * <li>{@code owner}: bound by {@code compareAndExchange}
     *     ({@code cmpxchg(&c->owner, NULL, current)}: one binder wins); read opaque
     *     ({@code READ_ONCE}). The check compares the owner with the calling
     *     thread only, so it needs no ordering: the owner sees its own binding by
     *     program order, and anybody else sees some owner other than itself.
     * <li>{@code destroyed}: set by CAS (a second {@code destroy()} fails); read
     *     opaque by {@link #checkAlive} ({@code READ_ONCE}, best-effort detection of
     *     a use after teardown, which the kernel does not detect at all: use after
     *     free), acquire by {@link #isDestroyed()}.
     * <li>{@code otherUpdates}: {@code getAndAddRelease} ({@code atomic_long_inc_return};
     *     VarHandle has no plain getAndAdd, and the relaxed form, a
     *     {@code weakCompareAndSetPlain} loop, would buy nothing here): exactly
     *     one add sees the threshold crossed, so exactly one upgrades.
     * </ul>
     */

    private static final VarHandle OWNER;
    private static final VarHandle DESTROYED;
    private static final VarHandle OTHER_UPDATES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(LazyCounterBase.class, "owner", Thread.class);
            DESTROYED = l.findVarHandle(LazyCounterBase.class, "destroyed", boolean.class);
            OTHER_UPDATES = l.findVarHandle(LazyCounterBase.class, "otherUpdates", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Cpus cpus;
    private final UpgradePolicy policy;

    @SuppressWarnings("unused") private Thread owner;
    @SuppressWarnings("unused") private boolean destroyed;
    @SuppressWarnings("unused") private long otherUpdates;

    /** A counter with no owner yet. */
    protected LazyCounterBase(Cpus cpus, UpgradePolicy policy) {
        this.cpus = cpus;
        this.policy = policy;
    }

    /** A counter owned by {@code owner} from the start (none if null). */
    protected LazyCounterBase(Cpus cpus, UpgradePolicy policy, Thread owner) {
        this(cpus, policy);
        if (owner != null) {
            OWNER.setRelease(this, owner);                        // smp_store_release(&c->owner, owner)
        }
    }

    @Override
    public final void bindOwner() {
        Thread me = Thread.currentThread();
        Thread previous = (Thread) OWNER.compareAndExchange(this, null, me);   // cmpxchg(&c->owner, NULL, current)
        if (previous != null && previous != me) {
            throw new NotOwnerException("thread '" + me.getName() + "' cannot own " + this
                    + ": it is already owned by thread '" + previous.getName() + "'");
        }
    }

    @Override
    public final void handOwnerTo(Thread next) {
        java.util.Objects.requireNonNull(next, "next");
        Thread me = Thread.currentThread();
        // cmpxchg_release(&c->owner, current, next): the owner's plain writes to its lazy word
        // happen-before the next owner's, even without the vfork completion that also orders them.
        Thread previous = (Thread) OWNER.compareAndExchangeRelease(this, me, next);
        if (previous != me) {
            throw new NotOwnerException("thread '" + me.getName() + "' cannot hand " + this + " to thread '"
                    + next.getName() + "': the owner is " + (previous == null ? "nobody" : "thread '"
                    + previous.getName() + "'"));
        }
    }

    /** The owning task, or null if none is bound yet. */
    public final Thread owner() {
        return (Thread) OWNER.getOpaque(this);                    // READ_ONCE(c->owner)
    }

    public final UpgradePolicy policy() {
        return policy;
    }

    @Override
    public final boolean isDestroyed() {
        return (boolean) DESTROYED.getAcquire(this);              // smp_load_acquire(&c->destroyed)
    }

    protected final Cpus cpus() {
        return cpus;
    }

    /**
     * Step: refuses the lazy local path to anybody but the owner. Not final:
     * the mutants catalog drops it from the reference (see
     * {@link LazyPercpuCounter}), and a counter may word the refusal its own way.
     */
    protected void checkCallerOwns() {
        if (trustsCurrentMm()) {
            return;
        }
        Thread owner = owner();
        Thread me = Thread.currentThread();
        if (owner != me) {
            throw new NotOwnerException(owner == null
                    ? "local path used by thread '" + me.getName() + "' on " + this
                            + ", which has no owner yet: bindOwner() first, or use addOther()"
                    : "local path used by thread '" + me.getName() + "' on " + this
                            + " in lazy mode, but the owner is thread '" + owner.getName()
                            + "': other contexts must use addOther(), or upgrade() first");
        }
    }

    /** Whether this machine's local paths trust their caller ({@link Cpus.OwnerCheck#TRUST}). */
    protected final boolean trustsCurrentMm() {
        return cpus.ownerCheck() == Cpus.OwnerCheck.TRUST;
    }

    /** @throws CounterDestroyedException if the counter was torn down */
    protected final void checkAlive(String operation) {
        if ((boolean) DESTROYED.getOpaque(this)) {                // READ_ONCE(c->destroyed)
            throw new CounterDestroyedException(operation, this);
        }
    }

    /** The first step of {@code destroy()}. @throws CounterDestroyedException on a second destroy */
    protected final void markDestroyed() {
        if (!DESTROYED.compareAndSet(this, false, true)) {       // cmpxchg(&c->destroyed, false, true)
            throw new CounterDestroyedException("destroy", this);
        }
    }

    /**
     * Counts an other-path add that landed in lazy mode; true for exactly one
     * caller, the one whose add is the policy's threshold-th, which is to
     * upgrade. Always false when the policy is {@link UpgradePolicy#NEVER}.
     */
    protected final boolean noteOtherUpdate() {
        // atomic_long_inc_return: exactly one updater sees the threshold crossed.
        return policy.isEnabled()
                && (long) OTHER_UPDATES.getAndAddRelease(this, 1L) + 1 == policy.threshold();
    }

    /**
     * The policy's upgrade, from an other-path add that has already landed in
     * a lazy word. An add may be called in atomic context (rss_stat's under
     * the page-table lock), so the upgrade allocates {@code GFP_ATOMIC}
     * ({@link AtomicContext#atomicAllocations()}, the {@code gfp} the 2024
     * predecessor passes from its add), which never sleeps and may fail; then
     * the counter stays lazy, which is correct, only slower, and the add does
     * not fail. The threshold is crossed once, so the upgrade is not retried
     * by the policy (an explicit {@link #upgrade()} still may). Whether
     * {@link #upgrade()} leaves the counter exactly as it was when its
     * allocation fails is each protocol's to show (the jqwik model injects the
     * failure). Anything else the upgrade does in this context is its own: an
     * upgrade that sleeps otherwise ({@code synchronize_rcu()}) is refused if
     * the add's caller is atomic.
     */
    protected final void upgradeByPolicy() {
        try (AtomicContext.AtomicAllocations gfpAtomic = AtomicContext.atomicAllocations()) {
            upgrade();
        } catch (PercpuAllocationException enomem) {
            // Stays lazy: see above.
        }
    }

    /**
     * {@code upgradeAll}'s check of its arguments: every counter alive and on
     * one CPU set. Returns that set. {@code counters} must not be empty.
     */
    protected static Cpus checkUpgradeAll(LazyCounterBase[] counters) {
        Cpus cpus = counters[0].cpus;
        for (LazyCounterBase c : counters) {
            c.checkAlive("upgradeAll");
            if (c.cpus != cpus) {
                throw new IllegalArgumentException("upgradeAll() over counters of different CPU sets: "
                        + cpus + " and " + c.cpus);
            }
        }
        return cpus;
    }
}
