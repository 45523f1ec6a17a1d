package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * Breaks {@link Race#CLONE_VM} (CLONE_VM forces the upgrade before the second task runs), and
 * through it {@link Race#LOCAL_OTHER}. {@code clone(CLONE_VM)} shares the mm without upgrading
 * its counters ("the upgrade can happen lazily, on the first remote-looking
 * update"). Both tasks pass {@code current->mm == mm}, both take the local
 * path, and their plain read-modify-writes of {@code local} lose updates.
 * With one task, or with the two tasks never adding at once, it is exact.
 */
public final class CloneVmWithoutUpgrade extends MmMutant {

    public CloneVmWithoutUpgrade() {
        super("clone-vm-without-upgrade", Race.CLONE_VM, Set.of(JCSTRESS, LINCHECK, JQWIK, FRAY),
                "CLONE_VM shares the mm without forcing the upgrade, so two tasks of the mm both take the "
                        + "lazy local path and their plain read-modify-writes of the local word lose updates");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected void upgradeBeforeSharing() {
                // BUG: nothing; the counters stay lazy while a second task starts using the local path.
            }
        };
    }
}
