package lazycount.rss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import lazycount.counter.BatchedCounter;
import lazycount.counter.CounterDestroyedException;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.CounterFactory;
import lazycount.testing.OtherThread;
import lazycount.testing.Threads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MmTest {

    private final Cpus cpus = new Cpus(4);
    private final CounterFactory impl = CounterFactory.REFERENCE;

    private void onCpu(int cpu, Consumer<CpuSection> body) {
        try (CpuSection s = cpus.enter(cpu)) {
            body.accept(s);
        }
    }

    private void inThread(int cpu, Consumer<CpuSection> body) throws Exception {
        OtherThread.run(() -> onCpu(cpu, body));
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void singleThreadedProcessLivesAndDiesClean(RssDesign design) {
        Mm mm = Mm.exec(impl, cpus, design);
        onCpu(0, s -> {
            mm.add(s, RssMember.ANONPAGES, 100);
            mm.add(s, RssMember.FILEPAGES, 7);
            mm.add(s, RssMember.ANONPAGES, -30);
        });
        assertEquals(70, mm.sum(RssMember.ANONPAGES));
        assertEquals(70, mm.mappedPages(RssMember.ANONPAGES));
        assertTrue(Math.abs(mm.get(RssMember.FILEPAGES) - 7) <= mm.counter(RssMember.FILEPAGES).readErrorBound());
        onCpu(1, s -> assertTrue(mm.exit(s)));
        assertTrue(mm.isTornDown());
        assertEquals(List.of(), mm.checkMmReport());
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void lazyCountersStayLazyForASingleTask(RssDesign design) throws Exception {
        Mm mm = execMapping(design, RssMember.SHMEMPAGES, 3);
        inThread(1, s -> mm.addRemote(s, RssMember.SHMEMPAGES, 2));   // khugepaged
        inThread(2, s -> mm.add(s, RssMember.SHMEMPAGES, 1));         // not a task: the other path
        assertEquals(6, mm.sum(RssMember.SHMEMPAGES));
        assertEquals(design != RssDesign.LAZY, mm.counter(RssMember.SHMEMPAGES).isPerCpu());   // only LAZY starts lazy
        exitOnCpu0Clean(mm);
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void forkFillsTheChildFromTheParentAndTheChildOwnsItsCounters(RssDesign design) throws Exception {
        Mm parent = execMapping(design, RssMember.ANONPAGES, 12);
        Mm child = callOnCpu(0, parent::fork);
        assertEquals(12, child.sum(RssMember.ANONPAGES));
        assertEquals(0, child.tasks());
        inThread(1, s -> {
            child.attachTask();
            child.add(s, RssMember.ANONPAGES, 5);
            assertTrue(child.exit(s));
        });
        assertEquals(List.of(), child.checkMmReport());
        assertEquals(12, parent.sum(RssMember.ANONPAGES));
        exitOnCpu0Clean(parent);
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void cloneVmUpgradesBeforeTheSecondTaskRuns(RssDesign design) throws Exception {
        Mm mm = execMapping(design, RssMember.FILEPAGES, 4);
        Threads.Task second = Threads.task("second-task", () -> onCpu(1, s -> {
            mm.add(s, RssMember.FILEPAGES, 6);
            assertFalse(mm.exit(s));
        }));
        mm.cloneVm(second.thread());
        for (RssMember m : RssMember.values()) {
            assertTrue(mm.counter(m).isPerCpu(), m + " not upgraded at CLONE_VM");
        }
        assertEquals(2, mm.tasks());
        second.start();
        second.finish();
        assertEquals(10, mm.sum(RssMember.FILEPAGES));
        onCpu(0, s -> assertTrue(mm.exit(s)));
        assertEquals(List.of(), mm.checkMmReport());
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void aRemoteReferenceDelaysTheTeardown(RssDesign design) throws Exception {
        Mm mm = Mm.exec(impl, cpus, design);
        assertTrue(mm.mmgetNotZero());
        onCpu(0, s -> assertFalse(mm.exit(s)));
        assertFalse(mm.isTornDown());
        inThread(2, s -> {
            mm.addRemote(s, RssMember.SWAPENTS, 9);
            assertTrue(mm.mmput(s));
        });
        assertEquals(List.of(), mm.checkMmReport());
        assertFalse(mm.mmgetNotZero());
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void misuseOfTheMmFailsNamingIt(RssDesign design) throws Exception {
        Mm mm = Mm.exec(impl, cpus, design);
        ExecutionException notATask = assertThrows(ExecutionException.class, () -> inThread(1, mm::exit));
        assertTrue(notATask.getCause() instanceof MmMisuseException);
        assertTrue(notATask.getCause().getMessage().contains("not a task of this mm"));
        assertThrows(ExecutionException.class, () -> OtherThread.run(() -> mm.cloneVm(new Thread())));
        MmMisuseException early = assertThrows(MmMisuseException.class, mm::checkMmReport);
        assertTrue(early.getMessage().contains("before its last mmput"), early.getMessage());
        onCpu(0, mm::exit);
        MmMisuseException late = assertThrows(MmMisuseException.class, () -> onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1)));
        assertTrue(late.getMessage().contains("after its teardown"), late.getMessage());
        assertThrows(MmMisuseException.class, () -> onCpu(0, mm::mmput));
        assertFalse(mm.mmgetNotZero(), "a refused extra mmput() must not bring a dead mm back");
        assertThrows(MmMisuseException.class, () -> mm.sum(RssMember.ANONPAGES));
    }

    @ParameterizedTest
    @EnumSource(value = RssDesign.class, names = "LAZY")
    void aSecondTaskWithoutCloneVmCannotTakeTheLocalPath(RssDesign design) throws Exception {
        Mm parent = Mm.exec(impl, cpus, design);
        Mm child = callOnCpu(0, parent::fork);
        inThread(1, s -> child.attachTask());
        ExecutionException e = assertThrows(ExecutionException.class, () -> inThread(2, s -> child.attachTask()));
        assertTrue(e.getCause() instanceof NotOwnerException, String.valueOf(e.getCause()));
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void checkMmReportsACounterThatIsNotExact(RssDesign design) {
        Mm mm = Mm.exec(new DropsEveryThirdOtherAdd(), cpus, design);
        onCpu(0, s -> {
            for (int i = 0; i < 3; i++) {
                mm.addRemote(s, RssMember.ANONPAGES, 1);
            }
            mm.exit(s);
        });
        List<String> report = mm.checkMmReport();
        assertEquals(1, report.size(), report.toString());
        assertTrue(report.get(0).startsWith("BUG: Bad rss-counter state mm:"), report.get(0));
        assertTrue(report.get(0).endsWith("type:MM_ANONPAGES val:-1"), report.get(0));
    }

    /** An mm of {@code design} whose task (this thread) has mapped {@code pages} of {@code member} on CPU 0. */
    private Mm execMapping(RssDesign design, RssMember member, long pages) {
        Mm mm = Mm.exec(impl, cpus, design);
        onCpu(0, s -> mm.add(s, member, pages));
        return mm;
    }

    /** This thread's task exits on CPU 0, and check_mm finds every counter as the page tables say. */
    private void exitOnCpu0Clean(Mm mm) {
        onCpu(0, mm::exit);
        assertEquals(List.of(), mm.checkMmReport());
    }

    private <T> T callOnCpu(int cpu, java.util.function.Function<CpuSection, T> body) {
        try (CpuSection s = cpus.enter(cpu)) {
            return body.apply(s);
        }
    }

    /** A deliberately lossy counter, to see check_mm report what it exists to report. */
    private static final class DropsEveryThirdOtherAdd implements CounterFactory {
        @Override
        public String name() {
            return "drops-every-third-other-add";
        }

        @Override
        public BatchedCounter newPercpuCounter(Cpus cpus, int batch) {
            return CounterFactory.REFERENCE.newPercpuCounter(cpus, batch);
        }

        @Override
        public RssCounter[] newRssCounters(Cpus cpus, RssDesign design) {
            RssCounter[] counters = new RssCounter[4];
            for (int i = 0; i < 4; i++) {
                counters[i] = newLazyCounter(cpus, 32, UpgradePolicy.NEVER);
            }
            return counters;
        }

        @Override
        public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
            LazyPercpuCounter real = new LazyPercpuCounter(cpus, batch, policy);
            return new RssCounter() {
                private int otherAdds;

                @Override public void bindOwner() { real.bindOwner(); }
                @Override public void handOwnerTo(Thread next) { real.handOwnerTo(next); }
                @Override public void addLocal(CpuSection cpu, long delta) { real.addLocal(cpu, delta); }
                @Override public void addOther(CpuSection cpu, long delta) {
                    if (++otherAdds % 3 != 0) {
                        real.addOther(cpu, delta);
                    }
                }
                @Override public boolean upgrade() { return real.upgrade(); }
                @Override public boolean isPerCpu() { return real.isPerCpu(); }
                @Override public long read() { return real.read(); }
                @Override public long sum() { return real.sum(); }
                @Override public long readErrorBound() { return real.readErrorBound(); }
                @Override public long destroy() { return real.destroy(); }
                @Override public boolean isDestroyed() { return real.isDestroyed(); }
            };
        }
    }

    @ParameterizedTest
    @EnumSource(RssDesign.class)
    void countersOfATornDownMmRefuseUse(RssDesign design) {
        Mm mm = Mm.exec(impl, cpus, design);
        RssCounter anon = mm.counter(RssMember.ANONPAGES);
        onCpu(0, mm::exit);
        assertTrue(anon.isDestroyed());
        assertThrows(CounterDestroyedException.class, anon::sum);
    }
}
