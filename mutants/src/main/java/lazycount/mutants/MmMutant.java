package lazycount.mutants;

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

    MmMutant(String name, String breaks) {
        super(name, breaks);
    }

    @Override
    public final RssCounter[] newRssCounters(Cpus cpus, RssDesign design) {
        if (design != RssDesign.LAZY) {
            return defaultRssCounters(cpus, design);
        }
        int batch = PercpuCounter.defaultBatch(cpus);
        RssCounter[] counters = new RssCounter[4];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new NoOwnerCheck.TrustingLazyCounter(cpus, batch, UpgradePolicy.NEVER,
                    this::newPercpuForLazy);
        }
        return counters;
    }
}
