package lazycount.linearizability;

import java.util.concurrent.atomic.AtomicLong;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.testkit.Quiescent;
import lazycount.tree.PercpuCounterTree;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * A counter tree ({@code newCounterTrees}) of three levels (8 CPUs, batch 2,
 * so every add of 2 or more carries, and the root takes multiples of 16) under
 * adds of both signs from 2 threads on any CPUs, deltas up to 70 in size (one
 * add carries to the root at once; a lost root carry is larger than the whole
 * accuracy range, under = 48).
 *
 * <p>Before the scenario, a sequential prefix of unit adds (9 on every CPU:
 * every level 0 left with a remainder, carries on the way up) then sets the value to 1000 ({@code percpu_counter_tree_set}, so the
 * approximate sum depends on the bias). The promises checked are the settled
 * ones ({@code @Validate}, {@link Quiescent#checkSettledTreeThenDestroy}): the
 * precise sum is exactly 1000 plus every delta, the approximate sum lies in
 * {@code [precise - under, precise + over]}, the teardown is exact. The adds
 * return nothing, so every interleaving is linearizable; a lost or doubled carry
 * shows in the settled state.
 */
@Checks(value = Race.TREE_CARRY, ops = {Op.PERCPU_ADD, Op.PERCPU_ADD})
@Param(name = "cpu", gen = IntGen.class, conf = "0:7")
@Param(name = "delta", gen = LongGen.class, conf = "-70:70")
public class TreeCarryTest extends LincheckCheck {

    static final int NR_CPUS = 8;
    static final long BATCH = 2;
    static final long INITIAL = 1000;

    private final Cpus cpus = UnderTest.cpus(NR_CPUS);
    private final PercpuCounterTree tree = UnderTest.implementation().newCounterTrees(cpus, 1, BATCH)[0];
    private final AtomicLong applied = new AtomicLong(INITIAL);

    public TreeCarryTest() {
        for (int i = 0; i < 9 * NR_CPUS; i++) {                  // 9 on every level 0: a remainder, and carries on the way
            try (CpuSection s = cpus.enter(i % NR_CPUS)) {
                tree.add(s, 1);
            }
        }
        tree.set(INITIAL);
    }

    @Operation
    public void add(@Param(name = "cpu") int cpu, @Param(name = "delta") long delta) {
        try (CpuSection section = cpus.enterAny(cpu)) {
            tree.add(section, delta);
        }
        applied.addAndGet(delta);
    }

    @Validate
    public void settled() {
        Quiescent.checkSettledTreeThenDestroy(tree, applied.get());
    }

    /** Adds return nothing: the value is observed only once settled. */
    public static class Spec {
        public void add(int cpu, long delta) {
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 3, 4).scenarios(3, 2);
    }
}
