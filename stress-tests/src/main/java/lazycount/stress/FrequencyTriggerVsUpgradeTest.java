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
    rss_stat's contract, whose counters have one trigger): an explicit
    upgrade racing the frequency trigger, which fires inside an other-path
    add (the counter upgrades itself on its first other-path add).

    One of them wins; the loser's path must neither fold nor publish: no
    count moved twice, no second per-CPU counter published over the first
    (which would lose the adds made to it, and leave it on the CPU-hotplug
    list after the teardown, never destroyed).

    A upgrades explicitly, then adds 1 (stays in its slot); B adds 10 (lazy:
    it fires the trigger; or per-CPU if A won first) and then 100.
    Results: (A's upgrade won: 1 = yes, sum, teardown value,
              counters left on the hotplug list after the teardown).

      1, 111, 111, 0   the explicit upgrade won, nothing lost        ACCEPTABLE
      0, 111, 111, 0   the frequency trigger won, nothing lost       ACCEPTABLE
      x, y, z, 1+      a per-CPU counter was published and leaked    FORBIDDEN
      x, other         an add lost or counted twice                  FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.UPGRADE_UPGRADE, ops = {Op.UPGRADE, Op.UPGRADE_FREQUENCY})
@Outcome(id = {"1, 111, 111, 0", "0, 111, 111, 0"}, expect = ACCEPTABLE, desc = "One trigger won; every add counted once; nothing left listed.")
@Outcome(id = ".*, [1-9]", expect = FORBIDDEN, desc = "A per-CPU counter stayed on the hotplug list after the teardown: the loser published or leaked it.")
@Outcome(expect = FORBIDDEN, desc = "An add was lost or counted twice across the two triggers.")
@State
public class FrequencyTriggerVsUpgradeTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.afterOtherUpdates(1));

    @Actor
    public void explicitUpgrade(JJJJ_Result r) {
        r.r1 = counter.upgrade() ? 1 : 0;
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
