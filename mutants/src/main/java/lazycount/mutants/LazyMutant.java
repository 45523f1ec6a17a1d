package lazycount.mutants;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/** A mutant of {@link LazyPercpuCounter}: one step of the reference protocol overridden. */
abstract class LazyMutant extends MutantImplementation {

    LazyMutant(String name, Race race, Set<Tool> catchers, String breaks) {
        super(name, race, catchers, breaks);
    }

    /** The broken lazy counter, a subclass of the reference overriding one step. */
    abstract LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu);

    @Override
    public final RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return newBroken(cpus, batch, policy, this::newPercpuCounter);
    }
}
