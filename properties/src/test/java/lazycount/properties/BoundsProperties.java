package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import java.util.List;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.testkit.CheckRunner;
import lazycount.impl.UnderTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The approximate read's promise (READ_SUM and PERCPU_FOLD_SUM, quiescent):
 * after any adds made with the counter's batch, {@code read()} is within
 * {@code nrCpus * (batch - 1)} of the exact value in per-CPU mode and equal to
 * it in lazy mode, while {@code sum()} and {@code destroy()} are exact. And the
 * bound is tight: {@code batch - 1} on every CPU folds nothing, so read() is
 * exactly that far off, which is what lets the bound be stated as it is.
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.READ_SUM, ops = {Op.READ})
@Checks(value = Race.SEQUENTIAL)
@Checks(value = Race.READ_SUM, ops = {Op.READ}, kind = Checks.Kind.FIDELITY)
class BoundsProperties {

    record Add(int cpuIndex, long delta) {
        @Override
        public String toString() {
            return "cpu#" + cpuIndex + ":" + delta;
        }
    }

    @Property(tries = 1000)
    void quiescentReadIsWithinDeclaredBound(@ForAll CounterUnderTest shape, @ForAll("nrCpus") int nrCpus,
            @ForAll @IntRange(min = 1, max = 300) int batch, @ForAll("adds") List<Add> adds) {
        Cpus cpus = UnderTest.cpus(nrCpus);
        CounterUnderTest.Face counter = shape.build(UnderTest.implementation(), cpus, batch);
        long value = 0;
        for (int op = 0; op < adds.size(); op++) {
            Add add = adds.get(op);
            try (CpuSection s = cpus.enter(Steps.cpuOf(add.cpuIndex(), nrCpus))) {
                counter.add(s, add.delta(), op);
            }
            value += add.delta();
            long expected = value;
            String what = shape + " counter, nrCpus " + nrCpus + ", batch " + batch + ", after " + (op + 1) + " adds";
            assertWithinBound(counter.read(), expected, counter.declaredBound(), () -> "read() of " + what);
        }
        long expected = value;
        assertExact(counter.sum(), expected, () -> "sum() of " + shape + " after " + adds);
        assertExact(counter.destroy(), expected, () -> "destroy() of " + shape + " after " + adds);
    }

    /** Fidelity: the kernel's read() is the central count alone, so its bound is reached and declared as such. */
    @Property(tries = 200)
    @Tag(CheckRunner.FIDELITY)
    void readBoundIsTightWhenEveryCpuHoldsBatchMinusOne(@ForAll("perCpuShapes") CounterUnderTest shape,
            @ForAll("nrCpus") int nrCpus, @ForAll @IntRange(min = 1, max = 300) int batch, @ForAll boolean negative) {
        Cpus cpus = UnderTest.cpus(nrCpus);
        CounterUnderTest.Face counter = shape.build(UnderTest.implementation(), cpus, batch);
        long each = negative ? -(batch - 1L) : batch - 1L;
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            try (CpuSection s = cpus.enter(cpu)) {
                counter.add(s, each, cpu);
            }
        }
        long expected = each * nrCpus;
        String what = shape + " counter, nrCpus " + nrCpus + ", batch " + batch + ", " + each + " on every CPU";
        assertExact(counter.read(), 0, () -> "read() of " + what + " (no slot reached the batch, nothing folded)");
        assertExact(counter.sum(), expected, () -> "sum() of " + what);
        assertExact(Math.abs(expected), counter.documentedBound(), () -> "the documented bound, attained by " + what);
        assertExact(counter.declaredBound(), counter.documentedBound(), () -> "the bound declared by " + what);
    }

    @Provide
    Arbitrary<CounterUnderTest> perCpuShapes() {
        return Arbitraries.of(CounterUnderTest.PERCPU, CounterUnderTest.LAZY_UPGRADED);
    }

    @Provide
    Arbitrary<Integer> nrCpus() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(1, 16)),
                Tuple.of(1, Arbitraries.integers().between(17, 2048)));
    }

    @Provide
    Arbitrary<List<Add>> adds() {
        Arbitrary<Long> delta = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(-5, 5)),
                Tuple.of(2, Arbitraries.longs().between(-700, 700)));
        return Combinators.combine(Steps.cpuIndex(), delta).as(Add::new).list().ofMaxSize(60);
    }
}
