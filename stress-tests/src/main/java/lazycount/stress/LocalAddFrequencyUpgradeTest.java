package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    Race.LOCAL_UPGRADE: the owner's local adds while an upgrade is
    triggered from elsewhere, by the generic counter's frequency policy.

    The counter upgrades itself on its first other-path add. The owner adds 1
    and then 2 on the local path, with plain arithmetic on its own word; the
    remote adds 10 (which triggers the upgrade) and then 20 (in per-CPU mode).
    The owner may keep writing its lazy word after the upgrade until it sees the
    new mode, so an upgrade that folds or clears the local word races with the
    owner's read-modify-write: the owner writes back a value the fold already
    took (counted twice) or the fold clears a value the owner just wrote (lost).

    Units digit: the owner's adds (3 expected); tens digit: the remote's (3).
    Results: (sum, quiescent read within bound: 1 = yes, teardown value).

      33, 1, 33    every add counted once                              ACCEPTABLE
      3x, ...      an owner's add lost (31, 32, 30) or doubled (34-36) FORBIDDEN
      x3, ...      a remote add lost or doubled                        FORBIDDEN
      33, x, y     sum exact but read or teardown wrong                FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.LOCAL_UPGRADE)
@Outcome(id = "33, 1, 33", expect = ACCEPTABLE, desc = "Every add counted exactly once across the triggered upgrade.")
@Outcome(id = "[0-9]*3[0-24-9], .*", expect = FORBIDDEN, desc = "A local add (1, 2) of the owner was lost or doubled.")
@Outcome(id = "(?!33,)[0-9]*3, .*", expect = FORBIDDEN, desc = "A remote add (10, 20) was lost or doubled.")
@Outcome(id = "33, .*", expect = FORBIDDEN, desc = "The sum is exact, but read() is out of bound or teardown is wrong.")
@Outcome(expect = FORBIDDEN, desc = "Local and remote adds both lost or doubled.")
@State
public class LocalAddFrequencyUpgradeTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.afterOtherUpdates(1));

    @Actor
    public void owner() {
        Subject.ownerAddsLocal(cpus, counter, 1, 2);
    }

    @Actor
    public void remote() {
        Subject.remoteAddsOther(cpus, 1, counter, 10, 20);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        Subject.recordQuiet(counter, r);
    }
}
