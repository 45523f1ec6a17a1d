package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.candidate.Rcu;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/*
    Race.RCU_GRACE_PERIOD, the store-buffering step of the grace-period
    argument (Rcu's design notes, case 2), on real hardware: the model's own
    machinery (the implementation's own RCU domain if it builds one,
    Rcu.newDomainOf). Nothing of a counter is under test.

    The reader takes an empty section (so that it is registered and idle when
    the first grace period runs), then a section that reads X and writes Y.
    The updater runs a grace period, stores X = 1, runs a second grace period
    and reads Y. The reader's entry is "store its snapshot; smp_mb(); read X",
    the updater's "store X; smp_mb(); read the snapshot": if the section read
    X = 0 it began before the second grace period, which then had to see its
    snapshot and wait for it, so the section's write of Y happens-before the
    updater's read of Y.

    What this can see on x86 (TSO): exactly the store-load reordering, so an
    entry whose snapshot store is a plain store (WRITE_ONCE, setOpaque or
    setRelease) with no smp_mb() after it. It cannot see an entry that kept a
    volatile store and lost only the fence (HotSpot emits a volatile store with
    its own trailing locked instruction on x86), nor anything else a weaker
    architecture would reorder: REPORT.md, issue #32's section, says what was
    measured. A grace period that forgot the reader while it was idle
    (rcu-forgets-idle-readers) shows here as the same outcome by interleaving.

    Results: (the section's read of X, the updater's read of Y after its second grace period).

      1, *     the section began after X = 1 was visible         ACCEPTABLE
      0, 1     the grace period waited for the section           ACCEPTABLE
      0, 0     a section that began before the grace period      FORBIDDEN
               ended after it
 */
@JCStressTest
@Checks(value = Race.RCU_GRACE_PERIOD, ops = {Op.RCU_READ, Op.RCU_SYNC})
@Outcome(id = {"1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "The section began after X = 1 was visible.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The section began before the grace period, which waited for it.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "A section that saw X = 0 ended after the grace period that had to wait for it.")
@State
public class RcuReaderEntryOrderTest {

    private static final VarHandle X;
    private static final VarHandle Y;

    static {
        try {
            X = MethodHandles.lookup().findVarHandle(RcuReaderEntryOrderTest.class, "x", int.class);
            Y = MethodHandles.lookup().findVarHandle(RcuReaderEntryOrderTest.class, "y", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Rcu rcu = Rcu.newDomainOf(Subject.IMPL);
    @SuppressWarnings("unused") // accessed through X
    private int x;
    @SuppressWarnings("unused") // accessed through Y
    private int y;

    @Actor
    public void reader(JJ_Result r) {
        try (Rcu.ReadSection idleAfter = rcu.readLock()) {
            // registered; idle until the next section
        }
        try (Rcu.ReadSection s = rcu.readLock()) {
            r.r1 = (int) X.getAcquire(this);                     // rcu_dereference(gp)
            Y.setOpaque(this, 1);                                 // WRITE_ONCE(*p, 1) inside the section
        }
    }

    @Actor
    public void updater(JJ_Result r) {
        rcu.synchronize();
        X.setRelease(this, 1);                                    // rcu_assign_pointer(gp, new)
        rcu.synchronize();
        r.r2 = (int) Y.getOpaque(this);                           // READ_ONCE after the grace period
    }
}
