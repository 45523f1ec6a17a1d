package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.testkit.Quiescent;
import lazycount.tree.PercpuCounterTree;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    Race.TREE_CARRY: two CPUs carrying into the root of a counter tree at once.

    A tree (newCounterTrees) on two CPUs with batch 2: one level of per-CPU
    counters and the root, which every carry reaches; accuracy range under = 4,
    over = 2. It is set to 1000 first (the bias). On each CPU one context adds
    1 four times (two carries of 2: a remainder crossing the batch) and then 64
    (a carry of 64 at once), so the two contexts' carries meet on the root.

    Once quiet the precise sum and the teardown must be 1000 + 2 * 68 = 1136 and
    the approximate sum (root plus bias) within [1136 - 4, 1136 + 2].

    Results: (precise sum, approximate sum in range: 1 = yes, teardown value).

      1136, 1, 1136     nothing lost, the root within range                  ACCEPTABLE
      1136, 0, 1136     the root lost or doubled a carry (or missed the bias) FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.TREE_CARRY, ops = {Op.PERCPU_ADD, Op.PERCPU_ADD})
@Outcome(id = "1136, 1, 1136", expect = ACCEPTABLE, desc = "Every add counted; the settled root within the accuracy range.")
@Outcome(id = "1136, 0, 1136", expect = FORBIDDEN, desc = "The settled approximate sum is out of range: a carry lost or doubled, or the bias missed.")
@Outcome(expect = FORBIDDEN, desc = "A level-0 add lost or a teardown value wrong.")
@State
public class TreeCarryTest {

    private final Cpus cpus = Subject.cpus(2);
    private final PercpuCounterTree tree = Subject.IMPL.newCounterTrees(cpus, 1, 2)[0];

    public TreeCarryTest() {
        tree.set(1000);
    }

    private void addsOn(int cpu) {
        try (CpuSection s = cpus.enter(cpu)) {
            for (int i = 0; i < 4; i++) {
                tree.add(s, 1);
            }
            tree.add(s, 64);
        }
    }

    @Actor
    public void cpu0() {
        addsOn(0);
    }

    @Actor
    public void cpu1() {
        addsOn(1);
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        long precise = tree.preciseSum();
        r.r1 = precise;
        r.r2 = Quiescent.approximateInRange(tree.approximateSum(), precise, tree.accuracyRange()) ? 1 : 0;
        r.r3 = tree.destroy();
    }
}
