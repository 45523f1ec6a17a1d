package lazycount.impl;

/** The counters as designed: every {@link lazycount.rss.CounterFactory} seam at its default. */
public final class ReferenceImplementation implements CounterImplementation {

    public static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "two words (plain local, atomic remote) that stay in the sum; the upgrade only publishes the per-CPU pointer";
    }
}
