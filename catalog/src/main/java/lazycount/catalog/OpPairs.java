package lazycount.catalog;

import java.util.EnumMap;
import java.util.Map;

/**
 * The pairs of operations that cannot run concurrently on the same counter or
 * mm, each with the kernel rule (or the model's, where it departs) that
 * forbids it. Every other pair must be raced by some check; the generated
 * operation-pair table of REPORT.md shows which, and calls a pair with neither
 * a gap.
 */
public final class OpPairs {

    private static final Map<Op, Map<Op, String>> EXCLUDED = new EnumMap<>(Op.class);

    private static final String AFTER_LAST_USER = "teardown runs in the last mmput (atomic_dec_and_test of "
            + "mm_users): every user's last update happens-before it; a use racing it is a use-after-free, "
            + "refused best-effort (CounterDestroyedException), not a race to decide";
    private static final String CHILD_NOT_RUNNING = "the child mm is reachable only through fork's return value "
            + "until the child runs (model rule; in the kernel khugepaged_fork may register the child earlier, "
            + "a departure named in REPORT.md)";
    private static final String ONE_TASK_WHILE_LAZY = "while the counter is lazy the mm has one task, and a "
            + "task does one thing at a time (CLONE_VM upgrades before a second task exists)";

    private static final String REFERENCES_ONLY = "mmget_not_zero, mmput and exit_mm change mm_users and the task "
            + "set only; what they share with a counter is the teardown of the last mmput (the teardown pairs) "
            + "and the remote updater's adds between them (raced as other add ∥ mmget_not_zero / mmput)";
    private static final String ONE_PUBLICATION = "to a reader or an adder every upgrade trigger is the same "
            + "publication of the per-CPU counter: raced as explicit upgrade ∥ read / sum / per-CPU add";
    private static final String READERS_WRITE_NOTHING = "neither read() nor sum() writes shared state in the "
            + "reference or a verified candidate (sum() takes the percpu lock, which orders it only against "
            + "folds); the RFC's syncing sum does write, and is refuted on other grounds";

