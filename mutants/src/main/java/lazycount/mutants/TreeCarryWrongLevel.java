package lazycount.mutants;

import static lazycount.catalog.Tool.JQWIK;

import java.util.Set;
import lazycount.tree.PercpuCounterTree;

/**
 * The slow path forgets {@code item += level_items}: the carry out of a level
 * lands in that same level's items (with the next level's batch), so it is
 * carried up again later, counted twice. Needs a tree of three levels or more
 * (5 CPUs or more): with fewer, the carry out of the last interior level goes
 * straight to the root. The twice-carried amount drifts slowly (either way: a
 * carry that re-enters a level-1 item can also cancel a remainder), so it takes
 * jqwik's long generated sequences; Lincheck's six-add scenarios on a 72-add
 * prefix stayed inside the range at the gate's budget (measured), and it is
 * not named a Lincheck catcher.
 */
public final class TreeCarryWrongLevel extends TreeMutant {

    public TreeCarryWrongLevel() {
        super("tree-carry-wrong-level", Set.of(JQWIK),
                "the carry out of level n is added to level n's items instead of level n+1's, so it is carried"
                        + " again: the root counts it twice and a settled tree's approximate sum runs past precise + over"
                        + " (trees of three levels or more, 5 CPUs or more)");
    }

    @Override
    public PercpuCounterTree newCounterTree(PercpuCounterTree.Place place) {
        return new PercpuCounterTree(place) {
            @Override
            protected int nextLevelItems(int levelStart, int levelItems) {
                return levelStart;                                     // BUG: item += level_items forgotten
            }
        };
    }
}
