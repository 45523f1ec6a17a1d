package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.BatchedCounter;
import lazycount.cpu.CpuOfflineException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    Race.CPU_ENTRY_HOTPLUG: the model's own machinery. A task runs on CPU 1
    while CPU 1 is taken down; nothing of a counter is under test here (the
    per-CPU counter is only the witness the dead-CPU fold moves).

    The task enters CPU 1 twice in a row (the scheduler waiting for the CPU
    when it is taken), each time adding to its slot (1, then 2: both stay in
    the slot, batch 4) and reading the CPU's state inside the section. The
    second entry follows the first leave at once, which is exactly when
    cpu_down's stop_machine finds the CPU free: a cpu_down that finds it free
    and claims it in two steps lets that entry in. An entry the CPU refuses
    because it is no longer online (CpuOfflineException, the model's
    refusal) runs the add on CPU 0 instead.

    Then, quiet: may a task still enter CPU 1 (it must be refused: the CPU is
    dead), and the sum while CPU 1 boots again (in neither mask: a count left
    in its slot is missed).

    Results: (sections that ran on CPU 1 while it was dead or booting,
              dead CPU refuses a task: 1 = yes, sum while CPU 1 boots).

      0, 1, 3     every section on a live CPU, the fold took the slot   ACCEPTABLE
      n, x, y     a task ran on a dead CPU                              FORBIDDEN
      x, 0, y     the dead CPU was left enterable                       FORBIDDEN
      x, y, 0-2   an add was left in the dead CPU's slot                FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.CPU_ENTRY_HOTPLUG, ops = {Op.CPU_ENTER, Op.CPU_DEAD})
@Outcome(id = "0, 1, 3", expect = ACCEPTABLE, desc = "Every section ran on a live CPU; the dead-CPU fold took the slot.")
@Outcome(id = "[1-9].*", expect = FORBIDDEN, desc = "A task ran on a CPU that was dead or booting.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "cpu_down left the dead CPU enterable: its claim was lost.")
@Outcome(expect = FORBIDDEN, desc = "An add was left in the dead CPU's slot (or counted twice).")
@State
public class CpuEntryHotplugTest {

    private final Cpus cpus = Subject.cpus(2);
    private final BatchedCounter witness = Subject.percpuCounter(cpus);

    @Actor
    public void taskOnCpu1(JJJ_Result r) {
        r.r1 = sectionOnCpu1(1) + sectionOnCpu1(2);
    }

    /** One section on CPU 1 (CPU 0 if CPU 1 refuses it); 1 if it ran on CPU 1 while CPU 1 was not live. */
    private long sectionOnCpu1(long delta) {
        CpuSection cpu;
        try {
            cpu = cpus.enterWhenFree(1);
        } catch (CpuOfflineException refused) {
            cpu = cpus.enterWhenFree(0);
        }
        try (CpuSection section = cpu) {
            long ranOnDeadCpu = section.id() == 1 && !live(cpus.state(1)) ? 1 : 0;
            witness.add(section, delta);
            return ranOnDeadCpu;
        }
    }

    private static boolean live(Cpus.CpuState state) {
        return state == Cpus.CpuState.ONLINE || state == Cpus.CpuState.DYING;
    }

    @Actor
    public void takeDownCpu1() {
        cpus.takeDown(1);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        try (CpuSection intruder = cpus.enter(1)) {
            r.r2 = 0;                                   // a task entered the dead CPU
        } catch (CpuOfflineException refused) {
            r.r2 = 1;
        }
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        r.r3 = witness.sum();
        up.finish();
    }
}
