package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.Cpus;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    HotplugUpgradeTest at the mm level: the upgrade is copy_mm's, of all four
    counters at CLONE_VM (the RFC's lazy_pcpu_counter_upgrade_many), from a
    preemptible task, while a remote context (khugepaged) maps a page of the
    mm on CPU 1 and CPU 1 then goes down.

    The remote's page lands in the lazy remote word or, once the upgrade is
    published, in CPU 1's slot; a protocol that parks the remote word's
    residue in the upgrader's current CPU may put it on CPU 1 too. Whichever
    it is, a CPU that dies after holding part of the count must be folded, so
    the per-CPU counters must be on the hotplug list before anything can
    reach their slots.

    Then, with CPU 1 down, 3 (batch 4 minus 1) pages are added on CPU 0: read()
    must be within the bound the counter declares for its live CPUs, and a sum
    while CPU 1 boots again (in neither mask) must be 4.

    Results: (read within bound: 1 = yes, quiet sum, sum while CPU 1 boots).

      1, 4, 4     nothing left on the dead CPU                         ACCEPTABLE
      x, 4, 3     the page stayed in the dead CPU's slot               FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.HOTPLUG_UPGRADE, ops = {Op.UPGRADE_CLONE_VM, Op.OTHER_ADD, Op.CPU_DEAD})
@Outcome(id = "1, 4, 4", expect = ACCEPTABLE, desc = "Nothing was left on the dead CPU.")
@Outcome(id = ".*, 4, 3", expect = FORBIDDEN, desc = "The page stayed in the dead CPU's slot: the counter missed the hotplug fold.")
@Outcome(expect = FORBIDDEN, desc = "Some other loss, double count or bound violation.")
@State
public class HotplugCloneVmTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);
    private final Thread newTask = new Thread(() -> { }, "cloned-task");
    private volatile boolean taskAttached;

    @Actor
    public void taskClonesAThread() {
        mm.attachTask();
        taskAttached = true;
        mm.cloneThread(newTask);                       // copy_mm: CLONE_VM upgrades all four counters
    }

    @Actor
    public void remoteOnCpu1ThenCpu1GoesDown() {
        while (!taskAttached) {                        // a remote context finds a running mm
            Thread.onSpinWait();
        }
        Subject.remoteAddsAnonPages(mm, () -> cpus.enterWhenFree(1), 1);
        cpus.takeDown(1);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        Subject.recordWhatCpu1Left(cpus, mm.counter(RssMember.ANONPAGES), r);
    }
}
