package lazycount.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.impl.UnderTest;
import lazycount.counter.BatchedCounter;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.rss.Mm;
import lazycount.rss.MmMisuseException;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.Threads;
import org.junit.jupiter.api.Test;

/** Tiny deterministic sequences showing the wrong value of each sequential mutant, and the reference's right one. */
class SequentialBugsTest {

    private static final CounterImplementation REFERENCE = Implementations.byName("reference");

    @Test
    void foldSubtractsWrongAmountCancelsTheFoldingAdd() {
        // batch 4: +3 stays in the slot, +2 folds (count 5): central 5, slot must become 0.
        assertEquals(5, addThenSum(REFERENCE, 1, 3, 2));
        assertEquals(3, addThenSum(Implementations.byName("fold-subtracts-wrong-amount"), 1, 3, 2));
    }

    @Test
    void sumSkipsCentralMissesWhatWasFolded() {
        assertEquals(5, addThenSum(REFERENCE, 1, 3, 2));
        assertEquals(0, addThenSum(Implementations.byName("sum-skips-central"), 1, 3, 2));
    }

    @Test
    void sumSkipsLastCpuMissesItsSlot() {
        // one add of 1 on CPU 1 of 2: it stays in the slot of the last CPU.
        assertEquals(1, addOnLastCpuThenSum(REFERENCE));
        assertEquals(0, addOnLastCpuThenSum(Implementations.byName("sum-skips-last-cpu")));
    }

    @Test
    void destroyForgetsLazyResidueLosesWhatWasAddedBeforeTheUpgrade() {
        assertEquals(7, addUpgradeDestroy(REFERENCE));
        assertEquals(0, addUpgradeDestroy(Implementations.byName("destroy-forgets-lazy-residue")));
    }

    @Test
    void destroyForgetsLazyResidueShowsInCheckMm() {
        assertTrue(execAddCloneExit(REFERENCE).isEmpty());
        assertEquals(1, execAddCloneExit(Implementations.byName("destroy-forgets-lazy-residue")).size());
    }

    /** Not a counting bug alone: a remote reference outliving the last task is enough to see it. */
    @Test
    void teardownIgnoresRemoteRefsTearsDownUnderAHeldReference() {
        assertFalse(lastTaskExitsWhileRemoteHoldsReference(REFERENCE));
        assertTrue(lastTaskExitsWhileRemoteHoldsReference(Implementations.byName("teardown-ignores-remote-refs")));
    }

    /** The rule itself is visible single-threaded: after CLONE_VM the counters must be per-CPU. */
    @Test
    void cloneVmWithoutUpgradeLeavesTheCountersLazy() {
        assertTrue(upgradedByCloneVm(REFERENCE));
        assertFalse(upgradedByCloneVm(Implementations.byName("clone-vm-without-upgrade")));
    }

    /** The misuse the reference refuses is accepted silently. */
    @Test
    void noOwnerCheckAcceptsANonOwnerOnTheLocalPath() {
        Cpus cpus = new Cpus(2);
        RssCounter reference = REFERENCE.newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        RssCounter mutant = Implementations.byName("no-owner-check").newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        reference.bindOwner();
        mutant.bindOwner();
        Threads.runOnNewThread("intruder", () -> {
            try (CpuSection s = cpus.enter(1)) {
                assertThrows(NotOwnerException.class, () -> reference.addLocal(s, 1));
                mutant.addLocal(s, 1);
            }
        });
        assertEquals(1, mutant.sum());
    }

    private static long addThenSum(CounterImplementation impl, int cpu, long... deltas) {
        Cpus cpus = new Cpus(2);
        BatchedCounter c = impl.newPercpuCounter(cpus, 4);
        try (CpuSection s = cpus.enter(cpu)) {
            for (long d : deltas) {
                c.add(s, d);
            }
        }
        return c.sum();
    }

    private static long addOnLastCpuThenSum(CounterImplementation impl) {
        Cpus cpus = new Cpus(2);
        BatchedCounter c = impl.newPercpuCounter(cpus, 32);
        try (CpuSection s = cpus.enter(1)) {
            c.add(s, 1);
        }
        return c.sum();
    }

    private static long addUpgradeDestroy(CounterImplementation impl) {
        Cpus cpus = new Cpus(2);
        RssCounter c = impl.newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        c.bindOwner();
        try (CpuSection s = cpus.enter(0)) {
            c.addLocal(s, 7);
        }
        c.upgrade();
        return c.destroy();
    }

    private static java.util.List<String> execAddCloneExit(CounterImplementation impl) {
        Cpus cpus = new Cpus(2);
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, UnderTest.policy());
        Thread second = new Thread(() -> {
            try (CpuSection s = cpus.enter(1)) {
                mm.exit(s);
            }
        }, "second-task");
        try (CpuSection s = cpus.enter(0)) {
            mm.add(s, RssMember.ANONPAGES, 3);
            mm.cloneVm(second);
        }
        second.start();
        Threads.join(second);
        try (CpuSection s = cpus.enter(0)) {
            mm.exit(s);
        }
        return mm.checkMmReport();
    }

    private static boolean lastTaskExitsWhileRemoteHoldsReference(CounterImplementation impl) {
        Cpus cpus = new Cpus(2);
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, UnderTest.policy());
        assertTrue(mm.mmgetNotZero());
        boolean tornDownAtExit;
        try (CpuSection s = cpus.enter(0)) {
            tornDownAtExit = mm.exit(s);
        }
        if (!tornDownAtExit) {
            try (CpuSection s = cpus.enter(1)) {
                mm.addRemote(s, RssMember.ANONPAGES, 1);
                mm.addRemote(s, RssMember.ANONPAGES, -1);
                assertTrue(mm.mmput(s));
            }
            assertTrue(mm.checkMmReport().isEmpty());
        } else {
            try (CpuSection s = cpus.enter(1)) {
                assertThrows(MmMisuseException.class, () -> mm.addRemote(s, RssMember.ANONPAGES, 1));
            }
        }
        return tornDownAtExit;
    }

    private static boolean upgradedByCloneVm(CounterImplementation impl) {
        Cpus cpus = new Cpus(2);
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, UnderTest.policy());
        mm.cloneVm(new Thread(() -> { }, "never-started"));
        return mm.counter(RssMember.ANONPAGES).isPerCpu();
    }
}
