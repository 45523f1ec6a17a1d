package lazycount.properties;

import static lazycount.properties.Steps.cpuIndex;
import static lazycount.properties.Steps.mutate;
import static lazycount.properties.Steps.step;

import lazycount.catalog.Checks;
import lazycount.catalog.Race;
import lazycount.impl.CounterImplementation;
import lazycount.impl.UnderTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;

/**
 * Model-based property of the per-CPU counter ({@code impl.newPercpuCounter},
 * the eager baseline and the lazy counter's per-CPU mode): adds with the
 * default batch, batch 1 and huge batches, from two threads, read, sum, destroy
 * and misuse (use after destroy, double destroy, batch below 1, a foreign /
 * closed / borrowed CPU section, CPU id out of range, occupied CPU), checked
 * against {@link PercpuCounterMachine}'s model after every step. Sequential
 * half of PERCPU_FOLD_SUM and TEARDOWN: a fold moves exactly what the slot held,
 * the sum walks every CPU and the central count.
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.SEQUENTIAL)
class PercpuCounterModelProperties {

    /** Actions per chain; the deltas are scaled so that this many adds stay in the value domain. */
    private static final int MAX_ACTIONS = 40;

    @Property(tries = 2000)
    void percpuCounterAgreesWithModelAfterEveryStep(@ForAll("setups") PercpuCounterMachine.Setup setup,
            @ForAll("runs") ActionChain<PercpuCounterMachine> run) {
        Steps.withSetup(setup, () -> run
                .withInvariant("sum exact, read within bound", PercpuCounterMachine::checkInvariant)
                .run());
    }

    @Provide
    Arbitrary<PercpuCounterMachine.Setup> setups() {
        return Generators.nrCpus().flatMap(nrCpus ->
                Generators.batches(nrCpus).map(batch -> new PercpuCounterMachine.Setup(nrCpus, batch)));
    }

    @Provide
    Arbitrary<ActionChain<PercpuCounterMachine>> runs() {
        return runs(UnderTest.implementation());
    }

    static ActionChainArbitrary<PercpuCounterMachine> runs(CounterImplementation impl) {
        // 0 means "the counter's own batch" (percpu_counter_add).
        Arbitrary<Integer> addBatches = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.of(1, 2, 3)),
                Tuple.of(1, Arbitraries.just(Integer.MAX_VALUE)));
        Arbitrary<Long> delta = Generators.deltas(MAX_ACTIONS);
        return ActionChain.startWith(() -> new PercpuCounterMachine(impl, Steps.setup(PercpuCounterMachine.Setup.class)))
                .withAction(8, step(Combinators.combine(cpuIndex(), delta, addBatches).as((c, d, b) ->
                        mutate(addName(c, d, b), m -> m.add(c, d, b, false)))))
                .withAction(3, step(Combinators.combine(cpuIndex(), delta, addBatches).as((c, d, b) ->
                        mutate(addName(c, d, b) + " from another thread", m -> m.add(c, d, b, true)))))
                .withAction(2, step("read()", PercpuCounterMachine::read))
                .withAction(2, step("sum()", PercpuCounterMachine::sum))
                .withAction(1, step("destroy()", PercpuCounterMachine::destroy))
                .withAction(1, step(Combinators.combine(cpuIndex(), Arbitraries.of(0, -1, Integer.MIN_VALUE)).as((c, b) ->
                        mutate("addBatch(cpu#" + c + ", 1, batch " + b + ")", m -> m.addWithInvalidBatch(c, b)))))
                .withAction(1, step(Combinators.combine(cpuIndex(), Arbitraries.integers().between(0, 2)).as((c, how) ->
                        mutate("add(cpu#" + c + ") through a " + new String[] {"foreign", "closed", "borrowed"}[how]
                                + " section", m -> m.addThroughWrongSection(c, how)))))
                .withAction(1, step(Arbitraries.integers().between(-3, 3).map(o ->
                        mutate("enter(out-of-range CPU, offset " + o + ")", m -> m.enterCpuOutOfRange(o)))))
                .withAction(1, step(cpuIndex().map(c ->
                        mutate("enter(cpu#" + c + ") while occupied", m -> m.enterOccupiedCpu(c)))))
                .withMaxTransformations(MAX_ACTIONS);
    }

    private static String addName(int cpu, long delta, int batch) {
        return batch == 0 ? "add(cpu#" + cpu + ", " + delta + ")"
                : "addBatch(cpu#" + cpu + ", " + delta + ", batch " + batch + ")";
    }
}
