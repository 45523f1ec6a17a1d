package lazycount.rss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import lazycount.counter.RssCounter;
import lazycount.cpu.AtomicContext;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.cpu.PercpuAllocationException;

/**
 * A model of {@code struct mm_struct} as far as its rss_stat counters go: the
 * lifecycle that decides which path each update takes and when the counters
 * must be exact.
 *
 * <p>Only a task of the mm ({@link #exec}, {@link #attachTask}, or added by a
 * clone or {@link #vfork}) may fork, clone, vfork or {@link #exit}; a kernel
 * thread borrows the mm with {@link #kthreadUseMm} under a reference from
 * {@link #mmgetNotZero}. {@link #add} takes the local path for a task (or a
 * local-path borrower) and the other path for anybody else; {@link #addRemote}
 * always takes the other path; {@link #rmapUnmap} is an updater that holds no
 * reference at all (reclaim, khugepaged's {@code collapse_file}), kept off a
 * freed mm only by the rmap lock that {@code exit_mmap}'s {@link #freePgtables}
 * takes to unlink the VMAs. A vfork parent sleeps until its child released
 * the mm ({@link #waitForVforkDone}) or a fatal signal wakes it while the child
 * still runs ({@link #vforkWaitKilled}). A fork or clone that cannot allocate fails with
 * {@link CloneFailedException} and changes nothing. The last {@link #mmput} tears
 * the mm down; {@link #checkMmReport} then lists every counter that was not
 * exactly zero. Misuse throws {@link MmMisuseException}.
 *
 * <p>Subclasses exist only to model broken variants (the mutants catalog); the
 * protected steps ({@code fillChildCounter}, {@code upgradeBeforeSharing},
 * {@code upgradesAtVfork}, {@code parentSleepsUntilChildReleases},
 * {@code borrowerTakesLocalPath}, {@code killedParentTakesLocalPath},
 * {@code casMmUsers}, {@code freePgtables}, {@code getMmCounter}) are where such
 * variants differ.
 */
public class Mm {

