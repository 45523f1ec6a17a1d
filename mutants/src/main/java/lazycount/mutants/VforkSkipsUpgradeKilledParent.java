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
 * Breaks the killed-vfork context. vfork skips the upgrade (the
 * {@code not-at-vfork} policy), trusting the parent to sleep until its child
 * released the mm; but {@code wait_for_vfork_done} is {@code TASK_KILLABLE}, and
 * a parent a fatal signal wakes faults on its way out ({@code exit_mm_release})
 * with {@code current->mm == mm}: on the plain local path, beside its child's
 * plain writes, with no remedy (the policy's killed parent takes the local path).
 * Exact when the child released the mm before the kill.
 */
public final class VforkSkipsUpgradeKilledParent extends MmMutant {

    public VforkSkipsUpgradeKilledParent() {
        super("vfork-skips-upgrade-killed-parent", Race.VFORK_KILLED, Set.of(JCSTRESS, LINCHECK, JQWIK, FRAY),
                "vfork skips the upgrade, and a parent killed out of its wait faults on the plain local path while "
                        + "its child still writes it");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected boolean upgradesAtVfork() {
                return false;   // BUG: the parent's sleep is killable, so the child is not the only writer
            }
        };
    }
}
