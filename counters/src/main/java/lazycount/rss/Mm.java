package lazycount.rss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import lazycount.counter.RssCounter;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;

/**
 * A model of {@code struct mm_struct} as far as its rss_stat counters go: the
 * lifecycle that decides which path each update takes and when the counters
 * must be exact.
 *
 * <p>Design notes.
 * <ul>
 * <li>Page tables. The model keeps, per counter, the number of pages its page
 *     tables really map ({@code pageTables}); every {@link #add} changes it
 *     together with the counter, as {@code set_pte} and {@code add_mm_counter}
 *     go together in the kernel. They are the truth the counters cache.
 * <li>Paths. {@link #add} takes the local path when the calling thread is a
 *     task using this mm ({@code current->mm == mm}) and the other path
 *     otherwise; {@link #addRemote} is the other path always (khugepaged, the
 *     OOM reaper, {@code process_madvise}).
 * <li>fork. {@link #fork} builds the child's counters from the parent's
 *     context, so it fills them on the other path ({@code copy_page_range}
 *     calling {@code add_mm_counter(dst_mm, ...)}). The child task binds itself
 *     as owner when it starts ({@link #attachTask}).
 * <li>CLONE_VM. {@link #cloneVm} upgrades every counter <em>before</em> the new
 *     task is added, so the second task can never find a counter in lazy mode
 *     with somebody else's name on the local path.
 * <li>Teardown. {@code mm_users} counts tasks and temporary references
 *     ({@link #mmgetNotZero}); the last {@link #mmput} runs {@code exit_mmap},
 *     which unmaps every page through the other path (the exiting task has
 *     already left the mm), then {@code check_mm}: every counter must now be
 *     exactly zero, otherwise it records the kernel's
 *     {@code "BUG: Bad rss-counter state"} line. The atomic decrement of
 *     {@code mm_users} orders every user's updates before the teardown.
 * </ul>
 * Subclasses exist only to model broken variants (the mutants catalog); the
 * two protected steps are where such variants differ.
 */
public class Mm {

    private final CounterImplementation impl;
    private final Cpus cpus;
    private final RssDesign design;
    private final String name;
    private final RssCounter[] counters;
    private final AtomicLongArray pageTables = new AtomicLongArray(RssMember.values().length);
    private final Set<Thread> tasks = ConcurrentHashMap.newKeySet();   // tasks with current->mm == this
    private final AtomicInteger mmUsers = new AtomicInteger(1);
    private volatile List<String> checkMmReport;                       // null until torn down

    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    protected Mm(CounterImplementation impl, Cpus cpus, RssDesign design) {
        this.impl = impl;
        this.cpus = cpus;
        this.design = design;
        this.name = "mm#" + NEXT_ID.incrementAndGet();
        this.counters = impl.newRssCounters(cpus, design);
        if (counters.length != RssMember.values().length) {
            throw new IllegalStateException(impl.name() + " built " + counters.length + " rss counters");
        }
    }

    /** A new mm with no task yet (the child side of fork before it runs). */
    public static Mm create(CounterImplementation impl, Cpus cpus, RssDesign design) {
        return new Mm(impl, cpus, design);
    }

    /** {@code mm_alloc} at exec: a fresh mm whose only task is the calling thread. */
    public static Mm exec(CounterImplementation impl, Cpus cpus, RssDesign design) {
        Mm mm = impl.newMm(cpus, design);
        mm.attachTask();
        return mm;
    }

    /**
     * {@code dup_mm}: a child mm with this mm's page tables, its counters filled
     * from the calling (parent) context. The child has one user and no task
     * until {@link #attachTask()}.
     */
    public Mm fork(CpuSection cpu) {
        checkCallerIsTask("fork");
        Mm child = impl.newMm(cpus, design);
        for (RssMember member : RssMember.values()) {
            long pages = pageTables.get(member.ordinal());
            child.pageTables.set(member.ordinal(), pages);
            fillChildCounter(child, cpu, member, pages);
        }
        return child;
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
     * {@code clone(CLONE_VM)} by a task of this mm: forces the upgrade, then makes
     * {@code newTask} a task of this mm. Start {@code newTask} only after this returns.
     */
    public void cloneVm(Thread newTask) {
        checkCallerIsTask("cloneVm");
        upgradeBeforeSharing();
        mmUsers.incrementAndGet();
        tasks.add(newTask);
    }

    /** The forced upgrade of every counter before a second task may run. */
    protected void upgradeBeforeSharing() {
        impl.upgradeAll(counters);
    }

    /** A page-table change by the calling context and its {@code add_mm_counter}. */
    public void add(CpuSection cpu, RssMember member, long delta) {
        checkAlive("add");
        if (tasks.contains(Thread.currentThread())) {
            counter(member).addLocal(cpu, delta);
        } else {
            counter(member).addOther(cpu, delta);
        }
        pageTables.getAndAdd(member.ordinal(), delta);
    }

    /** A page-table change by a remote context that calls the other variant directly. */
    public void addRemote(CpuSection cpu, RssMember member, long delta) {
        checkAlive("addRemote");
        counter(member).addOther(cpu, delta);
        pageTables.getAndAdd(member.ordinal(), delta);
    }

    /** {@code get_mm_counter}: the fast read, never negative. */
    public long get(RssMember member) {
        checkAlive("get");
        return Math.max(0, counter(member).read());
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
        } while (!mmUsers.compareAndSet(users, users + 1));
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
        } while (!mmUsers.compareAndSet(users, users - 1));
        if (users > 1) {
            return false;
        }
        teardown(cpu);
        return true;
    }

    /** {@code exit_mm} then {@code mmput}: the calling task leaves the mm. */
    public boolean exit(CpuSection cpu) {
        checkCallerIsTask("exit");
        tasks.remove(Thread.currentThread());
        return mmput(cpu);
    }

    private void teardown(CpuSection cpu) {
        for (RssMember member : RssMember.values()) {            // exit_mmap: unmap everything
            long mapped = pageTables.getAndSet(member.ordinal(), 0);
            counter(member).addOther(cpu, -mapped);
        }
        List<String> bad = new ArrayList<>();
        long[] finalValues = impl.destroyAll(counters);          // check_mm's sums, then the counters' teardown
        for (RssMember member : RssMember.values()) {            // check_mm
            long value = finalValues[member.ordinal()];
            if (value != 0) {
                bad.add("BUG: Bad rss-counter state mm:" + name + " type:" + member.kernelName()
                        + " val:" + value);
            }
        }
        checkMmReport = Collections.unmodifiableList(bad);
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

    public int tasks() {
        return tasks.size();
    }

    private void checkCallerIsTask(String operation) {
        checkAlive(operation);
        if (!tasks.contains(Thread.currentThread())) {
            throw new MmMisuseException(operation + "() on " + name + " by thread '"
                    + Thread.currentThread().getName() + "', which is not a task of this mm");
        }
    }

    private void checkAlive(String operation) {
        if (checkMmReport != null) {
            throw new MmMisuseException(operation + "() on " + name + " after its teardown");
        }
    }

    @Override
    public String toString() {
        return name + "[" + design + ", " + impl.name() + "]";
    }
}
