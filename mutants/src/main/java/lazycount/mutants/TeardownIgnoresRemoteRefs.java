package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * Breaks {@link Race#TEARDOWN} (teardown after all users). The mm is torn down when its last
 * task exits, as if {@code mm_users} counted tasks only: the references that
 * remote updaters (khugepaged, the OOM reaper) took with
 * {@code mmget_not_zero} are dropped with it. Such an updater's later update
 * either reaches a dead mm or destroyed counter (refused here; a use after
 * free in the kernel), or lands after {@code exit_mmap} but before
 * {@code check_mm} reads the counters (a "Bad rss-counter state"); its own
 * {@code mmput} then underflows the count. Without remote references it is
 * exact.
 */
public final class TeardownIgnoresRemoteRefs extends MmMutant {

    public TeardownIgnoresRemoteRefs() {
        super("teardown-ignores-remote-refs", Race.EXIT_CHECK_MM, Set.of(JCSTRESS, JQWIK, FRAY),
                "the mm is torn down when its last task exits although a remote updater still holds an "
                        + "mmget_not_zero reference, so that updater's later update is lost or hits a destroyed counter");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            public boolean exit(CpuSection cpu) {
                boolean tornDown = super.exit(cpu);
                // BUG: "no task left, so nobody uses the mm": drop the remote updaters' references too.
                while (!tornDown && tasks() == 0) {
                    tornDown = mmput(cpu);
                }
                return tornDown;
            }
        };
    }
}
