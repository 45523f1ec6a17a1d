package lazycount.mutants;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.tree.PercpuCounterTree;

/**
 * A mutant of {@link PercpuCounterTree}: every counter tree (the tree design's
 * rss_stat, every tree check) is the broken one, since they all come from
 * {@link #newCounterTree(PercpuCounterTree.Place)}.
 */
abstract class TreeMutant extends MutantImplementation {

    TreeMutant(String name, Set<Tool> catchers, String breaks) {
        super(name, Race.TREE_CARRY, catchers, breaks);
    }

    @Override
    public abstract PercpuCounterTree newCounterTree(PercpuCounterTree.Place place);
}
