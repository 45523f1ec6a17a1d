package lazycount.linearizability;

import static lazycount.linearizability.RssCounterHarness.require;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * An updater that holds no reference, racing the exiting task's teardown:
 * kswapd (or khugepaged's {@code collapse_file}) finds the mm through a
 * folio's rmap and unmaps one file page ({@code Mm.rmapUnmap}), holding
 * neither {@code mm_users} nor {@code mm_count}; the task faults file pages in
 * and exits as the mm's last user, so its {@code mmput} runs {@code exit_mmap}
 * ({@code unmap_vmas}, {@code free_pgtables}) and {@code check_mm} at once.
 * The jcstress {@code RmapUnmapTeardownTest} races the same pair on real
 * hardware; here every interleaving Lincheck samples of a few of each.
 *
 * <p>The task is the owner group's thread (it attaches on its first operation);
 * after its exit its operations do nothing (the task is gone). {@code kswapdUnmaps}
 * runs on any thread, on the CPU its parameter hints at once the rmap lock is held.
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>linearizable against the page tables: {@code taskFaultsPage} maps one page,
 *     {@code kswapdUnmaps} unmaps one and returns true if one is mapped and the
 *     mm not yet torn down, else returns false (no VMA left, or nothing mapped),
 *     and never throws (a throw is kswapd reaching a torn-down mm: a use after
 *     free); {@code taskExits} is the last {@code mmput} and returns true;
 * <li>{@code check_mm} at that teardown reports nothing (no unmap missed or
 *     counted twice), checked in {@code @Validate}, which tears the mm down
 *     itself if the task never exited.
 * </ul>
 */
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.EXIT})
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.LOCAL_ADD})
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
public class RmapUnmapTeardownTest extends LincheckCheck {

    private final Cpus cpus = UnderTest.cpus(3);
    private final Mm mm = UnderTest.newMm(cpus);
    private boolean attached;                                 // owner group only
    private volatile boolean exited;                          // owner group, then @Validate

    @Operation(nonParallelGroup = "task")
    public void taskFaultsPage(@Param(name = "cpu") int cpu) {
        if (exited) {
            return;
        }
        runAsTask();
        try (CpuSection section = cpus.enterAny(cpu)) {
            mm.add(section, RssMember.FILEPAGES, 1);
        }
    }

    @Operation(nonParallelGroup = "task")
    public boolean taskExits(@Param(name = "cpu") int cpu) {
        if (exited) {
            return false;
        }
        runAsTask();
        exited = true;
        try (CpuSection section = cpus.enterAny(cpu)) {
            return mm.exit(section);                          // the last mmput: exit_mmap, then check_mm
        }
    }

    @Operation
    public boolean kswapdUnmaps(@Param(name = "cpu") int cpu) {
        return mm.rmapUnmap(() -> cpus.enterAny(cpu), RssMember.FILEPAGES, 1);
    }

    private void runAsTask() {
        if (!attached) {
            mm.attachTask();
            attached = true;
        }
    }

    @Validate
    public void checkMmClean() {
        if (!exited) {
            RssCounterHarness.tearDownClean(mm, cpus, 1);
            return;
        }
        require(mm.isTornDown(), mm + ": the task's exit, its last user, did not tear it down");
        require(mm.checkMmReport().isEmpty(), mm + ": check_mm reported " + mm.checkMmReport());
    }

    /** The sequential specification: the file pages the page tables map, and whether the mm is gone. */
    public static class Spec {
        private long filePages;
        private boolean exited;

        public void taskFaultsPage(int cpu) {
            if (!exited) {
                filePages++;
            }
        }

        public boolean taskExits(int cpu) {
            if (exited) {
                return false;
            }
            exited = true;
            filePages = 0;
            return true;
        }

        public boolean kswapdUnmaps(int cpu) {
            if (exited || filePages == 0) {
                return false;
            }
            filePages--;
            return true;
        }
    }

    @Override
    Shape shape() {
        return new Shape(Spec.class, 2, 3, 4).scenarios(4, 3);
    }
}
