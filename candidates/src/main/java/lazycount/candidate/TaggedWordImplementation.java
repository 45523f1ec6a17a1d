package lazycount.candidate;

import lazycount.catalog.Verdict;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Candidate {@code tagged-word}: Kent Overstreet's lazy percpu counter, one
 * atomic word holding the value or the per-CPU state; see
 * {@link TaggedWordLazyCounter}.
 */
public final class TaggedWordImplementation extends CandidateImplementation {

    public static final String NAME = "tagged-word";

    public TaggedWordImplementation() {
        super(NAME, "Kent Overstreet's lazy percpu counter: one word holds the value or the per-CPU state; "
                + "every add is a cmpxchg loop; the upgrade seeds and publishes in one cmpxchg",
                Verdict.verified("nothing lost or doubled: fold and publication are one cmpxchg; the price is an atomic owner add"));
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new TaggedWordLazyCounter(cpus, batch, policy);
    }

    /** The four counters upgrade onto one shared per-CPU allocation, like {@code percpu_counter_init_many}. */
    @Override
    public void upgradeAll(RssCounter[] counters) {
        upgradeAllSharing(counters, TaggedWordLazyCounter[].class, TaggedWordLazyCounter::upgradeAll);
    }
}
