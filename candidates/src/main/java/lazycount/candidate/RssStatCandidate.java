package lazycount.candidate;

import lazycount.catalog.Contract;
import lazycount.catalog.Verdict;

/**
 * A candidate whose counter is rss_stat's ({@link Contract#RSS_STAT}: upgraded
 * once per mm, by the cloning task, never one counter alone), posted as a
 * proposal and kept beside its fix: one implementation class each, the two
 * differing by the counter's {@code variant}.
 *
 * @param <V> the counter's variant type
 */
abstract class RssStatCandidate<V> extends CandidateImplementation {

    /** Which variant of the counter this implementation builds. */
    protected final V variant;

    protected RssStatCandidate(String name, V variant, String description, Verdict verdict) {
        super(name, description, verdict);
        this.variant = variant;
    }

    @Override
    public final Contract contract() {
        return Contract.RSS_STAT;
    }
}
