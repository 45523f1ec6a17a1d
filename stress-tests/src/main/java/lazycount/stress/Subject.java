package lazycount.stress;

import lazycount.counter.BatchedCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.UnderTest;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

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
        return new Cpus(nrPossible, HANDOVER, OWNER_CHECK);
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

    /**
     * The hotplug tests' arbiter, once CPU 1 has died: fills CPU 0's slot up to the
     * batch ({@code BATCH - 1}, kept in the slot), then records whether read() is
     * within the bound the counter declares for its live CPUs (r1: 1 = yes), the
     * quiet sum (r2) and a sum while CPU 1 boots again, in neither mask (r3).
     */
    static void recordWhatCpu1Left(Cpus cpus, lazycount.counter.RssCounter counter,
            org.openjdk.jcstress.infra.results.JJJ_Result r) {
        try (lazycount.cpu.CpuSection cpu = cpus.enterWhenFree(0)) {
            counter.addOther(cpu, BATCH - 1);
        }
        r.r1 = lazycount.testkit.Quiescent.readWithinBound(counter) ? 1 : 0;
        r.r2 = counter.sum();
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        r.r3 = counter.sum();
        up.finish();
    }

    /** Whether every counter of {@code mm} is in per-CPU mode. */
    static boolean allPerCpu(Mm mm) {
        for (lazycount.rss.RssMember member : lazycount.rss.RssMember.values()) {
            if (!mm.counter(member).isPerCpu()) {
                return false;
            }
        }
        return true;
    }
}
