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
    Race.LOCAL_OTHER: a local add and an other-path add on a counter in
    lazy mode, which never upgrades here.

    The owning task adds 1 with plain arithmetic on its word while a remote
    context (khugepaged, the OOM reaper) adds 10 with an atomic. Neither may
    overwrite the other: the deltas are different decimal digits, so the sum
    says which add was lost (units: the local one, tens: the other one) or
    counted twice.

    The arbiter records the precise sum, whether a quiescent read() is within
    the documented bound of it (1 = yes), and the value the teardown returns,
    so a broken teardown walk shows apart from a broken live sum.

      11, 1, 11    both adds counted once, everywhere                 ACCEPTABLE
      10, 1, 10    the local add was lost                              FORBIDDEN
       1, 1,  1    the other-path add was lost (e.g. overwritten by
                   a non-atomic update of a shared word)               FORBIDDEN
      11, x,  y    live sum exact but read or teardown is not          FORBIDDEN
    anything else  an add counted twice or a torn value                FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.LOCAL_OTHER)
@Outcome(id = "11, 1, 11", expect = ACCEPTABLE, desc = "Both adds counted exactly once.")
@Outcome(id = "10, .*", expect = FORBIDDEN, desc = "The local add (1) was lost.")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "The other-path add (10) was lost.")
@Outcome(id = "11, .*", expect = FORBIDDEN, desc = "The sum is exact, but read() is out of bound or teardown is wrong.")
@Outcome(expect = FORBIDDEN, desc = "An add was counted twice, or a value was torn.")
@State
public class LazyLocalOtherTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void owner() {
        Subject.ownerAddsLocal(cpus, counter, 1);
    }

    @Actor
    public void remote() {
        Subject.remoteAddsOther(cpus, 1, counter, 10);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        Subject.recordQuiet(counter, r);
    }
}
