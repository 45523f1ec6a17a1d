package lazycount.rss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static lazycount.testing.Messages.assertNames;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.CounterFactory;
import lazycount.rss.KernelPolicy.BorrowerPath;
import lazycount.rss.KernelPolicy.CloneUpgrade;
import lazycount.testing.OnCpu;
import lazycount.testing.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mm model's contract beyond the counts: what it refuses and how the
 * refusal reads, what the policies promise about the mode after each clone,
 * and when a vfork parent may run again. Written from PIT's survivors over
 * {@code lazycount.rss} (pit/survivors.md), each test aimed at the contract
 * the surviving mutant broke.
 */
class MmContractTest {

    private final Cpus cpus = new Cpus(4);
    private final CounterFactory impl = CounterFactory.REFERENCE;

    private void onCpu(int cpu, Consumer<CpuSection> body) {
        OnCpu.run(cpus, cpu, body);
    }

    private static void assertRefused(Throwable thrown, String... mustName) {
        assertTrue(thrown instanceof MmMisuseException, "expected an MmMisuseException, got " + thrown);
        assertNames(thrown.getMessage(), mustName);
    }

    private static void assertRefused(Executable misuse, String... mustName) {
        assertRefused(assertThrows(Throwable.class, misuse), mustName);
    }

    /** The mm's own name, as {@code check_mm} prints it: the part of {@code toString()} before the design. */
    private static String nameOf(Mm mm) {
        String s = mm.toString();
        return s.substring(0, s.indexOf('['));
    }

    // ---- teardown ends every use ----

