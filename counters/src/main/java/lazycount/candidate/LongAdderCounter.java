package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import lazycount.counter.CounterDestroyedException;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * The template of "Verify your own protocol" (README): a correct lazy counter
 * that is deliberately <em>not</em> kernel-shaped, so the suite's contract
 * checks are seen to pass an implementation built differently from ours.
 *
 * <p>Design notes. One {@link LongAdder} holds the value in both modes; the
 * mode is a flag. Lazy and per-CPU mode differ only in the contract's rules:
 * in lazy mode the local path is the owner's alone (others are refused, as
 * the contract requires), in per-CPU mode anybody may take it. There is no
 * fold and nothing moves at the upgrade, so no add can be lost or doubled
 * across it; {@code read()} is {@code LongAdder.sum()}, exact when quiet, so
 * the declared read bound is 0 (stronger than the kernel's, which is allowed:
 * the fidelity checks, which require the kernel's bound, are skipped for it).
 *
 * <p>Memory ordering: {@code LongAdder} is its own (CAS on cells, volatile
 * reads in {@code sum()}); the mode flag and the owner are published with
 * release/acquire ({@code smp_store_release}/{@code smp_load_acquire}), the
 * destroyed flag by CAS.
 */
public final class LongAdderCounter implements RssCounter {

    private static final VarHandle PER_CPU;
    private static final VarHandle OWNER;
    private static final VarHandle DESTROYED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PER_CPU = l.findVarHandle(LongAdderCounter.class, "perCpu", boolean.class);
            OWNER = l.findVarHandle(LongAdderCounter.class, "owner", Thread.class);
            DESTROYED = l.findVarHandle(LongAdderCounter.class, "destroyed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Cpus cpus;
    private final UpgradePolicy policy;
    private final LongAdder value = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong otherUpdates = new java.util.concurrent.atomic.AtomicLong();
    @SuppressWarnings("unused") private boolean perCpu;
    @SuppressWarnings("unused") private Thread owner;
    @SuppressWarnings("unused") private boolean destroyed;

    public LongAdderCounter(Cpus cpus, UpgradePolicy policy) {
        this.cpus = cpus;
        this.policy = policy;
    }

    @Override
    public void bindOwner() {
        Thread me = Thread.currentThread();
        Thread previous = (Thread) OWNER.compareAndExchange(this, null, me);
        if (previous != null && previous != me) {
            throw new NotOwnerException("thread '" + me.getName() + "' cannot own " + this
                    + ": it is already owned by thread '" + previous.getName() + "'");
        }
    }

    @Override
    public void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        cpu.checkUsableOn(cpus);
        if (!isPerCpu() && OWNER.getAcquire(this) != Thread.currentThread()) {
            throw new NotOwnerException("local path used by thread '" + Thread.currentThread().getName()
                    + "' on " + this + " in lazy mode, but it is not the owner: use addOther(), or upgrade() first");
        }
        value.add(delta);
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        cpu.checkUsableOn(cpus);
        value.add(delta);
        // The generic counter's policy: the n-th other-path update in lazy mode upgrades (exactly one sees n).
        if (policy.isEnabled() && !isPerCpu() && otherUpdates.incrementAndGet() == policy.threshold()) {
            upgrade();
        }
    }

    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        return PER_CPU.compareAndSet(this, false, true);                // cmpxchg: one winner
    }

    @Override
    public boolean isPerCpu() {
        return (boolean) PER_CPU.getAcquire(this);                      // smp_load_acquire
    }

    @Override
    public long read() {
        checkAlive("read");
        return value.sum();
    }

    @Override
    public long sum() {
        checkAlive("sum");
        return value.sum();
    }

    @Override
    public long readErrorBound() {
        return 0;
    }

    @Override
    public long destroy() {
        if (!DESTROYED.compareAndSet(this, false, true)) {
            throw new CounterDestroyedException("destroy", this);
        }
        return value.sum();
    }

    @Override
    public boolean isDestroyed() {
        return (boolean) DESTROYED.getAcquire(this);
    }

    private void checkAlive(String operation) {
        if ((boolean) DESTROYED.getAcquire(this)) {
            throw new CounterDestroyedException(operation, this);
        }
    }

    @Override
    public String toString() {
        return "LongAdderCounter[" + (isPerCpu() ? "per-CPU" : "lazy") + "]";
    }
}
