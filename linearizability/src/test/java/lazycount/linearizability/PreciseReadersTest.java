package lazycount.linearizability;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.impl.UnderTest;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * The precise readers ({@code LAZYCOUNT_READERS=precise}): {@code get_mm_counter}
 * as the 2026 patches make it, {@code percpu_counter_sum_positive} (the OOM
 * killer's {@code get_mm_counter_sum} since 5898aa8f9a0b, {@code /proc} since
 * 82241a83cd15). Whatever this JVM's readers setting, the mm here is built
 * with the precise ones: this check is of that read.
 *
 * <p>The owning task faults pages in (local path) and clones its address space
 * ({@code CLONE_VM}: the forced upgrade), a remote context maps pages with a
 * temporary reference (other path), and anyone calls {@code get_mm_counter}
 * ({@code Mm.get}) while they run. Every word an add can be in, lazy or
 * per-CPU, folded or still in its CPU's slot, is in flight for the reader.
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>{@code rss()} ({@code Mm.get(ANONPAGES)} under precise readers):
 *     linearizable for these unit increments, as the precise sum is; a read
 *     that misses a word an add lives in (the per-CPU slots, the lazy words
 *     after the upgrade, a word a protocol moves in flight) returns a count
 *     the mm never had;
 * <li>quiescent ({@code @Validate}): {@code get} equals what the page tables
 *     map, exactly; the last reference tears the mm down with an empty
 *     {@code check_mm} report.
 * </ul>
 */
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.LOCAL_ADD})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.OTHER_ADD})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.UPGRADE_CLONE_VM})
@Checks(value = Race.READ_SUM, ops = {Op.SUM, Op.PERCPU_ADD})
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
public class PreciseReadersTest extends LincheckCheck {

    private final MmHarness task = new MmHarness(UnderTest.policy().withReaders(KernelPolicy.Readers.PRECISE));

    @Operation(nonParallelGroup = "task")
    public void taskFaultsPage(@Param(name = "cpu") int cpu) {
        task.taskFaultsPage(cpu);
    }

    @Operation(nonParallelGroup = "task")
    public void cloneVm() {
        task.cloneTask(Mm::cloneVm);
    }

    @Operation
    public void remoteFaultsPage(@Param(name = "cpu") int cpu) {
        if (!task.remoteFaultsPage(cpu)) {
            throw new IllegalStateException("mmget_not_zero failed on a live mm");
        }
    }

    @Operation
    public long rss() {
        return task.mm().get(RssMember.ANONPAGES);
    }

    @Validate
    public void quiescentState() {
        task.checkQuiescent("precise get()", Mm::get);
    }

    /** The sequential specification: the number of anonymous pages mapped. */
    public static class Spec extends MmHarness.AnonPagesSpec {
        public void cloneVm() {
        }

        public void remoteFaultsPage(int cpu) {
            anonPages++;
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 3, 4).scenarios(2, 2);
    }
}
