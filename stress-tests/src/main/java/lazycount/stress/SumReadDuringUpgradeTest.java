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
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/*
    Race.READ_SUM: sum() and read() while adds and the upgrade run.

    The owner adds 1 and then 10 on the local path. The other context adds
    100 on the other path, upgrades the counter, and then calls sum() and
    read(), racing the owner's adds, which may land in the lazy word, in a
    slot (the 1) or in the central count (the 10 folds at once), depending on
    when the owner sees the new mode.

    Neither read is an atomic snapshot (the counter's contract says so), but
    each must see every add entirely or not at all, and must see the reader's
    own earlier add of 100 (program order). The legal racing values are the
    subset sums containing 100: 100, 101, 110, 111. Seeing the owner's 10
    without its 1 (110) is allowed: its loads of two different words may be
    reordered, and the contract does not promise a snapshot. Any other value
    means an add was seen twice (the lazy word and the per-CPU counter both
    holding it while an upgrade moves it), missed entirely, or torn. Once
    quiet, sum and teardown must be exactly 111 and read() within its bound.

    A read is held to the read its implementation declares (RacingReads): a
    kernel-faithful read (percpu_counter_read, the central count, to which a
    fold adds whole slots) must be one of those values; a read declared
    approximate (the counter tree's root, to which a carry moves part of an
    add) may lie within its declared readErrorBound() of one, recorded as -1.

    Results: (racing sum, racing read, final sum, final read within bound:
    1 = yes, teardown value).

      S, R, 111, 1, 111   S, R in {100, 101, 110, 111}                 ACCEPTABLE
      S, -1, 111, 1, 111  an approximate read within its declared
                          accuracy of one of them                      ACCEPTABLE
      S or R outside: an add seen twice, the reader's own add missed,
      or a torn value                                                  FORBIDDEN
      final sum or teardown not 111: an add lost or doubled            FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.READ_SUM, ops = {Op.LOCAL_ADD, Op.SUM})
@Checks(value = Race.READ_SUM, ops = {Op.LOCAL_ADD, Op.READ})
@Checks(value = Race.READ_SUM, ops = {Op.PERCPU_ADD, Op.READ})
@Checks(value = Race.READ_SUM, ops = {Op.FOLD, Op.READ})
@Checks(value = Race.READ_SUM, ops = {Op.PERCPU_ADD, Op.SUM})
@Checks(value = Race.LOCAL_UPGRADE, ops = {Op.LOCAL_ADD, Op.UPGRADE})
@Checks(value = Race.LOCAL_OTHER)
@Outcome(id = "(100|101|110|111), (100|101|110|111), 111, 1, 111", expect = ACCEPTABLE,
        desc = "Racing sum and read each saw every add entirely or not at all; exact once quiet.")
@Outcome(id = "(100|101|110|111), -1, 111, 1, 111", expect = ACCEPTABLE,
        desc = "Racing sum whole; a read declared approximate within its declared accuracy; exact once quiet.")
@Outcome(id = "(100|101|110|111), (100|101|110|111|-1), .*", expect = FORBIDDEN,
        desc = "Racing reads fine, but once quiet an add is lost or doubled (or read is out of bound).")
@Outcome(expect = FORBIDDEN, desc = "A racing sum or read saw an add twice, missed the reader's own add, or was torn.")
@State
public class SumReadDuringUpgradeTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void owner() {
        Subject.ownerAddsLocal(cpus, counter, 1, 10);
    }

    @Actor
    public void remoteUpgradeThenRead(JJJJJ_Result r) {
        try (CpuSection cpu = cpus.enter(1)) {
            counter.addOther(cpu, 100);
        }
        counter.upgrade();
        Subject.recordSumThenReadJudged(counter, r, 100, 101, 110, 111);
    }

    @Arbiter
    public void arbiter(JJJJJ_Result r) {
        Subject.recordQuiet(counter, r);
    }
}
