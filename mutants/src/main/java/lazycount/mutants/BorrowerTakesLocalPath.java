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
 * Breaks the kthread_use_mm context. The local-path test is
 * {@code current->mm == mm} alone, as the RFC posted it, so a kernel thread
 * that adopted the mm (an aio completion from a USB gadget function, an older
 * vhost worker) takes the plain local path next to the owning task, whatever
 * the borrower policy says. Their two read-modify-writes of the local word
 * lose updates. Exact while the borrower and the owner never add at once.
 */
public final class BorrowerTakesLocalPath extends MmMutant {

    public BorrowerTakesLocalPath() {
        super("borrower-takes-local-path", Race.BORROWER, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "a kthread_use_mm borrower passes current->mm == mm and takes the plain local path beside the "
                        + "owning task, so one of two concurrent local adds is lost");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected boolean borrowerTakesLocalPath() {
                return true;   // BUG: current->mm == mm is all the test asks; no upgrade, no PF_KTHREAD check
            }
        };
    }
}
