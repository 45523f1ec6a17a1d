package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.CounterDestroyedException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/*
    Race.TEARDOWN: teardown after racing updaters.

    The owner adds 1 on the local path while a remote adds 10 on the other
    path, upgrades the counter, and adds 100 (which folds at once); so at
    teardown the value is spread over the local word or a CPU slot, the atomic
    word and the central count. Once every updater is done (the arbiter runs
    after them, as the last mmput runs after every user), the teardown is the
    first and only reader: it must return exactly 111. After
    it, every use must be refused with CounterDestroyedException: a later add
    (bit 1), a later sum (bit 2) and a second teardown (bit 4).

    Results: (teardown value, refusals).

      111, 7    exact final value; every later use refused             ACCEPTABLE
      110, ...  the owner's add (local word or slot) was lost          FORBIDDEN
      101, ...  the atomic word was left out                           FORBIDDEN
      11, ...   the per-CPU part was left out                          FORBIDDEN
      111, <7   the counter accepted use after teardown                FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.TEARDOWN, ops = {Op.LOCAL_ADD, Op.UPGRADE})
@Outcome(id = "111, 7", expect = ACCEPTABLE, desc = "Exact final value; every later use refused.")
@Outcome(id = "111, .*", expect = FORBIDDEN, desc = "Exact final value, but a use after teardown was accepted.")
@Outcome(id = "110, .*", expect = FORBIDDEN, desc = "Teardown lost the owner's add (1).")
@Outcome(id = "101, .*", expect = FORBIDDEN, desc = "Teardown lost the lazy-mode other-path add (10).")
@Outcome(id = "11, .*", expect = FORBIDDEN, desc = "Teardown lost the per-CPU add (100).")
@Outcome(expect = FORBIDDEN, desc = "Teardown lost or doubled adds.")
@State
public class TeardownAfterUpdatersTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void owner() {
        Subject.ownerAddsLocal(cpus, counter, 1);
    }

    @Actor
    public void remoteUpgrading() {
        try (CpuSection cpu = cpus.enter(1)) {
            counter.addOther(cpu, 10);
            counter.upgrade();
            counter.addOther(cpu, 100);
        }
    }

    @Arbiter
    public void arbiter(JJ_Result r) {
        r.r1 = counter.destroy();
        r.r2 = refusedAdd() | refusedSum() | refusedSecondTeardown();
    }

    private long refusedAdd() {
        try (CpuSection cpu = cpus.enter(1)) {
            counter.addOther(cpu, 100);
            return 0;
        } catch (CounterDestroyedException expected) {
            return 1;
        }
    }

    private long refusedSum() {
        try {
            counter.sum();
            return 0;
        } catch (CounterDestroyedException expected) {
            return 2;
        }
    }

    private long refusedSecondTeardown() {
        try {
            counter.destroy();
            return 0;
        } catch (CounterDestroyedException expected) {
            return 4;
        }
    }
}
