package lazycount.properties;

import lazycount.impl.UnderTest;
import lazycount.counter.PercpuCounter;
import lazycount.cpu.Cpus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Shared value generators. Every one mixes the common case (small values, few
 * CPUs) with the edges the counters must survive: deltas at {@code Long.MIN_VALUE}
 * and {@code MAX_VALUE} (arithmetic wraps modulo 2^64; for an implementation
 * that declares fewer value bits, scaled to the edge of its domain by
 * {@link ValueDomain#fit}), batch 1 (every add folds)
 * and {@code Integer.MAX_VALUE} (no add folds unless huge), one CPU and
 * {@link Cpus#MAX_CPUS}. Small values shrink first, so counter-examples stay readable.
 */
final class Generators {

    private Generators() {
    }

    static final long[] EXTREME_DELTAS = {
            Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1,
            Integer.MIN_VALUE, Integer.MAX_VALUE, -1L << 62, 1L << 62};

    /**
     * Deltas of both signs for a run of at most {@code maxAdds} adds: small
     * around zero, of the size of common batches (so slots fold now and then),
     * or extreme (at the edge of the implementation's value domain).
     */
    static Arbitrary<Long> deltas(int maxAdds) {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(-4, 4)),
                Tuple.of(4, Arbitraries.longs().between(-300, 300)),
                Tuple.of(1, extremeDeltas(maxAdds)),
                Tuple.of(1, Arbitraries.longs().map(d -> ValueDomain.fit(d, maxAdds))));
    }

    /** {@link #EXTREME_DELTAS}, scaled into the domain for {@code maxAdds} adds. */
    static Arbitrary<Long> extremeDeltas(int maxAdds) {
        return Arbitraries.of(boxed(EXTREME_DELTAS)).map(d -> ValueDomain.fit(d, maxAdds));
    }

    /** Small deltas of both signs (concurrent schedules: values stay readable). */
    static Arbitrary<Long> smallDeltas() {
        return Arbitraries.longs().between(-50, 50);
    }

    /** nrCpus: mostly a handful, sometimes hundreds, sometimes 1 or {@link Cpus#MAX_CPUS}. */
    static Arbitrary<Integer> nrCpus() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 8)),
                Tuple.of(2, Arbitraries.integers().between(9, 512)),
                Tuple.of(1, Arbitraries.integers().between(513, 4096)),
                Tuple.of(1, Arbitraries.of(1, Cpus.MAX_CPUS)));
    }

    /** nrCpus for concurrent schedules: from 1 to thousands, cheap on average. */
    static Arbitrary<Integer> concurrentNrCpus() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 8)),
                Tuple.of(2, Arbitraries.integers().between(9, 256)),
                Tuple.of(1, Arbitraries.integers().between(257, 4096)));
    }

    /** Batches: tiny (folds often), moderate, the kernel default for nrCpus, 1, or huge. */
    static Arbitrary<Integer> batches(int nrCpus) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 8)),
                Tuple.of(3, Arbitraries.integers().between(9, 200)),
                Tuple.of(2, Arbitraries.just(PercpuCounter.defaultBatch(UnderTest.cpus(nrCpus)))),
                Tuple.of(1, Arbitraries.of(1, Integer.MAX_VALUE)));
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
