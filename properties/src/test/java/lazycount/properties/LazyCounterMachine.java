package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertRefused;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import lazycount.counter.CounterDestroyedException;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.PercpuAllocationException;
import lazycount.impl.CounterImplementation;
import lazycount.testing.Stranger;

/**
 * A lazy counter ({@code impl.newLazyCounter}) driven one step at a time next to
 * a model that is trivially correct: one {@code long} that every add changes by
 * its delta (wrapping, as the counter's arithmetic does), a mode flag that goes
 * from lazy to per-CPU at the first upgrade (explicit, or the policy's n-th
 * other-path add in lazy mode), and a destroyed flag.
 *
 * <p>The property thread is the owning task; {@link Stranger} is every other
 * context. Each step checks its own result against the model; {@link #checkInvariant()}
 * runs after every step.
 */
final class LazyCounterMachine extends CounterMachine<RssCounter> {

    /** The generated parameters of one run. */
    record Setup(int nrCpus, int batch, long upgradeThreshold) {
        @Override
        public String toString() {
            return "nrCpus " + nrCpus + ", batch " + batch + ", upgrade "
                    + (upgradeThreshold == 0 ? "NEVER" : "after " + upgradeThreshold + " other-path adds");
        }
    }

    private final CounterImplementation impl;
    private final long upgradeThreshold;        // 0: UpgradePolicy.NEVER

    // The model, beside value and destroyed.
    private boolean perCpu;
    private long lazyOtherAdds;

    /** {@code impl.newLazyCounter}, then the property thread binds itself as the owner. */
    LazyCounterMachine(CounterImplementation impl, Setup setup) {
        super(setup.nrCpus(), setup.batch(), cpus -> impl.newLazyCounter(cpus, setup.batch(),
                setup.upgradeThreshold() == 0 ? UpgradePolicy.NEVER : UpgradePolicy.afterOtherUpdates(setup.upgradeThreshold())));
        this.impl = impl;
        this.upgradeThreshold = setup.upgradeThreshold();
        counter.bindOwner();
    }

    void localAdd(int cpu, long delta) {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, () -> onCpu(cpu, s -> counter.addLocal(s, delta)),
                    () -> "addLocal after destroy on " + this);
            return;
        }
        onCpu(cpu, s -> counter.addLocal(s, delta));
        value += delta;
    }

    /** addOther from another context, or from the owner itself (both are legal). */
    void otherAdd(int cpu, long delta, boolean fromOwner) {
        Runnable add = () -> onCpu(cpu, s -> counter.addOther(s, delta));
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, () -> runAs(fromOwner, add),
                    () -> "addOther after destroy on " + this);
            return;
        }
        runAs(fromOwner, add);
        value += delta;
        if (!perCpu && upgradeThreshold > 0 && ++lazyOtherAdds == upgradeThreshold) {
            perCpu = true;                           // the policy's upgrade
        }
    }

    /** The local path from a thread that is not the owner: refused in lazy mode only. */
    void strangerLocalAdd(int cpu, long delta) {
        Runnable add = () -> onCpu(cpu, s -> counter.addLocal(s, delta));
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, () -> Stranger.run(add),
                    () -> "addLocal after destroy on " + this);
        } else if (!perCpu) {
            assertRefused(NotOwnerException.class, () -> Stranger.run(add),
                    () -> "addLocal by a non-owner in lazy mode on " + this);
        } else {
            Stranger.run(add);                       // per-CPU mode: any task may add locally
            value += delta;
        }
    }

    void upgrade() {
        if (destroyed) {
            assertRefused(CounterDestroyedException.class, counter::upgrade, () -> "upgrade after destroy on " + this);
            return;
        }
        boolean did = counter.upgrade();
        if (did == perCpu) {
            throw new AssertionError("upgrade() returned " + did + " but the counter was "
                    + (perCpu ? "already per-CPU" : "lazy") + " on " + this);
        }
        perCpu = true;
    }

    /**
     * {@code upgrade()} while the per-CPU allocation fails: either it fails
     * with {@link PercpuAllocationException} and the counter is exactly as it
     * was (lazy, same value), or it needed no allocation and upgraded.
     */
    void upgradeWhileAllocationFails() {
        if (destroyed || perCpu) {
            return;                                      // upgrade() after destroy and a second upgrade are covered above
        }
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        try {
            if (!counter.upgrade()) {
                throw new AssertionError("upgrade() of a lazy counter returned false on " + this);
            }
            perCpu = true;
        } catch (PercpuAllocationException enomem) {
            // -ENOMEM: checkInvariant() then requires lazy mode and the same value.
        } finally {
            cpus.injectAllocationFailures(AllocationFailures.NONE);
        }
    }

    /**
     * {@code addOther} while the per-CPU allocation fails: the add is counted
     * and never fails; if it is the policy's threshold-th, the counter either
     * stays lazy (GFP_ATOMIC failed: lazy mode is correct, only slower) or
     * upgrades without an allocation.
     */
    void otherAddWhileAllocationFails(int cpu, long delta) {
        if (destroyed) {
            return;                                      // covered by otherAdd
        }
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        try {
            Stranger.run(() -> onCpu(cpu, s -> counter.addOther(s, delta)));
        } finally {
            cpus.injectAllocationFailures(AllocationFailures.NONE);
        }
        value += delta;
        if (!perCpu && upgradeThreshold > 0 && ++lazyOtherAdds == upgradeThreshold) {
            perCpu = counter.isPerCpu();                 // either is allowed; the sum must be exact either way
        }
    }

    /** The mode as modelled. */
    @Override
    void checkShape() {
        if (counter.isPerCpu() != perCpu) {
            throw new AssertionError("isPerCpu() is " + counter.isPerCpu() + ", model says " + perCpu + " on " + this);
        }
    }

    /**
     * Contract: read() is within the bound the counter declares. Fidelity (kernel-faithful
     * implementations only): that bound is the kernel's in each mode.
     */
    @Override
    void checkRead() {
        long declared = counter.readErrorBound();
        long kernels = perCpu ? (long) nrCpus * (batch - 1) : 0;
        if (impl.kernelFaithful() && declared != kernels) {
            throw new AssertionError("fidelity: readErrorBound() is " + declared + ", the kernel's is "
                    + kernels + " on " + this);
        }
        assertWithinBound(counter.read(), value, declared, () -> "contract: read() on " + this);
    }

    private static void runAs(boolean fromOwner, Runnable step) {
        OnCpu.runAs(!fromOwner, step);
    }

    @Override
    public String toString() {
        return "lazy counter[impl=" + impl.name() + ", nrCpus=" + nrCpus + ", batch=" + batch + ", policy="
                + (upgradeThreshold == 0 ? "NEVER" : "afterOtherUpdates(" + upgradeThreshold + ")")
                + "; model: value=" + value + ", " + (perCpu ? "per-CPU" : "lazy") + (destroyed ? ", destroyed" : "") + "]";
    }
}