    /*
     * Design notes.
     *
     * <ul>
     * <li>Page tables. The model keeps, per counter, the number of pages its page
     *     tables really map ({@code pageTables}); every {@link #add} changes it
     *     together with the counter, as {@code set_pte} and the rss update
     *     go together in the kernel. They are the truth the counters cache.
     * <li>Paths. {@link #add} decides as the RFC's {@code add_mm_counter_local} does,
     *     by {@code current->mm == mm}: the tasks of this mm take the local path,
     *     a {@code kthread_use_mm} borrower the path its {@link KernelPolicy}
     *     says, anybody else the other path. {@link #addRemote} is the other path
     *     always (khugepaged, the OOM reaper, {@code process_madvise}). The model
     *     keeps {@code current->mm} as its inverse, per mm: the threads whose
     *     current mm this is ({@code tasks}, {@code borrowers}).
     * <li>fork. {@link #fork} builds the child's counters from the parent's
     *     context, so it fills them on the other path ({@code copy_pte_range}
     *     calling {@code add_mm_rss_vec(dst_mm, rss)}). The child task binds itself
     *     as owner when it starts ({@link #attachTask}).
     * <li>CLONE_VM. {@link #cloneVm}, {@link #cloneThread} and {@link #vfork}
     *     upgrade every counter <em>before</em> the new task is added, when the
     *     {@link KernelPolicy.CloneUpgrade} says so, so the second task can never
     *     find a counter in lazy mode with somebody else's name on the local path.
     *     If the upgrade's allocation fails the clone fails with {@code -ENOMEM}
     *     ({@link CloneFailedException}) before anything else changed.
     * <li>vfork. The child runs on this mm while its parent sleeps in
     *     {@link #waitForVforkDone} until the child leaves the mm ({@link #exit}:
     *     {@code mm_release} then {@code complete_vfork_done}). If the policy does
     *     not upgrade at vfork, the parent hands the lazy counters' local path to
     *     the child and the child hands it back before the completion: the
     *     completion is the only ordering between their plain updates. The wait
     *     is {@code TASK_KILLABLE}: a fatal signal wakes the parent while the
     *     child still runs ({@link #vforkWaitKilled}; {@code wait_for_vfork_done}
     *     then clears {@code child->vfork_done}), and on its way out
     *     ({@code do_exit -> exit_mm -> exit_mm_release}) the parent touches the
     *     shared mm's memory and can fault with {@code current->mm == mm}: its
     *     updates take the path the {@link KernelPolicy.KilledVforkParent} says.
     * <li>kthread_use_mm. A kernel thread adopts the mm ({@link #kthreadUseMm}) and
     *     drops it ({@link #kthreadUnuseMm}); its updates take the path of the
     *     {@link KernelPolicy.BorrowerPath}. It cannot fail in the kernel, so an
     *     upgrade there that cannot allocate leaves that borrower on the other path.
     * <li>Locks. Every counter add runs under the page-table lock, as every
     *     rss update of the C's fault, copy and unmap paths does (a spinlock: {@link AtomicContext}),
     *     so nothing an add reaches may sleep; fork's allocation of the child,
     *     the upgrade at {@code CLONE_VM} ({@code copy_mm}) and the teardown
     *     ({@code __mmdrop}) run in process context with no lock held, where
     *     they may.
     * <li>Teardown. {@code mm_users} counts tasks and temporary references
     *     ({@link #mmgetNotZero}); the last {@link #mmput} runs {@code exit_mmap},
     *     which unmaps every page through the other path (the exiting task has
     *     already left the mm), then {@code check_mm}: every counter must now be
     *     exactly zero, otherwise it records the kernel's
     *     {@code "BUG: Bad rss-counter state"} line. The atomic decrement of
     *     {@code mm_users} orders every user's updates before the teardown.
     * <li>Updaters without a reference. Reclaim ({@code try_to_unmap_one} from
     *     kswapd or direct reclaim) and khugepaged's {@code collapse_file} find
     *     the mm through a folio's rmap and unmap its pages holding neither
     *     {@code mm_users} nor {@code mm_count}, under the rmap lock
     *     ({@code anon_vma} lock or {@code i_mmap_rwsem}) and the page-table
     *     lock ({@link #rmapUnmap}). They can run during {@code exit_mmap}'s
     *     {@code unmap_vmas}: each page is unmapped once (the page-table lock,
     *     here an atomic change of {@code pageTables}); {@code free_pgtables}
     *     unlinks the VMAs under the rmap locks taken for writing
     *     ({@link #freePgtables}), which waits for every walker that found one,
     *     and only then does {@code check_mm} run: that ordering, not a
     *     reference, keeps its sums exact.
     * </ul>
     */

    /**
     * What {@link AtomicContext} calls the page-table lock an rss update
     * runs under ({@code pte_offset_map_lock}: {@code do_anonymous_page},
     * {@code do_set_pte}'s callers, {@code zap_pte_range}, ...).
     */
    public static final String PTL = "the page-table lock (pte_offset_map_lock)";
    /** {@code copy_pte_range}: its {@code add_mm_rss_vec(dst_mm, rss)} runs under the child's {@code dst_ptl}. */
    static final String PTL_COPY = "the child's page-table lock of copy_pte_range (dst_ptl)";
    /** {@code exit_mmap} -> {@code zap_pte_range}, whose {@code add_mm_rss_vec} runs under {@code ptl}. */
    static final String PTL_ZAP = "the page-table lock of zap_pte_range (exit_mmap)";

