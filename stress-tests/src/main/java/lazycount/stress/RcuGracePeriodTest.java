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
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/*
    Race.RCU_GRACE_PERIOD: the model's own machinery, the RCU domain the
    grace-period protocols are built on (the implementation's own domain if
    it builds one, Rcu.newDomainOf). Nothing of a counter is under test.

    A reader takes three read-side sections in a row, idle between them;
    each dereferences the published object and reads whether it was freed.
    The updater runs two grace periods (the reader may be idle during them),
    then publishes a new object, runs a third grace period, and frees the
    old one. A section that saw the old object began before the third grace
    period, which must wait for it: the free comes after the section ended,
    so no section sees the object it holds freed. A grace period that forgot
    a reader it found idle does not wait for that reader's later section.

    Results: (sections that saw their object freed, objects published).

      0, 2     no section saw a freed object                      ACCEPTABLE
      n, 2     a section used an object freed under it            FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.RCU_GRACE_PERIOD, ops = {Op.RCU_READ, Op.RCU_SYNC})
@Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "No read-side section saw its object freed.")
@Outcome(id = "[1-9], .*", expect = FORBIDDEN, desc = "A section that began before a grace period saw its object freed after it.")
@Outcome(expect = FORBIDDEN, desc = "The harness lost a publication.")
@State
public class RcuGracePeriodTest {

    /** An RCU-protected object; {@code freed} is the updater's kfree, read by sections that still hold it. */
    static final class Node {
        final long generation;
        int freed;

        Node(long generation) {
            this.generation = generation;
        }
    }

    private static final VarHandle CURRENT;
    private static final VarHandle FREED;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(RcuGracePeriodTest.class, "current", Node.class);
            FREED = MethodHandles.lookup().findVarHandle(Node.class, "freed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Rcu rcu = Rcu.newDomainOf(Subject.IMPL);
    @SuppressWarnings("unused") // accessed through CURRENT
    private Node current = new Node(1);

    @Actor
    public void reader(JJ_Result r) {
        long sawFreed = 0;
        for (int section = 0; section < 3; section++) {
            try (Rcu.ReadSection s = rcu.readLock()) {
                Node node = (Node) CURRENT.getAcquire(this);      // rcu_dereference
                sawFreed += (int) FREED.getOpaque(node);          // READ_ONCE(node->freed)
            }
        }
        r.r1 = sawFreed;
    }

    @Actor
    public void updater() {
        rcu.synchronize();
        rcu.synchronize();
        Node old = (Node) CURRENT.getAndSetRelease(this, new Node(2));   // rcu_replace_pointer (xchg_release)
        rcu.synchronize();
        FREED.setOpaque(old, 1);                                  // kfree(old): WRITE_ONCE(old->freed, 1)
    }

    @Arbiter
    public void arbiter(JJ_Result r) {
        r.r2 = ((Node) CURRENT.getAcquire(this)).generation;
    }
}
