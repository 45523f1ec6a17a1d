package lazycount.linearizability;

import java.util.concurrent.atomic.AtomicLong;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.testkit.Quiescent;
import lazycount.impl.UnderTest;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * CPU hotplug against a lazy counter: CPU 2 goes down and comes back up while
 * the owner and other contexts add, a context upgrades and a reader sums.
 *
 * <p>Adds are non-negative, so a sum is checked while threads run: it must lie
 * between the adds completed before it began and those started before it
 * ended (a sum sees each add entirely or not at all). A sum that skips a dying
 * CPU's slot falls below; a dead-CPU fold seen half done (the slot already in
 * the central count, not yet zeroed) rises above. Once every thread is done
 * ({@code @Validate}): if CPU 2 is down its slots must hold nothing (read within
 * the bound, which counts live CPUs only), a sum while it boots again must
 * still be exact, and the quiescent promises hold.
 *
 * <p>Adds enter any free online CPU ({@link Cpus#enterAny}); the scheduler
 * skips CPU 2 while it is not online, and its hotplug waits for a thread on it.
 */
@Checks(value = Race.HOTPLUG_FOLD, everyPair = true,
        ops = {Op.CPU_DEAD, Op.CPU_UP, Op.LOCAL_ADD, Op.OTHER_ADD, Op.PERCPU_ADD, Op.FOLD, Op.SUM})
@Checks(value = Race.HOTPLUG_UPGRADE, ops = {Op.UPGRADE, Op.CPU_DEAD, Op.OTHER_ADD})
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
@Param(name = "delta", gen = LongGen.class, conf = "0:3")
public class CpuHotplugTest extends LincheckCheck {

    static final int NR_CPUS = 3;
    static final int HOTPLUGGED = 2;
    static final int BATCH = 3;

    private final Cpus cpus = UnderTest.cpus(NR_CPUS);
    private final RssCounter counter = UnderTest.implementation().newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
    /** Ghosts: the deltas of adds that started, and of adds that returned. */
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private boolean ownerBound;   // touched only by the owner group's thread

    @Operation(nonParallelGroup = "owner")
    public void addLocal(@Param(name = "cpu") int cpu, @Param(name = "delta") long delta) {
        if (!ownerBound) {
            counter.bindOwner();
            ownerBound = true;
        }
        started.addAndGet(delta);
        try (CpuSection section = cpus.enterAny(cpu)) {
            counter.addLocal(section, delta);
        }
        completed.addAndGet(delta);
    }

    @Operation
    public void addOther(@Param(name = "cpu") int cpu, @Param(name = "delta") long delta) {
        started.addAndGet(delta);
        try (CpuSection section = cpus.enterAny(cpu)) {
            counter.addOther(section, delta);
        }
        completed.addAndGet(delta);
    }

    @Operation
    public boolean upgrade() {
        return counter.upgrade();
    }

    /**
     * If CPU 2 is online, a last other-path add of 1 on it, then cpu_down(2);
     * else cpu_up(2). Two hotplug operations serialize, as cpu_hotplug_lock
     * makes them. The add makes every CPU that dies hold something to fold.
     */
    @Operation
    public void hotplug() {
        synchronized (cpus) {
            if (cpus.state(HOTPLUGGED) == Cpus.CpuState.ONLINE) {
                started.addAndGet(1);
                try (CpuSection section = cpus.enterWhenFree(HOTPLUGGED)) {
                    counter.addOther(section, 1);
                }
                completed.addAndGet(1);
                cpus.takeDown(HOTPLUGGED);
            } else {
                cpus.bringUp(HOTPLUGGED);
            }
        }
    }

    /** A sum racing the rest: between the adds done before it and the adds begun before its end. */
    @Operation
    public void sumInRange() {
        long atLeast = completed.get();
        long sum = counter.sum();
        long atMost = started.get();
        RssCounterHarness.require(atLeast <= sum && sum <= atMost, "sum() = " + sum + " while the adds done before it"
                + " total " + atLeast + " and those begun before its end " + atMost);
    }

    @Validate
    public void quiescentState() {
        long expected = completed.get();
        if (cpus.state(HOTPLUGGED) == Cpus.CpuState.DEAD) {
            RssCounterHarness.require(Quiescent.readWithinBound(counter), "with CPU 2 down, read() = "
                    + counter.read() + " is more than readErrorBound() = " + counter.readErrorBound()
                    + " from sum() = " + counter.sum() + ": a count was left on the dead CPU");
            Cpus.HotplugOperation up = cpus.startBringUp(HOTPLUGGED);
            long whileBooting = counter.sum();
            up.finish();
            RssCounterHarness.require(whileBooting == expected, "sum() = " + whileBooting + " while CPU 2 boots (in"
                    + " neither mask), but the adds total " + expected + ": a count was left on the dead CPU");
        }
        Quiescent.checkThenDestroy(counter, expected);
    }

    /** Adds, hotplug and sums return nothing (a sum out of range throws); the mode is linearizable. */
    public static class Spec extends CounterSpecs.SilentAdds {
        public void hotplug() {
        }

        public void sumInRange() {
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 3, 3, 4);
    }
}
