package lazycount.mutants;

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
 * Breaks the vfork context. vfork skips the upgrade, which is sound only
 * because the parent sleeps until the child releases the mm; here the parent
 * does not wait for the completion (a clone that skips the upgrade on
 * {@code CLONE_VFORK} semantics it does not get). Parent and child then share
 * the lazy local path at once and one plain read-modify-write overwrites the
 * other. Exact when the child is done before the parent adds.
 */
public final class VforkWakesParentEarly extends MmMutant {

    public VforkWakesParentEarly() {
        super("vfork-wakes-parent-early", Race.VFORK, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "vfork skips the upgrade but the parent runs on before its child released the mm, so parent and "
                        + "child both write the plain local word");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected boolean upgradesAtVfork() {
                return false;
            }

            @Override
            protected boolean parentSleepsUntilChildReleases() {
                return false;   // BUG: the completion is done at once; the child may still be adding on the local path
            }
        };
    }
}
