package lazycount.mutants;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.rss.RssDesign;

/**
 * Base of every mutant: the reference implementation except for one step of
 * the real code, overridden in the mutant's own subclass of
 * {@link lazycount.counter.PercpuCounter}, {@link lazycount.counter.LazyPercpuCounter}
 * or {@link lazycount.rss.Mm}. Each mutant declares the race it breaks and the
 * tools expected to catch it, or why none can here.
 */
public abstract class MutantImplementation implements CounterImplementation {

    private final String name;
    private final Race race;
    private final Set<Tool> catchers;
    private final String breaks;
    private final String unobservableBecause;

    /** A mutant that {@code catchers} are expected to catch (the gate checks each of them does). */
    protected MutantImplementation(String name, Race race, Set<Tool> catchers, String breaks) {
        this(name, race, catchers, breaks, "");
        if (catchers.isEmpty()) {
            throw new IllegalArgumentException(name + ": a catchable mutant names the tools that catch it");
        }
    }

    /** A mutant no tool can catch here, with the argument. */
    protected MutantImplementation(String name, Race race, String breaks, String unobservableBecause) {
        this(name, race, Set.of(), breaks, unobservableBecause);
        if (unobservableBecause.isEmpty()) {
            throw new IllegalArgumentException(name + ": an unobservable mutant says why");
        }
    }

    private MutantImplementation(String name, Race race, Set<Tool> catchers, String breaks, String unobservable) {
        if (breaks.isEmpty()) {
            throw new IllegalArgumentException("a mutant must say what it breaks: " + name);
        }
        this.name = name;
        this.race = race;
        this.catchers = Set.copyOf(catchers);
        this.breaks = breaks;
        this.unobservableBecause = unobservable;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Kind kind() {
        return Kind.MUTANT;
    }

    @Override
    public final String breaks() {
        return breaks;
    }

    @Override
    public final Race race() {
        return race;
    }

    @Override
    public final Set<Tool> expectedCatchers() {
        return catchers;
    }

    @Override
    public final String unobservableBecause() {
        return unobservableBecause;
    }

    /** The reference lazy counter, its per-CPU mode built by {@link #newPercpuCounter(lazycount.counter.PercpuArea, int, int)}. */
    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new LazyPercpuCounter(cpus, batch, policy, this::newPercpuCounter);
    }

    /** {@link CounterImplementation#newRssCounters}'s default, for subclasses that override it. */
    protected final RssCounter[] defaultRssCounters(Cpus cpus, RssDesign design) {
        return CounterImplementation.super.newRssCounters(cpus, design);
    }

    @Override
    public String toString() {
        return "mutant " + name;
    }
}
