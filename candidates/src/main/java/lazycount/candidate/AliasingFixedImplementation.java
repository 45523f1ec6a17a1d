package lazycount.candidate;

import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Verdict;

/**
 * Candidate {@code aliasing-fixed}: {@link AliasingImplementation} with the
 * minimal fix of {@link AliasingLazyCounter.Variant#FIXED}: the aliased
 * {@code count} changes only by atomic adds (the owner's lazy add and the
 * fold included) and the per-CPU pointer is published by cmpxchg.
 */
public final class AliasingFixedImplementation extends AliasingImplementation {

    public static final String NAME = "aliasing-fixed";

    public AliasingFixedImplementation() {
        super(NAME, AliasingLazyCounter.Variant.FIXED,
                "aliasing with every change of the aliased count atomic (the owner's lazy add, the fold) "
                        + "and the per-CPU pointer published by cmpxchg",
                Verdict.verified("nothing lost or doubled; the price is an atomic owner add (no plain fast path)"));
    }
}
