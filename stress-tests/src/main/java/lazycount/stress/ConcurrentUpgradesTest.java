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
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/*
    Race.UPGRADE_UPGRADE, with two upgraders: an explicit upgrade (CLONE_VM)
    racing a second one (the frequency policy firing elsewhere), each followed
    by an other-path add from the same context.

    Exactly one upgrade may win: the mode changes once, and only one per-CPU
    counter is ever published. If both upgraders believe they switched the
    mode, two per-CPU counters were published one over the other, and an add
    that went into the overwritten one is gone.

    A upgrades and adds 1 (stays in its slot), B upgrades and adds 10 (folds
    into the central count). Results: (A won, B won, sum, teardown value),
    winners as 1 = upgrade() returned true.

      1, 0, 11, 11    A won, every add counted                        ACCEPTABLE
      0, 1, 11, 11    B won, every add counted                        ACCEPTABLE
      1, 1, x, y      both won: two per-CPU counters were published   FORBIDDEN
      0, 0, x, y      nobody switched the mode                        FORBIDDEN
      w, v, 1|10|0    an add went into a counter that was dropped     FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.UPGRADE_UPGRADE, ops = {Op.UPGRADE, Op.UPGRADE_CLONE_VM})
@Outcome(id = {"1, 0, 11, 11", "0, 1, 11, 11"}, expect = ACCEPTABLE, desc = "One upgrade won; every add counted once.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both upgrades won: two per-CPU counters were published.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "Neither upgrade claims to have switched the mode.")
@Outcome(expect = FORBIDDEN, desc = "One winner, but an add was lost, doubled, or teardown disagrees with the sum.")
@State
public class ConcurrentUpgradesTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void upgraderA(JJJJ_Result r) {
        r.r1 = counter.upgrade() ? 1 : 0;
        try (CpuSection cpu = cpus.enter(0)) {
            counter.addOther(cpu, 1);
        }
    }

    @Actor
    public void upgraderB(JJJJ_Result r) {
        r.r2 = counter.upgrade() ? 1 : 0;
        try (CpuSection cpu = cpus.enter(1)) {
            counter.addOther(cpu, 10);
        }
    }

    @Arbiter
    public void arbiter(JJJJ_Result r) {
        r.r3 = counter.sum();
        r.r4 = counter.destroy();
    }
}
