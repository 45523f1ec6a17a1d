package lazycount.mutants;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;

/**
 * A mutant of {@link PercpuCounter}: every per-CPU counter of every design
 * (eager, the cached merged block, the lazy counter after its upgrade) is the
 * broken one, since they all come from {@link #newPercpuCounter(PercpuArea, int, int)}.
 */
abstract class PercpuMutant extends MutantImplementation {

    PercpuMutant(String name, Race race, Set<Tool> catchers, String breaks) {
        super(name, race, catchers, breaks);
    }

    @Override
    public abstract PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch);
}
