package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertExact;
import static lazycount.properties.ModelAssertions.assertWithinBound;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import lazycount.impl.UnderTest;
import lazycount.counter.BatchedCounter;
import lazycount.counter.Counter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.StartBarrier;
import lazycount.testing.Threads;

/**
 * Runs a {@link Schedule} on real threads against counters of one
 * implementation and checks what must hold once every thread has been joined:
 * the precise sum and the teardown value equal the sum of all deltas (wrapping),
 * the quiescent read is within its bound, and check_mm is clean. During the run,
 * an optional reader checks that concurrent sums of a counter that only grows
 * never decrease, never exceed the final value, and include every add that had
 * completed before the sum began (the updaters publish their completed total
 * with a release store, the reader reads it with acquire before each sum).
 * A sum is not a snapshot, but it lies between the value at its start and the
 * final value.
 */
final class ScheduleRunner {

    private static final int READER_SUMS = 200;

    private ScheduleRunner() {
    }

    /** The lazy counter: thread 0 is the owner (local path if its plan says so), the others use the other path. */
    static void runLazyCounter(CounterImplementation impl, Schedule schedule) {
        Cpus cpus = UnderTest.cpus(schedule.nrCpus());
        RssCounter counter = impl.newLazyCounter(cpus, schedule.batch(), UpgradePolicy.NEVER);
        StartBarrier barrier = new StartBarrier(schedule.threads().size() + (schedule.concurrentReader() ? 1 : 0));
        Progress progress = new Progress(schedule.threads().size());
        for (int t = 0; t < schedule.threads().size(); t++) {
            int thread = t;
            Schedule.ThreadPlan plan = schedule.threads().get(t);
            barrier.worker("updater-" + t, thread == 0 ? counter::bindOwner : () -> { }, () -> {
                for (int op = 0; op <= plan.ops(); op++) {
                    if (schedule.upgradesBefore(thread, op)) {
                        counter.upgrade();
                    }
                    if (op == plan.ops()) {
                        break;
                    }
                    try (CpuSection s = cpus.enterAny(thread)) {
                        if (plan.path() == Schedule.Path.LOCAL) {
                            counter.addLocal(s, plan.delta(op));
                        } else {
                            counter.addOther(s, plan.delta(op));
                        }
                    }
                    progress.completed(thread, plan.delta(op));
                }
            });
        }
        runWithReader(barrier, schedule, progress, counter::sum, "lazy counter " + schedule);

        long expected = schedule.expectedTotal();
        String what = "lazy counter of " + impl.name() + " after " + schedule;
        if (counter.isPerCpu() != schedule.upgrades()) {
            throw new AssertionError("isPerCpu() is " + counter.isPerCpu() + " on " + what);
        }
        checkQuiescent(counter, expected, what);
    }

    /** The per-CPU counter: every thread adds with the counter's batch; paths and upgrade do not apply. */
    static void runPercpuCounter(CounterImplementation impl, Schedule schedule) {
        Cpus cpus = UnderTest.cpus(schedule.nrCpus());
        BatchedCounter counter = impl.newPercpuCounter(cpus, schedule.batch());
        StartBarrier barrier = new StartBarrier(schedule.threads().size() + (schedule.concurrentReader() ? 1 : 0));
        Progress progress = new Progress(schedule.threads().size());
        for (int t = 0; t < schedule.threads().size(); t++) {
            int thread = t;
            Schedule.ThreadPlan plan = schedule.threads().get(t);
            barrier.worker("updater-" + t, () -> { }, () -> {
                for (int op = 0; op < plan.ops(); op++) {
                    try (CpuSection s = cpus.enterAny(thread)) {
                        counter.add(s, plan.delta(op));
                    }
                    progress.completed(thread, plan.delta(op));
                }
            });
        }
        runWithReader(barrier, schedule, progress, counter::sum, "percpu counter " + schedule);

        long expected = schedule.expectedTotal();
        String what = "percpu counter of " + impl.name() + " after " + schedule;
        checkQuiescent(counter, expected, what);
    }

