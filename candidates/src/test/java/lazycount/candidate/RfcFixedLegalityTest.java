package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AtomicContext;
import lazycount.cpu.Cpus;
import lazycount.cpu.SleepInAtomicException;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernel legality of the protocols: the legal {@code rfc-fixed} sleeps under
 * no lock; the earlier {@code rfc-fixed}, which waited {@code synchronize_rcu()}
 * under {@code fbc->lock} for a foreign upgrade, is kept here as its one
 * override of the legal counter and refused by name; the RCU model's
 * read-side sections and grace periods take part in the atomic context; and
 * every protocol's mm lifecycle runs with nothing refused.
 */
class RfcFixedLegalityTest {

    private static final int BATCH = 4;
    private final Cpus cpus = new Cpus(4);

    /**
     * The earlier {@code rfc-fixed} (any context may upgrade): between the
     * exchange and the residue's fold, under {@code fbc->lock}, it waited a
     * grace period for an owner's plain add in flight. Illegal: the kernel
     * would splat "BUG: sleeping function called from invalid context".
     */
    static final class WaitsForTheOwnerUnderTheLock extends RfcFixedLazyCounter {
        private final Rcu rcu = new Rcu();

        WaitsForTheOwnerUnderTheLock(Cpus cpus) {
            super(cpus, BATCH, UpgradePolicy.NEVER);
        }

        @Override
        protected void foldResidue(RemoteWord old) {
            rcu.synchronize();                                    // BUG: synchronize_rcu() under fbc->lock
            super.foldResidue(old);
        }
    }

    @Test
    void synchronizeRcuUnderFbcLockIsRefusedByName() {
        WaitsForTheOwnerUnderTheLock c = new WaitsForTheOwnerUnderTheLock(cpus);
        c.bindOwner();
        OnCpu.run(cpus, 0, s -> c.addOther(s, 7));
        SleepInAtomicException e = assertThrows(SleepInAtomicException.class, c::upgrade);
        String m = e.getMessage();
        assertTrue(m.startsWith("BUG: sleeping function called from invalid context: synchronize_rcu()"), m);
        assertTrue(m.contains("holding spinlock fbc->lock"), m);
        assertFalse(AtomicContext.inAtomic(), "the lock was released on the way out");
    }

    @Test
    void theLegalUpgradeSleepsUnderNoLock() {
        RfcLazyCounter[] four = new RfcLazyCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = new RfcFixedLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
            four[i].bindOwner();
            RfcLazyCounter c = four[i];
            int value = 100 * (i + 1);
            OnCpu.run(cpus, 1, s -> c.addOther(s, value));
            OnCpu.run(cpus, 0, s -> c.addLocal(s, 1));
        }
        RfcLazyCounter.upgradeAll(four);                          // copy_mm: GFP_KERNEL, the list, then fbc->lock
        for (int i = 0; i < four.length; i++) {
            assertTrue(four[i].isPerCpu());
            assertEquals(100 * (i + 1) + 1, four[i].read(), "the residue was folded into count");
            assertEquals(1, four[i].hotplugListJoins());
        }
    }

    @Test
    void theLegalUpgradeInsideAnAtomicContextIsRefusedAtItsAllocation() {
        RfcLazyCounter c = new RfcFixedLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        c.bindOwner();
        try (AtomicContext.Held ptl = AtomicContext.spinLock(Mm.PTL)) {
            SleepInAtomicException e = assertThrows(SleepInAtomicException.class, c::upgrade);
            assertTrue(e.getMessage().contains("alloc_percpu(GFP_KERNEL)") && e.getMessage().contains("pte_offset_map_lock"),
                    e.getMessage());
        }
        assertFalse(c.isPerCpu());
        assertEquals(0, c.hotplugListJoins(), "refused before anything changed");
    }

    @Test
    void aHotplugFoldDuringTheLegalUpgradeFindsTheCounterListedAndLazyAndSkipsIt() {
        RfcLazyCounter c = new RfcFixedLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        c.bindOwner();
        OnCpu.run(cpus, 0, s -> c.addOther(s, 5));
        c.joinHotplugList();                                      // as upgradeMany does before publishing
        cpus.takeDown(2);                                         // percpu_counter_cpu_dead: lazy, skipped
        assertEquals(5, c.sum());
    }

    @Test
    void synchronizeRcuInAnotherDomainsReadSectionIsRefusedNamingIt() {
        Rcu reader = new Rcu();
        Rcu updater = new Rcu();
        try (Rcu.ReadSection section = reader.readLock()) {
            SleepInAtomicException e = assertThrows(SleepInAtomicException.class, updater::synchronize);
            assertTrue(e.getMessage().contains("inside the RCU read-side section of " + reader), e.getMessage());
        }
        updater.synchronize();                                    // legal once the section is over
    }

    @Test
    void synchronizeRcuUnderASpinlockIsRefused() {
        try (AtomicContext.Held lock = AtomicContext.spinLock("fbc->lock (raw_spin_lock_irqsave)")) {
            assertThrows(SleepInAtomicException.class, () -> new Rcu().synchronize());
        }
    }

    @Test
    void theGracePeriodPolicyUpgradeIsLegalInProcessContextOnly() throws Exception {
        RssCounter c = new GracePeriodImplementation().newLazyCounter(cpus, BATCH, UpgradePolicy.afterOtherUpdates(1));
        c.bindOwner();
        OtherThread.run(() -> {
            try (AtomicContext.Held lock = AtomicContext.spinLock("a caller's spinlock")) {
                OnCpu.run(cpus, 1, s -> assertThrows(SleepInAtomicException.class, () -> c.addOther(s, 1),
                        "its policy upgrade waits a grace period inside the add"));
            }
        });
        RssCounter d = new GracePeriodImplementation().newLazyCounter(cpus, BATCH, UpgradePolicy.afterOtherUpdates(1));
        d.bindOwner();
        OnCpu.inAnotherThread(cpus, 1, s -> d.addOther(s, 1));
        assertTrue(d.isPerCpu());
    }

    static List<CounterImplementation> implementations() {
        return Implementations.all().stream().filter(i -> i.kind() != CounterImplementation.Kind.MUTANT).toList();
    }

    /** Every protocol's mm lifecycle, on each design: no sleeping call in atomic context anywhere. */
    @ParameterizedTest
    @MethodSource("implementations")
    void everyProtocolsMmLifecycleIsLegal(CounterImplementation impl) throws Exception {
        for (RssDesign design : RssDesign.values()) {
            OtherThread.run(() -> {
                Mm mm = Mm.exec(impl, cpus, design);
                OnCpu.run(cpus, 0, s -> mm.add(s, RssMember.ANONPAGES, 10));
                OnCpu.run(cpus, 1, s -> mm.addRemote(s, RssMember.FILEPAGES, 5));
                OnCpu.run(cpus, 0, s -> {
                    Mm child = mm.fork(s);
                    child.mmput(s);
                });
                mm.cloneVm(new Thread("second task"));
                OnCpu.run(cpus, 2, s -> mm.add(s, RssMember.ANONPAGES, 20));
                cpus.takeDown(3);
                assertEquals(30, mm.sum(RssMember.ANONPAGES), impl.name() + " " + design);
                cpus.bringUp(3);
                assertFalse(AtomicContext.inAtomic());
            });
        }
    }
}
