package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.tree.PercpuCounterTree;

/**
 * {@code percpu_counter_tree_approximate_sum} reads the root alone, without
 * {@code counter->bias}: after {@code percpu_counter_tree_set} the approximate
 * sum is off by the bias while the precise sum is right.
 */
public final class TreeApproximateMissesBias extends TreeMutant {

    public TreeApproximateMissesBias() {
        super("tree-approximate-misses-bias", Set.of(JCSTRESS, LINCHECK, JQWIK),
                "the approximate sum forgets the bias that set() writes, so after a set the approximate sum is off"
                        + " by the value set, far outside [precise - under, precise + over]");
    }

    @Override
    public PercpuCounterTree newCounterTree(PercpuCounterTree.Place place) {
        return new PercpuCounterTree(place) {
            @Override
            protected long biasOfApproximateSum() {
                return 0;                                              // BUG: the root alone
            }
        };
    }
}