    private final CounterFactory factory;
    private final Cpus cpus;
    private final RssDesign design;
    private final String name;
    private final RssCounter[] counters;
    private final AtomicLongArray pageTables = new AtomicLongArray(RssMember.values().length);
    private final KernelPolicy policy;
    private final Set<Thread> tasks = ConcurrentHashMap.newKeySet();   // tasks with current->mm == this
    /** kthread_use_mm borrowers (current->mm == this too), each with whether it takes the local path. */
    private final Map<Thread, Boolean> borrowers = new ConcurrentHashMap<>();
    private final Map<Thread, VforkDone> vforkChildren = new ConcurrentHashMap<>();      // by child
    private final Map<Thread, VforkDone> parentsAsleep = new ConcurrentHashMap<>();      // by parent
    private final Set<Thread> releasedVforkChildren = ConcurrentHashMap.newKeySet();
    /** vfork parents woken by a fatal signal while their child ran, each with whether it takes the local path. */
    private final Map<Thread, Boolean> killedParents = new ConcurrentHashMap<>();
    /*
     * The rmap locks of this mm's VMAs (anon_vma lock, i_mmap_rwsem) as far as the teardown needs them: a
     * walker announces itself, then looks for a linked VMA; free_pgtables unlinks, then waits until no
     * walker is left. Sequentially consistent on both sides, so a walker either sees the VMAs unlinked
     * or is waited for (two accesses per teardown: fewer scheduling points than a lock for Fray).
     */
    private final AtomicInteger rmapWalkers = new AtomicInteger();
    private volatile boolean vmasLinked = true;
    private final AtomicInteger mmUsers = new AtomicInteger(1);
    private long hiwaterRss;                                           // set by dup_mm before the child is shared
    private volatile List<String> checkMmReport;                       // null until torn down

    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    /** Through {@link CounterFactory#newMm}, the one place an mm is built; a variant of the lifecycle subclasses. */
    protected Mm(CounterFactory factory, Cpus cpus, RssDesign design, KernelPolicy policy) {
        this.factory = java.util.Objects.requireNonNull(factory, "factory");
        this.policy = java.util.Objects.requireNonNull(policy, "policy");
        this.cpus = cpus;
        this.design = design;
        this.name = "mm#" + NEXT_ID.incrementAndGet();
        this.counters = factory.newRssCounters(cpus, design);
        if (counters.length != RssMember.values().length) {
            throw new IllegalStateException(factory.name() + " built " + counters.length + " rss counters");
        }
    }

    /** A new mm with no task yet (the child side of fork before it runs), under the default policy. */
    public static Mm create(CounterFactory factory, Cpus cpus, RssDesign design) {
        return factory.newMm(cpus, design, KernelPolicy.DEFAULT);
    }

    /** {@code mm_alloc} at exec: a fresh mm whose only task is the calling thread. */
    public static Mm exec(CounterFactory factory, Cpus cpus, RssDesign design, KernelPolicy policy) {
        Mm mm = factory.newMm(cpus, design, policy);
        mm.attachTask();
        return mm;
    }

    /** {@link #exec(CounterFactory, Cpus, RssDesign, KernelPolicy)} under the default policy. */
    public static Mm exec(CounterFactory factory, Cpus cpus, RssDesign design) {
        return exec(factory, cpus, design, KernelPolicy.DEFAULT);
    }

    /**
     * {@code dup_mm}: a child mm with this mm's page tables, its counters filled
     * from the calling (parent) context. The child has one user and no task
     * until {@link #attachTask()}.
     */
    public Mm fork(CpuSection cpu) {
        checkCallerIsTask("fork");
        Mm child;
        try {
            child = factory.newMm(cpus, design, policy);                    // dup_mm -> mm_init: the eager design allocates
        } catch (PercpuAllocationException e) {
            throw new CloneFailedException("fork() of " + name + " failed with -ENOMEM: " + e.getMessage(), e);
        }
        for (RssMember member : RssMember.values()) {
            long pages = pageTables.get(member.ordinal());
            child.pageTables.set(member.ordinal(), pages);
            try (AtomicContext.Held ptl = AtomicContext.spinLock(PTL_COPY)) {
                fillChildCounter(child, cpu, member, pages);
            }
        }
        child.hiwaterRss = child.getMmRss();                             // mm->hiwater_rss = get_mm_rss(mm)
        return child;
    }

    /**
     * {@code get_mm_rss}: file, anonymous and shmem pages, each as {@link #get}
     * reads it (a precise sum when the policy's readers are precise, which is
     * what makes it cost a walk of every CPU at each fork).
     */
    public long getMmRss() {
        return get(RssMember.FILEPAGES) + get(RssMember.ANONPAGES) + get(RssMember.SHMEMPAGES);
    }

    /** {@code mm->hiwater_rss} as {@code dup_mm} set it. */
    public long hiwaterRss() {
        return hiwaterRss;
    }

    /** copy_page_range accounting: the parent updates the child's counter. */
    protected void fillChildCounter(Mm child, CpuSection cpu, RssMember member, long pages) {
        child.counter(member).addOther(cpu, pages);
    }

