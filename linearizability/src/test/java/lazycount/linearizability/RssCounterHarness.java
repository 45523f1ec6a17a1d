package lazycount.linearizability;

import java.util.concurrent.atomic.AtomicLong;
import lazycount.counter.Counter;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.testkit.Quiescent;
import lazycount.impl.UnderTest;

/**
 * One lazy counter as the Lincheck operations drive it: virtual CPUs, the
 * owning task's binding, and the quiescent checks.
 *
 * <p>Design notes.
 * <ul>
 * <li>CPUs. Each update runs in a {@link CpuSection} entered with
 *     {@link Cpus#enterAny(int)} from the operation's {@code cpu} parameter (a
 *     task may be scheduled on any CPU between two updates). There are more CPUs
 *     than Lincheck threads, so a free one always exists and
 *     {@code CpuOccupiedException} cannot happen on correct use.
 * <li>Owner. The owning task is one Lincheck thread of the parallel part
 *     (initial and post parts are empty, see {@link LincheckBudget}): either the
 *     thread running a non-parallel operation group, or parallel thread 1 when
 *     the test tells threads apart with {@code ThreadIdGen}. It binds itself on
 *     its first local add, as the child task does when it starts running.
 * <li>Applied total. {@link #applied} is a ghost: the sum of the deltas of the
 *     adds that returned. It is read only by {@link #checkQuiescent()}, when
 *     every add has returned, so it is then the counter's exact value.
 * </ul>
 */
final class RssCounterHarness {

    private final Cpus cpus;
    private final RssCounter counter;
    private final AtomicLong applied = new AtomicLong();
    private boolean ownerBound;   // touched only by the owner group's thread

    RssCounterHarness(int nrCpus, int batch, UpgradePolicy policy) {
        this.cpus = UnderTest.cpus(nrCpus);
        this.counter = UnderTest.implementation().newLazyCounter(cpus, batch, policy);
    }

    RssCounter counter() {
        return counter;
    }

    Cpus cpus() {
        return cpus;
    }

    /** The owning task's add; call only from the owner's thread. */
    void addLocal(int cpu, long delta) {
        bindOwnerOnce();
        try (CpuSection section = cpus.enterAny(cpu)) {
            counter.addLocal(section, delta);
        }
        applied.addAndGet(delta);
    }

    /** copy_mm on CLONE_VM: the owning task upgrades its counter; call only from the owner's thread. */
    void cloneVmUpgrade() {
        bindOwnerOnce();
        UnderTest.implementation().upgradeAll(new RssCounter[] {counter});
    }

    private void bindOwnerOnce() {
        if (!ownerBound) {
            counter.bindOwner();
            ownerBound = true;
        }
    }

    /**
     * A local-path add from a thread that is not the owner: must be refused with
     * {@code NotOwnerException} in lazy mode and is an ordinary per-CPU add after
     * the upgrade (every task of a shared mm is then on the per-CPU path).
     * Returns whether the add was accepted.
     */
    boolean addLocalAsIntruder(int cpu, long delta) {
        try (CpuSection section = cpus.enterAny(cpu)) {
            counter.addLocal(section, delta);
        } catch (NotOwnerException refused) {
            return false;
        }
        applied.addAndGet(delta);
        return true;
    }

    void addOther(int cpu, long delta) {
        try (CpuSection section = cpus.enterAny(cpu)) {
            counter.addOther(section, delta);
        }
        applied.addAndGet(delta);
    }

    /** The quiescent promises of {@link #checkQuiescent(Counter, long)} for this harness's counter. */
    void checkQuiescent() {
        checkQuiescent(counter, applied.get());
    }

    /** {@link Quiescent#checkThenDestroy}, the promises every tool checks. */
    static void checkQuiescent(Counter counter, long expected) {
        Quiescent.checkThenDestroy(counter, expected);
    }

    /** Drops the {@code references} an mm still has; the last must tear it down with a clean {@code check_mm}. */
    static void tearDownClean(lazycount.rss.Mm m, lazycount.cpu.Cpus cpus, int references) {
        try (lazycount.cpu.CpuSection section = cpus.enterAny(0)) {
            for (int i = 1; i < references; i++) {
                require(!m.mmput(section), m + " torn down before its last reference was dropped");
            }
            require(m.mmput(section), m + " not torn down by its last reference");
        }
        require(m.checkMmReport().isEmpty(), m + ": check_mm reported " + m.checkMmReport());
    }

    static void require(boolean holds, String violation) {
        if (!holds) {
            throw new IllegalStateException(violation);
        }
    }
}
