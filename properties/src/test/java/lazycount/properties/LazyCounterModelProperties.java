package lazycount.properties;

import static lazycount.properties.Steps.cpuIndex;
import static lazycount.properties.Steps.mutate;
import static lazycount.properties.Steps.step;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
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
 * Model-based property of the lazy counter ({@code impl.newLazyCounter}): random
 * sequences of local add, other add (from the owner and from another thread),
 * upgrade (explicit, by the owner, or by the frequency policy where the
 * implementation's contract has it), read, sum, destroy and misuse
 * (use after destroy, double destroy, the local path from a non-owner in lazy
 * mode, CPU id out of range, entering an occupied CPU), checked against
 * {@link LazyCounterMachine}'s model after every step. This is the sequential
 * half of LOCAL_OTHER, OTHER_UPGRADE, LOCAL_UPGRADE and TEARDOWN: whatever the interleaving, every single
 * add must count exactly once in each mode and across the mode change.
 * A failure shrinks to the shortest sequence of steps that breaks the model.
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.SEQUENTIAL)
@Checks(value = Race.LOCAL_SINGLE_WRITER, ops = {Op.LOCAL_ADD})
@Checks(value = Race.TEARDOWN, ops = {Op.DESTROY})
class LazyCounterModelProperties {

    /** Actions per chain; the deltas are scaled so that this many adds stay in the value domain. */
    private static final int MAX_ACTIONS = 40;

    @Property(tries = 2000)
    void lazyCounterAgreesWithModelAfterEveryStep(@ForAll("setups") LazyCounterMachine.Setup setup,
            @ForAll("runs") ActionChain<LazyCounterMachine> run) {
        Steps.withSetup(setup, () -> run
                .withInvariant("sum exact, read within bound, mode as modelled", LazyCounterMachine::checkInvariant)
                .run());
    }

    @Provide
    Arbitrary<LazyCounterMachine.Setup> setups() {
        // The frequency trigger only where the contract has it: rss_stat's counters never upgrade on it.
        Arbitrary<Long> thresholds = UnderTest.implementation().contract().notCalled().containsKey(Op.UPGRADE_FREQUENCY)
                ? Arbitraries.just(0L)
                : Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.longs().between(1, 6)));
        return Generators.nrCpus().flatMap(nrCpus -> Combinators.combine(Generators.batches(nrCpus), thresholds)
                .as((batch, threshold) -> new LazyCounterMachine.Setup(nrCpus, batch, threshold)));
    }

    @Provide
    Arbitrary<ActionChain<LazyCounterMachine>> runs() {
        return runs(UnderTest.implementation());
    }

    /** Runs of the lazy counter of {@code impl}; the setup comes from {@link Steps#withSetup}. */
    static ActionChainArbitrary<LazyCounterMachine> runs(CounterImplementation impl) {
        return ActionChain.startWith(() -> new LazyCounterMachine(impl, Steps.setup(LazyCounterMachine.Setup.class)))
                .withAction(6, step(Combinators.combine(cpuIndex(), delta()).as((c, d) ->
                        mutate("addLocal(cpu#" + c + ", " + d + ")", x -> x.localAdd(c, d)))))
                .withAction(4, step(Combinators.combine(cpuIndex(), delta()).as((c, d) ->
                        mutate("addOther(cpu#" + c + ", " + d + ") from another thread", x -> x.otherAdd(c, d, false)))))
                .withAction(2, step(Combinators.combine(cpuIndex(), delta()).as((c, d) ->
                        mutate("addOther(cpu#" + c + ", " + d + ") from the owner", x -> x.otherAdd(c, d, true)))))
                .withAction(2, step(Combinators.combine(cpuIndex(), delta()).as((c, d) ->
                        mutate("addLocal(cpu#" + c + ", " + d + ") from a non-owner", x -> x.strangerLocalAdd(c, d)))))
                .withAction(2, step("upgrade()", LazyCounterMachine::upgrade))
                .withAction(1, step("upgrade() while the per-CPU allocation fails",
                        LazyCounterMachine::upgradeWhileAllocationFails))
                .withAction(1, step(Combinators.combine(cpuIndex(), delta()).as((c, d) ->
                        mutate("addOther(cpu#" + c + ", " + d + ") from another thread while the per-CPU allocation fails",
                                x -> x.otherAddWhileAllocationFails(c, d)))))
                .withAction(2, step("read()", LazyCounterMachine::read))
                .withAction(2, step("sum()", LazyCounterMachine::sum))
                .withAction(1, step("destroy()", LazyCounterMachine::destroy))
                .withAction(1, step(Arbitraries.integers().between(-3, 3).map(c ->
                        mutate("enter(out-of-range CPU, offset " + c + ")", x -> x.enterCpuOutOfRange(c)))))
                .withAction(1, step(cpuIndex().map(c ->
                        mutate("enter(cpu#" + c + ") while occupied", x -> x.enterOccupiedCpu(c)))))
                .withMaxTransformations(MAX_ACTIONS);
    }

    private static Arbitrary<Long> delta() {
        return Generators.deltas(MAX_ACTIONS);
    }
}