    /** The calling thread starts running as a task of this mm and owns its lazy counters. */
    public void attachTask() {
        checkAlive("attachTask");
        for (RssCounter c : counters) {
            c.bindOwner();
        }
        tasks.add(Thread.currentThread());
    }

    /**
     * {@code clone(CLONE_VM)} by a task of this mm (a process sharing the
     * address space): upgrades if the policy says so, then makes
     * {@code newTask} a task of this mm. Start {@code newTask} only after this returns.
     *
     * @throws CloneFailedException if the upgrade could not allocate; nothing changed
     */
    public void cloneVm(Thread newTask) {
        share(newTask, KernelPolicy.Clone.VM);
    }

    /** {@code clone(CLONE_VM | CLONE_THREAD)}: as {@link #cloneVm}, for a new thread. */
    public void cloneThread(Thread newTask) {
        share(newTask, KernelPolicy.Clone.THREAD);
    }

    private void share(Thread newTask, KernelPolicy.Clone clone) {
        checkCallerIsTask(clone.call);
        if (policy.cloneUpgrade().upgradesAt(clone)) {
            upgradeOrFail(clone.call);
        }
        mmUsers.incrementAndGet();
        tasks.add(newTask);
    }

    /**
     * {@code vfork()} ({@code clone(CLONE_VM | CLONE_VFORK)}) by a task of this
     * mm: {@code child} becomes a task of this mm and the calling parent sleeps
     * (every mm operation of it is refused) until it returns from
     * {@link #waitForVforkDone}, which it calls after starting the child. The
     * child leaves with {@link #exit} (its exit, or its exec onto a new mm).
     *
     * @throws CloneFailedException if the upgrade could not allocate; nothing changed
     */
    public void vfork(Thread child) {
        Thread parent = Thread.currentThread();
        checkCallerIsTask("vfork");
        if (child == parent || tasks.contains(child) || borrowers.containsKey(child)) {
            throw new MmMisuseException("vfork() on " + name + " with child thread '" + child.getName()
                    + "', which already uses this mm");
        }
        if (upgradesAtVfork()) {
            upgradeOrFail(KernelPolicy.Clone.VFORK.call);
        }
        VforkDone done = new VforkDone(parent);
        if (!parentSleepsUntilChildReleases()) {
            done.complete();
        }
        mmUsers.incrementAndGet();
        handLazyLocalPath(child);                               // the parent will sleep: the child may take it
        parentsAsleep.put(parent, done);
        vforkChildren.put(child, done);
        tasks.add(child);
    }

    /**
     * {@code wait_for_vfork_done}: the vfork parent sleeps until its child has
     * released this mm, then runs again (owning the lazy local path again).
     */
    public void waitForVforkDone() {
        callersVfork("waitForVforkDone").await();
        parentsAsleep.remove(Thread.currentThread());
    }

    /**
     * A fatal signal wakes the calling vfork parent out of {@code wait_for_vfork_done}
     * ({@code TASK_KILLABLE}; {@code kernel/fork.c} at pongo1231/linux @1081a970494e). If its
     * child had not released the mm yet, the wait returns killed and clears
     * {@code child->vfork_done} under {@code task_lock(child)}, so the child's
     * {@code complete_vfork_done} will find nothing to complete: the parent now
     * runs beside its child on the mm, on its way to {@code do_exit}. It may
     * still {@link #add} (a fault in {@code exit_mm_release}: the robust list's
     * {@code get_user}, {@code put_user} to {@code clear_child_tid}), on the path
     * its {@link KernelPolicy.KilledVforkParent} says, and {@link #exit}; it never
     * returns to user space, so nothing else. Returns false if the child had
     * already released the mm: the wait returned normally and the parent owns
     * the local path again, as after {@link #waitForVforkDone}.
     */
    public boolean vforkWaitKilled() {
        Thread parent = Thread.currentThread();
        VforkDone done = callersVfork("vforkWaitKilled");
        boolean killed = done.kill();
        parentsAsleep.remove(parent);
        if (killed) {
            killedParents.put(parent, killedParentTakesLocalPath());
        }
        return killed;
    }