    /** Adds the schedule's concurrent reader (if any) of {@code sum}, then runs every worker. */
    private static void runWithReader(StartBarrier barrier, Schedule schedule, Progress progress, LongSupplier sum,
            String what) {
        addReader(barrier, schedule, progress, sum, what);
        barrier.runAll();
    }

    /** Once every updater is done: sum and teardown value exact, read within the counter's bound. */
    private static void checkQuiescent(Counter counter, long expected, String what) {
        assertExact(counter.sum(), expected, () -> "sum() of " + what);
        assertWithinBound(counter.read(), expected, counter.readErrorBound(), () -> "quiescent read() of " + what);
        assertExact(counter.destroy(), expected, () -> "destroy() of " + what);
    }

    /**
     * The rss_stat lifecycle. Thread 0 is the first task: it execs the mm and adds
     * with {@code mm.add} (the local path). If the schedule upgrades and has a
     * thread 1, the first task calls {@code cloneVm} before its op number
     * {@code upgradeAtOp} (or before exiting) and only then
     * starts thread 1 as the second task (also {@code mm.add}, now a task). Every
     * other thread is a remote context: before the start line it takes a
     * reference ({@code mmget_not_zero}); it adds with {@code addRemote} and drops
     * the reference at the end. Op {@code op} of thread {@code t} updates member
     * {@code (op + t) % 4}. The first task also takes one reference for the
     * checker, so once everybody has left the sums can be checked exactly; the
     * checker's mmput then tears the mm down and check_mm must be clean.
     */
    static void runMm(CounterImplementation impl, RssDesign design, Schedule schedule) {
        Cpus cpus = UnderTest.cpus(schedule.nrCpus());
        int n = schedule.threads().size();
        boolean clones = schedule.upgrades() && n >= 2;
        Mm[] mmBox = new Mm[1];
        CountDownLatch mmReady = new CountDownLatch(1);
        Threads.Task secondTask = !clones ? null : Threads.task("second-task", () -> {
            Mm mm = mmBox[0];
            Schedule.ThreadPlan plan = schedule.threads().get(1);
            for (int op = 0; op < plan.ops(); op++) {
                int o = op;
                onAnyCpu(cpus, 1, s -> mm.add(s, member(o, 1), plan.delta(o)));
            }
            onAnyCpu(cpus, 1, s -> mm.exit(s));
        });

        StartBarrier barrier = new StartBarrier(clones ? n - 1 : n);
        Schedule.ThreadPlan first = schedule.threads().get(0);
        int cloneBeforeOp = Math.min(schedule.upgradeAtOp(), first.ops());   // whichever thread the schedule named
        barrier.worker("first-task", () -> {
            Mm mm = Mm.exec(impl, cpus, design, UnderTest.policy());
            mm.mmgetNotZero();                                 // the checker's reference
            mmBox[0] = mm;
            mmReady.countDown();
        }, () -> {
            Mm mm = mmBox[0];
            for (int op = 0; op <= first.ops(); op++) {
                if (clones && op == cloneBeforeOp) {
                    mm.cloneVm(secondTask.thread());
                    secondTask.start();                        // only after cloneVm returned
                }
                if (op < first.ops()) {
                    int o = op;
                    onAnyCpu(cpus, 0, s -> mm.add(s, member(o, 0), first.delta(o)));
                }
            }
            onAnyCpu(cpus, 0, s -> mm.exit(s));
        });
        for (int t = clones ? 2 : 1; t < n; t++) {
            int thread = t;
            Schedule.ThreadPlan plan = schedule.threads().get(t);
            barrier.worker("remote-" + t, () -> {
                awaitQuietly(mmReady);
                if (!mmBox[0].mmgetNotZero()) {
                    throw new AssertionError("mmgetNotZero() failed on a live mm");
                }
            }, () -> {
                Mm mm = mmBox[0];
                for (int op = 0; op < plan.ops(); op++) {
                    int o = op;
                    onAnyCpu(cpus, thread, s -> mm.addRemote(s, member(o, thread), plan.delta(o)));
                }
                onAnyCpu(cpus, thread, s -> mm.mmput(s));
            });
        }
        barrier.runAll();
        if (secondTask != null) {
            secondTask.finish();
        }

        Mm mm = mmBox[0];
        String what = mm + " after " + schedule;
        for (RssMember m : RssMember.values()) {
            boolean perCpu = design != RssDesign.LAZY || clones;   // CLONE_VM forces the upgrade
            if (mm.counter(m).isPerCpu() != perCpu) {
                throw new AssertionError(m + " counter isPerCpu() is " + !perCpu + " on " + what
                        + (clones ? ": CLONE_VM must upgrade before the second task runs" : ""));
            }
        }
        if (mm.isTornDown()) {
            throw new AssertionError("torn down while the checker still holds a reference: " + what
                    + ", check_mm said " + mm.checkMmReport());
        }
        for (RssMember m : RssMember.values()) {
            long expected = expectedPages(schedule, m);
            long bound = mm.counter(m).readErrorBound();                 // the bound the counter declares
            assertExact(mm.sum(m), expected, () -> "sum(" + m + ") of " + what);
            assertExact(mm.mappedPages(m), expected, () -> "mappedPages(" + m + ") of " + what);
            assertWithinBound(mm.counter(m).read(), expected, bound, () -> "quiescent read of " + m + " of " + what);
        }
        boolean last = onAnyCpuReturning(cpus, 0, mm::mmput);
        if (!last) {
            throw new AssertionError("the checker's mmput was not the last one: " + what);
        }
        if (!mm.checkMmReport().isEmpty()) {
            throw new AssertionError("check_mm of " + what + " reported " + mm.checkMmReport());
        }
    }

