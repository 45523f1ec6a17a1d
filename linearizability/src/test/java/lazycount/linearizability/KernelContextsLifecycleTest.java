package lazycount.linearizability;

import static lazycount.linearizability.RssCounterHarness.require;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.AllocationFailures;
import lazycount.cpu.CpuSection;
import lazycount.rss.CloneFailedException;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * Two kernel contexts around the rss_stat model, under this JVM's
 * {@code KernelPolicy}: a kernel thread inside {@code kthread_use_mm} mapping
 * pages next to the owning task, and a {@code clone} whose upgrade cannot
 * allocate. (vfork needs a thread created mid-scenario: {@link VforkTest}.)
 *
 * <p>The task is the owner group's thread (it attaches on its first
 * operation). {@code kthreadFaultsPage} is a borrower on any other thread (on
 * the task's own thread it is a remote fault: a task is no kernel thread).
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>{@code taskFaultsPage}, {@code kthreadFaultsPage}: linearizable as
 *     {@code anonPages += 1}, and neither throws (a borrower refused by an
 *     owner check is a failure: the kernel has no such check and would lose
 *     the update instead);
 * <li>{@code cloneUnderMemoryPressure}: the next per-CPU allocation fails;
 *     the clone either fails with -ENOMEM leaving the task set as it was, or
 *     (nothing to allocate) succeeds with every counter per-CPU;
 * <li>{@code rss()}: linearizable for these unit increments;
 * <li>quiescent: every counter equals the page tables, and the last reference
 *     tears the mm down with an empty {@code check_mm} report.
 * </ul>
 */
@Checks(value = Race.BORROWER, ops = {Op.BORROWER_ADD, Op.LOCAL_ADD, Op.SUM, Op.MMGET, Op.MMPUT}, everyPair = true)
@Checks(value = Race.BORROWER, ops = {Op.BORROWER_ADD, Op.OTHER_ADD})
@Checks(value = Race.CLONE_ENOMEM, ops = {Op.CLONE_ENOMEM, Op.BORROWER_ADD, Op.SUM, Op.MMGET, Op.MMPUT})
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
public class KernelContextsLifecycleTest extends LincheckCheck {

    private final MmHarness task = new MmHarness();
    private final Mm mm = task.mm();

    @Operation(nonParallelGroup = "task")
    public void taskFaultsPage(@Param(name = "cpu") int cpu) {
        task.taskFaultsPage(cpu);
    }

    @Operation(nonParallelGroup = "task")
    public void cloneUnderMemoryPressure() {
        task.runAsTask();
        int tasksBefore = mm.tasks();
        task.cpus().injectAllocationFailures(AllocationFailures.next(1));
        try {
            task.cloneTask(Mm::cloneThread);
            for (RssMember member : RssMember.values()) {
                require(mm.counter(member).isPerCpu(), "clone succeeded under -ENOMEM but " + member + " is lazy");
            }
        } catch (CloneFailedException e) {
            require(mm.tasks() == tasksBefore, "failed clone changed the task set: " + tasksBefore + " -> " + mm.tasks());
        } finally {
            task.cpus().injectAllocationFailures(AllocationFailures.NONE);
        }
    }

    @Operation
    public void kthreadFaultsPage(@Param(name = "cpu") int cpu) {
        boolean isTask = task.isTask();
        if (!mm.mmgetNotZero()) {
            throw new IllegalStateException("mmget_not_zero failed on a live mm");
        }
        if (!isTask) {
            mm.kthreadUseMm();
        }
        try (CpuSection section = task.cpus().enterAny(cpu)) {
            if (isTask) {
                mm.addRemote(section, RssMember.ANONPAGES, 1);
            } else {
                mm.add(section, RssMember.ANONPAGES, 1);      // add_mm_counter with current->mm == mm
                mm.kthreadUnuseMm();
            }
            mm.mmput(section);
        }
    }

    @Operation
    public long rss() {
        return mm.sum(RssMember.ANONPAGES);
    }

    @Validate
    public void quiescentState() {
        task.checkQuiescent("sum", Mm::sum);
    }

    /** The sequential specification: the number of anonymous pages mapped. */
    public static class Spec extends MmHarness.AnonPagesSpec {
        public void cloneUnderMemoryPressure() {
        }

        public void kthreadFaultsPage(int cpu) {
            anonPages++;
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 3, 4).scenarios(4, 3);
    }
}
