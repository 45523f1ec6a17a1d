package lazycount.candidate;

import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Verdict;

/**
 * Candidate {@code rfc-fixed}: {@link RfcImplementation} with the minimal
 * fixes of {@link RfcLazyCounter.Variant#FIXED} (listed in the design notes of
 * {@link RfcLazyCounter}).
 */
public final class RfcFixedImplementation extends RfcImplementation {

    public static final String NAME = "rfc-fixed";

    public RfcFixedImplementation() {
        super(NAME, RfcLazyCounter.Variant.FIXED,
                "the RFC's counter (krisman/linux @112dfa45) minimally fixed: validated single-word reads, residue"
                        + " folded into count under the lock, no syncing sum, owner-only upgrade, one free",
                Verdict.refuted(Set.of(LINCHECK, JQWIK), "counts exactly, but defers a frequency-triggered upgrade "
                        + "to the owner (breaking the policy's promise) and, as rfc, keeps only 63 bits of the sum"));
    }
}
