package lazycount.properties;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.testkit.Quiescent;
import lazycount.tree.PercpuCounterTree;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The counter tree's contract ({@code newCounterTrees}), generated: machines of
 * 1 to 64 CPUs (trees of 0 to 3 levels), batch sizes 2 to 64, a value set
 * first ({@code percpu_counter_tree_set}, so the bias matters), then adds of
 * both signs, unit-sized and large, on any CPUs.
 *
 * <ul>
 * <li>One context: after every add the tree is settled, so the precise sum is
 *     exact and the approximate sum lies in {@code [precise - under, precise + over]};
 *     the teardown is exact.
 * <li>2 to 4 threads at once, each on its own CPUs: once they are done, the
 *     same settled promises (no carry lost or doubled under concurrent adds).
 * </ul>
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.TREE_CARRY, ops = {Op.PERCPU_ADD, Op.PERCPU_ADD})
class TreeCarryProperties {

    record Add(int cpuIndex, long delta) {
        @Override
        public String toString() {
            return "cpu#" + cpuIndex + ":" + delta;
        }
    }

    @Provide
    Arbitrary<Integer> treeCpus() {
        return Arbitraries.of(1, 2, 3, 4, 5, 8, 16, 33, 64);
    }

    @Provide
    Arbitrary<List<Add>> adds() {
        Arbitrary<Long> delta = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(-3, 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-5000, 5000)));
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 63), delta).as(Add::new)
                .list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 200)
    void settledAfterEveryAdd(@ForAll("treeCpus") int nrCpus, @ForAll @IntRange(min = 1, max = 6) int batchOrder,
            @ForAll @IntRange(min = -100_000, max = 100_000) int initial, @ForAll("adds") List<Add> adds) {
        Cpus cpus = UnderTest.cpus(nrCpus);
        PercpuCounterTree tree = UnderTest.implementation().newCounterTrees(cpus, 1, 1L << batchOrder)[0];
        tree.set(initial);
        long value = initial;
        for (int i = 0; i < adds.size(); i++) {
            Add add = adds.get(i);
            try (CpuSection s = cpus.enter(add.cpuIndex() % nrCpus)) {
                tree.add(s, add.delta());
            }
            value += add.delta();
            long precise = tree.preciseSum();
            long approx = tree.approximateSum();
            if (precise != value || !Quiescent.approximateInRange(approx, precise, tree.accuracyRange())) {
                throw new AssertionError("after " + (i + 1) + " adds on " + tree + ": precise " + precise
                        + " (exact " + value + "), approximate " + approx + ", " + tree.accuracyRange());
            }
        }
        Quiescent.checkSettledTreeThenDestroy(tree, value);
    }

    @Property(tries = 40)
    void settledAfterConcurrentAdds(@ForAll @IntRange(min = 2, max = 4) int threads,
            @ForAll @IntRange(min = 1, max = 4) int batchOrder, @ForAll("adds") List<Add> adds) throws Exception {
        int nrCpus = 8;                                                 // three levels: every kind of carry
        Cpus cpus = UnderTest.cpus(nrCpus);
        PercpuCounterTree tree = UnderTest.implementation().newCounterTrees(cpus, 1, 1L << batchOrder)[0];
        tree.set(1000);
        long total = 1000;
        for (Add a : adds) {
            total += a.delta();
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = me; i < adds.size(); i += threads) {   // thread t: CPUs t, t + threads, ...
                        int cpu = (me + threads * (adds.get(i).cpuIndex() % (nrCpus / threads))) % nrCpus;
                        try (CpuSection s = cpus.enter(cpu)) {
                            tree.add(s, adds.get(i).delta());
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "tree-adder-" + t);
            thread.start();
            running.add(thread);
        }
        start.countDown();
        for (Thread thread : running) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("an adder failed", failures.get(0));
        }
        Quiescent.checkSettledTreeThenDestroy(tree, total);
    }
}
