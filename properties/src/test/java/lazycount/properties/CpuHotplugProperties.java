package lazycount.properties;

import static lazycount.properties.Steps.cpuIndex;
import static lazycount.properties.Steps.mutate;
import static lazycount.properties.Steps.step;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.BatchedCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.testkit.Quiescent;
import lazycount.testing.StartBarrier;
import lazycount.impl.UnderTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;

/**
 * CPU hotplug ({@code cpu_down}, {@code percpu_counter_cpu_dead}, {@code cpu_up})
 * against the lazy counter and its per-CPU counter.
 *
 * <ul>
 * <li>A model-based run ({@link HotplugMachine}): adds on both paths, upgrades,
 *     CPUs taken down and brought up, each hotplug operation sometimes left half
 *     done for a few steps; after every step the sum is exact and read() within
 *     its declared bound; entering a CPU that is not online, and each hotplug
 *     misuse, is refused by name.
 * <li>Two races on real threads released together: a CPU dying while another
 *     CPU's add folds and sums, and a CPU dying right after an add while the
 *     counter is being upgraded. After joining: exact sums, read within bound,
 *     and a sum while the dead CPU boots again (in neither mask) still exact.
 * </ul>
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.HOTPLUG_FOLD, ops = {Op.CPU_DEAD, Op.SUM, Op.LOCAL_ADD, Op.OTHER_ADD})
@Checks(value = Race.HOTPLUG_FOLD, ops = {Op.CPU_DEAD, Op.FOLD, Op.SUM})
@Checks(value = Race.HOTPLUG_UPGRADE, ops = {Op.UPGRADE, Op.OTHER_ADD, Op.CPU_DEAD})
class CpuHotplugProperties {

    private static final int MAX_ACTIONS = 40;

    @Property(tries = 1000)
    void countsSurviveCpusGoingDownAndUp(@ForAll("setups") HotplugMachine.Setup setup,
            @ForAll("runs") ActionChain<HotplugMachine> run) {
        Steps.withSetup(setup, () -> run
                .withInvariant("sum exact, read within bound", HotplugMachine::checkInvariant)
                .run());
    }

    @Provide
    Arbitrary<HotplugMachine.Setup> setups() {
        return Arbitraries.integers().between(2, 8).flatMap(nrCpus -> Generators.batches(nrCpus)
                .map(batch -> new HotplugMachine.Setup(nrCpus, batch)));
    }

    @Provide
    Arbitrary<ActionChain<HotplugMachine>> runs() {
        return runs(UnderTest.implementation());
    }

    static ActionChainArbitrary<HotplugMachine> runs(CounterImplementation impl) {
        Arbitrary<Long> delta = Generators.deltas(MAX_ACTIONS);
        return ActionChain.startWith(() -> new HotplugMachine(impl, Steps.setup(HotplugMachine.Setup.class)))
                .withAction(5, step(net.jqwik.api.Combinators.combine(cpuIndex(), delta).as((c, d) ->
                        mutate("addLocal(cpu#" + c + ", " + d + ")", x -> x.localAdd(c, d)))))
                .withAction(5, step(net.jqwik.api.Combinators.combine(cpuIndex(), delta).as((c, d) ->
                        mutate("addOther(cpu#" + c + ", " + d + ") from another thread", x -> x.otherAdd(c, d)))))
                .withAction(2, step("upgrade()", HotplugMachine::upgrade))
                .withAction(3, step(cpuIndex().map(c -> mutate("start cpu_down(cpu#" + c + ")", x -> x.startTakeDown(c)))))
                .withAction(2, step(cpuIndex().map(c -> mutate("start cpu_up(cpu#" + c + ")", x -> x.startBringUp(c)))))
                .withAction(3, step("finish the hotplug operation", HotplugMachine::finishHotplug))
                .withAction(1, step(cpuIndex().map(c -> mutate("cpu_down(cpu#" + c + ") with preemption disabled",
                        x -> x.hotplugWithPreemptionDisabled(c)))))
                .withAction(2, step("sum()", HotplugMachine::sum))
                .withMaxTransformations(MAX_ACTIONS);
    }

    /**
     * CPU 1 holds {@code inSlot} (below the batch) and goes down while CPU 0
     * adds {@code folding} (at least the batch: it folds) and then sums.
     */
    @Property(tries = 300)
    void aDyingCpuIsFoldedOnceWhileAnotherFoldsAndSums(@ForAll @IntRange(min = 1, max = 3) int inSlot,
            @ForAll @IntRange(min = 4, max = 40) int folding) {
        Cpus cpus = UnderTest.cpus(2);
        BatchedCounter counter = UnderTest.implementation().newPercpuCounter(cpus, 4);
        try (CpuSection cpu = cpus.enterWhenFree(1)) {
            counter.add(cpu, inSlot);
        }
        long expected = inSlot + folding;
        long[] racingSum = new long[1];
        StartBarrier race = new StartBarrier(2);
        race.worker("cpu0", () -> { }, () -> {
            try (CpuSection cpu = cpus.enterWhenFree(0)) {
                counter.add(cpu, folding);
            }
            racingSum[0] = counter.sum();
        });
        race.worker("hotplug", () -> { }, () -> cpus.takeDown(1));
        race.runAll();
        require(racingSum[0] == expected, "a sum after CPU 0's add, racing CPU 1 going down, was " + racingSum[0]
                + "; the adds total " + expected);
        Quiescent.checkThenDestroy(counter, expected);
    }

    /** The counter is upgraded while CPU 1 takes an add on the other path and then goes down. */
    @Property(tries = 300)
    void anUpgradeRacingADyingCpuLeavesNothingOnIt(@ForAll @IntRange(min = 2, max = 8) int batch) {
        Cpus cpus = UnderTest.cpus(2);
        RssCounter counter = UnderTest.implementation().newLazyCounter(cpus, batch, UpgradePolicy.NEVER);
        StartBarrier race = new StartBarrier(2);
        race.worker("upgrader", () -> { }, counter::upgrade);
        race.worker("cpu1", () -> { }, () -> {
            try (CpuSection cpu = cpus.enterWhenFree(1)) {
                counter.addOther(cpu, 1);
            }
            cpus.takeDown(1);
        });
        race.runAll();
        try (CpuSection cpu = cpus.enterWhenFree(0)) {
            counter.addOther(cpu, batch - 1);                     // fills CPU 0's slot up to the bound
        }
        require(Quiescent.readWithinBound(counter), "with CPU 1 down, read() = " + counter.read() + " is more than "
                + counter.readErrorBound() + " from sum() = " + counter.sum() + ": the add was left on the dead CPU");
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        long whileBooting = counter.sum();
        up.finish();
        require(whileBooting == batch, "sum() = " + whileBooting + " while CPU 1 boots, but the adds total " + batch);
        Quiescent.checkThenDestroy(counter, batch);
    }

    private static void require(boolean holds, String violation) {
        if (!holds) {
            throw new AssertionError(violation);
        }
    }
}
