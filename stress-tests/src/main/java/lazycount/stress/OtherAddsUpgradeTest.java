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
    Race.OTHER_UPGRADE: other-path adds in flight while the counter is
    upgraded to per-CPU mode.

    Remote A makes two other-path adds while remote B makes one, upgrades the
    counter, and makes another (jcstress runs at most one actor per hardware
    CPU, and the gate has two, so the upgrader is also the second remote).
    A's adds are in flight across B's upgrade, and race B's first add on the
    atomic word. Every add either saw lazy mode and went to the atomic word,
    or saw per-CPU mode and went to its CPU's slot (the 10 and 20 fold into
    the central count at once, the 1 and 2 stay in a slot). An upgrade that
    moves the lazy word into the per-CPU counter, or that counts an add that
    is still landing, can lose one or count it twice; a non-atomic update of
    the shared word loses one remote's add to the other's.

    Each add is its own digit value: remote A adds 1 then 2 (units digit 3),
    remote B adds 10, upgrades, adds 20 (tens digit 3). A units digit of 1 or
    2 means one of A's adds was lost, 4 to 6 that one was counted twice; the
    same for B in the tens.

    Results: (sum, quiescent read within bound: 1 = yes, teardown value).

      33, 1, 33    every add counted once                              ACCEPTABLE
      3x or x3     one add lost or doubled (the digit says whose)     FORBIDDEN
      33, x, y     sum exact but read or teardown wrong               FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.OTHER_ADD, Op.UPGRADE})
@Checks(value = Race.OTHER_OTHER)
@Outcome(id = "33, 1, 33", expect = ACCEPTABLE, desc = "Every in-flight add counted exactly once across the upgrade.")
@Outcome(id = "[0-9]*3[0-24-9], .*", expect = FORBIDDEN, desc = "An add of remote A (1, 2) was lost or doubled.")
@Outcome(id = "(?!33,)[0-9]*3, .*", expect = FORBIDDEN, desc = "An add of remote B (10, 20) was lost or doubled.")
@Outcome(id = "33, .*", expect = FORBIDDEN, desc = "The sum is exact, but read() is out of bound or teardown is wrong.")
@Outcome(expect = FORBIDDEN, desc = "Adds of both remotes lost or doubled.")
@State
public class OtherAddsUpgradeTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void remoteA() {
        Subject.remoteAddsOther(cpus, 0, counter, 1, 2);
    }

    @Actor
    public void remoteBUpgrading() {
        try (CpuSection cpu = cpus.enter(1)) {
            counter.addOther(cpu, 10);
            counter.upgrade();
            counter.addOther(cpu, 20);
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        Subject.recordQuiet(counter, r);
    }
}
