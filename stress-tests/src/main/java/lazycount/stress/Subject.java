package lazycount.stress;

import java.util.function.Supplier;
import lazycount.counter.BatchedCounter;
import lazycount.counter.Counter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.UnderTest;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testkit.Quiescent;
import lazycount.testkit.RacingReads;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;
import org.openjdk.jcstress.infra.results.JJJJ_Result;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * The counters under test, built through what {@link UnderTest} says for this
 * VM (jcstress's forks inherit the settings' environment variables). Read
 * once, when this class is initialised: jcstress creates millions of state
 * objects, and reading the settings per state would dominate the run and hide
 * the races.
 */
final class Subject {

    static final CounterImplementation IMPL = UnderTest.implementation();

    static final RssDesign DESIGN = UnderTest.design();
    static final KernelPolicy POLICY = UnderTest.policy();
    private static final Cpus.Handover HANDOVER = UnderTest.handover();
    private static final Cpus.OwnerCheck OWNER_CHECK = UnderTest.ownerCheck();

    /**
     * The per-CPU batch of every counter in these tests. Small on purpose: an
     * add of 1 or 2 stays in its CPU's slot, an add of 10 or more folds into the
     * central count at once, so each test exercises both halves of
     * {@code percpu_counter_add_batch} and a sum that skips either half is seen.
     */
    static final int BATCH = 4;

    private Subject() {
    }

    /** {@code nrPossible} CPUs of the machine under test. */
    static Cpus cpus(int nrPossible) {
        return IMPL.newCpus(nrPossible, HANDOVER, OWNER_CHECK);
    }

    /** A lazy counter with no owner bound: the owner actor calls {@code bindOwner()} itself. */
    static RssCounter lazyCounter(Cpus cpus, UpgradePolicy policy) {
        return IMPL.newLazyCounter(cpus, BATCH, policy);
    }

    static BatchedCounter percpuCounter(Cpus cpus) {
        return IMPL.newPercpuCounter(cpus, BATCH);
    }

    /** An mm of the selected design with no task: the actor that plays the task attaches itself. */
    static Mm mm(Cpus cpus) {
        return IMPL.newMm(cpus, DESIGN, POLICY);
    }

    /** {@link #mm} whose {@code get_mm_counter} is the precise sum, whatever the run's readers setting. */
    static Mm mmWithPreciseReaders(Cpus cpus) {
        return IMPL.newMm(cpus, DESIGN, POLICY.withReaders(KernelPolicy.Readers.PRECISE));
    }

    /**
     * The hotplug tests' arbiter, once CPU 1 has died: fills CPU 0's slot up to the
     * batch ({@code BATCH - 1}, kept in the slot), then records whether read() is
     * within the bound the counter declares for its live CPUs (r1: 1 = yes), the
     * quiet sum (r2) and a sum while CPU 1 boots again, in neither mask (r3).
     */
    static void recordWhatCpu1Left(Cpus cpus, RssCounter counter, JJJ_Result r) {
        try (CpuSection cpu = cpus.enterWhenFree(0)) {
            counter.addOther(cpu, BATCH - 1);
        }
        r.r1 = Quiescent.readWithinBound(counter) ? 1 : 0;
        r.r2 = counter.sum();
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        r.r3 = counter.sum();
        up.finish();
    }

    /** The owner actor: binds itself as the owner, then adds {@code deltas} on the local path, on CPU 0, in one section. */
    static void ownerAddsLocal(Cpus cpus, RssCounter counter, long... deltas) {
        counter.bindOwner();
        try (CpuSection cpu = cpus.enter(0)) {
            for (long delta : deltas) {
                counter.addLocal(cpu, delta);
            }
        }
    }

    /** A remote actor: adds {@code deltas} on the other path, on CPU {@code cpuId}, in one section. */
    static void remoteAddsOther(Cpus cpus, int cpuId, RssCounter counter, long... deltas) {
        try (CpuSection cpu = cpus.enter(cpuId)) {
            for (long delta : deltas) {
                counter.addOther(cpu, delta);
            }
        }
    }

    /**
     * A remote context (khugepaged) that finds the mm still live: {@code mmget_not_zero},
     * then {@code pages} anonymous pages on the remote path on the CPU {@code enter} enters,
     * then {@code mmput}.
     */
    static void remoteAddsAnonPages(Mm mm, Supplier<CpuSection> enter, long pages) {
        if (mm.mmgetNotZero()) {
            try (CpuSection cpu = enter.get()) {
                mm.addRemote(cpu, RssMember.ANONPAGES, pages);
                mm.mmput(cpu);
            }
        }
    }

    /** A racing reader: {@code sum()} into r1, then {@code read()} into r2. */
    static void recordSumThenRead(Counter counter, JJJJJ_Result r) {
        r.r1 = counter.sum();
        r.r2 = counter.read();
    }

    /**
     * A racing reader whose adds' legal subset sums are {@code wholeAddValues}:
     * {@code sum()} into r1, then {@code read()} into r2 as {@link RacingReads#judge}
     * records it for the implementation under test (its declared bound read after
     * the read, in the mode the read saw or a later one).
     */
    static void recordSumThenReadJudged(Counter counter, JJJJJ_Result r, long... wholeAddValues) {
        r.r1 = counter.sum();
        long read = counter.read();
        r.r2 = RacingReads.judge(!IMPL.kernelFaithful(), counter.readErrorBound(), read, wholeAddValues);
    }

    /**
     * The arbiter once every updater is done: the precise sum, whether a quiescent
     * {@code read()} is within the bound the counter declares (1 = yes), and the
     * teardown value, so a broken teardown walk shows apart from a broken live sum.
     */
    private static long[] quiet(Counter counter) {
        return new long[] {counter.sum(), Quiescent.readWithinBound(counter) ? 1 : 0, counter.destroy()};
    }

    /** {@link #quiet} into r1, r2, r3. */
    static void recordQuiet(Counter counter, JJJ_Result r) {
        long[] q = quiet(counter);
        r.r1 = q[0];
        r.r2 = q[1];
        r.r3 = q[2];
    }

    /** {@link #quiet} into r2, r3, r4 (r1 is the racing actor's). */
    static void recordQuiet(Counter counter, JJJJ_Result r) {
        long[] q = quiet(counter);
        r.r2 = q[0];
        r.r3 = q[1];
        r.r4 = q[2];
    }

    /** {@link #quiet} into r3, r4, r5 (r1 and r2 are the racing reader's, {@link #recordSumThenRead}). */
    static void recordQuiet(Counter counter, JJJJJ_Result r) {
        long[] q = quiet(counter);
        r.r3 = q[0];
        r.r4 = q[1];
        r.r5 = q[2];
    }

    /**
     * The arbiter of a test whose mm has two tasks' references on CPU 0: drops
     * both (the last one tears the mm down) and returns check_mm's bad lines.
     */
    static long dropTwoTasksAndCountCheckMm(Cpus cpus, Mm mm) {
        try (CpuSection cpu = cpus.enter(0)) {
            mm.mmput(cpu);                          // the second task's reference
            mm.mmput(cpu);                          // the first task's: the last one
        }
        return mm.checkMmReport().size();
    }

    /** Whether every counter of {@code mm} is in per-CPU mode. */
    static boolean allPerCpu(Mm mm) {
        for (RssMember member : RssMember.values()) {
            if (!mm.counter(member).isPerCpu()) {
                return false;
            }
        }
        return true;
    }
}
