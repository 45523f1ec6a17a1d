package lazycount.tree;

import static lazycount.testing.Messages.assertNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;
import lazycount.cpu.WrongCpuSectionException;
import lazycount.testing.OnCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sequential contract of {@link PercpuCounterTree} and {@link TreeTopology}. */
class PercpuCounterTreeTest {

    private static void onCpu(Cpus cpus, int cpu, Consumer<CpuSection> body) {
        OnCpu.run(cpus, cpu, body);
    }

    /** The settled-tree contract: precise exact, approximate within [precise - under, precise + over]. */
    static void assertSettled(PercpuCounterTree t, long expected) {
        assertEquals(expected, t.preciseSum(), "precise sum of a settled tree");
        long approx = t.approximateSum();
        PercpuCounterTree.AccuracyRange r = t.accuracyRange();
        assertTrue(approx - (expected - r.under()) >= 0, () -> "approx " + approx + " below precise " + expected
                + " - under " + r.under() + " on " + t);
        assertTrue(approx - (expected + r.over()) <= 0, () -> "approx " + approx + " above precise " + expected
                + " + over " + r.over() + " on " + t);
    }

    @Test
    void topologyTableAgreesWithItsDerivation() {
        for (int order = 0; order < TreeTopology.NR_ITEMS.length; order++) {
            TreeTopology t = TreeTopology.forNrCpus(1 << order);
            assertEquals(TreeTopology.NR_ITEMS[order], t.nrItems(), "nr_items of order " + order);
            assertEquals(order, t.nrCpusOrder());
            assertTrue(t.nrLevels() <= TreeTopology.MAX_NR_LEVELS);
        }
        assertEquals(2, TreeTopology.forNrCpus(3).nrCpusOrder());  // get_count_order rounds up
        assertEquals(0, TreeTopology.forNrCpus(1).itemsSizeBytes());
        assertEquals(7 * 64, TreeTopology.forNrCpus(16).itemsSizeBytes());
        // calculate_accuracy_topology: nr_levels * 2^order (each level contributes 2^order).
        assertEquals(3 * 16, TreeTopology.forNrCpus(16).accuracyMultiplier());
        assertEquals(4 * 1024, TreeTopology.forNrCpus(1024).accuracyMultiplier());
        assertEquals(0, TreeTopology.forNrCpus(1).accuracyMultiplier());
    }

    @Test
    void customTopologiesFollowTheTablesRules() {
        assertEquals(TreeTopology.forNrCpus(16), TreeTopology.of(4, 2, 1, 1));
        assertEquals(4 + 1, TreeTopology.of(4, 2, 2).nrItems());
        assertNames(assertThrows(IllegalArgumentException.class, () -> TreeTopology.of(4, 2, 1)).getMessage(),
                "sums to 3", "order 4");
        assertNames(assertThrows(IllegalArgumentException.class, () -> TreeTopology.of(6, 1, 1, 1, 1, 1, 1))
                .getMessage(), "MAX_NR_LEVELS");
        assertNames(assertThrows(IllegalArgumentException.class, () -> TreeTopology.of(2, 2, 0)).getMessage(),
                "n_arity_order");
    }