    /**
     * Step: whether a vfork parent woken by a fatal signal, its child still on
     * the mm, takes the local path: by {@code current->mm == mm} alone, or not
     * at all, or after upgrading the counters (which cannot fail the signal:
     * an upgrade that cannot allocate leaves it on the other path).
     */
    protected boolean killedParentTakesLocalPath() {
        switch (policy.killedVforkParent()) {
            case LOCAL_PATH:
                return true;
            case OTHER_PATH:
                return false;
            default:
                return upgradedForSharing();
        }
    }

    /**
     * {@code completion_done(&vfork)}: whether the calling vfork parent's
     * child has released the mm, so that {@link #waitForVforkDone} returns at
     * once (a caller that must poll rather than block: a model checker's thread).
     */
    public boolean vforkDone() {
        return callersVfork("vforkDone").isDone();
    }

    private VforkDone callersVfork(String operation) {
        Thread parent = Thread.currentThread();
        VforkDone done = parentsAsleep.get(parent);
        if (done == null) {
            throw new MmMisuseException(operation + "() on " + name + " by thread '" + parent.getName()
                    + "', which has no vfork child on this mm");
        }
        return done;
    }

    /** Step: whether vfork upgrades the counters (the policy's choice). */
    protected boolean upgradesAtVfork() {
        return policy.cloneUpgrade().upgradesAt(KernelPolicy.Clone.VFORK);
    }

    /** Step: whether the vfork parent sleeps until its child releases the mm (CLONE_VFORK's promise). */
    protected boolean parentSleepsUntilChildReleases() {
        return true;
    }

    /** The upgrade before the mm is shared; a failed allocation becomes the clone's -ENOMEM. */
    private void upgradeOrFail(String call) {
        try {
            upgradeBeforeSharing();
        } catch (PercpuAllocationException e) {
            throw new CloneFailedException(call + " on " + name + " failed with -ENOMEM before the new task"
                    + " was added: " + e.getMessage(), e);
        }
    }

    /** The forced upgrade of every counter before a second task may run. */
    protected void upgradeBeforeSharing() {
        factory.upgradeAll(counters);
    }

    /** Hands every still-lazy counter's local path from the calling owner to {@code next}. */
    private void handLazyLocalPath(Thread next) {
        for (RssCounter c : counters) {
            if (!c.isPerCpu()) {
                c.handOwnerTo(next);
            }
        }
    }

    /**
     * {@code kthread_use_mm}: the calling kernel thread adopts this mm
     * ({@code current->mm = mm}); its updates take the path the policy says.
     * The caller holds a reference it took with {@link #mmgetNotZero}.
     */
    public void kthreadUseMm() {
        checkAlive("kthreadUseMm");
        Thread me = Thread.currentThread();
        if (tasks.contains(me) || releasedVforkChildren.contains(me)) {
            throw new MmMisuseException("kthreadUseMm() on " + name + " by thread '" + me.getName()
                    + "', which is or was a task of this mm: only a kernel thread borrows an mm");
        }
        if (borrowers.containsKey(me)) {
            throw new MmMisuseException("kthreadUseMm() on " + name + " by thread '" + me.getName()
                    + "', which already uses it (kthread_use_mm twice without kthread_unuse_mm)");
        }
        borrowers.put(me, borrowerTakesLocalPath());
    }

    /**
     * Step: whether the new borrower's updates take the local path, after the
     * upgrade that makes that safe where the policy asks for one.
     */
    protected boolean borrowerTakesLocalPath() {
        switch (policy.borrowerPath()) {
            case LOCAL_PATH:
                return true;
            case OTHER_PATH:
                return false;
            default:
                return upgradedForSharing();
        }
    }

    /**
     * The upgrade that lets another context share the local path: false, the
     * other path, when it cannot allocate (neither {@code kthread_use_mm} nor a
     * fatal signal's wake can fail).
     */
    private boolean upgradedForSharing() {
        try {
            upgradeBeforeSharing();
            return true;
        } catch (PercpuAllocationException e) {
            return false;
        }
    }

    /** {@code kthread_unuse_mm}: the calling kernel thread drops the mm it borrowed. */
    public void kthreadUnuseMm() {
        Thread me = Thread.currentThread();
        if (borrowers.remove(me) == null) {
            throw new MmMisuseException("kthreadUnuseMm() on " + name + " by thread '" + me.getName()
                    + "', which is not using it (no kthread_use_mm)");
        }
    }

