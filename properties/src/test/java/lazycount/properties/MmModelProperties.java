package lazycount.properties;

import static lazycount.properties.Steps.cpuIndex;
import static lazycount.properties.Steps.mutate;
import static lazycount.properties.Steps.step;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.impl.CounterImplementation;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
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
 * Model-based property of the rss_stat lifecycle ({@code Mm.exec(impl, cpus,
 * design)}, eager and lazy): page-table changes from the task (local path) and
 * from other contexts, remote updates under temporary references, fork (child
 * filled from the parent's context, then living and exiting on its own thread),
 * {@code CLONE_VM} (forced upgrade before the second task runs), vfork (the
 * child on the parent's mm while the parent sleeps), a {@code kthread_use_mm}
 * borrower (never on the plain local path of a lazy counter), a clone whose
 * upgrade cannot allocate (-ENOMEM, nothing changed), exit, and
 * misuse (updates after teardown, exit/fork/clone by a non-task, an extra
 * mmput, check_mm before teardown), checked against {@link MmMachine}'s model
 * after every step. FORK, CLONE_VM and EXIT_CHECK_MM, sequentially: after every step each
 * counter equals what the page tables map, and check_mm is clean.
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.SEQUENTIAL)
@Checks(value = Race.CLONE_VM, ops = {Op.UPGRADE_CLONE_VM})
@Checks(value = Race.EXIT_CHECK_MM, ops = {Op.EXIT, Op.MMGET, Op.MMPUT})
@Checks(value = Race.FORK, ops = {Op.FORK_FILL})
@Checks(value = Race.TEARDOWN, ops = {Op.DESTROY})
@Checks(value = Race.VFORK, ops = {Op.VFORK_CHILD, Op.LOCAL_ADD})
@Checks(value = Race.BORROWER, ops = {Op.BORROWER_ADD})
@Checks(value = Race.CLONE_ENOMEM, ops = {Op.CLONE_ENOMEM})
class MmModelProperties {

    @Property(tries = 1000)
    void mmAgreesWithModelAfterEveryStep(@ForAll("setups") MmMachine.Setup setup,
            @ForAll("runs") ActionChain<MmMachine> run) {
        Steps.withSetup(setup, () -> run
                .withInvariant("counters equal mapped pages, reads within bound, lifecycle as modelled",
                        MmMachine::checkInvariant)
                .run());
    }

    @Provide
    Arbitrary<MmMachine.Setup> setups() {
        return Combinators.combine(Generators.nrCpus(), Arbitraries.of(RssDesign.class)).as(MmMachine.Setup::new);
    }

    @Provide
    Arbitrary<ActionChain<MmMachine>> runs() {
        return runs(UnderTest.implementation());
    }

    static ActionChainArbitrary<MmMachine> runs(CounterImplementation impl) {
        Arbitrary<RssMember> member = Arbitraries.of(RssMember.class);
        Arbitrary<Long> pages = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(-3, 3)),
                Tuple.of(2, Arbitraries.longs().between(-1000, 1000)));
        return ActionChain.startWith(() -> new MmMachine(impl, Steps.setup(MmMachine.Setup.class)))
                .withAction(6, step(Combinators.combine(cpuIndex(), member, pages).as((c, m, d) ->
                        mutate("add(cpu#" + c + ", " + m + ", " + d + ") by the first task",
                                x -> x.add(c, m, d, false, false)))))
                .withAction(3, step(Combinators.combine(cpuIndex(), member, pages).as((c, m, d) ->
                        mutate("add(cpu#" + c + ", " + m + ", " + d + ") by the second thread",
                                x -> x.add(c, m, d, true, false)))))
                .withAction(2, step(Combinators.combine(cpuIndex(), member, pages, Arbitraries.of(false, true))
                        .as((c, m, d, byStranger) -> mutate("addRemote(cpu#" + c + ", " + m + ", " + d + ") by the "
                                + (byStranger ? "second thread" : "first task"), x -> x.add(c, m, d, byStranger, true)))))
                .withAction(1, step("cloneVm(second thread)", MmMachine::cloneVm))
                .withAction(1, step("cloneThread(second thread) while the allocation fails",
                        MmMachine::cloneUnderMemoryPressure))
                .withAction(1, step(Combinators.combine(cpuIndex(), pages, pages).as((c, child, parent) ->
                        mutate("vfork(cpu#" + c + "): the child adds " + child + " and exits, then the parent adds "
                                + parent, x -> x.vfork(c, child, parent)))))
                .withAction(2, step(Combinators.combine(cpuIndex(), member, pages).as((c, m, d) ->
                        mutate("kthread_use_mm; add(cpu#" + c + ", " + m + ", " + d + "); kthread_unuse_mm by the second"
                                + " thread", x -> x.borrowerAdds(c, m, d)))))
                .withAction(1, step(Combinators.combine(cpuIndex(), pages).as((c, d) ->
                        mutate("fork(cpu#" + c + "), child adds " + d + " and exits", x -> x.fork(c, d)))))
                .withAction(2, step("mmgetNotZero() by the second thread", MmMachine::strangerGetsReference))
                .withAction(2, step(cpuIndex().map(c ->
                        mutate("mmput(cpu#" + c + ") by the second thread", x -> x.strangerDropsReference(c)))))
                .withAction(1, step(cpuIndex().map(c -> mutate("exit(cpu#" + c + ") by the first task", x -> x.exit(c, false)))))
                .withAction(1, step(cpuIndex().map(c -> mutate("exit(cpu#" + c + ") by the second thread", x -> x.exit(c, true)))))
                .withAction(1, step("checkMmReport() before teardown", MmMachine::checkMmReportBeforeTeardown))
                .withMaxTransformations(40);
    }
}
