package lazycount.candidate;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Verdict;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.counter.PercpuCounter;
import lazycount.cpu.Cpus;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;

/**
 * Candidate {@code rfc}: the RFC author's counter as it stands in
 * {@code krisman/linux} (distcounter.h at 112dfa45, mm.h at 9af89066, fork.c at
 * 1bc5a96b, percpu_counter.c at 518c16d9), modelled access by access in
 * {@link RfcLazyCounter} with {@link RfcLazyCounter.Variant#RFC}.
 */
public class RfcImplementation extends CandidateImplementation {

    public static final String NAME = "rfc";

    private final RfcLazyCounter.Variant variant;

    public RfcImplementation() {
        this(NAME, RfcLazyCounter.Variant.RFC,
                "the RFC's counter (krisman/linux distcounter.h @112dfa45): tagged remote word, plain count aliased"
                        + " as the central count, residue parked by percpu_counter_add_local, syncing sum",
                Verdict.refuted(Set.of(LINCHECK, JQWIK, FRAY), "after the upgrade read() misses the remote residue "
                        + "parked in one slot (beyond any nrCpus * batch bound); the syncing sum's plain count = 0 "
                        + "races the owner"));
    }

    protected RfcImplementation(String name, RfcLazyCounter.Variant variant, String description,
            Verdict verdict) {
        super(name, description, verdict);
        this.variant = variant;
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new RfcLazyCounter(cpus, batch, policy, variant);
    }

    /** The tagged word keeps 63 bits of the other-path sum ({@code (v << 1) | 1}). */
    @Override
    public int valueBits() {
        return 63;
    }

    /** rfc-fixed: an mm's four counters share one RCU domain, so {@code copy_mm} waits one grace period. */
    @Override
    public RssCounter[] newRssCounters(Cpus cpus, RssDesign design) {
        if (design != RssDesign.LAZY || variant == RfcLazyCounter.Variant.RFC) {
            return defaultRssCounters(cpus, design);
        }
        Rcu mmDomain = new Rcu();
        RssCounter[] counters = new RssCounter[RssMember.values().length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new RfcLazyCounter(cpus, PercpuCounter.defaultBatch(cpus), UpgradePolicy.NEVER, variant,
                    RfcLazyCounter.PercpuAllocator.ALWAYS, mmDomain);
        }
        return counters;
    }

    /** {@code copy_mm} on {@code CLONE_VM}: {@code lazy_pcpu_counter_upgrade_many}, one allocation for the four. */
    @Override
    public void upgradeAll(RssCounter[] counters) {
        upgradeAllSharing(counters, RfcLazyCounter[].class, RfcLazyCounter::upgradeAll);
    }
}