    /** A page-table change by the calling context and its {@code add_mm_counter}. */
    public void add(CpuSection cpu, RssMember member, long delta) {
        checkAlive("add");
        boolean local = takesLocalPath(Thread.currentThread(), "add");
        try (AtomicContext.Held ptl = AtomicContext.spinLock(PTL)) {
            if (local) {
                counter(member).addLocal(cpu, delta);
            } else {
                counter(member).addOther(cpu, delta);
            }
        }
        pageTables.getAndAdd(member.ordinal(), delta);
    }

    /** A page-table change by a remote context that calls the other variant directly. */
    public void addRemote(CpuSection cpu, RssMember member, long delta) {
        checkAlive("addRemote");
        checkNotReleasedVforkChild(Thread.currentThread(), "addRemote");
        try (AtomicContext.Held ptl = AtomicContext.spinLock(PTL)) {
            counter(member).addOther(cpu, delta);
        }
        pageTables.getAndAdd(member.ordinal(), delta);
    }

    /**
     * {@code get_mm_counter}, never negative: the fast approximate read, or the
     * precise sum, as the policy's {@link KernelPolicy.Readers} say.
     */
    public long get(RssMember member) {
        checkAlive("get");
        return Math.max(0, getMmCounter(counter(member)));
    }

    /** Step: what {@code get_mm_counter} reads of one counter under the policy's readers. */
    protected long getMmCounter(RssCounter counter) {
        return policy.readers() == KernelPolicy.Readers.PRECISE ? counter.sum() : counter.read();
    }

    /** The precise sum of one counter (exact when quiescent). */
    public long sum(RssMember member) {
        checkAlive("sum");
        return counter(member).sum();
    }

    /** What the page tables map for {@code member}: the value the counter must reach when quiet. */
    public long mappedPages(RssMember member) {
        return pageTables.get(member.ordinal());
    }

    /** {@code mmget_not_zero}: a temporary reference for a remote updater; false once the mm is dying. */
    public boolean mmgetNotZero() {
        int users;
        do {
            users = mmUsers.get();
            if (users == 0) {
                return false;
            }
        } while (!casMmUsers(users, users + 1));
        return true;
    }

    /** {@code mmput}: drops a reference; the last one tears the mm down. Returns whether it did. */
    public boolean mmput(CpuSection cpu) {
        int users;
        do {                                                     // atomic_dec_and_test, refusing underflow
            users = mmUsers.get();
            if (users == 0) {
                throw new MmMisuseException("mmput() on " + name + " with no reference left");
            }
        } while (!casMmUsers(users, users - 1));
        if (users > 1) {
            return false;
        }
        teardown(cpu);
        return true;
    }

    /**
     * Step: one {@code atomic_cmpxchg(&mm->mm_users, expected, next)}; false
     * if another context changed the count first, and the caller retries.
     * Full ordering, as the kernel's value-returning atomics: every update a
     * user made before its {@code mmput} happens-before the teardown.
     */
    protected boolean casMmUsers(int expected, int next) {
        return mmUsers.compareAndSet(expected, next);
    }

    /**
     * {@code exit_mm} (or exec's {@code exec_mmap}) then {@code mmput}: the
     * calling task leaves the mm. A vfork child hands the lazy local path back
     * and completes its parent's wait first ({@code mm_release}).
     */
    public boolean exit(CpuSection cpu) {
        checkCallerIsTask("exit");
        Thread me = Thread.currentThread();
        VforkDone vfork = vforkChildren.remove(me);
        tasks.remove(me);
        killedParents.remove(me);
        if (vfork != null) {
            releasedVforkChildren.add(me);
            if (vfork.startCompleting()) {                      // task_lock(tsk); tsk->vfork_done still set
                handLazyLocalPath(vfork.parent);
                vfork.complete();                               // complete_vfork_done: release
            }                                                   // else the parent was killed: nothing to complete
        }
        return mmput(cpu);
    }