    static {
        for (Op mmOp : new Op[] {Op.MMGET, Op.MMPUT, Op.EXIT}) {
            for (Op op : new Op[] {Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.UPGRADE_FREQUENCY, Op.READ, Op.SUM}) {
                exclude(mmOp, op, REFERENCES_ONLY);
            }
        }
        exclude(Op.MMGET, Op.UPGRADE_CLONE_VM, REFERENCES_ONLY);
        exclude(Op.MMPUT, Op.UPGRADE_CLONE_VM, REFERENCES_ONLY);
        for (Op trigger : new Op[] {Op.UPGRADE_CLONE_VM, Op.UPGRADE_FREQUENCY}) {
            exclude(trigger, Op.READ, ONE_PUBLICATION);
        }
        exclude(Op.UPGRADE_FREQUENCY, Op.SUM, ONE_PUBLICATION);
        exclude(Op.UPGRADE_CLONE_VM, Op.PERCPU_ADD, ONE_PUBLICATION);
        exclude(Op.UPGRADE_CLONE_VM, Op.FOLD, ONE_PUBLICATION);
        exclude(Op.READ, Op.READ, READERS_WRITE_NOTHING);
        exclude(Op.SUM, Op.SUM, READERS_WRITE_NOTHING);
        exclude(Op.READ, Op.SUM, READERS_WRITE_NOTHING);
        for (Op op : Op.values()) {
            if (op != Op.DESTROY && op != Op.MMPUT && op != Op.EXIT && op != Op.CPU_DEAD && op != Op.CPU_UP
                    && op != Op.CPU_ENTER && op != Op.RCU_READ && op != Op.RCU_SYNC
                    && op != Op.RMAP_UNMAP) {
                exclude(Op.DESTROY, op, AFTER_LAST_USER);
            }
        }
        exclude(Op.DESTROY, Op.DESTROY, "only the last mmput tears down, and a second destroy() is refused");
        exclude(Op.DESTROY, Op.MMPUT, "the teardown is the last mmput itself; other mmputs precede it");
        exclude(Op.DESTROY, Op.EXIT, "exit ends in mmput; the teardown is the last of them");
        for (Op op : new Op[] {Op.LOCAL_ADD, Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.UPGRADE_CLONE_VM,
                Op.UPGRADE_FREQUENCY, Op.READ, Op.SUM, Op.FORK_FILL, Op.EXIT}) {
            exclude(Op.FORK_FILL, op, CHILD_NOT_RUNNING);
        }
        exclude(Op.EXIT, Op.EXIT, "two tasks exiting at once is two mmputs: raced as MMPUT ∥ MMPUT");
        exclude(Op.EXIT, Op.LOCAL_ADD, ONE_TASK_WHILE_LAZY + "; after the upgrade the other task's add is a "
                + "per-CPU add (EXIT ∥ PERCPU_ADD)");
        exclude(Op.EXIT, Op.UPGRADE_CLONE_VM, "CLONE_VM is done by a task of the mm, which is not exiting; "
                + "another task's exit needs a second task, so the counters are already per-CPU");
        exclude(Op.UPGRADE_CLONE_VM, Op.UPGRADE_CLONE_VM, "two CLONE_VMs need two tasks, and the first "
                + "already upgraded every counter");
        exclude(Op.UPGRADE_FREQUENCY, Op.UPGRADE_FREQUENCY, "exactly one other-path add sees the threshold "
                + "crossed (an atomic increment-and-return)");
        exclude(Op.LOCAL_ADD, Op.UPGRADE_CLONE_VM, ONE_TASK_WHILE_LAZY + ": the task doing CLONE_VM is the one "
                + "that would add");
        exclude(Op.LOCAL_ADD, Op.PERCPU_ADD, "a local add in per-CPU mode is a per-CPU add; in lazy mode there "
                + "are no slots to add to");
        exclude(Op.LOCAL_ADD, Op.FOLD, "the same: folds exist only in per-CPU mode, where local adds are per-CPU adds");
        String parentAsleep = "the vfork parent sleeps until its child released the mm, and while the counters are "
                + "lazy it is the mm's only other task (any other clone upgraded them): raced as vfork child add "
                + "∥ local add, the woken parent's";
        for (Op op : new Op[] {Op.UPGRADE_CLONE_VM, Op.FORK_FILL, Op.CLONE_ENOMEM}) {
            exclude(Op.VFORK_CHILD, op, parentAsleep + " (or a killed parent, which forks nothing: raced as vfork "
                    + "child add ∥ killed vfork parent add)");
        }
        exclude(Op.VFORK_CHILD, Op.VFORK_CHILD, "a parent has one vfork child at a time and sleeps until it released "
                + "the mm; the child's own vfork is nested, and its child in turn runs alone");
        exclude(Op.CLONE_ENOMEM, Op.UPGRADE_CLONE_VM, "two clones need two tasks, and the first successful one "
                + "upgraded every counter (the failed one changed nothing)");
        exclude(Op.CLONE_ENOMEM, Op.CLONE_ENOMEM, "the same: a second cloning task exists only after a successful clone");
        exclude(Op.CLONE_ENOMEM, Op.FORK_FILL, CHILD_NOT_RUNNING);
        exclude(Op.CLONE_ENOMEM, Op.LOCAL_ADD, ONE_TASK_WHILE_LAZY + ": the task whose clone fails is the one that "
                + "would add (a vfork child's parent is asleep, and cannot clone)");
        String childIsTheLocalWriter = "to the counter a vfork child's add is a local add (lazy) or a per-CPU add "
                + "(upgraded) by the one task allowed on the local path while its parent sleeps: raced as local add "
                + "∥ this operation; its own race is with the parent's add, across the handover";
        String borrowerIsAnAdder = "to the counter a borrower's add is an other add (other-path policy) or a per-CPU "
                + "add after the upgrade its policy made (upgrade-at-use): raced as those; its own race is with the "
                + "owner's local add";
        String failedCloneIsInvisible = "a clone that fails with -ENOMEM leaves nothing a counter operation sees (its "
                + "checks require the task set, the references and every count unchanged), and one that succeeds is "
                + "the CLONE_VM upgrade, raced as that";
        for (Op op : new Op[] {Op.OTHER_ADD, Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.UPGRADE_FREQUENCY, Op.READ,
                Op.SUM, Op.MMGET, Op.MMPUT, Op.BORROWER_ADD}) {
            exclude(Op.VFORK_CHILD, op, childIsTheLocalWriter);
        }
        for (Op op : new Op[] {Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.UPGRADE_FREQUENCY, Op.READ,
                Op.UPGRADE_CLONE_VM, Op.EXIT}) {
            exclude(Op.BORROWER_ADD, op, borrowerIsAnAdder);
        }
        for (Op op : new Op[] {Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.UPGRADE_FREQUENCY, Op.READ, Op.EXIT}) {
            exclude(Op.CLONE_ENOMEM, op, failedCloneIsInvisible);
        }
        exclude(Op.BORROWER_ADD, Op.FORK_FILL, CHILD_NOT_RUNNING);
        String hotplugTouchesListedCounters = "CPU hotplug touches a counter only through the hotplug list: the "
                + "dead CPU's slot and the central count of a listed per-CPU counter, under fbc->lock; to it this "
                + "operation is an add to a slot or to a lazy word (raced as per-CPU add / other add ∥ CPU going "
                + "down) or a change of mm references that no per-CPU word sees";
        for (Op op : new Op[] {Op.FORK_FILL, Op.EXIT, Op.MMGET, Op.MMPUT, Op.VFORK_CHILD, Op.BORROWER_ADD}) {
            exclude(Op.CPU_DEAD, op, hotplugTouchesListedCounters);
        }
        String oneJoin = "to the hotplug list the frequency trigger is the explicit upgrade's construction and "
                + "publication: raced as explicit upgrade ∥ CPU going down (and CLONE_VM's, which a protocol may do "
                + "differently, as CLONE_VM upgrade ∥ CPU going down); a failed allocation constructs nothing to list";
        for (Op op : new Op[] {Op.UPGRADE_FREQUENCY, Op.CLONE_ENOMEM}) {
            exclude(Op.CPU_DEAD, op, oneJoin);
        }
        exclude(Op.CPU_DEAD, Op.CPU_DEAD, "hotplug operations are serialized by cpu_hotplug_lock");
        exclude(Op.CPU_DEAD, Op.READ, "read() promises its bound only when quiet (REPORT.md §6), and a read racing "
                + "the hotplug fold returns the central count before or after one untorn write: there is nothing to "
                + "check while they race; the quiet bound with a CPU down, which counts live CPUs only, is checked by "
                + "every hotplug check");
        String entryIsTheOperation = "every counter and mm operation that touches a slot runs inside a CPU "
                + "section: to a counter or an mm a task entering a CPU is the operation it enters for, raced as "
                + "that; what the entry itself races is the CPU's own hotplug and another entry onto the same CPU "
                + "(task on a CPU ∥ CPU going down, coming up, task on a CPU)";
        String bootingHoldsNothing = "a CPU coming up holds nothing: its slots were folded when it died and no task "
                + "can enter it before it is online (task on a CPU ∥ CPU coming up); to this operation it changes "
                + "only which CPUs a sum walks and a read bound counts, never a slot or a count: a sum while the "
                + "CPU boots is checked by every hotplug check, and bring-up is raced with adds, folds and sums by "
                + "the hotplug checks that declare it";
        for (Op op : Op.values()) {
            if (op != Op.CPU_ENTER && op != Op.CPU_DEAD && op != Op.CPU_UP && op != Op.RCU_READ && op != Op.RCU_SYNC) {
                exclude(Op.CPU_ENTER, op, entryIsTheOperation);
            }
        }
        String rcuIsAProtocolsMachinery = "the RCU model is the machinery of the grace-period protocols alone: to a "
                + "counter, an mm or a CPU a read-side section is part of the add it protects and a grace period part of "
                + "the upgrade that waits in it, raced as those (other add ∥ upgrade, local add ∥ upgrade, CPU going "
                + "down); RCU's own pairs are raced by its machinery checks";
        for (Op op : Op.values()) {
            if (op != Op.RCU_READ && op != Op.RCU_SYNC) {
                exclude(Op.RCU_READ, op, rcuIsAProtocolsMachinery);
                exclude(Op.RCU_SYNC, op, rcuIsAProtocolsMachinery);
            }
        }
        for (Op op : new Op[] {Op.UPGRADE, Op.UPGRADE_CLONE_VM, Op.UPGRADE_FREQUENCY, Op.READ, Op.DESTROY,
                Op.FORK_FILL, Op.EXIT, Op.MMGET, Op.MMPUT, Op.VFORK_CHILD, Op.BORROWER_ADD, Op.CLONE_ENOMEM,
                Op.KILLED_PARENT_ADD, Op.RMAP_UNMAP}) {
            exclude(Op.CPU_UP, op, bootingHoldsNothing);
        }
        exclude(Op.CPU_UP, Op.CPU_DEAD, "hotplug operations are serialized by cpu_hotplug_lock");
        exclude(Op.CPU_UP, Op.CPU_UP, "hotplug operations are serialized by cpu_hotplug_lock");
        String killedParentIsAnAdder = "to the counter a killed vfork parent's add is a local add, an other add or a "
                + "per-CPU add, as its policy (and whether vfork upgraded) says: raced as those; its own race is with "
                + "its child's add (killed vfork parent add ∥ vfork child add)";
        for (Op op : new Op[] {Op.OTHER_ADD, Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.UPGRADE_FREQUENCY, Op.READ,
                Op.SUM, Op.MMGET, Op.MMPUT, Op.BORROWER_ADD, Op.CPU_DEAD, Op.RMAP_UNMAP}) {
            exclude(Op.KILLED_PARENT_ADD, op, killedParentIsAnAdder);
        }
        String killedParentOnlyExits = "a vfork parent a fatal signal woke goes from wait_for_vfork_done to do_exit: "
                + "it forks, clones or upgrades nothing; while the counters are lazy the mm's only other task is its "
                + "vfork child (any other clone upgraded them), whose adds are vfork child adds";
        for (Op op : new Op[] {Op.LOCAL_ADD, Op.UPGRADE_CLONE_VM, Op.FORK_FILL, Op.CLONE_ENOMEM}) {
            exclude(Op.KILLED_PARENT_ADD, op, killedParentOnlyExits);
        }
        exclude(Op.KILLED_PARENT_ADD, Op.KILLED_PARENT_ADD, "a vfork child has one parent; two killed parents on one "
                + "mm need a nested vfork (the child's own), and each is then an adder on the killed-parent path: "
                + "under other-path two other adds (other add ∥ other add), under local-path one already loses");
        String rmapIsAnOtherAdd = "to the counter an rmap unmap by reclaim or khugepaged is an other add (a direct "
                + "reclaim in the mm's own task a local add); its own race is with exit_mmap and check_mm, which "
                + "hold no lock against it but the rmap's (rmap unmap ∥ exit / mmput / teardown)";
        for (Op op : new Op[] {Op.OTHER_ADD, Op.PERCPU_ADD, Op.FOLD, Op.UPGRADE, Op.UPGRADE_CLONE_VM,
                Op.UPGRADE_FREQUENCY, Op.READ, Op.SUM, Op.MMGET, Op.VFORK_CHILD, Op.BORROWER_ADD, Op.CLONE_ENOMEM,
                Op.CPU_DEAD, Op.FORK_FILL}) {
            exclude(Op.RMAP_UNMAP, op, rmapIsAnOtherAdd);
        }
        exclude(Op.RMAP_UNMAP, Op.RMAP_UNMAP, "two reclaimers unmap a page once between them (the page-table lock) "
                + "and their counter updates are two other adds (other add ∥ other add)");
        exclude(Op.MMGET, Op.MMGET, "two temporary references are two atomic increments of mm_users; raced "
                + "with what matters, the last mmput (EXIT ∥ MMGET)");
    }

    private OpPairs() {
    }

    private static void exclude(Op a, Op b, String why) {
        EXCLUDED.computeIfAbsent(a, k -> new EnumMap<>(Op.class)).put(b, why);
        EXCLUDED.computeIfAbsent(b, k -> new EnumMap<>(Op.class)).put(a, why);
    }

    /** Why {@code a} and {@code b} never run concurrently, or null if they can. */
    public static String whyNever(Op a, Op b) {
        Map<Op, String> row = EXCLUDED.get(a);
        return row == null ? null : row.get(b);
    }
}
