package lazycount.candidate;

import java.util.Arrays;
import java.util.function.Consumer;
import lazycount.catalog.Verdict;
import lazycount.counter.RssCounter;
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
    private final Verdict verdict;

    /**
     * @param verdict what {@code ./verify-suite} found, or null while undecided;
     *                the gate then keeps it true
     */
    protected CandidateImplementation(String name, String description, Verdict verdict) {
        this.name = name;
        this.description = description;
        this.verdict = verdict;
    }

    @Override
    public final Verdict recordedVerdict() {
        return verdict;
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

    /**
     * {@link #upgradeAll} for a candidate whose counters share one per-CPU
     * allocation: its own {@code shared} upgrade when every counter is of its
     * class ({@code arrayType} is that class's array), else the default.
     */
    protected final <C extends RssCounter> void upgradeAllSharing(RssCounter[] counters, Class<C[]> arrayType,
            Consumer<C[]> shared) {
        Class<?> type = arrayType.getComponentType();
        if (Arrays.stream(counters).allMatch(type::isInstance)) {
            shared.accept(Arrays.copyOf(counters, counters.length, arrayType));
        } else {
            CounterImplementation.super.upgradeAll(counters);
        }
    }

    /** {@link CounterImplementation#newRssCounters}'s default, for subclasses that override it. */
    protected final lazycount.counter.RssCounter[] defaultRssCounters(lazycount.cpu.Cpus cpus,
            lazycount.rss.RssDesign design) {
        return CounterImplementation.super.newRssCounters(cpus, design);
    }

    @Override
    public String toString() {
        return "candidate " + name;
    }
}
