package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lazycount.counter.MaskedPercpuCounter;
import lazycount.counter.RanOnMask;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Guzik's designs on every layout they apply to: an mm's life ends with a clean check_mm. */
class WalkDesignCandidatesTest {

    static List<Arguments> designs() {
        return List.of(Arguments.of("one-walk", RssDesign.EAGER), Arguments.of("one-walk", RssDesign.CACHED_MERGED),
                Arguments.of("one-walk", RssDesign.LAZY), Arguments.of("cpu-mask", RssDesign.EAGER),
                Arguments.of("cpu-mask", RssDesign.CACHED_MERGED), Arguments.of("cpu-mask", RssDesign.LAZY));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("designs")
    void anMmForksClonesUpdatesFromEverywhereAndExitsClean(String name, RssDesign design) throws Exception {
        CounterImplementation impl = Implementations.byName(name);
        Cpus cpus = new Cpus(200);
        OtherThread.run(() -> {
            Mm mm = Mm.exec(impl, cpus, design);
            OnCpu.run(cpus, 3, s -> mm.add(s, RssMember.ANONPAGES, 1000));      // folds
            OnCpu.run(cpus, 70, s -> mm.add(s, RssMember.FILEPAGES, 5));        // stays in a slot
            OnCpu.run(cpus, 199, s -> mm.addRemote(s, RssMember.SHMEMPAGES, 7)); // a remote updater's CPU
            Mm child = OnCpuReturning.fork(cpus, mm);
            child.attachTask();
            OnCpu.run(cpus, 150, s -> child.add(s, RssMember.ANONPAGES, -1));
            mm.cloneVm(new Thread(() -> { }, "second-task (never started)"));
            OnCpu.run(cpus, 64, s -> mm.add(s, RssMember.SWAPENTS, 2));
            assertEquals(1005, mm.sum(RssMember.ANONPAGES) + mm.sum(RssMember.FILEPAGES));
            if (impl instanceof CpuMaskImplementation && design != RssDesign.LAZY) {
                RanOnMask mask = ((MaskedPercpuCounter) ((lazycount.counter.EagerRssCounter) mm.counter(RssMember.ANONPAGES))
                        .percpu()).ranOn();
                assertTrue(mask.isMarked(199) && mask.isMarked(70) && !mask.isMarked(100), String.valueOf(mask));
            }
            OnCpu.run(cpus, 0, s -> mm.mmput(s));                                // the second task's exit
            OnCpu.run(cpus, 0, s -> mm.exit(s));
            OnCpu.run(cpus, 0, s -> child.exit(s));
            assertEquals(List.of(), mm.checkMmReport());
            assertEquals(List.of(), child.checkMmReport());
        });
    }

    /** fork runs in the parent's context on one CPU. */
    private static final class OnCpuReturning {
        static Mm fork(Cpus cpus, Mm parent) {
            Mm[] child = new Mm[1];
            OnCpu.run(cpus, 1, s -> child[0] = parent.fork(s));
            return child[0];
        }
    }
}
