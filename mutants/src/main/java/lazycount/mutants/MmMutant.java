package lazycount.mutants;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.rss.RssDesign;

/**
 * Base of the mutants of the mm lifecycle ({@link lazycount.rss.Mm} subclasses
 * returned from {@link #newMm}). Their counters are the reference logic, with
 * one modelling difference in the {@link RssDesign#LAZY} design: the local
 * path trusts its caller, as the kernel's does ({@code current->mm == mm} is
 * the whole check, and {@link lazycount.rss.Mm#add} already routes only the
 * mm's tasks to it). The reference counter's stricter per-thread owner check
 * is the model's safety net; with it, these lifecycle bugs would surface as a
 * {@code NotOwnerException} instead of the silent miscount they cause in the
 * kernel. Counters made outside an mm ({@link #newLazyCounter}) keep the check.
 */
abstract class MmMutant extends MutantImplementation {

    MmMutant(String name, Race race, Set<Tool> catchers, String breaks) {
        super(name, race, catchers, breaks);
    }

    MmMutant(String name, Race race, String breaks, String unobservableBecause) {
        super(name, race, breaks, unobservableBecause);
    }

    @Override
    public final RssCounter[] newRssCounters(Cpus cpus, RssDesign design) {
        if (design != RssDesign.LAZY) {
            return defaultRssCounters(cpus, design);
        }
        RssCounter[] counters = new RssCounter[4];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = NoOwnerCheck.trusting(cpus, PercpuCounter.defaultBatch(cpus), UpgradePolicy.NEVER,
                    this::newPercpuCounter);
        }
        return counters;
    }
}
