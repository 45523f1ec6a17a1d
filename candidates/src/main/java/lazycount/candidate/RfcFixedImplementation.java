package lazycount.candidate;

import lazycount.catalog.Verdict;

/**
 * Candidate {@code rfc-fixed}: the minimal fixes of
 * {@link RfcLazyCounter.Variant#FIXED} (listed in the design notes of
 * {@link RfcLazyCounter}), applied to the RFC author's work-in-progress tree
 * ({@code krisman/linux}, {@code include/linux/distcounter.h} at 112dfa45), not
 * to RFC v1 as posted ({@code pongo1231/linux} at 1081a970), which
 * {@link RfcImplementation} now models: the two differ (the tree's
 * single-counter upgrade under the lock, its syncing {@code get_mm_counter_sum},
 * its per-counter free). To be redone against v1.
 */
public final class RfcFixedImplementation extends RfcImplementation {

    public static final String NAME = "rfc-fixed";

    public RfcFixedImplementation() {
        super(NAME, RfcLazyCounter.Variant.FIXED,
                "the RFC's counter (krisman/linux @112dfa45) minimally fixed: validated single-word reads, residue"
                        + " folded into count under the lock after a grace period that drains the owner's plain add"
                        + " (any context may upgrade), no syncing sum, one free (63-bit tagged word, declared)",
                Verdict.verified("nothing lost or doubled: the fold into the aliased count waits for the owner's"
                        + " plain add (synchronize_rcu under the lock); reads validate the mode"));
    }
}
