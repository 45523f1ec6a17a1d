package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Race;
import lazycount.counter.NotOwnerException;
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
    Race.LOCAL_SINGLE_WRITER, the precondition of Race.LOCAL_OTHER: in lazy mode the local word has a
    single writer, the owning task. That is what makes its plain
    read-modify-write safe, so the counter must enforce it.

    The owner binds itself and adds 1 on the local path. Concurrently a thread
    that is not the owner also calls the local path with 10, as a caller that
    forgot current->mm != mm would. It must be refused (NotOwnerException),
    whether it comes before or after the owner binds, and the refused add must
    leave no trace.

    Results: (intruder refused: 1 = yes, final sum).

      1, 1     intruder refused, the owner's add counted            ACCEPTABLE
      0, 11    intruder accepted: two writers on a plain word;
               this time nothing was lost, next time it will be      FORBIDDEN
      0, 1     intruder accepted and its add lost                    FORBIDDEN
      0, 10    intruder accepted and overwrote the owner's add       FORBIDDEN
      1, x     intruder refused but the owner's add is wrong         FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.LOCAL_SINGLE_WRITER)
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The non-owner was refused; the owner's add counted once.")
@Outcome(id = "0, 11", expect = FORBIDDEN, desc = "A non-owner was allowed on the local path (no add lost this time).")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "A non-owner was allowed on the local path and an add was lost.")
@Outcome(expect = FORBIDDEN, desc = "The non-owner was refused, but the owner's add was lost or doubled.")
@State
public class LocalPathSingleWriterTest {

    private final Cpus cpus = Subject.cpus(2);
    private final RssCounter counter = Subject.lazyCounter(cpus, UpgradePolicy.NEVER);

    @Actor
    public void owner() {
        Subject.ownerAddsLocal(cpus, counter, 1);
    }

    @Actor
    public void intruder(JJ_Result r) {
        try (CpuSection cpu = cpus.enter(1)) {
            counter.addLocal(cpu, 10);
            r.r1 = 0;
        } catch (NotOwnerException expected) {
            r.r1 = 1;
        }
    }

    @Arbiter
    public void arbiter(JJ_Result r) {
        r.r2 = counter.sum();
    }
}