    private static long expectedPages(Schedule schedule, RssMember member) {
        long total = 0;
        for (int t = 0; t < schedule.threads().size(); t++) {
            Schedule.ThreadPlan plan = schedule.threads().get(t);
            for (int op = 0; op < plan.ops(); op++) {
                if (member(op, t) == member) {
                    total += plan.delta(op);
                }
            }
        }
        return total;
    }

    private static RssMember member(int op, int thread) {
        return RssMember.values()[(op + thread) % RssMember.values().length];
    }

    private static void onAnyCpu(Cpus cpus, int hint, java.util.function.Consumer<CpuSection> step) {
        try (CpuSection s = cpus.enterAny(hint)) {
            step.accept(s);
        }
    }

    private static <T> T onAnyCpuReturning(Cpus cpus, int hint, java.util.function.Function<CpuSection, T> step) {
        try (CpuSection s = cpus.enterAny(hint)) {
            return step.apply(s);
        }
    }

    private static void addReader(StartBarrier barrier, Schedule schedule, Progress progress, LongSupplier sum,
            String what) {
        if (!schedule.concurrentReader()) {
            return;
        }
        boolean monotonic = schedule.monotonic();
        long finalValue = schedule.expectedTotal();
        barrier.worker("reader", () -> { }, () -> {
            long previous = 0;
            for (int i = 0; i < READER_SUMS; i++) {
                long completedBefore = progress.completedTotal();
                long s = sum.getAsLong();
                if (monotonic && (s < previous || s > finalValue || s < completedBefore)) {
                    throw new AssertionError("concurrent sum() of a counter that only grows returned " + s
                            + " after " + previous + ", with " + completedBefore + " already completed when it"
                            + " began (final value " + finalValue + ") on " + what);
                }
                previous = s;
            }
        });
    }

    /** Each updater's total of completed adds: written by its own thread (release), read by the reader (acquire). */
    private static final class Progress {
        private static final VarHandle DONE = MethodHandles.arrayElementVarHandle(long[].class);
        private final long[] done;

        Progress(int threads) {
            done = new long[threads];
        }

        void completed(int thread, long delta) {
            DONE.setRelease(done, thread, (long) DONE.get(done, thread) + delta);   // single writer per slot
        }

        long completedTotal() {
            long total = 0;
            for (int t = 0; t < done.length; t++) {
                total += (long) DONE.getAcquire(done, t);
            }
            return total;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
