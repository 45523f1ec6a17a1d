package lazycount.candidate;

import java.util.Arrays;
import lazycount.catalog.Verdict;
import lazycount.counter.EagerRssCounter;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.rss.RssDesign;

/**
 * Candidate {@value #NAME}: Mateusz Guzik's counter-proposal on the RFC's
 * thread, "take care of all 4 counters in each iteration" of the exit walk
 * instead of walking every CPU four times. The counters are the reference's;
 * only the teardown differs: {@code check_mm}'s four sums and the four
 * destroys become one pass over the CPUs that reads each CPU's unit (the four
 * slots side by side, one cache line) once, under the four locks
 * ({@link EagerRssCounter#destroyInOneWalk}, {@code PercpuCounter.destroyMany}).
 * It applies where an mm's four counters share one area: the eager design
 * ({@code percpu_counter_init_many}) and the cached merged block. The lazy
 * design's counters keep the per-counter teardown (an upgraded mm's slots are
 * on one area too, but the lazy words beside them make it a different
 * function; not written).
 */
public class OneWalkImplementation extends CandidateImplementation {

    public static final String NAME = "one-walk";

    public OneWalkImplementation() {
        this(NAME, "the reference counters; an mm's teardown sums its four per-CPU counters in one walk over the"
                        + " CPUs (Guzik), for the eager and the cached merged designs",
                Verdict.verified("the one walk reads the same slots under the same locks as four walks"));
    }

    /** A design built on this one's teardown (the CPU mask walks its marked CPUs in the one walk). */
    protected OneWalkImplementation(String name, String description, Verdict verdict) {
        super(name, description, verdict);
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new LazyPercpuCounter(cpus, batch, policy, this::newPercpuCounter);
    }

    /**
     * In one walk where the four are eager counters on one area (eager, merged); else as the reference
     * (one by one; the tree design's trees together).
     */
    @Override
    public long[] destroyAll(RssCounter[] counters) {
        if (counters.length > 0 && Arrays.stream(counters)
                .allMatch(c -> c instanceof EagerRssCounter e && e.percpu() instanceof PercpuCounter)) {
            return EagerRssCounter.destroyInOneWalk(Arrays.copyOf(counters, counters.length, EagerRssCounter[].class));
        }
        return super.destroyAll(counters);
    }
}
