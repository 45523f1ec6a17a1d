package lazycount.candidate;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Verdict;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Candidate {@value #NAME}: {@link FoldAtUpgradeLazyCounter}, the naive fold of
 * the lazy words into the per-CPU counter at the upgrade. Expected to be
 * refuted on {@link lazycount.catalog.Race#OTHER_UPGRADE}, {@link lazycount.catalog.Race#LOCAL_UPGRADE}
 * and {@link lazycount.catalog.Race#READ_SUM}; {@link GracePeriodImplementation} is its fix.
 */
public final class FoldAtUpgradeImplementation extends CandidateImplementation {

    public static final String NAME = "fold-at-upgrade";

    public FoldAtUpgradeImplementation() {
        super(NAME, "two words (plain local, atomic remote); the upgrade moves local + xchg(remote, 0) into the"
                + " published per-CPU counter's base and per-CPU mode reads only that counter (the naive fold)",
                Verdict.refuted(Set.of(LINCHECK, JQWIK, FRAY), "an other-path add that read lazy mode lands on remote "
                        + "after the xchg and is lost (khugepaged racing CLONE_VM); a sum racing the upgrade misses "
                        + "remote"));
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new FoldAtUpgradeLazyCounter(cpus, batch, policy);
    }

    /** The four counters of an mm upgrade onto one shared per-CPU allocation. */
    @Override
    public void upgradeAll(RssCounter[] counters) {
        upgradeAllSharing(counters, FoldAtUpgradeLazyCounter[].class, FoldAtUpgradeLazyCounter::upgradeAll);
    }
}
