package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/*
    Race.UPGRADE_UPGRADE between two triggers of a generic counter (beyond
    rss_stat's contract): the CLONE_VM upgrade (the implementation's
    upgradeAll, copy_mm's path, here over one counter) racing the frequency
    trigger, which fires inside an other-path add (the counter upgrades
    itself on its first other-path add).

    CLONE_VM must return only once the counter is per-CPU, whoever won; the
    loser's path must neither fold nor publish: no count moved twice, no
    second per-CPU counter published over the first (its adds lost, and it
    left on the CPU-hotplug list after the teardown).

    A does the CLONE_VM upgrade, then adds 1 (stays in its slot); B adds 10
    (lazy: it fires the trigger; or per-CPU if A won first) and then 100.
    Results: (per-CPU when CLONE_VM returned: 1 = yes, sum, teardown value,
              counters left on the hotplug list after the teardown).

      1, 111, 111, 0   one upgrade, nothing lost                      ACCEPTABLE
      0, x, y, z       CLONE_VM returned with the counter still lazy  FORBIDDEN
      x, y, z, 1+      a per-CPU counter was published and leaked     FORBIDDEN
      x, other         an add lost or counted twice                   FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.UPGRADE_UPGRADE, ops = {Op.UPGRADE_CLONE_VM, Op.UPGRADE_FREQUENCY})
@Outcome(id = "1, 111, 111, 0", expect = ACCEPTABLE, desc = "One trigger won; every add counted once; nothing left listed.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The CLONE_VM upgrade returned with the counter still lazy.")
@Outcome(id = ".*, [1-9]", expect = FORBIDDEN, desc = "A per-CPU counter stayed on the hotplug list after the teardown: the loser published or leaked it.")
@Outcome(expect = FORBIDDEN, desc = "An add was lost or counted twice across the two triggers.")
@State
public class FrequencyTriggerVsCloneVmTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.afterOtherUpdates(1));

    @Actor
    public void cloneVmUpgrade(JJJJ_Result r) {
        Subject.IMPL.upgradeAll(new RssCounter[] {counter});
        r.r1 = counter.isPerCpu() ? 1 : 0;
        Subject.remoteAddsOther(cpus, 0, counter, 1);
    }

    @Actor
    public void frequencyTrigger() {
        Subject.remoteAddsOther(cpus, 1, counter, 10, 100);
    }

    @Arbiter
    public void arbiter(JJJJ_Result r) {
        r.r2 = counter.sum();
        r.r3 = counter.destroy();
        r.r4 = cpus.hotplugListSize();
    }
}
