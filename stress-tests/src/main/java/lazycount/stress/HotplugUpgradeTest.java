package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    A kernel context beyond the catalog: a lazy counter upgraded while a CPU
    dies. One context upgrades the counter. Another, on CPU 1, adds 1 on the
    other path (to the remote word if it still sees the counter lazy, to CPU
    1's slot if it sees the per-CPU counter) and then takes CPU 1 down. If
    the add reached the slot, the hotplug fold must find the new per-CPU
    counter on the hotplug list: a counter that joins the list after it is
    published can miss the fold and keep the 1 on a dead CPU.

    Then, with CPU 1 still down, 3 (batch 4 minus 1) is added on CPU 0 and
    stays in its slot. read() must be within the bound the counter declares
    (its live CPUs can hold at most 3): a 1 left on the dead CPU takes read()
    one beyond it. CPU 1 is then brought up halfway (dying bit cleared, not
    online yet, so no sum walks it): a sum then must still be 4, which it is
    not if the 1 is still in the dead CPU's slot (the kernel's check_mm would
    report a bad rss-counter state there).

    Results: (read within bound: 1 = yes, quiet sum, sum while CPU 1 boots).

      1, 4, 4     nothing left on the dead CPU                        ACCEPTABLE
      0, 4, 3     the add stayed in the dead CPU's slot               FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.HOTPLUG_UPGRADE, ops = {Op.UPGRADE, Op.OTHER_ADD, Op.CPU_DEAD})
@Outcome(id = "1, 4, 4", expect = ACCEPTABLE, desc = "Nothing was left on the dead CPU.")
@Outcome(id = ".*, 4, 3", expect = FORBIDDEN, desc = "The add stayed in the dead CPU's slot: the counter missed the hotplug fold.")
@Outcome(expect = FORBIDDEN, desc = "Some other loss, double count or bound violation.")
@State
public class HotplugUpgradeTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void upgrader() {
        counter.upgrade();
    }

    @Actor
    public void addOnCpu1ThenTakeItDown() {
        try (CpuSection cpu = cpus.enterWhenFree(1)) {
            counter.addOther(cpu, 1);
        }
        cpus.takeDown(1);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        Subject.recordWhatCpu1Left(cpus, counter, r);
    }
}
