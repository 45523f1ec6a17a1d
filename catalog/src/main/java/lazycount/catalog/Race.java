package lazycount.catalog;

import java.util.List;

/**
 * The race catalog as a type: each race names the operations that meet in
 * it and the invariant it can break. A race is named by its constant, nowhere
 * by a number. Checks declare the races they decide ({@link Checks}); mutants
 * declare the one they break; the race &rarr; checks &rarr; mutants index in
 * REPORT.md is generated from those declarations.
 */
public enum Race {
    LOCAL_OTHER("local add ∥ other add (lazy mode)",
            "both adds are counted: the owner's plain update and another context's atomic update never overwrite each other",
            Op.LOCAL_ADD, Op.OTHER_ADD),
    OTHER_OTHER("other add ∥ other add (lazy mode)",
            "both adds are counted: the other path is an atomic read-modify-write",
            Op.OTHER_ADD, Op.OTHER_ADD),
    LOCAL_SINGLE_WRITER("local path: one writer",
            "in lazy mode only the owner takes the plain local path; any other caller is refused, never silently raced",
            Op.LOCAL_ADD, Op.LOCAL_ADD),
    OTHER_UPGRADE("other add ∥ upgrade",
            "an add in flight while the mode changes is counted exactly once",
            Op.OTHER_ADD, Op.UPGRADE),
    UPGRADE_UPGRADE("upgrade ∥ upgrade",
            "exactly one upgrade wins; one per-CPU counter is ever published and no add to a loser is lost",
            Op.UPGRADE, Op.UPGRADE),
    LOCAL_UPGRADE("local add ∥ upgrade from elsewhere",
            "an owner's add racing an upgrade it did not start (the frequency trigger) is counted exactly once",
            Op.LOCAL_ADD, Op.UPGRADE_FREQUENCY),
    READ_SUM("read / sum ∥ update or upgrade",
            "a sum sees each add entirely or not at all and is exact when quiet; a quiet read is within the declared bound",
            Op.SUM, Op.OTHER_ADD),
    PERCPU_FOLD_SUM("per-CPU add ∥ batch fold ∥ sum",
            "folds lose nothing and count nothing twice; a sum never sees a fold half done",
            Op.PERCPU_ADD, Op.FOLD),
    TEARDOWN("teardown after all users",
            "the teardown value is exact once every user is done; every later use is refused",
            Op.DESTROY, Op.MMPUT),
    FORK("fork: the child's counters filled from the parent",
            "the child's counters equal what its page tables map before and after it runs",
            Op.FORK_FILL, Op.LOCAL_ADD),
    CLONE_VM("CLONE_VM: the forced upgrade before a second task",
            "once two tasks share the mm no counter is lazy, so neither task's add is lost",
            Op.UPGRADE_CLONE_VM, Op.LOCAL_ADD),
    EXIT_CHECK_MM("exit, mmput and check_mm",
            "check_mm sees exactly what the page tables mapped, whoever drops the last reference",
            Op.EXIT, Op.OTHER_ADD),
    VFORK("vfork: the child on the parent's mm while the parent sleeps",
            "every add of the child and of the woken parent is counted once, whether or not vfork upgraded; the parent runs only after the child released the mm",
            Op.VFORK_CHILD, Op.LOCAL_ADD),
    BORROWER("kthread_use_mm borrower add ∥ owner add",
            "a kernel thread inside kthread_use_mm (current->mm == mm) and the owning task both add, and neither add is lost",
            Op.BORROWER_ADD, Op.LOCAL_ADD),
    CLONE_ENOMEM("clone whose upgrade cannot allocate",
            "clone fails with -ENOMEM leaving the mm as it was (no task added, no reference taken, every count intact) while others add",
            Op.CLONE_ENOMEM, Op.OTHER_ADD),
    HOTPLUG_FOLD("CPU going down ∥ per-CPU add, batch fold, sum and teardown",
            "percpu_counter_cpu_dead moves a dead CPU's slot into the count under the lock: the value is unchanged, a sum or the teardown sees the slot in exactly one place (sums walk dying CPUs), and a concurrent batch fold is not lost",
            Op.CPU_DEAD, Op.FOLD),
    HOTPLUG_UPGRADE("upgrade ∥ a CPU going down",
            "the new per-CPU counter is on the hotplug list before an add can reach its slots, so a CPU that dies after an add reached its slot is folded: no count is left on a dead CPU (the read bound counts live CPUs only, and a sum while the CPU boots again misses nothing)",
            Op.UPGRADE, Op.CPU_DEAD),
    CPU_ENTRY_HOTPLUG("a task entering a CPU ∥ the CPU going down and up (the model's own machinery)",
            "one task per CPU at any time; no task runs on a CPU that is dead or booting, since cpu_down claims the CPU in the step that finds it free; so the dead-CPU fold runs once nobody can write the slot, and no count is left in a dead CPU's slot",
            Op.CPU_ENTER, Op.CPU_DEAD),
    RCU_GRACE_PERIOD("RCU read-side sections ∥ grace periods (the model's own machinery, under the grace-period protocols)",
            "synchronize_rcu returns only after every read-side section that began before it has ended, across several grace periods and readers that are idle between sections: what an updater frees after a grace period no section still uses",
            Op.RCU_READ, Op.RCU_SYNC),
    TREE_CARRY("counter tree: adds of both signs ∥ carry propagation ∥ reads",
            "no count is lost or doubled on its way up the tree: once settled the precise sum is exact, the approximate sum (root plus bias) lies in [precise - under, precise + over] and the teardown is exact; a read racing an add strays from that range by no more than the carries still in flight (the documented exception)",
            Op.PERCPU_ADD, Op.PERCPU_ADD),
    VFORK_KILLED("vfork: a killed parent ∥ its child",
            "a vfork parent woken by a fatal signal while its child runs on the mm (wait_for_vfork_done is TASK_KILLABLE) can still fault on its way to do_exit; its adds and the child's are all counted once, whether or not vfork upgraded",
            Op.KILLED_PARENT_ADD, Op.VFORK_CHILD),
    RMAP_TEARDOWN("updater without a reference ∥ exit_mmap and check_mm",
            "reclaim and khugepaged's collapse_file unmap an mm's pages through the rmap holding no reference, during exit_mmap too: each page is unmapped once, and check_mm runs only after free_pgtables unlinked the VMAs, so it sees every such update and none comes after it",
            Op.RMAP_UNMAP, Op.DESTROY),
    SEQUENTIAL("no race: the sequential contract",
            "every add is counted once and every misuse is refused even with one thread (fold arithmetic, the sum walk, teardown)");

    private final String title;
    private final String invariant;
    private final List<Op> ops;

    Race(String title, String invariant, Op... ops) {
        this.title = title;
        this.invariant = invariant;
        this.ops = List.of(ops);
    }

    public String title() {
        return title;
    }

    /** What an implementation that loses this race breaks. */
    public String invariant() {
        return invariant;
    }

    /** The operations that meet in this race, by default the ones a check of it runs. */
    public List<Op> ops() {
        return ops;
    }
}
