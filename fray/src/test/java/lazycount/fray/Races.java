package lazycount.fray;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import lazycount.candidate.Rcu;
import lazycount.counter.BatchedCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuOccupiedException;
import lazycount.cpu.CpuOfflineException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import lazycount.impl.UnderTest;
import lazycount.testkit.Quiescent;
import lazycount.tree.PercpuCounterTree;

/**
 * The race bodies the Fray tests run once per explored schedule. Each builds
 * fresh state from {@link UnderTest#implementation()} (so the teeth can run
 * the same body against a mutant), starts its threads, joins them and throws
 * an {@link AssertionError} if the outcome is wrong. Every thread holds its own
 * simulated CPU: Fray decides the interleaving, not the two cores of the machine.
 */
final class Races {

    /** Batch of the per-CPU mode; small, so the adds below cross it and fold. */
    static final int BATCH = 4;

    private Races() {
    }

    /**
     * (a) Two remotes make other-path adds, the owner makes local adds, and a
     * third context upgrades the counter in the middle of all of them (and adds
     * on the other path before and after). Every add has its own digit.
     */
    static void otherAddsLocalAddsUpgrade() throws InterruptedException {
        CounterImplementation impl = UnderTest.implementation();
        Cpus cpus = UnderTest.cpus(4);
        RssCounter counter = impl.newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        counter.bindOwner();                                   // this thread is the owner
        Thread remoteA = start("remote-A", () -> addOther(cpus, 1, counter, 1, 2));
        Thread remoteB = start("remote-B", () -> addOther(cpus, 2, counter, 10, 20));
        Thread upgrader = start("upgrader", () -> {
            try (CpuSection cpu = cpus.enter(3)) {
                counter.addOther(cpu, 1000);
                counter.upgrade();
                counter.addOther(cpu, 2000);
            }
        });
        addLocal(cpus, counter, 100, 200);
        join(remoteA, remoteB, upgrader);
        expect("sum() after join", 3333, counter.sum());
        expect("destroy() after join", 3333, counter.destroy());
    }

    /**
     * (b) Two contexts upgrade while a remote and the owner add: exactly one
     * upgrade wins, and no add made to either side of the switch is lost.
     */
    static void upgradeUpgradeAdds() throws InterruptedException {
        CounterImplementation impl = UnderTest.implementation();
        Cpus cpus = UnderTest.cpus(4);
        RssCounter counter = impl.newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        counter.bindOwner();
        AtomicInteger winners = new AtomicInteger();
        Thread up1 = start("upgrader-1", () -> {
            try (CpuSection cpu = cpus.enter(1)) {
                if (counter.upgrade()) {
                    winners.incrementAndGet();
                }
                counter.addOther(cpu, 1);
            }
        });
        Thread up2 = start("upgrader-2", () -> {
            try (CpuSection cpu = cpus.enter(2)) {
                if (counter.upgrade()) {
                    winners.incrementAndGet();
                }
                counter.addOther(cpu, 10);
            }
        });
        Thread remote = start("remote", () -> addOther(cpus, 3, counter, 100, 200));
        addLocal(cpus, counter, 1000, 2000);
        join(up1, up2, remote);
        expect("upgrades that returned true", 1, winners.get());
        if (!counter.isPerCpu()) {
            throw new AssertionError("the counter is not in per-CPU mode after an upgrade returned true");
        }
        expect("sum() after join", 3311, counter.sum());
        expect("destroy() after join", 3311, counter.destroy());
    }

