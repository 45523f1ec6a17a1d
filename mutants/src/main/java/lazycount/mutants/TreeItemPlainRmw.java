package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;

import java.util.Set;
import lazycount.tree.PercpuCounterTree;

/**
 * {@code atomic_long_set(&item->count, atomic_long_read(&item->count) + inc)}:
 * "each item is an atomic, that is enough". CPUs that share an item (every CPU
 * shares the root) can lose each other's carry. Caught by jcstress
 * {@code TreeCarryTest} (two CPUs carrying into the root: 519,132 of 1,892,371
 * samples forbidden, the reference 0 of 725,011) and Fray {@code TreeCarryFrayTest}
 * (four CPUs, schedule 7, 214 ms: approximate sum 944 outside [996, 1020], a
 * root carry of 64 lost). Lincheck's model checker did not find the lost update
 * in {@code TreeCarryTest} at the gate's budget (its array-element VarHandle
 * accesses may not be switch points there; not investigated), so it names
 * jcstress and Fray.
 */
public final class TreeItemPlainRmw extends TreeMutant {

    public TreeItemPlainRmw() {
        super("tree-item-plain-rmw", Set.of(JCSTRESS, FRAY),
                "a tree item (the root included) is updated with read-then-set instead of one atomic add, so two"
                        + " CPUs carrying into the same item at once can lose one carry: the settled approximate sum falls"
                        + " below precise - under");
    }

    @Override
    public PercpuCounterTree newCounterTree(PercpuCounterTree.Place place) {
        return new PercpuCounterTree(place) {
            @Override
            protected long addToItem(int index, long inc) {
                long res = itemAt(index) + inc;                        // BUG: read, then set: not one atomic add
                storeItem(index, res);
                return res;
            }
        };
    }
}
