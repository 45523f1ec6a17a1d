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
 *
 * <p>Not kernel-legal as written: its upgrade holds {@code fbc->lock} (a raw
 * spinlock, irqs off) across {@code synchronize_rcu()}, which lockdep and
 * {@code might_sleep()} refuse. Its verdict says what the model checks (no
 * count lost or doubled, reads validated), not that the kernel would accept
 * the code.
 */
public final class RfcFixedImplementation extends RfcImplementation {

    public static final String NAME = "rfc-fixed";

    public RfcFixedImplementation() {
        super(NAME, RfcLazyCounter.Variant.FIXED,
                "the RFC's counter (krisman/linux @112dfa45) minimally fixed: validated single-word reads, residue"
                        + " folded into count under the lock after a grace period that drains the owner's plain add"
                        + " (any context may upgrade), no syncing sum, one free (63-bit tagged word, declared)",
                Verdict.verified("nothing lost or doubled in the model: the fold into the aliased count waits for the"
                        + " owner's plain add; reads validate the mode. NOT kernel-legal as written: synchronize_rcu()"
                        + " under fbc->lock, a raw spinlock"));
    }
}
