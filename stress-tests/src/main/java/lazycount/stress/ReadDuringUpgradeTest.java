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
    Race.READ_SUM, seen by a reader that is neither the updater nor
    the upgrader: get_mm_counter() and /proc's sum while a remote context
    adds, upgrades, and adds again.

    The remote adds 100 on the other path (lazy mode), upgrades the counter,
    then adds 1000 (per-CPU mode; 1000 is past the batch, so it folds into
    the central count at once). A reader on another CPU calls read() and
    then sum(). Both updates happen in program order, so a racing reader may
    see neither, the first, or both: 0, 100 or 1100, and never a value in
    between or beyond. read() is the kernel's fast read, which may leave out
    what sits unfolded in slots; nothing here sits in a slot, so it has no
    slack either. Seeing 200 or 1200 means the in-flight 100 was counted in
    the lazy word and again in the per-CPU counter; 1000 means the upgrade
    lost it.

    Results: (racing read, racing sum, final sum, teardown value).

      R, S, 1100, 1100   R, S in {0, 100, 1100}                        ACCEPTABLE
      any other                                                         FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.READ_SUM, ops = {Op.OTHER_ADD, Op.READ})
@Checks(value = Race.READ_SUM, ops = {Op.UPGRADE, Op.READ})
@Checks(value = Race.READ_SUM, ops = {Op.UPGRADE, Op.SUM})
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.UPGRADE})
@Outcome(id = "(0|100|1100), (0|100|1100), 1100, 1100", expect = ACCEPTABLE,
        desc = "Each racing reader saw a prefix of the remote's updates; every add counted once.")
@Outcome(id = "(200|1200), .*", expect = FORBIDDEN, desc = "read() counted the in-flight add twice across the upgrade.")
@Outcome(id = ".*, (200|1200), .*", expect = FORBIDDEN, desc = "sum() counted the in-flight add twice across the upgrade.")
@Outcome(id = ".*, .*, 1100, 1100", expect = FORBIDDEN, desc = "Final value exact, but a racing reader saw a value "
        + "that was never a prefix of the updates (torn, or an add missed).")
@Outcome(expect = FORBIDDEN, desc = "An add was lost or doubled across the upgrade.")
@State
public class ReadDuringUpgradeTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void remoteAddsUpgradesAdds() {
        try (CpuSection cpu = cpus.enter(0)) {
            counter.addOther(cpu, 100);
            counter.upgrade();
            counter.addOther(cpu, 1000);
        }
    }

    @Actor
    public void reader(JJJJ_Result r) {
        r.r1 = counter.read();
        r.r2 = counter.sum();
    }

    @Arbiter
    public void arbiter(JJJJ_Result r) {
        r.r3 = counter.sum();
        r.r4 = counter.destroy();
    }
}
