package lazycount.properties;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.Stranger;
import lazycount.testing.Threads;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The precise readers ({@code LAZYCOUNT_READERS=precise}: {@code get_mm_counter}
 * as the precise sum, {@code percpu_counter_sum_positive}, as the 2026 patches
 * make it). Whatever this JVM's readers setting, the mm here is built with the
 * precise ones: these properties are of that read.
 *
 * <ul>
 * <li>One context at a time: adds of both signs on the local and the other
 *     path, on any CPU, with {@code CLONE_VM} anywhere; after every step
 *     {@code get} is exactly {@code max(0, pages mapped)} (no bound: every word
 *     an add lives in, lazy word, per-CPU slot or central count, is read).
 * <li>Concurrently: the task and a remote context map pages one at a time,
 *     the task clones its address space at a generated point, and a reader calls
 *     {@code get} throughout: each read lies between the pages mapped before
 *     it began and after it ended, and reads never go backwards (every delta
 *     is positive); a read that misses the words in flight falls below.
 * </ul>
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.LOCAL_ADD})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.OTHER_ADD})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.UPGRADE_CLONE_VM})
class PreciseReadersProperties {

    record Step(int kind, int cpuIndex, long delta) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "local add(cpu#" + cpuIndex + ", " + delta + ")";
                case 1 -> "remote add(cpu#" + cpuIndex + ", " + delta + ")";
                default -> "cloneVm";
            };
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> delta = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(-3, 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-1000, 1000)));
        return Combinators.combine(Arbitraries.frequency(
                                net.jqwik.api.Tuple.of(6, 0), net.jqwik.api.Tuple.of(3, 1), net.jqwik.api.Tuple.of(1, 2)),
                        Arbitraries.integers().between(0, 63), delta)
                .as(Step::new).list().ofMinSize(1).ofMaxSize(60);
    }

    private static Mm preciseMm(Cpus cpus, RssDesign design) {
        return UnderTest.implementation().newMm(cpus, design,
                UnderTest.policy().withReaders(KernelPolicy.Readers.PRECISE));
    }

    @Property(tries = 300)
    void preciseGetIsExactAfterEveryStep(@ForAll @IntRange(min = 1, max = 8) int nrCpus,
            @ForAll RssDesign design, @ForAll("steps") List<Step> steps) {
        Cpus cpus = UnderTest.cpus(nrCpus);
        Mm mm = preciseMm(cpus, design);
        mm.attachTask();
        long pages = 0;
        int clones = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            int cpu = step.cpuIndex() % nrCpus;
            switch (step.kind()) {
                case 0 -> {
                    try (CpuSection s = cpus.enter(cpu)) {
                        mm.add(s, RssMember.ANONPAGES, step.delta());
                    }
                    pages += step.delta();
                }
                case 1 -> {
                    Stranger.run(() -> {
                        try (CpuSection s = cpus.enter(cpu)) {
                            mm.addRemote(s, RssMember.ANONPAGES, step.delta());
                        }
                    });
                    pages += step.delta();
                }
                default -> {
                    mm.cloneVm(new Thread(() -> { }, "cloned-task-" + clones));
                    clones++;
                }
            }
            long get = mm.get(RssMember.ANONPAGES);
            if (get != Math.max(0, pages)) {
                throw new AssertionError("after " + steps.subList(0, i + 1) + " on " + mm + " (nrCpus " + nrCpus
                        + "): precise get_mm_counter = " + get + ", pages mapped " + pages);
            }
        }
    }

    @Property(tries = 60)
    void preciseGetSeesEveryWordInFlight(@ForAll @IntRange(min = 1, max = 3000) int taskPages,
            @ForAll @IntRange(min = 0, max = 3000) int remotePages,
            @ForAll @IntRange(min = 0, max = 3000) int cloneAt) throws Exception {
        Cpus cpus = UnderTest.cpus(3);
        Mm mm = preciseMm(cpus, RssDesign.LAZY);
        AtomicLong mappedDone = new AtomicLong();                 // pages whose add has returned
        AtomicLong mappedStarted = new AtomicLong();              // pages whose add has begun
        AtomicBoolean stop = new AtomicBoolean();
        Threads.Task task = Threads.task("task", () -> {
            mm.attachTask();
            for (int i = 0; i < taskPages; i++) {
                if (i == cloneAt) {
                    mm.cloneVm(new Thread(() -> { }, "cloned-task"));
                }
                mappedStarted.incrementAndGet();
                try (CpuSection s = cpus.enter(0)) {
                    mm.add(s, RssMember.ANONPAGES, 1);
                }
                mappedDone.incrementAndGet();
            }
        });
        Threads.Task remote = Threads.task("remote", () -> {
            for (int i = 0; i < remotePages; i++) {
                mappedStarted.incrementAndGet();
                try (CpuSection s = cpus.enter(1)) {
                    mm.addRemote(s, RssMember.ANONPAGES, 1);
                }
                mappedDone.incrementAndGet();
            }
        });
        Threads.Task reader = Threads.task("reader", () -> {
            long last = 0;
            while (!stop.get()) {
                long low = mappedDone.get();
                long get = mm.get(RssMember.ANONPAGES);
                long high = mappedStarted.get();
                if (get < low || get > high || get < last) {
                    throw new AssertionError("precise get_mm_counter = " + get + " while between " + low + " and "
                            + high + " pages were mapped (previous read " + last + ")");
                }
                last = get;
            }
        });
        reader.start();
        task.start();
        remote.start();
        task.finish();
        remote.finish();
        stop.set(true);
        reader.finish();
        long total = taskPages + remotePages;
        if (mm.get(RssMember.ANONPAGES) != total) {
            throw new AssertionError("quiescent precise get_mm_counter = " + mm.get(RssMember.ANONPAGES) + ", "
                    + total + " pages mapped");
        }
    }
}
