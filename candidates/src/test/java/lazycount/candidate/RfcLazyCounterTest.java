package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import lazycount.candidate.RfcLazyCounter.Variant;
import lazycount.counter.CounterDestroyedException;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;
import lazycount.cpu.WrongCpuSectionException;
import lazycount.impl.CounterImplementation;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sequential behaviour of the {@code rfc} candidate (RFC v1 as posted,
 * {@code pongo1231/linux} @1081a970) and of {@code rfc-fixed}: the contract
 * every counter offers, and the RFC's properties that differ from it (the
 * parked residue, the tagged word read twice, the unlocked {@code upgrade_many}
 * with its WARN_ON and BUG_ON, the syncing sum only at teardown, the shared
 * allocation freed once). Races are the suite's business; these tests pin down
 * what each step does.
 */
class RfcLazyCounterTest {

    private static final int BATCH = 4;
    private final Cpus cpus = new Cpus(4);

    private RfcLazyCounter ownedByMe(Variant variant) {
        RfcLazyCounter c = RfcLazyCounter.of(variant, cpus, BATCH, UpgradePolicy.NEVER);
        c.bindOwner();
        return c;
    }

    private RfcLazyCounter[] fourOwnedByMe(Variant variant) {
        RfcLazyCounter[] four = new RfcLazyCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = ownedByMe(variant);
        }
        return four;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void startsLazyAndZeroWithTheTagBitSet(Variant variant) {
        RfcLazyCounter c = ownedByMe(variant);
        assertFalse(c.isPerCpu());
        assertEquals(0, c.read());
        assertEquals(0, c.sum());
        assertEquals(0, c.readErrorBound());
        assertEquals(1, c.rawRemoteWord());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void otherAddsAreTaggedAndLocalAddsStayInCount(Variant variant) throws Exception {
        RfcLazyCounter c = ownedByMe(variant);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
        OnCpu.inAnotherThread(cpus, 1, s -> c.addOther(s, 7));
        OnCpu.inAnotherThread(cpus, 2, s -> c.addOther(s, -2));
        assertEquals((5L << 1) | 1, c.rawRemoteWord(), "the remote sum (5), tagged");
        assertEquals(10, c.read());
        assertEquals(10, c.sum());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void sumWritesNeitherCountNorTheWord(Variant variant) {
        RfcLazyCounter c = ownedByMe(variant);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 3));
        assertEquals(8, c.sum());
        assertEquals(8, c.sum());
        assertEquals((3L << 1) | 1, c.rawRemoteWord(), "the word still holds the other-path 3 alone");
        assertEquals(8, c.read(), "so count still holds the owner's 5: (3) + 5");
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 1));
        assertEquals((3L << 1) | 1, c.rawRemoteWord());
        assertEquals(9, c.sum());
    }

    @Test
    void theRfcLazyReadAndSumAreTheWordLoadedAgainUntaggedPlusCount() {
        RfcLazyCounter c = ownedByMe(Variant.RFC);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 7));
        OnCpu.run(cpus, 0, s -> c.addOther(s, -2));
        assertEquals((c.rawRemoteWord() >> 1) + 7, c.read(), "remove_bias(atomic_long_read(&remote)) + count");
        assertEquals((c.rawRemoteWord() >> 1) + 7, c.sum());
        c.upgrade();
        long pointer = c.rawRemoteWord();
        assertEquals(0, pointer & 1, "after the exchange the word is the per-CPU pointer");
        // What the second load yields to a lazy read or sum whose mode check ran before the exchange:
        long garbage = (pointer >> 1) + 7;
        assertTrue(garbage > 1L << 40, "(pointer >> 1) + count: " + garbage);
        assertEquals(7, c.read(), "a read that sees the pointer at its mode check returns count alone");
        assertEquals(5, c.sum());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void localPathOfANonOwnerIsRefusedInLazyMode(Variant variant) {
        RfcLazyCounter c = ownedByMe(variant);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> OnCpu.inAnotherThread(cpus, 1, s -> c.addLocal(s, 1)));
        assertTrue(e.getCause() instanceof NotOwnerException, String.valueOf(e.getCause()));
        assertEquals(0, c.sum());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void upgradeIsIdempotentClearsTheTagAndKeepsTheValue(Variant variant) throws Exception {
        RfcLazyCounter c = ownedByMe(variant);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
        OnCpu.inAnotherThread(cpus, 1, s -> c.addOther(s, 100));
        assertTrue(c.upgrade());
        assertFalse(c.upgrade());
        assertEquals(0, c.warnings(), "RFC: the upgrade_many wrapper saw element 0 per-CPU and returned 0, no WARN");
        assertEquals(1, c.hotplugListJoins());
        assertTrue(c.isPerCpu());
        assertEquals(0, c.rawRemoteWord() & 1, "a per-CPU pointer has bit 0 clear");
        assertEquals(105, c.sum());
        OnCpu.run(cpus, 2, s -> c.addLocal(s, 1));
        OnCpu.inAnotherThread(cpus, 3, s -> c.addOther(s, 10));
        assertEquals(116, c.sum());
        assertTrue(Math.abs(c.read() - c.sum()) <= c.readErrorBound());
    }

    @Test
    void theRfcParksTheResidueInOneSlotWhereReadCannotSeeIt() {
        RfcLazyCounter c = ownedByMe(Variant.RFC);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 1000));
        assertTrue(c.upgrade());
        assertEquals(5, c.read(), "the owner's count became the central count; the 1000 is in a slot");
        assertEquals(1005, c.sum(), "percpu_counter_sum walks the slots");
        assertTrue(c.sum() - c.read() > (long) cpus.nrPossible() * (BATCH - 1),
                "beyond the percpu_counter bound nrCpus * (batch - 1)");
        assertEquals(cpus.nrPossible() * (BATCH - 1) + 1000, c.readErrorBound(),
                "declared bound: the percpu_counter bound plus the parked residue");
        for (int cpu = 0; cpu < cpus.nrPossible(); cpu++) {
            OnCpu.run(cpus, cpu, s -> c.addOther(s, 1));
        }
        assertEquals(5 + 1001, c.read(), "the add on the residue's CPU folded 1000 + 1; the other three wait in slots");
        assertEquals(1009, c.sum());
    }

    @Test
    void rfcFixedFoldsTheResidueIntoTheCentralCount() {
        RfcLazyCounter c = ownedByMe(Variant.FIXED);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 5));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 1000));
        c.upgrade();
        assertEquals(1005, c.read());
        assertEquals(1005, c.sum());
        assertEquals(cpus.nrPossible() * (BATCH - 1), c.readErrorBound());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void perCpuAddsCheckTheSection(Variant variant) {
        RfcLazyCounter c = ownedByMe(variant);
        c.upgrade();
        Cpus otherCpus = new Cpus(4);
        try (CpuSection foreign = otherCpus.enter(0)) {
            assertThrows(WrongCpuSectionException.class, () -> c.addOther(foreign, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void upgradeAllSharesOneAllocationOfFourS32Slots(Variant variant) {
        RfcLazyCounter[] four = fourOwnedByMe(variant);
        for (int i = 0; i < four.length; i++) {
            RfcLazyCounter c = four[i];
            int value = 10 * (i + 1);
            OnCpu.run(cpus, 1, s -> c.addOther(s, value));
        }
        RfcLazyCounter.upgradeAll(four);
        for (int i = 0; i < four.length; i++) {
            assertTrue(four[i].isPerCpu());
            assertEquals(10 * (i + 1), four[i].sum());
            assertEquals(four[0].rawRemoteWord() + 4L * i, four[i].rawRemoteWord(), "counter i at base + i * sizeof(s32)");
            assertEquals(1, four[i].hotplugListJoins());
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theSharedAllocationIsFreedOnceByItsBase(Variant variant) {
        RfcLazyCounter[] four = fourOwnedByMe(variant);
        RfcLazyCounter.upgradeAll(four);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, four[i].destroy());
            assertEquals(0, four[0].percpuFrees(), "still in use by the counters not destroyed yet");
        }
        assertEquals(0, four[3].destroy());
        assertEquals(1, four[0].percpuFrees(), "free_percpu(fbc[0].counters), once");
        assertEquals(0, four[0].interiorPointerFrees());
    }

    @Test
    void theRfcDestroySyncsCountIntoTheWordThenFreesNothingWhileLazy() {
        RfcLazyCounter c = ownedByMe(Variant.RFC);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 4));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 5));
        assertEquals(9, c.destroy(), "check_mm's lazy_percpu_counter_sum_local");
        assertEquals((9L << 1) | 1, c.rawRemoteWord(), "count went through the other path, then count = 0");
        assertEquals(0, c.percpuFrees(), "destroy_many does nothing for a lazy counter");
        assertEquals(0, c.hotplugListJoins());
    }

    @Test
    void theRfcDestroyOfAnUpgradedCounterSumsItsSlotsAndFreesOnce() {
        RfcLazyCounter c = ownedByMe(Variant.RFC);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 4));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 50));
        c.upgrade();
        long pointer = c.rawRemoteWord();
        OnCpu.run(cpus, 1, s -> c.addLocal(s, 2));
        assertEquals(56, c.destroy(), "percpu_counter_sum: count + every slot, the parked 50 included");
        assertEquals(pointer, c.rawRemoteWord(), "no sync once per-CPU");
        assertEquals(1, c.percpuFrees(), "its own allocation (upgrade_many of one), freed by its base");
        assertEquals(0, c.interiorPointerFrees());
    }

    @Test
    void theRfcUpgradeOfOneCounterIsUpgradeManyOfOne() {
        RfcLazyCounter c = ownedByMe(Variant.RFC);
        OnCpu.run(cpus, 0, s -> c.addOther(s, 3));
        assertTrue(c.upgrade());
        assertEquals(0, c.rawRemoteWord() & 0xfff, "the base of an allocation of its own");
        assertEquals(1, c.hotplugListJoins(), "cpu_hotplug_add_watchlist after the exchange");
        assertEquals(0, c.warnings());
        assertEquals(3, c.sum());
    }

    @Test
    void theRfcCopyMmLooksAtTheFirstCounterOnly() {
        RfcLazyCounter[] four = fourOwnedByMe(Variant.RFC);
        four[0].upgrade();
        RfcLazyCounter.upgradeAll(four);
        assertFalse(four[1].isPerCpu(), "copy_mm saw rss_stat[0] upgraded and skipped the others");
        assertEquals(0, four[0].warnings());
    }

    @Test
    void theRfcUpgradeManyWarnsOnAnUpgradedCounterThenBugs() {
        RfcLazyCounter[] four = fourOwnedByMe(Variant.RFC);
        for (int i = 0; i < four.length; i++) {
            RfcLazyCounter c = four[i];
            int value = 10 * (i + 1);
            OnCpu.run(cpus, 1, s -> c.addOther(s, value));
        }
        four[2].upgrade();
        long firstPointer = four[2].rawRemoteWord();
        assertThrows(RfcLazyCounter.KernelBugException.class, () -> RfcLazyCounter.upgradeAll(four));
        assertEquals(1, four[2].warnings(), "WARN_ON(lazy_percpu_counter_initialized(lpc)), then the exchange, then BUG_ON");
        assertTrue(four[2].rawRemoteWord() != firstPointer, "the exchange replaced the first upgrade's pointer");
        assertEquals(0, four[2].sum(), "the 30 parked in the first allocation's slots is lost");
        assertTrue(four[0].isPerCpu() && four[1].isPerCpu(), "counters before it were upgraded, residues parked");
        assertEquals(10, four[0].sum());
        assertEquals(20, four[1].sum());
        assertFalse(four[3].isPerCpu(), "the BUG_ON stopped the loop");
        assertEquals(40, four[3].sum());
        assertEquals(0, four[0].hotplugListJoins(), "the hotplug list is joined only after the loop");
        assertEquals(1, four[2].hotplugListJoins(), "its own upgrade's join");
    }

    @Test
    void theRfcInjectedEnomemChangesNothing() {
        RfcLazyCounter[] four = fourOwnedByMe(Variant.RFC);
        for (int i = 0; i < four.length; i++) {
            RfcLazyCounter c = four[i];
            int value = i + 1;
            OnCpu.run(cpus, 0, s -> c.addLocal(s, value));
            OnCpu.run(cpus, 1, s -> c.addOther(s, 100 * value));
        }
        cpus.injectAllocationFailures(AllocationFailures.next(2));
        assertThrows(PercpuAllocationException.class, () -> RfcLazyCounter.upgradeAll(four));
        assertThrows(PercpuAllocationException.class, four[1]::upgrade);
        cpus.injectAllocationFailures(AllocationFailures.NONE);
        for (int i = 0; i < four.length; i++) {
            assertFalse(four[i].isPerCpu());
            assertEquals((100L * (i + 1) << 1) | 1, four[i].rawRemoteWord());
            assertEquals(101 * (i + 1), four[i].sum());
            assertEquals(0, four[i].hotplugListJoins());
            assertEquals(0, four[i].warnings());
        }
        RfcLazyCounter.upgradeAll(four);
        assertEquals(202, four[1].sum());
    }

    @Test
    void rfcFixedUpgradeAllSkipsCountersAlreadyPerCpu() {
        RfcLazyCounter[] four = fourOwnedByMe(Variant.FIXED);
        OnCpu.run(cpus, 0, s -> four[2].addOther(s, 7));
        four[2].upgrade();
        RfcLazyCounter.upgradeAll(four);
        for (RfcLazyCounter c : four) {
            assertTrue(c.isPerCpu());
        }
        assertEquals(7, four[2].sum());
        assertEquals(1, four[2].hotplugListJoins());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void aRefusedAllocatorLeavesTheCounterLazyAndIntact(Variant variant) {
        RfcLazyCounter c = RfcLazyCounter.of(variant, cpus, BATCH, UpgradePolicy.NEVER, (x, n) -> false);
        c.bindOwner();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 3));
        assertThrows(RfcLazyCounter.UpgradeEnomemException.class, c::upgrade);
        assertFalse(c.isPerCpu());
        assertEquals(3, c.sum());
        assertEquals(0, c.hotplugListJoins());
    }

    @Test
    void rfcFixedRefusesAForeignUpgradeByNameAndChangesNothing() throws Exception {
        RfcLazyCounter c = ownedByMe(Variant.FIXED);
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 3));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 7));
        ExecutionException e = assertThrows(ExecutionException.class, () -> OtherThread.run(c::upgrade));
        assertTrue(e.getCause() instanceof NotOwnerException, e.getCause().toString());
        assertTrue(e.getCause().getMessage().contains("only in copy_mm"), e.getCause().getMessage());
        assertFalse(c.isPerCpu());
        assertEquals(0, c.hotplugListJoins(), "refused before the allocation and the list");
        assertEquals(10, c.sum());
        assertTrue(c.upgrade(), "the owner may");
        assertEquals(10, c.read());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theTaggedWordWrapsItsRemoteSumModulo2To63(Variant variant) {
        RfcLazyCounter c = ownedByMe(variant);
        OnCpu.run(cpus, 0, s -> c.addOther(s, RfcLazyCounter.TAG_MAX));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 1));
        assertFalse(c.isPerCpu());
        assertEquals(RfcLazyCounter.TAG_MIN, c.read(), "2^62 wrapped to -2^62 in the tagged word");
    }

    @Test
    void bothVariantsDeclareTheSixtyThreeValueBitsOfTheTag() {
        assertEquals(63, new RfcImplementation().valueBits());
        assertEquals(63, new RfcFixedImplementation().valueBits());
        assertEquals(-(1L << 62), RfcLazyCounter.TAG_MIN);
        assertEquals((1L << 62) - 1, RfcLazyCounter.TAG_MAX);
    }

    @Test
    void theRfcPolicyUpgradesInTheOtherContext() throws Exception {
        RfcLazyCounter c = RfcLazyCounter.of(Variant.RFC, cpus, BATCH, UpgradePolicy.afterOtherUpdates(2));
        c.bindOwner();
        // Preemptible other contexts (no CPU section): upgrade_many allocates with a gfp that may sleep.
        OtherThread.run(() -> c.addOther(null, 1));
        assertFalse(c.isPerCpu());
        OtherThread.run(() -> c.addOther(null, 1));
        assertTrue(c.isPerCpu(), "the policy's upgrade is upgrade_many of this one counter");
        assertEquals(1, c.hotplugListJoins());
        assertEquals(2, c.sum());
    }

    @Test
    void rfcFixedPolicyUpgradesOnlyInTheOwner() throws Exception {
        RfcLazyCounter c = RfcLazyCounter.of(Variant.FIXED, cpus, BATCH, UpgradePolicy.afterOtherUpdates(1));
        c.bindOwner();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 1));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> OnCpu.inAnotherThread(cpus, 1, s -> c.addOther(s, 10)));
        assertTrue(e.getCause() instanceof NotOwnerException, "beyond rss_stat's contract: " + e.getCause());
        assertFalse(c.isPerCpu());
        assertEquals(11, c.sum(), "the add landed before the policy's upgrade was refused");

        RfcLazyCounter mine = RfcLazyCounter.of(Variant.FIXED, cpus, BATCH, UpgradePolicy.afterOtherUpdates(1));
        mine.bindOwner();
        OnCpu.run(cpus, 0, s -> mine.addLocal(s, 1));
        OnCpu.run(cpus, 1, s -> mine.addOther(s, 10));
        assertTrue(mine.isPerCpu(), "the owner's own other-path add triggered it");
        assertEquals(11, mine.read(), "the residue 10 joined count");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void destroyReturnsTheExactValueOnceAndRefusesEverythingAfter(Variant variant) {
        RfcLazyCounter lazy = ownedByMe(variant);
        OnCpu.run(cpus, 0, s -> lazy.addLocal(s, 4));
        OnCpu.run(cpus, 0, s -> lazy.addOther(s, 5));
        assertEquals(9, lazy.destroy());
        assertTrue(lazy.isDestroyed());
        assertThrows(CounterDestroyedException.class, lazy::destroy);
        assertThrows(CounterDestroyedException.class, lazy::read);
        assertThrows(CounterDestroyedException.class, lazy::upgrade);
        assertThrows(CounterDestroyedException.class, () -> OnCpu.run(cpus, 0, s -> lazy.addOther(s, 1)));

        RfcLazyCounter upgraded = ownedByMe(variant);
        OnCpu.run(cpus, 0, s -> upgraded.addOther(s, 50));
        upgraded.upgrade();
        OnCpu.run(cpus, 1, s -> upgraded.addLocal(s, 2));
        assertEquals(52, upgraded.destroy());
    }

    @Test
    void implementationsAreCandidatesNamedRfcAndRfcFixed() {
        CounterImplementation rfc = new RfcImplementation();
        CounterImplementation fixed = new RfcFixedImplementation();
        assertEquals("rfc", rfc.name());
        assertEquals("rfc-fixed", fixed.name());
        assertEquals(CounterImplementation.Kind.CANDIDATE, rfc.kind());
        assertEquals(CounterImplementation.Kind.CANDIDATE, fixed.kind());
        RssCounter c = rfc.newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        assertTrue(c instanceof RfcLazyCounter && ((RfcLazyCounter) c).variant() == Variant.RFC);
        RssCounter f = fixed.newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        assertTrue(f instanceof RfcLazyCounter && ((RfcLazyCounter) f).variant() == Variant.FIXED);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void anMmLivesForkClonesAndExitsWithExactCounters(Variant variant) throws Exception {
        CounterImplementation impl = variant == Variant.RFC ? new RfcImplementation() : new RfcFixedImplementation();
        long[] seen = new long[3];
        OtherThread.run(() -> {
            Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
            OnCpu.run(cpus, 0, s -> mm.add(s, RssMember.ANONPAGES, 1000));
            OnCpu.run(cpus, 0, s -> mm.addRemote(s, RssMember.FILEPAGES, 300));
            Thread second = new Thread(() -> OnCpu.run(cpus, 2, s -> mm.exit(s)), "second-task");
            mm.cloneVm(second);
            seen[0] = mm.get(RssMember.FILEPAGES);
            seen[1] = mm.sum(RssMember.FILEPAGES);
            OnCpu.run(cpus, 1, s -> mm.add(s, RssMember.ANONPAGES, -1));
            OnCpu.run(cpus, 0, s -> mm.exit(s));
            second.start();
            try {
                second.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            seen[2] = mm.checkMmReport().size();
        });
        assertEquals(variant == Variant.RFC ? 0 : 300, seen[0],
                "get_mm_counter after CLONE_VM: the RFC parks the other-path 300 in a slot");
        assertEquals(300, seen[1]);
        assertEquals(0, seen[2], "check_mm found every counter exact");
    }
}
