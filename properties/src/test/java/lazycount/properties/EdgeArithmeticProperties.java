package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import java.util.List;
import lazycount.catalog.Checks;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.impl.UnderTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Overflow behaviour, decided and documented in {@code BatchedCounter} and
 * {@code RssCounter}: the counters' arithmetic is modulo 2^64 (two's complement
 * wrap-around of the s64 {@code count}; the kernel builds with
 * {@code -fno-strict-overflow}), in every mode and through every fold, for an
 * implementation that keeps 64 value bits; one that declares fewer
 * ({@code CounterImplementation.valueBits()}, the RFC's 63-bit tagged word) is
 * checked inside its domain instead ({@link ValueDomain}: the deltas are scaled
 * to its edge, and the wrap example becomes "the top of the domain"). The model
 * is plain Java {@code long} addition. Deltas come from the extremes
 * ({@code Long.MIN_VALUE}, {@code MAX_VALUE} and neighbours) as well as the
 * whole range; batches are 1
 * (every add folds), 2, the kernel default and {@code Integer.MAX_VALUE} (only
 * huge deltas fold); nrCpus is 1, 2 or {@link Cpus#MAX_CPUS}.
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.SEQUENTIAL)
class EdgeArithmeticProperties {

    @Property(tries = 1000)
    void arithmeticWrapsModulo2To64(@ForAll CounterUnderTest shape, @ForAll("edgeNrCpus") int nrCpus,
            @ForAll("edgeBatches") int batch, @ForAll("edgeDeltas") List<Long> deltas) {
        Cpus cpus = UnderTest.cpus(nrCpus);
        int effectiveBatch = batch == 0 ? lazycount.counter.PercpuCounter.defaultBatch(cpus) : batch;
        CounterUnderTest.Face counter = shape.build(UnderTest.implementation(), cpus, effectiveBatch);
        long wrapped = 0;
        for (int op = 0; op < deltas.size(); op++) {
            // Alternate between the first and the last CPU: both ends of every slot walk.
            try (CpuSection s = cpus.enter(op % 2 == 0 ? 0 : nrCpus - 1)) {
                counter.add(s, deltas.get(op), op);
            }
            wrapped += deltas.get(op);
        }
        long expected = wrapped;
        String what = shape + " counter, nrCpus " + nrCpus + ", batch " + effectiveBatch + ", deltas " + deltas;
        assertExact(counter.sum(), expected, () -> "sum() (modulo 2^64, " + ValueDomain.bits() + " value bits) of " + what);
        assertWithinBound(counter.read(), expected, counter.declaredBound(), () -> "read() (modulo 2^64) of " + what);
        assertExact(counter.destroy(), expected, () -> "destroy() (modulo 2^64) of " + what);
    }

    /**
     * 64 value bits: {@code MAX_VALUE + 1} is {@code MIN_VALUE}. Fewer: the
     * domain's top ({@code (top - 1) + 1}) is reached exactly (on an mm, whose
     * teardown subtracts it again, half of it).
     */
    @Example
    void maxPlusOneIsMinInEveryShapeAndDesign() {
        long first = ValueDomain.wraps() ? Long.MAX_VALUE : ValueDomain.max() - 1;
        long expected = first + 1;
        for (CounterUnderTest shape : CounterUnderTest.values()) {
            for (int batch : new int[] {1, Integer.MAX_VALUE}) {
                Cpus cpus = UnderTest.cpus(2);
                CounterUnderTest.Face counter = shape.build(UnderTest.implementation(), cpus, batch);
                try (CpuSection s = cpus.enter(0)) {
                    counter.add(s, first, 0);
                }
                try (CpuSection s = cpus.enter(1)) {
                    counter.add(s, 1, 1);
                }
                assertExact(counter.sum(), expected, () -> first + " + 1 on " + shape + ", batch " + batch);
            }
        }
        // Teardown unmaps the value again: half the domain, so that it stays inside.
        long firstOnMm = ValueDomain.wraps() ? first : ValueDomain.max() / 2 - 1;
        for (RssDesign design : RssDesign.values()) {
            Cpus cpus = UnderTest.cpus(1);
            Mm mm = Mm.exec(UnderTest.implementation(), cpus, design, UnderTest.policy());
            try (CpuSection s = cpus.enter(0)) {
                mm.add(s, RssMember.ANONPAGES, firstOnMm);
                mm.addRemote(s, RssMember.ANONPAGES, 1);
                assertExact(mm.sum(RssMember.ANONPAGES), firstOnMm + 1, () -> firstOnMm + " + 1 on an mm, " + design);
                if (ValueDomain.wraps()) {
                    mm.add(s, RssMember.ANONPAGES, Long.MAX_VALUE);   // back to -1, then past 0 at teardown
                    mm.add(s, RssMember.ANONPAGES, 2);
                }
                if (!mm.exit(s) || !mm.checkMmReport().isEmpty()) {
                    throw new AssertionError("teardown at the edge of the value domain, " + design + ": "
                            + mm.checkMmReport());
                }
            }
        }
    }

    @Provide
    Arbitrary<Integer> edgeNrCpus() {
        return Arbitraries.of(1, 2, Cpus.MAX_CPUS);
    }

    /** 0 stands for the kernel default for the nrCpus. */
    @Provide
    Arbitrary<Integer> edgeBatches() {
        return Arbitraries.of(1, 2, 0, Integer.MAX_VALUE);
    }

    private static final int MAX_DELTAS = 12;

    @Provide
    Arbitrary<List<Long>> edgeDeltas() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Generators.extremeDeltas(MAX_DELTAS)),
                Tuple.of(2, Arbitraries.longs().map(d -> ValueDomain.fit(d, MAX_DELTAS))),
                Tuple.of(1, Arbitraries.longs().between(-3, 3))).list().ofMinSize(1).ofMaxSize(MAX_DELTAS);
    }
}
