package lazycount.candidate;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Verdict;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Candidate {@code aliasing}: ZhangPeng's RFC v2 (the lazy word is
 * percpu_counter's own {@code count}) plus the plain local path; see
 * {@link AliasingLazyCounter}. {@link AliasingFixedImplementation} is the same
 * counter with the fix. ZhangPeng's counter is rss_stat's.
 */
public class AliasingImplementation extends RssStatCandidate<AliasingLazyCounter.Variant> {

    public static final String NAME = "aliasing";

    public AliasingImplementation() {
        this(NAME, AliasingLazyCounter.Variant.PROPOSED,
                "ZhangPeng's RFC v2 plus the split: the lazy word is percpu_counter's count, changed by the owner's "
                        + "plain add, other contexts' atomic64_add and, after a plain-store upgrade, plain folds",
                Verdict.refuted(Set.of(JCSTRESS, LINCHECK, FRAY), "under its rss_stat contract the owner's plain add "
                        + "to the aliased count loses a concurrent other-path atomic add (LOCAL_OTHER): check_mm's "
                        + "Bad rss-counter state (Fray), pages lost around a clone that fails with -ENOMEM (jcstress), "
                        + "a quiescent sum off (Lincheck); beyond it, two plain-store upgrades publish two slot arrays"));
    }

    protected AliasingImplementation(String name, AliasingLazyCounter.Variant variant, String description,
            Verdict verdict) {
        super(name, variant, description, verdict);
    }

    @Override
    public final RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new AliasingLazyCounter(cpus, batch, policy, variant);
    }

    /** The four counters switch onto one shared per-CPU allocation ({@code percpu_counter_init_many}). */
    @Override
    public final void upgradeAll(RssCounter[] counters) {
        upgradeAllSharing(counters, AliasingLazyCounter[].class, AliasingLazyCounter::upgradeAll);
    }
}
