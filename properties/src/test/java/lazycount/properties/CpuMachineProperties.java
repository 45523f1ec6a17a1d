package lazycount.properties;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.BatchedCounter;
import lazycount.cpu.CpuOccupiedException;
import lazycount.cpu.CpuOfflineException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.testing.StartBarrier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The model's own machinery ({@link Race#CPU_ENTRY_HOTPLUG}), on real threads
 * released together: two tasks keep entering a CPU, a section after another
 * (each on a CPU of its own once that CPU is taken, occupied or offline), while
 * the CPU goes down. Inside each section a task checks what the machine
 * promises: no other task on its CPU (a ghost of the property's own, not the
 * machine's word), and the hotplugged CPU, if that is where it runs, online or
 * dying. After the join: the dead CPU refuses a task, and a sum while it boots
 * again (in neither mask) is every add: nothing was written into its slot after
 * the dead-CPU fold. The tasks run until the take-down is over, so every
 * moment of it meets an entry.
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.CPU_ENTRY_HOTPLUG, ops = {Op.CPU_ENTER, Op.CPU_ENTER, Op.CPU_DEAD})
class CpuMachineProperties {

    /** A task stops after this many sections even if the take-down is not over (it is, long before). */
    private static final int MAX_SECTIONS = 100_000;

    @Property(tries = 200)
    void noTaskRunsOnADyingCpuOnceItIsClaimed(@ForAll @IntRange(min = 2, max = 4) int nrCpus,
            @ForAll @IntRange(min = 1, max = 3) int deltaA, @ForAll @IntRange(min = 1, max = 3) int deltaB) {
        int hotplugged = nrCpus - 1;                               // never CPU 0: one CPU stays online
        Cpus cpus = UnderTest.cpus(nrCpus);
        BatchedCounter witness = UnderTest.implementation().newPercpuCounter(cpus, 4);
        AtomicReferenceArray<Thread> onCpu = new AtomicReferenceArray<>(nrCpus);
        AtomicReference<String> broken = new AtomicReference<>();
        AtomicBoolean takenDown = new AtomicBoolean();
        AtomicLong added = new AtomicLong();
        StartBarrier race = new StartBarrier(3);
        race.worker("task-A", () -> { }, () -> keepEntering(cpus, hotplugged, 0, deltaA, witness, onCpu, broken,
                takenDown, added));
        race.worker("task-B", () -> { }, () -> keepEntering(cpus, hotplugged, nrCpus == 2 ? 0 : 1, deltaB, witness,
                onCpu, broken, takenDown, added));
        race.worker("cpu-goes-down", () -> { }, () -> {
            cpus.takeDown(hotplugged);
            takenDown.set(true);
        });
        race.runAll();
        require(broken.get() == null, broken.get());
        try (CpuSection intruder = cpus.enter(hotplugged)) {
            throw new AssertionError("CPU " + hotplugged + " is " + cpus.state(hotplugged) + ", but a task could"
                    + " enter it: cpu_down's claim was lost");
        } catch (CpuOfflineException expected) {
            // the dead CPU is claimed by hotplug
        }
        Cpus.HotplugOperation up = cpus.startBringUp(hotplugged);
        long whileBooting = witness.sum();
        up.finish();
        require(whileBooting == added.get(), "sum() = " + whileBooting + " while CPU " + hotplugged + " boots (in"
                + " neither mask), but the adds total " + added.get() + ": a count was left in the dead CPU's slot");
    }

    /** Sections on {@code hotplugged} (on {@code elsewhere} while it is taken) until the take-down is over. */
    private static void keepEntering(Cpus cpus, int hotplugged, int elsewhere, long delta, BatchedCounter witness,
            AtomicReferenceArray<Thread> onCpu, AtomicReference<String> broken, AtomicBoolean takenDown,
            AtomicLong added) {
        for (int i = 0; i < MAX_SECTIONS && !takenDown.get(); i++) {
            CpuSection cpu;
            try {
                cpu = cpus.enter(hotplugged);
            } catch (CpuOfflineException | CpuOccupiedException taken) {
                try {
                    cpu = cpus.enter(elsewhere);
                } catch (CpuOccupiedException alsoTaken) {
                    continue;                                      // both taken: try again
                }
            }
            try (CpuSection section = cpu) {
                Thread me = Thread.currentThread();
                Thread other = onCpu.getAndSet(section.id(), me);
                if (other != null) {
                    broken.compareAndSet(null, "'" + me.getName() + "' entered CPU " + section.id() + " while '"
                            + other.getName() + "' was on it: two tasks on one CPU");
                }
                Cpus.CpuState state = cpus.state(section.id());
                if (state != Cpus.CpuState.ONLINE && state != Cpus.CpuState.DYING) {
                    broken.compareAndSet(null, "'" + me.getName() + "' runs on CPU " + section.id() + ", which is "
                            + state + ": nothing may run on a CPU that is not live");
                }
                witness.add(section, delta);
                onCpu.compareAndSet(section.id(), me, null);
            }
            added.addAndGet(delta);
        }
    }

    private static void require(boolean holds, String violation) {
        if (!holds) {
            throw new AssertionError(violation);
        }
    }
}
