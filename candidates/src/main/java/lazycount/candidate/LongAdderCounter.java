package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import lazycount.counter.LazyCounterBase;
import lazycount.counter.NotOwnerException;
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
 * <p>What every lazy counter needs besides its value (the owner, the teardown
 * flag, the policy's count of other-path adds) comes from
 * {@link LazyCounterBase}, as for the kernel-shaped counters: a protocol of
 * your own only has to say where its value lives.
 *
 * <p>Memory ordering: {@code LongAdder} is its own (CAS on cells, volatile
 * reads in {@code sum()}); the mode flag is set by CAS and read with acquire
 * ({@code smp_load_acquire}); the owner, the destroyed flag and the policy's
 * count are {@link LazyCounterBase}'s.
 */
public final class LongAdderCounter extends LazyCounterBase {

    private static final VarHandle PER_CPU;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PER_CPU = l.findVarHandle(LongAdderCounter.class, "perCpu", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LongAdder value = new LongAdder();
    @SuppressWarnings("unused") private boolean perCpu;

    public LongAdderCounter(Cpus cpus, UpgradePolicy policy) {
        super(cpus, policy);
    }

    @Override
    public void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        cpu.checkUsableOn(cpus());
        if (!isPerCpu()) {
            checkCallerOwns();
        }
        value.add(delta);
    }

    /** The lazy-mode owner check, with this template's own message (one for "no owner" and "another owner"). */
    @Override
    protected void checkCallerOwns() {
        if (!trustsCurrentMm() && owner() != Thread.currentThread()) {
            throw new NotOwnerException("local path used by thread '" + Thread.currentThread().getName()
                    + "' on " + this + " in lazy mode, but it is not the owner: use addOther(), or upgrade() first");
        }
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        cpu.checkUsableOn(cpus());
        value.add(delta);
        // The generic counter's policy: the n-th other-path update in lazy mode upgrades.
        if (!isPerCpu() && noteOtherUpdate()) {
            upgradeByPolicy();
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
        markDestroyed();
        return value.sum();
    }

    @Override
    public String toString() {
        return "LongAdderCounter[" + (isPerCpu() ? "per-CPU" : "lazy") + "]";
    }
}