    private void teardown(CpuSection cpu) {
        for (RssMember member : RssMember.values()) {            // exit_mmap's unmap_vmas: unmap everything
            long mapped = pageTables.getAndSet(member.ordinal(), 0);
            try (AtomicContext.Held ptl = AtomicContext.spinLock(PTL_ZAP)) {
                counter(member).addOther(cpu, -mapped);
            }
        }
        freePgtables();                                          // no rmap walker can reach this mm any more
        List<String> bad = new ArrayList<>();
        long[] finalValues = factory.destroyAll(counters);          // check_mm's sums, then the counters' teardown
        for (RssMember member : RssMember.values()) {            // check_mm
            long value = finalValues[member.ordinal()];
            if (value != 0) {
                bad.add("BUG: Bad rss-counter state mm:" + name + " type:" + member.kernelName()
                        + " val:" + value);
            }
        }
        checkMmReport = Collections.unmodifiableList(bad);
    }

    /**
     * Step: {@code exit_mmap}'s {@code free_pgtables}, which unlinks every VMA
     * from its rmap ({@code unlink_anon_vmas} under the {@code anon_vma} lock,
     * {@code unlink_file_vma} under {@code i_mmap_rwsem}, both for writing): it
     * waits for every {@link #rmapUnmap} that found a VMA, and none finds one
     * after it.
     */
    protected void freePgtables() {
        vmasLinked = false;                                      // unlink_anon_vmas / unlink_file_vma under the locks
        while (rmapWalkers.get() != 0) {                         // taken for writing: wait for the walkers in
            Thread.onSpinWait();
        }
    }

    /**
     * {@code try_to_unmap_one} reached through a folio's rmap: reclaim (kswapd,
     * or direct reclaim in any task) or khugepaged's {@code collapse_file}
     * unmapping {@code pages} of {@code member} from this mm, on the CPU
     * {@code enterCpu} enters once the rmap lock is held (the caller is on no
     * CPU: the rmap lock sleeps). The caller holds
     * neither {@code mm_users} nor {@code mm_count}: under the rmap lock it finds
     * a VMA of this mm only until {@code exit_mmap}'s {@code free_pgtables}
     * unlinked them, and under the page-table lock it unmaps only what is still
     * mapped (it may run during {@code unmap_vmas}, which unmaps the rest). Its
     * rss update takes the path {@link #add} would ({@code current->mm
     * == mm} only for direct reclaim in a task of this mm). Returns whether it
     * unmapped anything: false once the VMAs are unlinked, or when nothing of
     * {@code member} is mapped.
     */
    public boolean rmapUnmap(Supplier<CpuSection> enterCpu, RssMember member, long pages) {
        if (pages <= 0) {
            throw new MmMisuseException("rmapUnmap() on " + name + " of " + pages + " pages: it unmaps a positive number");
        }
        rmapWalkers.incrementAndGet();                           // anon_vma_lock_read / i_mmap_lock_read: it sleeps
        try {
            if (!vmasLinked) {
                return false;                                    // rmap_walk finds no VMA of this mm
            }
            checkAlive("rmapUnmap");
            try (CpuSection cpu = enterCpu.get()) {              // the pte lock: a spinlock, preemption off
                long mapped;
                do {                                             // page_vma_mapped_walk: still mapped?
                    mapped = pageTables.get(member.ordinal());
                    if (mapped < pages) {
                        return false;
                    }
                } while (!pageTables.compareAndSet(member.ordinal(), mapped, mapped - pages));
                if (takesLocalPath(Thread.currentThread(), "rmapUnmap")) {
                    counter(member).addLocal(cpu, -pages);
                } else {
                    counter(member).addOther(cpu, -pages);
                }
                return true;
            }
        } finally {
            rmapWalkers.decrementAndGet();
        }
    }

    public boolean isTornDown() {
        return checkMmReport != null;
    }

    /**
     * The lines {@code check_mm} printed at teardown: empty when every counter
     * was exact.
     *
     * @throws MmMisuseException if the mm has not been torn down
     */
    public List<String> checkMmReport() {
        List<String> report = checkMmReport;
        if (report == null) {
            throw new MmMisuseException("checkMmReport() on " + name + " before its last mmput()");
        }
        return report;
    }

    public RssCounter counter(RssMember member) {
        return counters[member.ordinal()];
    }

    public RssDesign design() {
        return design;
    }

    public Cpus cpus() {
        return cpus;
    }