    /**
     * (c) The only task maps pages and exits while two remote updaters take a
     * reference with mmget_not_zero, map pages on the other path and drop it,
     * and a reader takes a reference and sums. Whoever drops the last reference
     * tears the mm down; that must happen exactly once, after every update,
     * with check_mm clean.
     */
    static void exitRemoteUpdatersReader() throws InterruptedException {
        CounterImplementation impl = UnderTest.implementation();
        Cpus cpus = UnderTest.cpus(4);
        Mm mm = UnderTest.newMm(cpus);
        mm.attachTask();                                       // this thread is the mm's only task
        AtomicInteger teardowns = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int r = 1; r <= 2; r++) {
            int id = r;
            threads.add(start("remote-" + r, () -> {
                if (!mm.mmgetNotZero()) {
                    return;                                    // too late: the mm is dying
                }
                try (CpuSection cpu = cpus.enter(id)) {
                    mm.addRemote(cpu, RssMember.ANONPAGES, 10L * id);
                    mm.addRemote(cpu, RssMember.FILEPAGES, id);
                    if (mm.mmput(cpu)) {
                        teardowns.incrementAndGet();
                    }
                }
            }));
        }
        threads.add(start("reader", () -> {
            if (!mm.mmgetNotZero()) {
                return;
            }
            try (CpuSection cpu = cpus.enter(3)) {
                long anon = mm.sum(RssMember.ANONPAGES);
                if (anon < 0 || anon > 1 + 10 + 20) {
                    throw new AssertionError("sum(ANONPAGES) = " + anon + " while the mm is alive");
                }
                if (mm.mmput(cpu)) {
                    teardowns.incrementAndGet();
                }
            }
        }));
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
            if (mm.exit(cpu)) {
                teardowns.incrementAndGet();
            }
        }
        join(threads.toArray(Thread[]::new));
        expect("teardowns", 1, teardowns.get());
        if (!mm.checkMmReport().isEmpty()) {
            throw new AssertionError("check_mm: " + mm.checkMmReport());
        }
    }

    /**
     * (d) The rss_stat lifecycle: the parent task forks while a remote updates
     * the parent through a temporary reference; the child's task starts, maps
     * pages, shares the mm with a second task (CLONE_VM), and both tasks map
     * pages on the local path while a remote updates the child; then every
     * task exits. check_mm of both mms must be clean.
     */
    static void forkRemoteCloneVm() throws InterruptedException {
        CounterImplementation impl = UnderTest.implementation();
        Cpus cpus = UnderTest.cpus(5);                               // one CPU per context
        Mm parent = UnderTest.newMm(cpus);
        parent.attachTask();                                   // this thread is the parent's task
        try (CpuSection cpu = cpus.enter(0)) {
            parent.add(cpu, RssMember.ANONPAGES, 5);
            parent.add(cpu, RssMember.FILEPAGES, 3);
        }
        Thread parentRemote = start("remote-of-parent", () -> remoteUpdate(parent, cpus, 3, 7));
        Mm child;
        try (CpuSection cpu = cpus.enter(0)) {
            child = parent.fork(cpu);                          // fill ∥ the remote on the parent
        }
        Thread childRemote = start("remote-of-child", () -> remoteUpdate(child, cpus, 4, 40));
        Thread childTask = start("child-task", () -> {
            child.attachTask();
            Thread sibling = new Thread(() -> {
                try (CpuSection cpu = cpus.enter(2)) {         // CLONE_VM sibling: a second task
                    child.add(cpu, RssMember.ANONPAGES, 200);
                    child.add(cpu, RssMember.ANONPAGES, 300);
                }
                try (CpuSection cpu = cpus.enter(2)) {
                    child.exit(cpu);
                }
            }, "child-clone-vm");
            try (CpuSection cpu = cpus.enter(1)) {
                child.add(cpu, RssMember.ANONPAGES, 10);
                child.cloneVm(sibling);
            }
            sibling.start();
            try (CpuSection cpu = cpus.enter(1)) {
                child.add(cpu, RssMember.ANONPAGES, 1000);
                child.add(cpu, RssMember.FILEPAGES, 2000);
            }
            try (CpuSection cpu = cpus.enter(1)) {
                child.exit(cpu);
            }
            try {
                sibling.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        join(childTask, childRemote, parentRemote);
        try (CpuSection cpu = cpus.enter(0)) {
            parent.exit(cpu);
        }
        for (Mm mm : new Mm[] {parent, child}) {
            if (!mm.isTornDown()) {
                throw new AssertionError(mm + " was never torn down: a reference leaked");
            }
            if (!mm.checkMmReport().isEmpty()) {
                throw new AssertionError("check_mm of " + mm + ": " + mm.checkMmReport());
            }
        }
    }

    /**
     * (e) CPU hotplug against the one-walk teardown: two counters on one area
     * hold counts in CPU 1's slot (and the first in CPU 0's) when CPU 1 goes
     * down while {@code percpu_counter_destroy_many} tears both down. Each
     * teardown value must be exact: the dead-CPU fold, under each counter's
     * lock, is seen whole or not at all.
     */
    static void hotplugAgainstOneWalkTeardown() throws InterruptedException {
        CounterImplementation impl = UnderTest.implementation();
        Cpus cpus = UnderTest.cpus(2);
        PercpuCounter[] counters = impl.newPercpuCounters(cpus, 2, BATCH);   // one area, as an eager mm's
        try (CpuSection cpu = cpus.enter(1)) {
            counters[0].add(cpu, 3);
            counters[1].add(cpu, 1);
        }
        try (CpuSection cpu = cpus.enter(0)) {
            counters[0].add(cpu, 2);
        }
        Thread hotplug = start("cpu1-goes-down", () -> cpus.takeDown(1));
        long[] values = PercpuCounter.destroyMany(counters);
        join(hotplug);
        expect("the first counter's teardown value", 5, values[0]);
        expect("the second counter's teardown value", 1, values[1]);
    }

    /**
     * (f) The model's own machinery, {@code Cpus}: two tasks run on CPU 1, three
     * sections each (a task the scheduler finds CPU 1 taken from, occupied or
     * offline, runs on its own other CPU: task A on CPU 0, task B on CPU 2),
     * while CPU 1 goes down. Inside each section the task checks what the
     * machine promises: no other task is on its CPU (a ghost of the check's
     * own, not the machine's word) and CPU 1, if that is where it runs, is
     * online or dying. Each section adds its own digit to a per-CPU counter,
     * the witness the dead-CPU fold moves. After the join: the dead CPU 1
     * refuses a task, and a sum while it boots again (in neither mask, so its
     * slot is not walked) is every add: nothing was written into its slot
     * after the fold.
     *
     * <p>No task waits for a CPU ({@code enterWhenFree}): its spin is a
     * compare-and-exchange, which Fray 0.9.2 does not schedule at, so a waiting
     * task would spin forever without letting the occupant leave. For the same
     * reason an entry is no scheduling point: a leave followed at once by the
     * next entry is one step to Fray, so each task counts its add (an atomic)
     * between its sections, where CPU 1 is free and the take-down can find it so.
     */
    static void cpuEntryAgainstTakeDown() throws InterruptedException {
        CounterImplementation impl = UnderTest.implementation();
        Cpus cpus = UnderTest.cpus(3);
        BatchedCounter witness = impl.newPercpuCounter(cpus, BATCH);
        AtomicReferenceArray<Thread> onCpu = new AtomicReferenceArray<>(3);
        AtomicReference<String> broken = new AtomicReference<>();
        AtomicLong added = new AtomicLong();
        Thread taskA = start("task-A", () -> {
            for (long delta : new long[] {1, 2, 4}) {
                sectionOnCpu1(cpus, 0, witness, onCpu, broken, delta);
                added.addAndGet(delta);                        // between sections: CPU 1 is free here
            }
        });
        Thread taskB = start("task-B", () -> {
            for (long delta : new long[] {10, 20, 40}) {
                sectionOnCpu1(cpus, 2, witness, onCpu, broken, delta);
                added.addAndGet(delta);
            }
        });
        Thread hotplug = start("cpu1-goes-down", () -> cpus.takeDown(1));
        join(taskA, taskB, hotplug);
        if (broken.get() != null) {
            throw new AssertionError(broken.get() + " (" + impl.name() + ")");
        }
        try (CpuSection intruder = cpus.enter(1)) {
            throw new AssertionError("CPU 1 is " + cpus.state(1) + ", but a task could enter it: cpu_down's claim was"
                    + " lost (" + impl.name() + ")");
        } catch (CpuOfflineException expected) {
            // the dead CPU is claimed by hotplug
        }
        Cpus.HotplugOperation up = cpus.startBringUp(1);
        long whileBooting = witness.sum();
        up.finish();
        expect("sum() while CPU 1 boots (a count left in the dead CPU's slot is missed)", added.get(), whileBooting);
        try (CpuSection again = cpus.enter(1)) {
            expect("sum() once CPU 1 is online again", added.get(), witness.sum());
        }
    }

    /** One section of a task on CPU 1, or on {@code elsewhere} once CPU 1 is taken, checking the machine from inside. */
    private static void sectionOnCpu1(Cpus cpus, int elsewhere, BatchedCounter witness,
            AtomicReferenceArray<Thread> onCpu, AtomicReference<String> broken, long delta) {
        CpuSection cpu;
        try {
            cpu = cpus.enter(1);
        } catch (CpuOfflineException | CpuOccupiedException taken) {
            cpu = cpus.enter(elsewhere);
        }
        try (CpuSection section = cpu) {
            Thread me = Thread.currentThread();
            Thread other = onCpu.getAndSet(section.id(), me);
            if (other != null) {
                broken.compareAndSet(null, "'" + me.getName() + "' entered CPU " + section.id() + " while '"
                        + other.getName() + "' was on it: two tasks on one CPU");
            }
            Cpus.CpuState state = cpus.state(section.id());
            if (state != Cpus.CpuState.ONLINE && state != Cpus.CpuState.DYING) {
                broken.compareAndSet(null, "'" + me.getName() + "' runs on CPU " + section.id() + ", which is "
                        + state + ": nothing may run on a CPU that is not live");
            }
            witness.add(section, delta);
            onCpu.compareAndSet(section.id(), me, null);
        }
    }

    /**
     * (g) The model's own machinery, {@code Rcu} (the implementation's own
     * domain if it builds one): two readers take three read-side sections
     * each, idle between them, each section dereferencing the published node
     * and reading whether it was freed; an updater runs a grace period, then
     * twice replaces the node, waits a grace period and frees the old one. A
     * section that sees its node freed held it across a grace period that did
     * not wait for it: a section that began before that grace period.
     */
    static void rcuReadersAgainstGracePeriods() throws InterruptedException {
        Rcu rcu = Rcu.newDomainOf(UnderTest.implementation());
        AtomicReference<RcuNode> current = new AtomicReference<>(new RcuNode());
        AtomicReference<String> broken = new AtomicReference<>();
        Runnable reader = () -> {
            for (int section = 1; section <= 3; section++) {
                try (Rcu.ReadSection s = rcu.readLock()) {
                    RcuNode node = current.get();                       // rcu_dereference
                    if (node.freed.get() != 0) {                        // READ_ONCE(node->freed)
                        broken.compareAndSet(null, "section " + section + " of '" + Thread.currentThread().getName()
                                + "' holds a node an updater freed after a grace period: the grace period did not"
                                + " wait for a section that began before it");
                    }
                }
            }
        };
        Thread readerA = start("reader-A", reader);
        Thread readerB = start("reader-B", reader);
        Thread updater = start("updater", () -> {
            rcu.synchronize();
            for (int generation = 0; generation < 2; generation++) {
                RcuNode old = current.getAndSet(new RcuNode());         // rcu_replace_pointer
                rcu.synchronize();
                old.freed.set(1);                                       // kfree(old)
            }
        });
        join(readerA, readerB, updater);
        if (broken.get() != null) {
            throw new AssertionError(broken.get() + " (" + UnderTest.implementation().name() + ")");
        }
    }

    /** An RCU-protected node; {@code freed} is the updater's kfree. */
    private static final class RcuNode {
        final AtomicInteger freed = new AtomicInteger();
    }

    /** Batch size of the counter tree of {@link #treeCarries}: the smallest, so every add of 2 or more carries. */
    static final long TREE_BATCH = 2;

    /**
     * (f) Four contexts, one per CPU of a four-CPU counter tree (batch 2: level
     * 0, two level-1 items each shared by a pair of CPUs, the root shared by
     * all), add at once after {@code set(1000)}: each adds 1 twice (a carry of 2
     * into its pair's item), then 64 or -64 (a carry straight to the root), then
     * 1 again. Four carries of 64 meet on the root, two carries of 2 on each
     * level-1 item. Settled ({@link Quiescent#checkSettledTreeThenDestroy}): the
     * precise sum and the teardown are exactly 1000 + 4 * 3 = 1012 and the
     * approximate sum lies in {@code [precise - under, precise + over]} (under =
     * 16, over = 8 here: a lost or doubled root carry of 64 is outside).
     */
    static void treeCarries() throws InterruptedException {
        Cpus cpus = UnderTest.cpus(4);
        PercpuCounterTree tree = UnderTest.implementation().newCounterTrees(cpus, 1, TREE_BATCH)[0];
        tree.set(1000);
        Thread[] others = new Thread[3];
        for (int c = 1; c <= 3; c++) {
            int id = c;
            others[c - 1] = start("cpu-" + c, () -> treeAdds(cpus, tree, id));
        }
        treeAdds(cpus, tree, 0);
        join(others);
        Quiescent.checkSettledTreeThenDestroy(tree, 1000 + 4 * 3);
    }

    /** On CPU {@code cpuId}, in one section: 1, 1, then 64 (even CPUs) or -64 (odd), then 1. */
    private static void treeAdds(Cpus cpus, PercpuCounterTree tree, int cpuId) {
        try (CpuSection cpu = cpus.enter(cpuId)) {
            tree.add(cpu, 1);
            tree.add(cpu, 1);
            tree.add(cpu, cpuId % 2 == 0 ? 64 : -64);
            tree.add(cpu, 1);
        }
    }

    /**
     * (h) vfork with a SIGKILLed parent ({@code wait_for_vfork_done} sleeps
     * {@code TASK_KILLABLE}): the parent task maps a page alone, vforks, starts
     * the child and is killed out of its wait at once; on its way to
     * {@code do_exit} it faults ({@code exit_mm_release}: the robust list,
     * {@code clear_child_tid}) and exits. The child maps pages and exits (its
     * exec or {@code _exit}; nothing to complete if the parent was killed
     * first). Whether vfork upgraded and the killed parent's path are the
     * policy's. After the join: neither add was refused (the model's owner
     * check refusing the killed parent stands for the kernel losing its add),
     * the last exit tore the mm down, and check_mm is clean.
     */
    static void killedVforkParentAndChild() throws InterruptedException {
        Cpus cpus = UnderTest.cpus(2);
        Mm mm = UnderTest.newMm(cpus);
        mm.attachTask();                                       // this thread is the parent task
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
        }
        AtomicReference<Throwable> childFailed = new AtomicReference<>();
        Thread child = new Thread(() -> {
            try (CpuSection cpu = cpus.enter(1)) {
                mm.add(cpu, RssMember.ANONPAGES, 100);
                mm.exit(cpu);                                  // exec or _exit
            } catch (RuntimeException e) {
                childFailed.set(e);
            }
        }, "vfork-child");
        mm.vfork(child);
        child.start();
        boolean killed = mm.vforkWaitKilled();                 // SIGKILL: TASK_KILLABLE wakes it
        RuntimeException parentFailed = null;
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 10);              // exit_mm_release faults
            mm.exit(cpu);
        } catch (RuntimeException e) {
            parentFailed = e;
        }
        join(child);
        String when = killed ? "killed while its child ran" : "woken after its child released the mm";
        if (parentFailed != null || childFailed.get() != null) {
            Throwable e = parentFailed != null ? parentFailed : childFailed.get();
            throw new AssertionError("the vfork " + (parentFailed != null ? "parent" : "child") + " (parent " + when
                    + ") failed: " + e + " (" + UnderTest.implementation().name() + ")", e);
        }
        if (!mm.isTornDown()) {
            throw new AssertionError(mm + " not torn down after both tasks exited (parent " + when + ")");
        }
        if (!mm.checkMmReport().isEmpty()) {
            throw new AssertionError("check_mm after adds of 1, 100 (the child) and 10 (the parent " + when + "): "
                    + mm.checkMmReport() + " (" + UnderTest.implementation().name() + ")");
        }
    }

    /**
     * (i) Updaters that hold no reference against the last user's exit:
     * kswapd and khugepaged's {@code collapse_file} find the mm through a
     * folio's rmap ({@code Mm.rmapUnmap}: neither {@code mm_users} nor
     * {@code mm_count}) and unmap file pages, while the only task maps more and
     * exits, its {@code mmput} running {@code exit_mmap} and {@code check_mm}.
     * The walkers start once the task's first pages are mapped (the folios are
     * on the LRU). After the join: no walker reached a torn-down mm (a use
     * after free: the misuse or the destroyed counter refusing it), the mm was
     * torn down, and check_mm is clean (no unmap missed or counted twice).
     */
    static void rmapWalkersAgainstExit() throws InterruptedException {
        Cpus cpus = UnderTest.cpus(3);
        Mm mm = UnderTest.newMm(cpus);
        mm.attachTask();                                       // this thread is the mm's only task
        AtomicReference<Throwable> useAfterFree = new AtomicReference<>();
        AtomicLong unmapped = new AtomicLong();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.FILEPAGES, 4);
        }
        List<Thread> walkers = new ArrayList<>();
        String[] names = {"kswapd", "khugepaged"};
        for (int w = 1; w <= 2; w++) {
            int cpuId = w;
            walkers.add(start(names[w - 1], () -> {
                try {
                    for (int i = 0; i < 2; i++) {
                        if (mm.rmapUnmap(() -> cpus.enter(cpuId), RssMember.FILEPAGES, 1)) {
                            unmapped.incrementAndGet();
                        }
                    }
                } catch (IllegalStateException e) {            // MmMisuseException, CounterDestroyedException
                    useAfterFree.compareAndSet(null, e);
                }
            }));
        }
        boolean last;
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.FILEPAGES, 2);
            last = mm.exit(cpu);                               // the last mmput: exit_mmap, then check_mm
        }
        join(walkers.toArray(Thread[]::new));
        if (useAfterFree.get() != null) {
            throw new AssertionError("an rmap walker reached the mm after its teardown (" + unmapped.get()
                    + " pages unmapped): " + useAfterFree.get() + " (" + UnderTest.implementation().name() + ")",
                    useAfterFree.get());
        }
        if (!last || !mm.isTornDown()) {
            throw new AssertionError(mm + ": the task's exit, its last user, did not tear it down");
        }
        if (!mm.checkMmReport().isEmpty()) {
            throw new AssertionError("check_mm after " + unmapped.get() + " pages unmapped through the rmap: "
                    + mm.checkMmReport() + " (" + UnderTest.implementation().name() + ")");
        }
    }

    /**
     * Race.READ_SUM under the precise readers, whatever the run's setting: the task maps
     * 1 page (lazy mode), clones its mm and maps 2 more (kept in CPU 0's slot) while
     * khugepaged, holding a temporary reference, maps 10 on CPU 1 and reads
     * get_mm_counter. The racing read sees whole adds and its own 10 (10 to 13); once
     * quiet the read is exactly 13 and check_mm reports nothing.
     */
    static void preciseReadDuringClone() throws InterruptedException {
        Cpus cpus = UnderTest.cpus(2);
        Mm mm = UnderTest.implementation().newMm(cpus, UnderTest.design(),
                UnderTest.policy().withReaders(KernelPolicy.Readers.PRECISE));
        mm.attachTask();                                       // this thread is the mm's first task
        AtomicLong racingRead = new AtomicLong(-1);
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
        }
        Thread khugepaged = start("khugepaged", () -> {
            if (mm.mmgetNotZero()) {
                try (CpuSection cpu = cpus.enter(1)) {
                    mm.addRemote(cpu, RssMember.ANONPAGES, 10);
                    racingRead.set(mm.get(RssMember.ANONPAGES));
                    mm.mmput(cpu);
                }
            }
        });
        try (CpuSection cpu = cpus.enter(0)) {
            mm.cloneVm(new Thread(() -> { }, "second-task (never started)"));
            mm.add(cpu, RssMember.ANONPAGES, 2);
        }
        join(khugepaged);
        long racing = racingRead.get();
        if (racing < 10 || racing > 13) {
            throw new AssertionError("a precise get_mm_counter racing the clone read " + racing
                    + ": not the reader's own 10 plus whole adds of 1 and 2 (" + UnderTest.implementation().name() + ")");
        }
        expect("quiet precise get_mm_counter(MM_ANONPAGES)", 13, mm.get(RssMember.ANONPAGES));
        try (CpuSection cpu = cpus.enter(0)) {
            mm.mmput(cpu);                                     // the second task's reference
            mm.exit(cpu);                                      // the first task's: the last one
        }
        if (!mm.checkMmReport().isEmpty()) {
            throw new AssertionError("check_mm: " + mm.checkMmReport() + " (" + UnderTest.implementation().name() + ")");
        }
    }

    /** On CPU {@code cpuId}, in one section: {@code deltas} on the other path. */
    private static void addOther(Cpus cpus, int cpuId, RssCounter counter, long... deltas) {
        try (CpuSection cpu = cpus.enter(cpuId)) {
            for (long delta : deltas) {
                counter.addOther(cpu, delta);
            }
        }
    }

    /** The owner, on CPU 0, in one section: {@code deltas} on the local path. */
    private static void addLocal(Cpus cpus, RssCounter counter, long... deltas) {
        try (CpuSection cpu = cpus.enter(0)) {
            for (long delta : deltas) {
                counter.addLocal(cpu, delta);
            }
        }
    }

    private static void remoteUpdate(Mm mm, Cpus cpus, int cpuId, long pages) {
        if (!mm.mmgetNotZero()) {
            return;
        }
        try (CpuSection cpu = cpus.enter(cpuId)) {
            mm.addRemote(cpu, RssMember.ANONPAGES, pages);
            mm.addRemote(cpu, RssMember.SHMEMPAGES, 1);
            mm.mmput(cpu);
        }
    }

    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    static void join(Thread... threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    static void expect(String what, long expected, long actual) {
        if (expected != actual) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual
                    + " (" + UnderTest.implementation().name() + ")");
        }
    }
}
