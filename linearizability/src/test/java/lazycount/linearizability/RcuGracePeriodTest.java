package lazycount.linearizability;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import lazycount.candidate.Rcu;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.impl.UnderTest;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * The model's own machinery ({@link Race#RCU_GRACE_PERIOD}): the RCU domain the
 * grace-period protocols are built on (the implementation's own if it builds
 * one, {@link Rcu#newDomainOf}), under the model checker, with readers that
 * come and go and several grace periods in the domain's life.
 *
 * <p>A reader's section dereferences the published node and checks, inside the
 * section, that it was not freed. An update replaces the node (an atomic
 * exchange, so concurrent updaters each free their own), waits a grace period
 * and frees the old node. Every operation runs on any thread, so a thread's
 * reader is idle between its sections while other threads' grace periods run,
 * and two updaters' grace periods overlap. A section that still holds a node
 * when it is freed is a grace period that did not wait for a reader that began
 * before it.
 */
@Checks(value = Race.RCU_GRACE_PERIOD, everyPair = true, ops = {Op.RCU_READ, Op.RCU_SYNC})
public class RcuGracePeriodTest extends LincheckCheck {

    /** An RCU-protected node; {@code freed} is the updater's kfree. */
    static final class Node {
        final AtomicInteger freed = new AtomicInteger();
    }

    private final Rcu rcu = Rcu.newDomainOf(UnderTest.implementation());
    private final AtomicReference<Node> current = new AtomicReference<>(new Node());

    @Operation
    public void readSection() {
        try (Rcu.ReadSection s = rcu.readLock()) {
            Node node = current.get();                            // rcu_dereference
            RssCounterHarness.require(node.freed.get() == 0, "a read-side section holds a node that an updater freed"
                    + " after a grace period: the grace period did not wait for a section that began before it");
        }
    }

    @Operation
    public void update() {
        Node old = current.getAndSet(new Node());                 // rcu_replace_pointer
        rcu.synchronize();
        old.freed.set(1);                                         // kfree(old)
    }

    /** Sections and updates return nothing (a freed node seen throws). */
    public static class Spec {
        public void readSection() {
        }

        public void update() {
        }
    }

    /** Few scenarios: two operations; the model checker enumerates each scenario's interleavings. */
    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 3, 4).scenarios(5, 3).wholeWhenQuick();   // a reader idle then reading again needs every scenario
    }
}