    @Test
    void aTornDownMmRefusesEveryOperationNamingTheTeardown() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 2));
        onCpu(0, s -> assertTrue(mm.mmput(s)));                 // the task drops its own reference: torn down
        assertEquals(List.of(), mm.checkMmReport());
        String after = "after its teardown";
        assertRefused(() -> onCpu(0, mm::fork), "fork()", after);       // must not build a child from a dead mm
        assertRefused(() -> mm.cloneVm(new Thread(() -> { })), "clone(CLONE_VM)", after);
        assertRefused(() -> mm.vfork(new Thread(() -> { })), "vfork()", after);
        assertRefused(() -> onCpu(0, mm::exit), "exit()", after);
        assertRefused(() -> mm.get(RssMember.ANONPAGES), "get()", after);
        assertRefused(() -> mm.sum(RssMember.ANONPAGES), "sum()", after);
        assertRefused(() -> onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1)), "add()", after);
        assertRefused(() -> onCpu(0, s -> mm.addRemote(s, RssMember.ANONPAGES, 1)), "addRemote()", after);
        assertRefused(Threads.failureOf("late-task", mm::attachTask), "attachTask()", after);
        assertRefused(Threads.failureOf("late-kthread", mm::kthreadUseMm), "kthreadUseMm()", after);
        assertFalse(mm.mmgetNotZero());
    }

    // ---- every refusal names the mm and the thread ----

    @Test
    void refusalsNameTheMmAndTheCallingThread() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
        String me = Thread.currentThread().getName();
        assertRefused(Threads.failureOf("stranger", () -> onCpu(1, mm::fork)),
                nameOf(mm), "'stranger'", "not a task of this mm");
        assertRefused(Threads.failureOf("stranger", mm::waitForVforkDone), nameOf(mm), "'stranger'", "no vfork child");
        assertRefused(Threads.failureOf("stranger", mm::kthreadUnuseMm), nameOf(mm), "'stranger'", "not using it");
        assertRefused(Threads.failureOf("kthread", () -> {
            mm.kthreadUseMm();
            mm.kthreadUseMm();
        }), nameOf(mm), "'kthread'", "already uses it");
        assertRefused(mm::kthreadUseMm, nameOf(mm), "'" + me + "'", "only a kernel thread");
    }

    @Test
    void vforkRefusesAChildThatAlreadyUsesTheMmNamingIt() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
        Thread sibling = new Thread(() -> { }, "sibling-task");
        mm.cloneThread(sibling);
        assertRefused(() -> mm.vfork(sibling), nameOf(mm), "'sibling-task'", "already uses this mm");
        CountDownLatch borrowing = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread kthread = new Thread(() -> {
            mm.kthreadUseMm();
            borrowing.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            mm.kthreadUnuseMm();
        }, "borrowing-kthread");
        kthread.start();
        borrowing.await();
        try {
            assertRefused(() -> mm.vfork(kthread), nameOf(mm), "'borrowing-kthread'", "already uses this mm");
        } finally {
            done.countDown();
            Threads.join(kthread);
        }
        assertEquals(2, mm.tasks(), "a refused vfork adds no task");
    }

    @Test
    void aReleasedVforkChildIsRefusedEveryUseNamingWhy() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, new KernelPolicy(CloneUpgrade.NOT_AT_VFORK, BorrowerPath.OTHER_PATH));
        CountDownLatch probed = new CountDownLatch(1);
        List<Executable> afterRelease = List.of(
                () -> onCpu(1, s -> mm.add(s, RssMember.ANONPAGES, 1)),
                () -> onCpu(1, s -> mm.addRemote(s, RssMember.ANONPAGES, 1)),
                () -> onCpu(1, mm::fork),
                mm::kthreadUseMm);
        List<Throwable> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread child = new Thread(() -> {
            onCpu(1, mm::exit);
            for (Executable use : afterRelease) {
                try {
                    use.execute();
                    refusals.add(null);
                } catch (Throwable t) {
                    refusals.add(t);
                }
            }
            probed.countDown();
        }, "released-child");
        mm.vfork(child);
        child.start();
        mm.waitForVforkDone();
        assertTrue(probed.await(10, TimeUnit.SECONDS));
        assertEquals(afterRelease.size(), refusals.size());
        for (int i = 0; i < 3; i++) {
            assertRefused(refusals.get(i), nameOf(mm), "'released-child'", "already released");
        }
        assertRefused(refusals.get(3), nameOf(mm), "'released-child'", "is or was a task");
        assertEquals(0, mm.sum(RssMember.ANONPAGES), "a refused update must not count");
        assertEquals(0, mm.mappedPages(RssMember.ANONPAGES));
    }

    // ---- names, reports, construction ----

    @Test
    void eachMmHasItsOwnNameAndCheckMmPrintsIt() {
        Mm a = Mm.exec(impl, cpus, RssDesign.LAZY);
        Mm b = Mm.exec(impl, cpus, RssDesign.EAGER);
        assertNotEquals(nameOf(a), nameOf(b));
        assertTrue(nameOf(a).startsWith("mm#"), a.toString());
        assertTrue(a.toString().contains(RssDesign.LAZY.toString()) && a.toString().contains(impl.name()), a.toString());
        onCpu(0, s -> a.counter(RssMember.SWAPENTS).addOther(s, 5));   // behind the page tables' back
        onCpu(0, a::exit);
        assertEquals(List.of("BUG: Bad rss-counter state mm:" + nameOf(a) + " type:MM_SWAPENTS val:5"),
                a.checkMmReport());
        onCpu(0, b::exit);
    }

    @Test
    void anImplementationThatBuildsTheWrongNumberOfCountersIsRefusedByName() {
        CounterFactory threeCounters = new CounterFactory() {
            @Override public String name() { return "three-counters"; }
            @Override public RssCounter newLazyCounter(Cpus c, int batch, UpgradePolicy p) {
                return impl.newLazyCounter(c, batch, p);
            }
            @Override public RssCounter[] newRssCounters(Cpus c, RssDesign design) {
                return java.util.Arrays.copyOf(impl.newRssCounters(c, design), 3);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Mm.create(threeCounters, cpus, RssDesign.LAZY));
        assertTrue(e.getMessage().contains("three-counters") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void createKeepsWhatItWasGiven() {
        KernelPolicy policy = new KernelPolicy(CloneUpgrade.CLONE_THREAD_ONLY, BorrowerPath.UPGRADE_AT_USE);
        Mm mm = impl.newMm(cpus, RssDesign.EAGER, policy);
        assertSame(policy, mm.policy());
        assertSame(cpus, mm.cpus());
        assertSame(RssDesign.EAGER, mm.design());
        assertEquals(0, mm.tasks());
    }

    @Test
    void aFailedCloneSaysWhichAllocationFailed() {
        Mm lazy = Mm.exec(impl, cpus, RssDesign.LAZY);
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        CloneFailedException clone = assertThrows(CloneFailedException.class, () -> lazy.cloneVm(new Thread(() -> { })));
        assertTrue(clone.getMessage().endsWith(clone.getCause().getMessage()), clone.getMessage());
        Mm eager = Mm.exec(impl, cpus, RssDesign.EAGER);
        cpus.injectAllocationFailures(AllocationFailures.next(1));
        CloneFailedException fork = assertThrows(CloneFailedException.class, () -> onCpu(0, eager::fork));
        assertTrue(fork.getMessage().endsWith(fork.getCause().getMessage()), fork.getMessage());
    }

    // ---- paths and policies ----

    @Test
    void aTaskTakesTheLocalPathAndAStrangerTheOther() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
        assertTrue(mm.callerTakesLocalPath());
        AtomicBoolean strangerLocal = new AtomicBoolean(true);
        assertEquals(null, Threads.failureOf("stranger", () -> strangerLocal.set(mm.callerTakesLocalPath())));
        assertFalse(strangerLocal.get());
    }

    /** The policy's documented trigger, clone flavour by clone flavour, seen in the counters' mode. */
    @ParameterizedTest
    @EnumSource(CloneUpgrade.class)
    void eachPolicyUpgradesAtTheClonesItNamesAndNoOthers(CloneUpgrade policy) throws Exception {
        KernelPolicy p = new KernelPolicy(policy, BorrowerPath.OTHER_PATH);
        Mm thread = Mm.exec(impl, cpus, RssDesign.LAZY, p);
        thread.cloneThread(new Thread(() -> { }));
        assertTrue(Modes.allPerCpu(thread), "every policy upgrades at CLONE_THREAD");

        Mm process = Mm.exec(impl, cpus, RssDesign.LAZY, p);
        process.cloneVm(new Thread(() -> { }));
        assertEquals(policy != CloneUpgrade.CLONE_THREAD_ONLY, Modes.allPerCpu(process), "CLONE_VM under " + policy);
        assertEquals(policy != CloneUpgrade.CLONE_THREAD_ONLY, Modes.anyPerCpu(process), "CLONE_VM under " + policy);

        Mm vforking = Mm.exec(impl, cpus, RssDesign.LAZY, p);
        Thread child = new Thread(() -> onCpu(1, vforking::exit), "vfork-child");
        vforking.vfork(child);
        assertEquals(policy == CloneUpgrade.EVERY_CLONE_VM, Modes.allPerCpu(vforking), "vfork under " + policy);
        assertEquals(policy == CloneUpgrade.EVERY_CLONE_VM, Modes.anyPerCpu(vforking), "vfork under " + policy);
        child.start();
        vforking.waitForVforkDone();
        Threads.join(child);
    }

    /** Any task may vfork, not only the one that owned the lazy counters before they were shared. */
    @Test
    void aSecondTaskMayVforkOnceTheMmIsShared() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, new KernelPolicy(CloneUpgrade.NOT_AT_VFORK, BorrowerPath.OTHER_PATH));
        Threads.Task second = Threads.task("second-task", () -> {
            Thread child = new Thread(() -> {
                onCpu(2, s -> mm.add(s, RssMember.ANONPAGES, 30));
                onCpu(2, mm::exit);
            }, "vfork-child-of-second");
            mm.vfork(child);
            child.start();
            mm.waitForVforkDone();
            Threads.join(child);
            onCpu(1, s -> mm.add(s, RssMember.ANONPAGES, 20));
            onCpu(1, mm::exit);
        });
        mm.cloneVm(second.thread());
        second.start();
        second.finish();
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1));
        assertEquals(51, mm.sum(RssMember.ANONPAGES));
        onCpu(0, s -> assertTrue(mm.exit(s)));
        assertEquals(List.of(), mm.checkMmReport());
    }

    // ---- the vfork completion ----

    @Test
    void theVforkParentSleepsUntilItsChildReleasesTheMm() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY, new KernelPolicy(CloneUpgrade.NOT_AT_VFORK, BorrowerPath.OTHER_PATH));
        AtomicBoolean parentReturned = new AtomicBoolean();
        AtomicBoolean parentReturnedBeforeRelease = new AtomicBoolean();
        Thread child = new Thread(() -> {
            try {
                Thread.sleep(300);                              // time for a parent that does not wait to return
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            parentReturnedBeforeRelease.set(parentReturned.get());
            onCpu(1, mm::exit);
        }, "vfork-child");
        mm.vfork(child);
        child.start();
        assertFalse(mm.vforkDone(), "the child has not released the mm yet");
        assertRefused(() -> onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1)),
                nameOf(mm), "'" + Thread.currentThread().getName() + "'", "a vfork parent");
        mm.waitForVforkDone();
        parentReturned.set(true);
        Threads.join(child);
        assertFalse(parentReturnedBeforeRelease.get(), "waitForVforkDone() returned before the child released the mm");
        onCpu(0, s -> mm.add(s, RssMember.ANONPAGES, 1));       // awake again
        assertEquals(1, mm.sum(RssMember.ANONPAGES));
    }

    @Test
    void vforkDoneTurnsTrueWhenTheChildReleasesTheMm() throws Exception {
        Mm mm = Mm.exec(impl, cpus, RssDesign.LAZY);
        Thread child = new Thread(() -> onCpu(1, mm::exit), "vfork-child");
        mm.vfork(child);
        assertFalse(mm.vforkDone());
        child.start();
        Threads.join(child);
        assertTrue(mm.vforkDone(), "the child exited: the parent's wait must return at once");
        mm.waitForVforkDone();
        assertRefused(mm::vforkDone, "no vfork child");
    }

    // ---- the policy record ----

    @Test
    void policiesRefuseNullsAndParseLeniently() {
        NullPointerException clone = assertThrows(NullPointerException.class, () -> new KernelPolicy(null, BorrowerPath.OTHER_PATH));
        assertEquals("cloneUpgrade", clone.getMessage());
        NullPointerException borrower = assertThrows(NullPointerException.class, () -> new KernelPolicy(CloneUpgrade.NOT_AT_VFORK, null));
        assertEquals("borrowerPath", borrower.getMessage());
        assertEquals(BorrowerPath.UPGRADE_AT_USE, KernelPolicy.parse(BorrowerPath.class, " Upgrade-At-Use "));
        assertEquals(BorrowerPath.LOCAL_PATH, KernelPolicy.parse(BorrowerPath.class, "local_path"), "the enum's own name");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelPolicy.parse(BorrowerPath.class, "sideways"));
        assertEquals("'sideways' is no BorrowerPath; expected one of local-path, upgrade-at-use, other-path", e.getMessage());
        assertEquals("clone upgrade not-at-vfork, borrowers upgrade-at-use, killed vfork parent local-path, readers approximate",
                new KernelPolicy(CloneUpgrade.NOT_AT_VFORK, BorrowerPath.UPGRADE_AT_USE).toString());
    }
}
