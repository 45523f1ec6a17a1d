package lazycount.linearizability;

import static lazycount.linearizability.RssCounterHarness.require;

import java.util.ArrayList;
import java.util.List;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.counter.RssCounter;
import lazycount.cpu.CpuSection;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The rss_stat model ({@code Mm}, lazy design): the owning task faults pages in,
 * forks and clones its address space while remote contexts (khugepaged, the OOM
 * reaper) map pages with a temporary reference, and anyone reads the RSS.
 *
 * <p>The task is the owner group's thread; it attaches itself to the mm on its
 * first operation (the child task starting to run), so its faults take the
 * local path. {@code cloneVm} registers a second task that never runs (Lincheck
 * threads cannot be created mid-scenario); what is checked of it is the
 * promise that makes the second task safe: every counter is per-CPU when
 * {@code cloneVm} returns.
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>{@code taskFaultsPage}, {@code remoteFaultsPage}: linearizable as
 *     {@code anonPages += 1}; the remote one always gets its reference (the mm
 *     is never torn down during the scenario), so it returns true.
 * <li>{@code rss()} ({@code mm.sum(ANONPAGES)}): linearizable for these unit
 *     increments (see {@link LazyCounterUnitIncrementsTest}).
 * <li>{@code cloneVm}: returns only once every counter is per-CPU.
 * <li>{@code fork}: the child's counters are filled from the parent's context
 *     without error, whatever races with it.
 * <li>Quiescent ({@code @Validate}): every counter of the mm and of each child
 *     equals what its page tables map; {@code get()} is within the read bound;
 *     dropping the last reference of each mm tears it down with an empty
 *     {@code check_mm} report (no "BUG: Bad rss-counter state").
 * </ul>
 */
@Checks(value = Race.CLONE_VM, ops = {Op.UPGRADE_CLONE_VM, Op.OTHER_ADD, Op.LOCAL_ADD, Op.SUM})
@Checks(value = Race.FORK, ops = {Op.FORK_FILL, Op.OTHER_ADD, Op.MMGET, Op.MMPUT})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.LOCAL_ADD, Op.OTHER_ADD})
@Checks(value = Race.CLONE_VM, ops = {Op.UPGRADE_CLONE_VM, Op.MMGET, Op.MMPUT})
@Checks(value = Race.EXIT_CHECK_MM, ops = {Op.MMGET, Op.MMPUT, Op.SUM, Op.OTHER_ADD}, everyPair = true)
@Checks(value = Race.EXIT_CHECK_MM, ops = {Op.LOCAL_ADD, Op.MMGET, Op.MMPUT})
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
public class RssStatLifecycleTest extends LincheckCheck {

    private final MmHarness task = new MmHarness();
    private final Mm mm = task.mm();
    private final List<Mm> children = new ArrayList<>();   // owner group only, then @Validate

    @Operation(nonParallelGroup = "task")
    public void taskFaultsPage(@Param(name = "cpu") int cpu) {
        task.taskFaultsPage(cpu);
    }

    @Operation(nonParallelGroup = "task")
    public boolean cloneVm() {
        task.cloneTask(Mm::cloneVm);
        for (RssMember member : RssMember.values()) {
            if (!mm.counter(member).isPerCpu()) {
                return false;
            }
        }
        return true;
    }

    @Operation(nonParallelGroup = "task")
    public void fork(@Param(name = "cpu") int cpu) {
        task.runAsTask();
        try (CpuSection section = task.cpus().enterAny(cpu)) {
            children.add(mm.fork(section));
        }
    }

    @Operation
    public boolean remoteFaultsPage(@Param(name = "cpu") int cpu) {
        return task.remoteFaultsPage(cpu);
    }

    @Operation
    public long rss() {
        return mm.sum(RssMember.ANONPAGES);
    }

    @Validate
    public void quiescentState() {
        checkCountersMatchPageTables(mm);
        for (Mm child : children) {
            checkCountersMatchPageTables(child);
            RssCounterHarness.tearDownClean(child, task.cpus(), 1);
        }
        task.tearDownClean();
    }

    private static void checkCountersMatchPageTables(Mm m) {
        for (RssMember member : RssMember.values()) {
            RssCounter counter = m.counter(member);
            long mapped = m.mappedPages(member);
            long sum = m.sum(member);
            require(sum == mapped, m + " " + member + ": quiescent sum = " + sum + ", page tables map " + mapped);
            long get = m.get(member);
            require(Math.abs(get - sum) <= counter.readErrorBound(), m + " " + member + ": get() = " + get
                    + " is more than " + counter.readErrorBound() + " away from sum() = " + sum);
        }
    }

    /** The sequential specification: the number of anonymous pages mapped. */
    public static class Spec extends MmHarness.AnonPagesSpec {
        public boolean cloneVm() {
            return true;
        }

        public void fork(int cpu) {
        }

        public boolean remoteFaultsPage(int cpu) {
            anonPages++;
            return true;
        }
    }

    @Override
    Shape shape() {
        // An Mm invocation is several times dearer than a counter's (task set, page tables, four
        // counters, forked children), so fewer scenarios.
        return new Shape(Spec.class, 2, 3, 4).scenarios(4, 3);
    }
}
