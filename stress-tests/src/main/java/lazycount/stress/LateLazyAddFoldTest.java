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
    Race.OTHER_UPGRADE within rss_stat's contract: the fold window. The
    owner upgrades at CLONE_VM (the implementation's upgradeAll, copy_mm's
    path) and at once faults pages on the per-CPU path, 10 then 20, each a
    batch or more, so each folds into the central count. A remote context
    adds 1 then 2 on the other path; an add that read lazy mode before the
    upgrade published lands on the lazy word after it, and in an aliasing
    protocol that word is the count the owner's folds write. A fold that
    reads the count and stores read + amount loses a late add landing in
    between; one that counts it twice shows too.

    Units digit: the remote's adds (3 expected); tens digit: the owner's (3).
    Results: (sum, quiescent read within bound: 1 = yes, teardown value).

      33, 1, 33    every add counted once                              ACCEPTABLE
      3x, ...      a late remote add lost (31, 32, 30) or doubled      FORBIDDEN
      x3, ...      an owner's folded add lost or doubled               FORBIDDEN
      33, x, y     sum exact but read or teardown wrong                FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.UPGRADE_CLONE_VM, Op.FOLD})
@Outcome(id = "33, 1, 33", expect = ACCEPTABLE, desc = "Every add counted exactly once across the upgrade and the folds.")
@Outcome(id = "[0-9]*3[0-24-9], .*", expect = FORBIDDEN, desc = "A late remote add (1, 2) was lost or doubled by a fold.")
@Outcome(id = "(?!33,)[0-9]*3, .*", expect = FORBIDDEN, desc = "An owner's folded add (10, 20) was lost or doubled.")
@Outcome(id = "33, .*", expect = FORBIDDEN, desc = "The sum is exact, but read() is out of bound or teardown is wrong.")
@Outcome(expect = FORBIDDEN, desc = "Adds of both lost or doubled.")
@State
public class LateLazyAddFoldTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void ownerCloneVmThenFaults() {
        counter.bindOwner();
        try (CpuSection cpu = cpus.enter(1)) {
            // copy_mm runs on the owner's CPU: an upgrade that adds on "this CPU" (rfc parks its residue
            // there) must find CPU 1, not take the remote's CPU 0 from under it.
            Subject.IMPL.upgradeAll(new RssCounter[] {counter});
            counter.addLocal(cpu, 10);
            counter.addLocal(cpu, 20);
        }
    }

    @Actor
    public void remote() {
        Subject.remoteAddsOther(cpus, 0, counter, 1, 2);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        Subject.recordQuiet(counter, r);
    }
}
