package lazycount.catalog;

/**
 * The operations that can run concurrently on a counter's or an mm's shared
 * state. A check declares which of them its threads run ({@link Checks#ops()});
 * the operation-pair table in REPORT.md is every unordered pair of these, with
 * the checks that race it or the kernel rule that forbids it ({@link OpPairs}).
 */
public enum Op {
    LOCAL_ADD("local add", "add_mm_counter_local: the owning task, plain arithmetic in lazy mode"),
    OTHER_ADD("other add", "add_mm_counter_other: any other context, atomic in lazy mode"),
    PERCPU_ADD("per-CPU add", "percpu_counter_add_batch on the current CPU's slot"),
    FOLD("batch fold", "the slot-to-count fold of percpu_counter_add_batch, under fbc->lock"),
    UPGRADE("explicit upgrade", "the lazy counter's switch to per-CPU mode, called directly"),
    UPGRADE_CLONE_VM("CLONE_VM upgrade", "copy_mm forcing the upgrade of all four counters before a second task runs"),
    UPGRADE_FREQUENCY("frequency upgrade", "the generic counter upgrading itself after N other-path updates"),
    READ("read", "get_mm_counter / percpu_counter_read: fast, approximate"),
    SUM("sum", "get_mm_counter_sum / percpu_counter_sum: precise when quiet"),
    DESTROY("teardown", "check_mm's final sum and percpu_counter_destroy"),
    FORK_FILL("fork fill", "copy_page_range accounting into the child's counters, from the parent"),
    EXIT("exit", "exit_mm then mmput by a task"),
    MMGET("mmget_not_zero", "a remote updater's temporary reference"),
    MMPUT("mmput", "dropping a reference; the last one runs exit_mmap and check_mm"),
    VFORK_CHILD("vfork child add", "add_mm_counter by the child of clone(CLONE_VM|CLONE_VFORK), on the parent's mm while the parent sleeps"),
    BORROWER_ADD("borrower add", "add_mm_counter by a kernel thread inside kthread_use_mm: current->mm == mm"),
    CLONE_ENOMEM("clone -ENOMEM", "copy_mm whose per-CPU allocation for the upgrade fails"),
    CPU_DEAD("CPU going down", "cpu_down: the CPU leaves the online mask (still dying), then percpu_counter_cpu_dead folds its slot of every listed counter under fbc->lock"),
    CPU_UP("CPU coming up", "cpu_up: the CPU leaves the dying mask (booting, in neither mask), then is online again and the scheduler may use it"),
    CPU_ENTER("task on a CPU", "the scheduler running a task on a CPU, which then disables preemption there (preempt_disable) until it leaves"),
    RCU_READ("RCU read-side section", "rcu_read_lock, a lockless read of an RCU-protected pointer and what it points to, rcu_read_unlock (a grace-period protocol's add)"),
    RCU_SYNC("RCU grace period", "synchronize_rcu: returns once every read-side section begun before it has ended (a grace-period protocol's upgrade before it reuses what readers saw)"),
    KILLED_PARENT_ADD("killed vfork parent add", "add_mm_counter by a vfork parent a fatal signal woke out of wait_for_vfork_done while its child still runs on the mm: a fault in do_exit's exit_mm_release, current->mm == mm"),
    RMAP_UNMAP("rmap unmap", "try_to_unmap_one from reclaim or khugepaged's collapse_file: the mm found through a folio's rmap, no mm_users or mm_count held, under the rmap and page-table locks");

    private final String title;
    private final String kernel;

    Op(String title, String kernel) {
        this.title = title;
        this.kernel = kernel;
    }

    public String title() {
        return title;
    }

    /** The kernel operation this models. */
    public String kernel() {
        return kernel;
    }
}
