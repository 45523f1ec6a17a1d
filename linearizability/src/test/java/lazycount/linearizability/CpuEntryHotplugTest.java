package lazycount.linearizability;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.BatchedCounter;
import lazycount.cpu.CpuOfflineException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The model's own machinery ({@link Race#CPU_ENTRY_HOTPLUG}): tasks enter CPU 1
 * while it goes down and comes up again, under the model checker, which places
 * a context switch between any two shared accesses of {@link Cpus}.
 *
 * <p>A task's section on CPU 1 (CPU 0 or any free CPU if CPU 1 refuses it, as
 * the scheduler would place it) checks, inside the section, what the machinery
 * promises: no other task is on its CPU (an occupancy ghost of the check's own,
 * not {@code Cpus}'s word), and CPU 1, if that is where it runs, is online or
 * dying, never dead or booting. It adds its delta to a per-CPU counter, the
 * witness the dead-CPU fold moves. Once every thread is done ({@code @Validate}):
 * a dead CPU 1 refuses a task, and a sum while it boots (in neither mask) is
 * every add, so nothing was left in its slot.
 */
@Checks(value = Race.CPU_ENTRY_HOTPLUG, everyPair = true, ops = {Op.CPU_ENTER, Op.CPU_DEAD, Op.CPU_UP})
@Param(name = "delta", gen = LongGen.class, conf = "1:2")
public class CpuEntryHotplugTest extends LincheckCheck {

    static final int NR_CPUS = 2;
    static final int HOTPLUGGED = 1;
    static final int BATCH = 4;

    private final Cpus cpus = UnderTest.cpus(NR_CPUS);
    private final BatchedCounter witness = UnderTest.implementation().newPercpuCounter(cpus, BATCH);
    /** The check's own occupancy ghost: the thread it saw on each CPU, set inside a section. */
    private final AtomicReferenceArray<Thread> onCpu = new AtomicReferenceArray<>(NR_CPUS);
    private final AtomicLong completed = new AtomicLong();

    /** A task the scheduler runs on CPU 1, or elsewhere once CPU 1 refuses it. */
    @Operation
    public void taskOnCpu1(@Param(name = "delta") long delta) {
        CpuSection cpu;
        try {
            cpu = cpus.enterWhenFree(HOTPLUGGED);
        } catch (CpuOfflineException refused) {
            cpu = cpus.enterAny(0);
        }
        try (CpuSection section = cpu) {
            Thread me = Thread.currentThread();
            Thread other = onCpu.getAndSet(section.id(), me);
            RssCounterHarness.require(other == null, "a task entered CPU " + section.id() + " while another task"
                    + " was on it: two tasks on one CPU");
            Cpus.CpuState state = cpus.state(section.id());
            RssCounterHarness.require(state == Cpus.CpuState.ONLINE || state == Cpus.CpuState.DYING, "a task runs on"
                    + " CPU " + section.id() + ", which is " + state + ": nothing may enter a CPU that is not live");
            witness.add(section, delta);
            onCpu.set(section.id(), null);
        }
        completed.addAndGet(delta);
    }

    /** cpu_down(1) if it is online, else cpu_up(1); two of them serialize, as cpu_hotplug_lock makes them. */
    @Operation
    public void hotplug() {
        synchronized (cpus) {
            if (cpus.state(HOTPLUGGED) == Cpus.CpuState.ONLINE) {
                cpus.takeDown(HOTPLUGGED);
            } else {
                cpus.bringUp(HOTPLUGGED);
            }
        }
    }

    @Validate
    public void quiescentState() {
        if (cpus.state(HOTPLUGGED) == Cpus.CpuState.DEAD) {
            boolean refused;
            try (CpuSection intruder = cpus.enter(HOTPLUGGED)) {
                refused = false;
            } catch (CpuOfflineException expected) {
                refused = true;
            }
            RssCounterHarness.require(refused, "CPU " + HOTPLUGGED + " is dead, but a task could enter it: cpu_down's"
                    + " claim was lost");
            Cpus.HotplugOperation up = cpus.startBringUp(HOTPLUGGED);
            long whileBooting = witness.sum();
            up.finish();
            RssCounterHarness.require(whileBooting == completed.get(), "sum() = " + whileBooting + " while CPU "
                    + HOTPLUGGED + " boots (in neither mask), but the adds total " + completed.get()
                    + ": a count was left in the dead CPU's slot");
        }
        RssCounterHarness.require(witness.sum() == completed.get(), "quiet sum() = " + witness.sum()
                + ", but the adds total " + completed.get());
    }

    /** Sections and hotplug return nothing (a broken promise throws). */
    public static class Spec {
        public void taskOnCpu1(long delta) {
        }

        public void hotplug() {
        }
    }

    /** Few scenarios: two operations, and the model checker explores each one's interleavings exhaustively enough. */
    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 3, 4).scenarios(5, 3);
    }
}
