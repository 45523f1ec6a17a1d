package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertRefused;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import lazycount.impl.UnderTest;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuHotplugException;
import lazycount.cpu.CpuOfflineException;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.testing.Stranger;

/**
 * A lazy counter ({@code impl.newLazyCounter}) on CPUs that go down and come
 * back up, one step at a time, next to a model of one {@code long}. A hotplug
 * operation may be left half done for some steps: a CPU dying (out of the
 * online mask, not folded yet) or booting (in neither mask), which is when a
 * sum that walks the wrong CPUs, or a count left on a dead CPU, shows.
 *
 * <p>After every step ({@link #checkInvariant()}): the sum is exact and read()
 * is within the bound the counter declares, which for a percpu_counter counts
 * only the CPUs that can hold a slot. Entering a CPU that is not online and
 * every hotplug misuse are refused by name.
 */
final class HotplugMachine {

    record Setup(int nrCpus, int batch) {
        @Override
        public String toString() {
            return "nrCpus " + nrCpus + ", batch " + batch;
        }
    }

    private final CounterImplementation impl;
    private final Cpus cpus;
    private final RssCounter counter;
    private Cpus.HotplugOperation halfDone;
    private String halfDoneName = "";

    // The model.
    private long value;
    private boolean perCpu;

    HotplugMachine(CounterImplementation impl, Setup setup) {
        this.impl = impl;
        this.cpus = UnderTest.cpus(setup.nrCpus());
        this.counter = impl.newLazyCounter(cpus, setup.batch(), UpgradePolicy.NEVER);
        counter.bindOwner();
    }

    void localAdd(int cpuIndex, long delta) {
        add(cpuIndex, delta, false);
    }

    void otherAdd(int cpuIndex, long delta) {
        add(cpuIndex, delta, true);
    }

    private void add(int cpuIndex, long delta, boolean other) {
        int cpu = Steps.cpuOf(cpuIndex, cpus.nrPossible());
        Runnable add = () -> OnCpu.run(cpus, cpuIndex, s -> {
            if (other) {
                counter.addOther(s, delta);
            } else {
                counter.addLocal(s, delta);
            }
        });
        if (cpus.state(cpu) != Cpus.CpuState.ONLINE) {
            assertRefused(CpuOfflineException.class, () -> OnCpu.runAs(other, add),
                    () -> "an add on CPU " + cpu + ", which is " + cpus.state(cpu) + ", on " + this);
            return;
        }
        OnCpu.runAs(other, add);
        value += delta;
    }

    void upgrade() {
        boolean did = counter.upgrade();
        if (did == perCpu) {
            throw new AssertionError("upgrade() returned " + did + " on " + this);
        }
        perCpu = true;
    }

    /** cpu_down, left half done (dying) until {@link #finishHotplug()}; refused when misused. */
    void startTakeDown(int cpuIndex) {
        int cpu = Steps.cpuOf(cpuIndex, cpus.nrPossible());
        if (halfDone != null) {                      // one hotplug operation at a time: the lock is not recursive
            assertRefused(CpuHotplugException.class, () -> cpus.startTakeDown(cpu),
                    () -> "cpu_down(" + cpu + ") inside " + halfDoneName + " on " + this);
            return;
        }
        if (cpus.state(cpu) != Cpus.CpuState.ONLINE || onlineCpus() == 1) {
            assertRefused(CpuHotplugException.class, () -> cpus.startTakeDown(cpu),
                    () -> "cpu_down(" + cpu + ") of a " + cpus.state(cpu) + " CPU (" + onlineCpus() + " online) on " + this);
            return;
        }
        halfDone = cpus.startTakeDown(cpu);
        halfDoneName = halfDone.toString();
    }

    /** cpu_up, left half done (booting) until {@link #finishHotplug()}; refused when misused. */
    void startBringUp(int cpuIndex) {
        int cpu = Steps.cpuOf(cpuIndex, cpus.nrPossible());
        if (halfDone != null) {
            assertRefused(CpuHotplugException.class, () -> cpus.startBringUp(cpu),
                    () -> "cpu_up(" + cpu + ") inside " + halfDoneName + " on " + this);
            return;
        }
        if (cpus.state(cpu) != Cpus.CpuState.DEAD) {
            assertRefused(CpuHotplugException.class, () -> cpus.startBringUp(cpu),
                    () -> "cpu_up(" + cpu + ") of a " + cpus.state(cpu) + " CPU on " + this);
            return;
        }
        halfDone = cpus.startBringUp(cpu);
        halfDoneName = halfDone.toString();
    }

    /** Ends the half-done hotplug operation, if any: the dead-CPU fold, or the CPU online again. */
    void finishHotplug() {
        if (halfDone != null) {
            halfDone.finish();
            halfDone = null;
            halfDoneName = "";
        }
    }

    /** A hotplug call from the stranger thread while it runs on a CPU with preemption disabled. */
    void hotplugWithPreemptionDisabled(int cpuIndex) {
        int cpu = Steps.cpuOf(cpuIndex, cpus.nrPossible());
        if (cpus.state(cpu) != Cpus.CpuState.ONLINE) {
            return;
        }
        Stranger.run(() -> OnCpu.run(cpus, cpuIndex, s -> assertRefused(CpuHotplugException.class,
                () -> cpus.takeDown(cpu), () -> "cpu_down(" + cpu + ") from CPU " + cpu + " itself on " + this)));
    }

    void sum() {
        assertExact(counter.sum(), value, () -> "sum() on " + this);
    }

    void checkInvariant() {
        if (counter.isPerCpu() != perCpu) {
            throw new AssertionError("isPerCpu() is " + counter.isPerCpu() + ", model says " + perCpu + " on " + this);
        }
        assertExact(counter.sum(), value, () -> "sum() after the step on " + this);
        assertWithinBound(counter.read(), value, counter.readErrorBound(),
                () -> "read() within its declared bound after the step on " + this);
    }

    private int onlineCpus() {
        int n = 0;
        for (int cpu = 0; cpu < cpus.nrPossible(); cpu++) {
            n += cpus.state(cpu) == Cpus.CpuState.ONLINE ? 1 : 0;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder states = new StringBuilder();
        for (int cpu = 0; cpu < Math.min(cpus.nrPossible(), 16); cpu++) {
            if (cpus.state(cpu) != Cpus.CpuState.ONLINE) {
                states.append(" cpu").append(cpu).append('=').append(cpus.state(cpu));
            }
        }
        return "hotplugged lazy counter[impl=" + impl.name() + ", " + cpus + states
                + (halfDoneName.isEmpty() ? "" : ", half done: " + halfDoneName)
                + "; model: value=" + value + ", " + (perCpu ? "per-CPU" : "lazy") + "]";
    }
}
