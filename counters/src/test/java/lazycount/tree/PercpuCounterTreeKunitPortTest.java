package lazycount.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sequential scenarios of the tree's own KUnit test, ported to the model:
 * lib/tests/percpu_counter_tree_kunit.c by Mathieu Desnoyers, linux-mm/linux-mm
 * at 2f1e5706062c9c6476e0335288557c6c18b71090 (hpcc_test_single_thread_first,
 * hpcc_test_single_thread_first_random, hpcc_test_single_thread_random,
 * hpcc_test_init_one, hpcc_test_set; check_counters as the shared oracle). The
 * KUnit test runs on the machine's CPUs; the port runs each scenario on
 * several machine sizes. Its multi-threaded scenarios
 * (hpcc_test_multi_thread_batch_increment, hpcc_test_multi_thread_random_walk)
 * need concurrency and are left to the tool checks.
 */
class PercpuCounterTreeKunitPortTest {

    private static final int NR_COUNTERS = 2;

    private enum IncType { INC_ONE, INC_MINUS_ONE, INC_RANDOM }

    /** check_counters: each tree against its global count, then the two trees against each other. */
    private static void checkCounters(PercpuCounterTree[] counter, long[] global) {
        for (int i = 0; i < NR_COUNTERS; i++) {
            long v = global[i];
            long approxSum = counter[i].approximateSum();
            assertEquals(v, counter[i].preciseSum());
            assertEquals(0, counter[i].preciseCompareValue(v));
            assertEquals(0, counter[i].approximateCompareValue(v));
            PercpuCounterTree.AccuracyRange r = counter[i].accuracyRange();
            assertTrue(approxSum - (v - r.under()) >= 0);
            assertTrue(approxSum - (v + r.over()) <= 0);
            PercpuCounterTree.PreciseRange p = PercpuCounterTree.approximateMinMaxRange(approxSum, r.under(), r.over());
            assertTrue(v - p.preciseMin() >= 0);
            assertTrue(v - p.preciseMax() <= 0);
        }
        assertEquals(counter[0].preciseSum(), counter[1].preciseSum());
        assertEquals(0, PercpuCounterTree.preciseCompare(counter[0], counter[1]));
        assertEquals(0, PercpuCounterTree.approximateCompare(counter[0], counter[1]));
    }

    /** do_hpcc_test_single_thread: a negative CPU is a fresh pick each iteration (cpumask_any_distribute). */
    private static void doSingleThread(int nrCpus, int cpu0Arg, int cpu1Arg, IncType type, long seed) {
        Cpus cpus = new Cpus(nrCpus);
        SplittableRandom random = new SplittableRandom(seed);
        PercpuCounterTree[] counter = PercpuCounterTree.initMany(cpus, NR_COUNTERS, 1L << 5);
        long[] global = new long[NR_COUNTERS];
        for (int i = 0; i < 10_000; i++) {
            long increment = switch (type) {
                case INC_ONE -> 1;
                case INC_MINUS_ONE -> -1;
                case INC_RANDOM -> random.nextLong() % 50_000;     // (long) get_random_long() % 50000
            };
            int cpu0 = cpu0Arg < 0 ? random.nextInt(nrCpus) : cpu0Arg;
            int cpu1 = cpu1Arg < 0 ? random.nextInt(nrCpus) : cpu1Arg;
            OnCpu.run(cpus, cpu0, s -> counter[0].add(s, increment));
            global[0] += increment;
            OnCpu.run(cpus, cpu1, s -> counter[1].add(s, increment));
            global[1] += increment;
            checkCounters(counter, global);
        }
        PercpuCounterTree.destroyMany(counter);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 64})
    void singleThreadFirst(int nrCpus) {
        for (IncType type : IncType.values()) {
            doSingleThread(nrCpus, 0, 0, type, 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 64})
    void singleThreadFirstRandom(int nrCpus) {
        for (IncType type : IncType.values()) {
            doSingleThread(nrCpus, 0, -1, type, 2);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 64})
    void singleThreadRandom(int nrCpus) {
        for (IncType type : IncType.values()) {
            doSingleThread(nrCpus, -1, -1, type, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 16, 128})
    void initOne(int nrCpus) {
        PercpuCounterTree pct = PercpuCounterTree.init(new Cpus(nrCpus), 32);
        pct.destroy();
        assertTrue(pct.isDestroyed());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 16, 128})
    void set(int nrCpus) {
        long[] values = {
            5, 100, 127, 128, 255, 256, 4095, 4096, 500000, 0,
            -5, -100, -127, -128, -255, -256, -4095, -4096, -500000,
        };
        Cpus cpus = new Cpus(nrCpus);
        PercpuCounterTree pct = PercpuCounterTree.init(cpus, 32);
        int cpu = nrCpus - 1;                                     // the KUnit thread runs wherever it runs
        for (long v : values) {
            pct.set(v);
            assertEquals(v, pct.preciseSum());
            assertEquals(0, pct.approximateCompareValue(v));
            OnCpu.run(cpus, cpu, s -> pct.add(s, v));
            assertEquals(2 * v, pct.preciseSum());
            assertEquals(0, pct.approximateCompareValue(2 * v));
            OnCpu.run(cpus, cpu, s -> pct.add(s, -2 * v));
            assertEquals(0, pct.preciseSum());
            assertEquals(0, pct.approximateCompareValue(0));
        }
        pct.destroy();
    }
}
