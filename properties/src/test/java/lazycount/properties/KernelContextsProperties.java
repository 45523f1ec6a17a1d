package lazycount.properties;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import lazycount.testing.Threads;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Two of issue 28's kernel contexts on real threads, with generated sizes and
 * timing, under this JVM's {@code KernelPolicy}:
 *
 * <ul>
 * <li>A SIGKILLed vfork parent ({@code wait_for_vfork_done} is
 *     {@code TASK_KILLABLE}): the parent maps pages alone, vforks, is killed out
 *     of its wait at once or after a generated delay, and faults pages in one
 *     at a time on its way out ({@code exit_mm_release}) while its child maps
 *     pages one at a time; both exit. Neither is refused an add (the model's
 *     owner check refusing the killed parent stands for the kernel losing its
 *     add), and the last exit's {@code check_mm} reports nothing.
 * <li>An updater that holds no reference: kswapd unmaps file pages one at a
 *     time through the rmap ({@code Mm.rmapUnmap}, no {@code mm_users}, no
 *     {@code mm_count}) until the mm is torn down, and once more after (the
 *     folio's rmap then holds no VMA of it), while the task maps pages and exits
 *     as the mm's last user ({@code exit_mmap}, then {@code check_mm}). kswapd
 *     never reaches the torn-down mm (it would throw: a use after free), and
 *     {@code check_mm} reports nothing.
 * </ul>
 */
@AddLifecycleHook(RunSettings.class)
@Checks(value = Race.VFORK_KILLED, ops = {Op.KILLED_PARENT_ADD, Op.VFORK_CHILD, Op.EXIT})
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.EXIT})
@Checks(value = Race.RMAP_TEARDOWN, ops = {Op.RMAP_UNMAP, Op.LOCAL_ADD})
class KernelContextsProperties {

    @Property(tries = 150)
    void killedVforkParentLosesNoAdd(@ForAll @IntRange(min = 0, max = 50) int parentBefore,
            @ForAll @IntRange(min = 1, max = 3000) int childPages,
            @ForAll @IntRange(min = 1, max = 3000) int parentPages,
            @ForAll @IntRange(min = 0, max = 2000) int killAfterSpins) {
        Cpus cpus = UnderTest.cpus(2);
        Mm mm = UnderTest.newMm(cpus);
        Threads.Task parent = Threads.task("vfork-parent", () -> {
            mm.attachTask();
            addOneByOne(mm, cpus, 0, RssMember.ANONPAGES, parentBefore);
            Threads.Task child = Threads.task("vfork-child", () -> {
                addOneByOne(mm, cpus, 1, RssMember.ANONPAGES, childPages);
                try (CpuSection s = cpus.enter(1)) {
                    mm.exit(s);                                   // exec or _exit
                }
            });
            mm.vfork(child.thread());
            child.start();
            for (int i = 0; i < killAfterSpins; i++) {
                Thread.onSpinWait();                              // the SIGKILL arrives a little later
            }
            mm.vforkWaitKilled();                                 // TASK_KILLABLE: the signal wakes it
            addOneByOne(mm, cpus, 0, RssMember.ANONPAGES, parentPages);   // exit_mm_release faults
            try (CpuSection s = cpus.enter(0)) {
                mm.exit(s);
            }
            child.finish();
        });
        parent.start();
        parent.finish();
        checkMmClean(mm, "vfork parent adds " + parentBefore + " then " + parentPages + " (killed), child adds "
                + childPages);
    }

    @Property(tries = 150)
    void updaterWithoutReferenceNeverOutlivesTheVmas(@ForAll @IntRange(min = 1, max = 500) int before,
            @ForAll @IntRange(min = 0, max = 500) int after) {
        Cpus cpus = UnderTest.cpus(2);
        Mm mm = UnderTest.newMm(cpus);
        AtomicBoolean mapped = new AtomicBoolean();
        AtomicInteger unmapped = new AtomicInteger();
        Threads.Task kswapd = Threads.task("kswapd", () -> {
            while (!mapped.get()) {
                Thread.onSpinWait();
            }
            while (!mm.isTornDown()) {                            // no reference held: reclaim goes on
                if (mm.rmapUnmap(() -> cpus.enter(1), RssMember.FILEPAGES, 1)) {
                    unmapped.incrementAndGet();
                }
            }
            if (mm.rmapUnmap(() -> cpus.enter(1), RssMember.FILEPAGES, 1)) {   // the folio's rmap after exit_mmap
                throw new AssertionError("kswapd unmapped a page of " + mm + " after its teardown");
            }
        });
        Threads.Task task = Threads.task("task", () -> {
            mm.attachTask();
            addOneByOne(mm, cpus, 0, RssMember.FILEPAGES, before);
            mapped.set(true);                                     // the folios are on the LRU, reachable by rmap
            addOneByOne(mm, cpus, 0, RssMember.FILEPAGES, after);
            try (CpuSection s = cpus.enter(0)) {
                mm.exit(s);                                       // the last mmput: exit_mmap, then check_mm
            }
        });
        kswapd.start();
        task.start();
        task.finish();
        kswapd.finish();
        checkMmClean(mm, "task maps " + before + " + " + after + " file pages and exits; kswapd unmapped "
                + unmapped.get());
    }

    private static void addOneByOne(Mm mm, Cpus cpus, int cpu, RssMember member, int pages) {
        for (int i = 0; i < pages; i++) {
            try (CpuSection s = cpus.enter(cpu)) {
                mm.add(s, member, 1);
            }
        }
    }

    private static void checkMmClean(Mm mm, String what) {
        if (!mm.isTornDown()) {
            throw new AssertionError(what + ": " + mm + " not torn down after its last task exited");
        }
        List<String> report = mm.checkMmReport();
        if (!report.isEmpty()) {
            throw new AssertionError(what + ": check_mm reported " + report);
        }
    }
}