    @Test
    void addsBelowTheBatchStayAtLevelZero() {
        Cpus cpus = new Cpus(4);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 8);
        onCpu(cpus, 2, s -> t.add(s, 7));
        assertEquals(7, t.level0Of(2));
        assertEquals(0, t.approximateSum());
        assertEquals(7, t.preciseSum());
    }

    @Test
    void carriesReachTheRootThroughSharedItems() {
        Cpus cpus = new Cpus(4);                                  // order 2: {1, 1}, items: 2 at level 1, root
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 4);
        onCpu(cpus, 0, s -> t.add(s, 4));                         // level 0 carries 4 to item cpu & 1 = 0
        assertEquals(4, t.itemOf(0));
        assertEquals(0, t.approximateSum(), "item 0 holds 4 < its bit 8: no carry yet");
        onCpu(cpus, 2, s -> t.add(s, 4));                         // CPU 2 shares item 0: 8 crosses bit 8
        assertEquals(8, t.approximateSum());
        assertEquals(8, t.itemOf(2), "the root is the last item");
        onCpu(cpus, 1, s -> t.add(s, -4));                        // item 1 goes to -4: bit 8 flips, carry -8
        assertEquals(0, t.approximateSum());
        assertSettled(t, 4);
    }

    @Test
    void largeIncrementsCarryWholeMultiplesAtOnce() {
        Cpus cpus = new Cpus(2);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 32);
        onCpu(cpus, 1, s -> t.add(s, 1000));
        assertEquals(992, t.approximateSum());                    // 1000 rounded down to a multiple of 32
        onCpu(cpus, 1, s -> t.add(s, -1000));
        assertEquals(0, t.approximateSum());
        assertSettled(t, 0);
    }

    @Test
    void oneCpuTreeIsExactAndReadsCpuZerosLevelZero() {
        Cpus cpus = new Cpus(1);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 32);
        onCpu(cpus, 0, s -> t.add(s, 12345));
        assertEquals(12345, t.approximateSum());
        assertEquals(new PercpuCounterTree.AccuracyRange(0, 0), t.accuracyRange());
    }

    @Test
    void carryOfEveryIncrementMatchesTheLowBitsRule() {
        // percpu_counter_tree_carry: carried = bit_mask * (floor(res / bit_mask) - floor(orig / bit_mask)).
        SplittableRandom random = new SplittableRandom(29);
        for (int i = 0; i < 100_000; i++) {
            long bitMask = 1L << random.nextInt(1, 20);
            long orig = random.nextLong(-1L << 40, 1L << 40);
            long inc = random.nextLong(-1L << 24, 1L << 24);
            long res = orig + inc;
            long expected = bitMask * (Math.floorDiv(res, bitMask) - Math.floorDiv(orig, bitMask));
            assertEquals(expected, PercpuCounterTree.carry(orig, res, inc, bitMask),
                    "carry(" + orig + ", " + res + ", " + inc + ", " + bitMask + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8, 16, 17, 64, 128, 256})
    void settledTreesAreExactAndWithinTheirRangeOverRandomAddsOfBothSigns(int nrCpus) {
        SplittableRandom random = new SplittableRandom(0x7EEL + nrCpus);
        for (long batch = 2; batch <= 512; batch <<= 1) {
            Cpus cpus = new Cpus(nrCpus);
            PercpuCounterTree t = PercpuCounterTree.init(cpus, batch);
            long expected = 0;
            for (int i = 0; i < 3000; i++) {
                long bound = random.nextBoolean() ? batch * 3 : 1L << random.nextInt(1, 40);
                long inc = random.nextLong(-bound, bound + 1);
                int cpu = random.nextInt(nrCpus);
                onCpu(cpus, cpu, s -> t.add(s, inc));
                expected += inc;
                if (i % 7 == 0) {
                    assertSettled(t, expected);
                }
            }
            assertSettled(t, expected);
            assertEquals(expected, t.destroy());
        }
    }

    @Test
    void arithmeticWrapsModulo2To64() {
        Cpus cpus = new Cpus(4);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 32);
        onCpu(cpus, 0, s -> t.add(s, Long.MAX_VALUE));
        onCpu(cpus, 3, s -> t.add(s, 2));
        assertSettled(t, Long.MIN_VALUE + 1);
    }

    @Test
    void setMakesThePreciseSumTheValueThroughTheBias() {
        Cpus cpus = new Cpus(8);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 16);
        for (int cpu = 0; cpu < 8; cpu++) {
            int c = cpu;
            onCpu(cpus, cpu, s -> t.add(s, 37 * (c + 1)));
        }
        t.set(-5);
        assertSettled(t, -5);
        onCpu(cpus, 5, s -> t.add(s, 100));
        assertSettled(t, 95);
        t.set(0);
        assertSettled(t, 0);
    }

    @Test
    void minMaxAndPositiveHelpersFollowTheHeader() {
        assertEquals(new PercpuCounterTree.PreciseRange(10 - 3, 10 + 7),
                PercpuCounterTree.approximateMinMaxRange(10, 7, 3));
        Cpus cpus = new Cpus(4);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 4);
        onCpu(cpus, 1, s -> t.add(s, -9));
        PercpuCounterTree.ApproximateMinMax mm = t.approximateMinMax();
        assertTrue(mm.preciseMin() <= -9 && -9 <= mm.preciseMax(), mm.toString());
        assertEquals(0, t.preciseSumPositive());
        assertEquals(0, t.approximateSumPositive());
        t.set(3);
        assertEquals(3, t.preciseSumPositive());
    }

    @Test
    void compareHelpersOfFarApartAndEqualTrees() {
        Cpus cpus = new Cpus(8);
        PercpuCounterTree[] ab = PercpuCounterTree.initMany(cpus, 2, 32);
        PercpuCounterTree a = ab[0];
        PercpuCounterTree b = ab[1];
        long far = 10 * a.accuracyRange().under();
        onCpu(cpus, 3, s -> a.add(s, far));
        assertEquals(1, PercpuCounterTree.approximateCompare(a, b));
        assertEquals(-1, PercpuCounterTree.approximateCompare(b, a));
        assertEquals(1, PercpuCounterTree.preciseCompare(a, b));
        assertEquals(-1, a.approximateCompareValue(0), "v = 0 is less than the counter");
        assertEquals(1, b.approximateCompareValue(far));
        onCpu(cpus, 6, s -> b.add(s, far));
        assertEquals(0, PercpuCounterTree.approximateCompare(a, b));
        assertEquals(0, PercpuCounterTree.preciseCompare(a, b));
        onCpu(cpus, 0, s -> b.add(s, 1));                         // within the range: only precise sums tell
        assertEquals(0, PercpuCounterTree.approximateCompare(a, b));
        assertEquals(-1, PercpuCounterTree.preciseCompare(a, b));
        assertEquals(1, PercpuCounterTree.preciseCompare(b, a));
        assertEquals(0, a.preciseCompareValue(far));
        assertEquals(1, a.preciseCompareValue(far + 1));
        assertEquals(-1, a.preciseCompareValue(far - 1));
        assertEquals(0, a.approximateCompareValue(far));
    }

    @Test
    void compareDeltaBoundsAreUnsignedAndInclusive() {
        assertEquals(0, PercpuCounterTree.compareDelta(5, 0, 5));
        assertEquals(1, PercpuCounterTree.compareDelta(6, 100, 5));
        assertEquals(0, PercpuCounterTree.compareDelta(-7, 7, 0));
        assertEquals(-1, PercpuCounterTree.compareDelta(-8, 7, 100));
        assertEquals(0, PercpuCounterTree.compareDelta(Long.MIN_VALUE, -1L, 0), "unsigned: 2^63 <= 2^64 - 1");
    }

    /**
     * Pinned as found, not corrected: a settled tree's approximate sum never
     * exceeds its precise sum, and its remainders can exceed {@code over} when
     * the batch is smaller than a level's fan-out (batch 2, 16 CPUs: fan-out 4
     * at level 0). The C bounds {@code v - approx >= 0} by {@code over}, so the
     * compare helpers call the exact value greater than the counter. The
     * documented range itself holds.
     */
    @Test
    void compareHelpersMisjudgeTheExactValueWhenRemaindersExceedOver() {
        Cpus cpus = new Cpus(16);                                 // order 4: {2, 1, 1}
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 2);
        assertEquals(new PercpuCounterTree.AccuracyRange(96, 48), t.accuracyRange());
        for (int cpu = 0; cpu < 4; cpu++) {
            int n = cpu < 2 ? 7 : 3;                              // items 0,1: 14 = 8 (carried) + 6; items 2,3: 6
            for (int k = 0; k < n; k++) {
                onCpu(cpus, cpu, s -> t.add(s, 2));
            }
        }
        for (int cpu = 0; cpu < 16; cpu++) {
            onCpu(cpus, cpu, s -> t.add(s, 1));                   // a remainder of 1 on every level-0 counter
        }
        assertEquals(56, t.preciseSum());
        assertEquals(0, t.approximateSum(), "remainders 16 + 4*6 + 2*8 = 56, nothing reached the root");
        assertSettled(t, 56);                                     // the documented range holds
        assertEquals(1, t.approximateCompareValue(56), "C: compare_delta(56, under, over = 48)");
        assertEquals(1, t.preciseCompareValue(56), "C: decided by the approximation, no precise sum");
    }

    @Test
    void cpuHotplugChangesNothingAndTheDeadCpuIsStillSummed() {
        Cpus cpus = new Cpus(4);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 32);
        onCpu(cpus, 3, s -> t.add(s, 31));
        onCpu(cpus, 1, s -> t.add(s, 70));
        long approx = t.approximateSum();
        cpus.takeDown(3);
        assertEquals(31, t.level0Of(3), "no dead-CPU callback: CPU 3's remainder stays on CPU 3");
        assertEquals(101, t.preciseSum(), "for_each_possible_cpu walks the dead CPU");
        assertEquals(approx, t.approximateSum());
        assertSettled(t, 101);
        cpus.bringUp(3);
        onCpu(cpus, 3, s -> t.add(s, 1));                         // the kept remainder carries on
        assertEquals(32, t.level0Of(3));
        assertSettled(t, 102);
    }

    @Test
    void destroyReturnsTheExactValueAndRefusesEveryLaterUse() {
        Cpus cpus = new Cpus(4);
        PercpuCounterTree t = PercpuCounterTree.init(cpus, 8);
        onCpu(cpus, 1, s -> t.add(s, 21));
        onCpu(cpus, 2, s -> t.add(s, -4));
        assertFalse(t.isDestroyed());
        assertEquals(17, t.destroy());
        assertTrue(t.isDestroyed());
        assertNames(assertThrows(CounterDestroyedException.class, () -> onCpu(cpus, 0, s -> t.add(s, 1)))
                .getMessage(), "add()", "after destroy()");
        assertNames(assertThrows(CounterDestroyedException.class, t::preciseSum).getMessage(), "preciseSum()");
        assertNames(assertThrows(CounterDestroyedException.class, t::approximateSum).getMessage(), "approximateSum()");
        assertNames(assertThrows(CounterDestroyedException.class, () -> t.set(0)).getMessage(), "set()");
        assertNames(assertThrows(CounterDestroyedException.class, t::destroy).getMessage(), "destroy()");
        assertThrows(CounterDestroyedException.class, () -> t.preciseCompareValue(0));
    }

    @Test
    void destroyManyTearsDownTheWholeInitManyInOrder() {
        Cpus cpus = new Cpus(8);
        PercpuCounterTree[] trees = PercpuCounterTree.initMany(cpus, 4, 16);
        for (int i = 0; i < 4; i++) {
            int k = i;
            onCpu(cpus, 7 - i, s -> trees[k].add(s, 100 * k - 3));
        }
        assertArrayEquals(new long[] {-3, 97, 197, 297}, PercpuCounterTree.destroyMany(trees));
        for (PercpuCounterTree t : trees) {
            assertTrue(t.isDestroyed());
        }
        assertThrows(CounterDestroyedException.class, () -> PercpuCounterTree.destroyMany(trees));
    }

    @Test
    void treesOfOneInitManyShareTheAllocationButNotTheirValues() {
        Cpus cpus = new Cpus(4);
        PercpuCounterTree[] trees = PercpuCounterTree.initMany(cpus, 3, 4);
        onCpu(cpus, 2, s -> {
            trees[0].add(s, 5);
            trees[1].add(s, -6);
            trees[2].add(s, 7);
        });
        assertSettled(trees[0], 5);
        assertSettled(trees[1], -6);
        assertSettled(trees[2], 7);
    }

    @Test
    void enomemAtInitBuildsNothingAndTheNextInitStartsAtZero() {
        Cpus cpus = new Cpus(4);
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        PercpuAllocationException e = assertThrows(PercpuAllocationException.class,
                () -> PercpuCounterTree.initMany(cpus, 4, 32));
        assertNames(e.getMessage(), "-ENOMEM");
        PercpuCounterTree[] trees = PercpuCounterTree.initMany(cpus, 4, 32);
        for (PercpuCounterTree t : trees) {
            assertSettled(t, 0);
        }
        // The C allocates before it checks the batch size: -ENOMEM wins over -EINVAL.
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        assertThrows(PercpuAllocationException.class, () -> PercpuCounterTree.init(cpus, 3));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3, 6, 48, -2})
    void batchSizeNotAPowerOfTwoAboveOneIsEinval(long batch) {
        Cpus cpus = new Cpus(4);
        assertNames(assertThrows(IllegalArgumentException.class, () -> PercpuCounterTree.init(cpus, batch))
                .getMessage(), "percpu_counter_tree_init_many", "power of 2", "-EINVAL");
    }

    @Test
    void misusesAreRefusedByName() {
        Cpus cpus = new Cpus(4);
        PercpuCounterTree[] pair = PercpuCounterTree.initMany(cpus, 2, 8);
        assertNames(assertThrows(TreeMisuseException.class, pair[0]::destroy).getMessage(),
                "percpu_counter_tree_destroy", "tree 0 of an init_many of 2", "destroyMany");
        assertNames(assertThrows(TreeMisuseException.class, pair[1]::destroy).getMessage(),
                "inside another allocation");
        assertNames(assertThrows(TreeMisuseException.class,
                () -> PercpuCounterTree.destroyMany(new PercpuCounterTree[] {pair[0]})).getMessage(),
                "percpu_counter_tree_destroy_many of 1 trees", "made 2");
        assertNames(assertThrows(TreeMisuseException.class,
                () -> PercpuCounterTree.destroyMany(new PercpuCounterTree[] {pair[1], pair[0]})).getMessage(),
                "percpu_counter_tree_destroy_many");
        assertNames(assertThrows(TreeMisuseException.class,
                () -> PercpuCounterTree.destroyMany(new PercpuCounterTree[0])).getMessage(), "of no tree");
        assertFalse(pair[0].isDestroyed(), "a refused teardown frees nothing");
        assertNames(assertThrows(TreeMisuseException.class,
                () -> PercpuCounterTree.init(cpus, TreeTopology.forNrCpus(16), 8)).getMessage(),
                "percpu_counter_tree_init_many", "get_count_order(nr_cpu_ids) = 2");
        assertNames(assertThrows(IllegalArgumentException.class, () -> PercpuCounterTree.initMany(cpus, 0, 8))
                .getMessage(), "at least 1");
        Cpus other = new Cpus(4);
        assertThrows(WrongCpuSectionException.class, () -> onCpu(other, 0, s -> pair[0].add(s, 1)));
        CpuSection[] closed = new CpuSection[1];
        onCpu(cpus, 1, s -> closed[0] = s);
        assertNames(assertThrows(WrongCpuSectionException.class, () -> pair[0].add(closed[0], 1)).getMessage(),
                "after it was closed");
        assertEquals(0, pair[0].preciseSum(), "refused adds add nothing");
    }
}
