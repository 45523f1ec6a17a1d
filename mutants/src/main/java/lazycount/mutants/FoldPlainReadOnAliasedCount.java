package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Arrays;
import java.util.Set;
import lazycount.candidate.AliasingLazyCounter;
import lazycount.catalog.Contract;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * A broken verified candidate: {@code aliasing-fixed} whose fold reads the
 * aliased count and stores the sum back ({@code atomic64_set(&count, count +
 * amount)}: "the fold holds {@code fbc->lock}, so a read then an atomic store is
 * enough"). The lock excludes other folds and sums, not an other-path add that
 * read {@code counters == NULL} before the upgrade published the slots and lands
 * its {@code atomic64_add} on the aliased count late: landing between the fold's
 * read and its store, it is overwritten. Breaks {@link Race#OTHER_UPGRADE} within
 * the candidate's own rss_stat contract (the CLONE_VM upgrade, then the owner's
 * per-CPU adds folding, while a remote add is in flight). Sequentially no add is
 * in flight across a fold.
 */
public final class FoldPlainReadOnAliasedCount extends MutantImplementation {

    public FoldPlainReadOnAliasedCount() {
        super("fold-plain-read-on-aliased-count", Race.OTHER_UPGRADE, Set.of(JCSTRESS, LINCHECK),
                "aliasing-fixed's fold reads the aliased count and stores count + amount, so a late lazy other-path "
                        + "add landing between the read and the store is lost");
    }

    /** The candidate's contract: rss_stat, so the checks within it are the ones that must see the window. */
    @Override
    public Contract contract() {
        return Contract.RSS_STAT;
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new AliasingLazyCounter(cpus, batch, policy, AliasingLazyCounter.Variant.FIXED) {
            @Override
            protected void addToCountUnderLock(long amount) {
                setCount(countNow() + amount);      // BUG: a stale atomic64_add between the read and the set is lost
            }
        };
    }

    /** As the candidate: the mm's counters switch onto one shared per-CPU allocation at CLONE_VM. */
    @Override
    public void upgradeAll(RssCounter[] counters) {
        if (Arrays.stream(counters).allMatch(AliasingLazyCounter.class::isInstance)) {
            AliasingLazyCounter.upgradeAll(Arrays.copyOf(counters, counters.length, AliasingLazyCounter[].class));
        } else {
            super.upgradeAll(counters);
        }
    }
}