    public KernelPolicy policy() {
        return policy;
    }

    /** Whether the calling thread's add_mm_counter_local takes the local path now (a task, or a local-path borrower). */
    public boolean callerTakesLocalPath() {
        return takesLocalPath(Thread.currentThread(), "callerTakesLocalPath");
    }

    public int tasks() {
        return tasks.size();
    }

    /** The path of the calling thread's add_mm_counter_local: READ_ONCE(current->mm) == mm, and the borrower policy. */
    private boolean takesLocalPath(Thread me, String operation) {
        if (tasks.contains(me)) {
            checkAwake(me, operation);
            Boolean killedLocal = killedParents.get(me);
            return killedLocal == null || killedLocal;
        }
        Boolean borrowerLocal = borrowers.get(me);
        if (borrowerLocal != null) {
            return borrowerLocal;
        }
        checkNotReleasedVforkChild(me, operation);
        return false;
    }

    private void checkCallerIsTask(String operation) {
        checkAlive(operation);
        Thread me = Thread.currentThread();
        if (!tasks.contains(me)) {
            checkNotReleasedVforkChild(me, operation);
            throw new MmMisuseException(operation + "() on " + name + " by thread '"
                    + me.getName() + "', which is not a task of this mm");
        }
        checkAwake(me, operation);
        if (!operation.equals("exit") && killedParents.containsKey(me)) {
            throw new MmMisuseException(operation + "() on " + name + " by thread '" + me.getName()
                    + "', a vfork parent woken by a fatal signal: it goes from wait_for_vfork_done to do_exit and"
                    + " never returns to user space (only its faults, add(), and its exit() remain)");
        }
    }

    private void checkAwake(Thread me, String operation) {
        if (parentsAsleep.containsKey(me)) {
            throw new MmMisuseException(operation + "() on " + name + " by thread '" + me.getName()
                    + "', a vfork parent asleep in wait_for_vfork_done: it runs again only when its child"
                    + " releases the mm (waitForVforkDone()) or a fatal signal wakes it (vforkWaitKilled())");
        }
    }

    private void checkNotReleasedVforkChild(Thread me, String operation) {
        if (releasedVforkChildren.contains(me)) {
            throw new MmMisuseException(operation + "() on " + name + " by thread '" + me.getName()
                    + "', a vfork child that already released this mm (it exec'd or exited)");
        }
    }

    private void checkAlive(String operation) {
        if (checkMmReport != null) {
            throw new MmMisuseException(operation + "() on " + name + " after its teardown");
        }
    }

    /**
     * The vfork completion ({@code struct completion vfork}): the child
     * completes it once, the parent waits. A release store and an acquire
     * spin rather than a blocking latch: the ordering is the completion's
     * (everything the child did before {@code complete} happens-before what the
     * parent does after its wait), and a spin is what Lincheck's model checker
     * can schedule across threads created mid-run.
     */
    private static final class VforkDone {
        private static final int PENDING = 0;
        private static final int COMPLETING = 1;                // the child holds task_lock(child), vfork_done set
        private static final int DONE = 2;
        private static final int KILLED = 3;                    // the parent cleared child->vfork_done

        final Thread parent;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        VforkDone(Thread parent) {
            this.parent = parent;
        }

        /** The child's {@code task_lock} and test of {@code vfork_done}: false if the killed parent cleared it. */
        boolean startCompleting() {
            return state.compareAndSet(PENDING, COMPLETING) || state.get() == DONE;
        }

        void complete() {
            state.set(DONE);                                    // complete(): the child's updates before it
        }

        boolean isDone() {
            return state.get() == DONE;
        }

        /** The killed wait: true if it cleared {@code vfork_done} first; else waits out a completion under way. */
        boolean kill() {
            if (state.compareAndSet(PENDING, KILLED)) {
                return true;
            }
            await();                                            // task_lock(child) waits for complete_vfork_done
            return false;
        }

        void await() {
            // wait_for_completion sees them all after. A volatile read, not getAcquire: Lincheck 3.7's
            // model checker recognises this spin as a wait only through a volatile read.
            while (state.get() != DONE) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public String toString() {
        return name + "[" + design + ", " + factory.name() + "]";
    }
}
