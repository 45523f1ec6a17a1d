package lazycount.candidate;

import java.util.Arrays;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Candidate {@value #NAME}: {@link GracePeriodLazyCounter}, the fold of
 * {@link FoldAtUpgradeImplementation} made safe by running other-path adds in
 * RCU read-side sections and folding {@code remote} only after
 * {@code synchronize_rcu()}, on the shared {@link Rcu} domain.
 */
public final class GracePeriodImplementation extends CandidateImplementation {

    public static final String NAME = "grace-period";

    public GracePeriodImplementation() {
        super(NAME, "two words; other-path adds in RCU read-side sections; the upgrade publishes the per-CPU"
                + " counter (folding local if the owner upgrades), waits synchronize_rcu(), then folds the"
                + " frozen remote word by republishing the per-CPU state");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new GracePeriodLazyCounter(cpus, batch, policy);
    }

    /** The four counters of an mm upgrade onto one shared per-CPU allocation, after one grace period. */
    @Override
    public void upgradeAll(RssCounter[] counters) {
        if (Arrays.stream(counters).allMatch(c -> c instanceof GracePeriodLazyCounter)) {
            GracePeriodLazyCounter.upgradeAll(
                    Arrays.copyOf(counters, counters.length, GracePeriodLazyCounter[].class));
        } else {
            super.upgradeAll(counters);
        }
    }
}
