package lazycount.properties;

import java.util.ArrayList;
import java.util.List;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.rss.RssDesign;
import lazycount.impl.UnderTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Generated concurrent schedules run on real threads released together from a
 * start line (LOCAL_OTHER, OTHER_UPGRADE, READ_SUM, PERCPU_FOLD_SUM, TEARDOWN and the mm lifecycle races under real concurrency).
 * After joining, what must be exact is exact: the precise sum, the teardown
 * value, check_mm; the quiescent read is within its documented bound; a
 * concurrent reader of a growing counter never sees it shrink.
 *
 * <p>A try costs a few milliseconds (at most 4 updaters of at most 20000
 * operations); a lost or doubled increment under a race shows up in some tries
 * rather than all, which is what the number of tries is for. A failure prints
 * the schedule and its seed; shrinking reduces threads, operations and deltas,
 * but a race may not reproduce on every replay, so the shrunk schedule is the
 * smallest one that still failed while shrinking.
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.LOCAL_OTHER, ops = {Op.LOCAL_ADD, Op.OTHER_ADD, Op.OTHER_ADD, Op.SUM})
@Checks(value = Race.OTHER_UPGRADE, ops = {Op.OTHER_ADD, Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.SUM}, everyPair = true)
@Checks(value = Race.OTHER_OTHER)
@Checks(value = Race.OTHER_UPGRADE)
@Checks(value = Race.PERCPU_FOLD_SUM, ops = {Op.PERCPU_ADD, Op.FOLD, Op.SUM})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.OTHER_ADD, Op.LOCAL_ADD})
@Checks(value = Race.CLONE_VM, ops = {Op.UPGRADE_CLONE_VM, Op.LOCAL_ADD, Op.OTHER_ADD})
@Checks(value = Race.EXIT_CHECK_MM)
@Checks(value = Race.TEARDOWN, ops = {Op.DESTROY})
class ConcurrentScheduleProperties {

    @Property(tries = 1500)
    void lazyCounterCountsEveryAddExactlyOnce(@ForAll("lazySchedules") Schedule schedule) {
        ScheduleRunner.runLazyCounter(UnderTest.implementation(), schedule);
    }

    @Property(tries = 800)
    void percpuCounterCountsEveryAddExactlyOnce(@ForAll("percpuSchedules") Schedule schedule) {
        ScheduleRunner.runPercpuCounter(UnderTest.implementation(), schedule);
    }

    @Property(tries = 800)
    void mmCountersAreExactAtTeardown(@ForAll RssDesign design, @ForAll("mmSchedules") Schedule schedule) {
        ScheduleRunner.runMm(UnderTest.implementation(), design, schedule);
    }

    @Provide
    Arbitrary<Schedule> lazySchedules() {
        return schedules(true);
    }

    @Provide
    Arbitrary<Schedule> percpuSchedules() {
        return schedules(false);
    }

    @Provide
    Arbitrary<Schedule> mmSchedules() {
        return schedules(true);
    }

    /**
     * 1 to 4 updaters; thread 0 on the local or the other path, the rest on the
     * other path; 0 to 20000 operations each; each cycling 1 to 3 deltas of both
     * signs (rarely extreme ones); the upgrade, if any, by any thread before any
     * of its operations; sometimes a concurrent reader.
     */
    private static final int MAX_THREADS = 4;
    private static final int MAX_OPS = 20_000;

    static Arbitrary<Schedule> schedules(boolean withUpgrade) {
        Arbitrary<Integer> ops = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(3, Arbitraries.integers().between(1, 60)),
                Tuple.of(3, Arbitraries.integers().between(61, 2000)),
                Tuple.of(2, Arbitraries.integers().between(2001, MAX_OPS)));
        Arbitrary<Long> delta = Arbitraries.frequencyOf(
                Tuple.of(12, Generators.smallDeltas()),
                Tuple.of(1, Generators.extremeDeltas(MAX_THREADS * MAX_OPS)));
        Arbitrary<List<Long>> deltaCycle = delta.list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Schedule.ThreadPlan> otherPlan = Combinators.combine(ops, deltaCycle)
                .as((n, d) -> new Schedule.ThreadPlan(Schedule.Path.OTHER, n, d));
        Arbitrary<Schedule.ThreadPlan> firstPlan = Combinators.combine(
                        Arbitraries.of(Schedule.Path.LOCAL, Schedule.Path.OTHER), ops, deltaCycle)
                .as(Schedule.ThreadPlan::new);
        Arbitrary<List<Schedule.ThreadPlan>> plans = Combinators.combine(firstPlan, otherPlan.list().ofMaxSize(MAX_THREADS - 1))
                .as((first, others) -> {
                    List<Schedule.ThreadPlan> all = new ArrayList<>();
                    all.add(first);
                    all.addAll(others);
                    return all;
                });
        Arbitrary<Integer> upgradeAt = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 2000)),
                Tuple.of(1, Arbitraries.integers().between(2001, 20_000)));
        return Generators.concurrentNrCpus().flatMap(nrCpus ->
                Combinators.combine(Generators.batches(nrCpus), plans, Arbitraries.integers().between(-1, 3),
                                upgradeAt, Arbitraries.of(false, true))
                        .as((batch, threads, upgrader, at, reader) -> new Schedule(nrCpus, batch, threads,
                                withUpgrade && upgrader < threads.size() ? upgrader : -1, at, reader)));
    }
}
