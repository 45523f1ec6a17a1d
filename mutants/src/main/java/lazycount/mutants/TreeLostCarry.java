package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.tree.PercpuCounterTree;

/**
 * {@code percpu_counter_tree_carry} without its xor-bit correction: only the
 * increment's own high bits move up, so the carry out of the low bits (the
 * remainder crossing a multiple of the level's batch) is lost.
 */
public final class TreeLostCarry extends TreeMutant {

    public TreeLostCarry() {
        super("tree-lost-carry", Set.of(JCSTRESS, LINCHECK, JQWIK),
                "the carry drops the xor-bit correction, so a remainder that crosses the level's batch carries"
                        + " nothing up: the root falls ever further behind, and a settled tree's approximate sum leaves"
                        + " [precise - under, precise + over]");
    }

    @Override
    public PercpuCounterTree newCounterTree(PercpuCounterTree.Place place) {
        return new PercpuCounterTree(place) {
            @Override
            protected long carryOut(long orig, long res, long inc, long bitMask) {
                return inc < 0 ? -(-inc & ~(bitMask - 1)) : inc & ~(bitMask - 1);   // BUG: no overflow bit
            }
        };
    }
}
