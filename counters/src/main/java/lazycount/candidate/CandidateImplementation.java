package lazycount.candidate;

import lazycount.impl.CounterImplementation;

/**
 * Base of a candidate protocol: a lazy counter a kernel patch could use, whose
 * verdict is not known in advance. Its per-CPU counter is the reference
 * reference {@code PercpuCounter} unless the candidate says otherwise; what it defines is
 * the lazy counter ({@link #newLazyCounter}) and, where it shares one per-CPU
 * allocation among an mm's counters, {@link #upgradeAll}.
 */
public abstract class CandidateImplementation implements CounterImplementation {

    private final String name;
    private final String description;

    protected CandidateImplementation(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Kind kind() {
        return Kind.CANDIDATE;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public String toString() {
        return "candidate " + name;
    }
}
