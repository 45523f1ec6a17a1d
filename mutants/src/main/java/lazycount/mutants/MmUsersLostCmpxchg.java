package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * PIT's surviving mutants {@code Mm.mmgetNotZero} and {@code Mm.mmput}
 * ("removed conditional": the cmpxchg loop does not retry), made a catalog
 * mutant (pit/survivors.md). Breaks {@link Race#EXIT_CHECK_MM} (exit and check_mm): a
 * {@code mm_users} cmpxchg that lost to another context is taken as won. An
 * {@code mmget_not_zero} that lost to the last {@code mmput} then holds a
 * reference to a dying mm, and an {@code mmput} that lost to an
 * {@code mmget_not_zero} tears the mm down under the new reference. A single
 * context never loses a cmpxchg, so no sequential test sees it.
 */
public final class MmUsersLostCmpxchg extends MmMutant {

    public MmUsersLostCmpxchg() {
        super("mm-users-lost-cmpxchg", Race.EXIT_CHECK_MM, Set.of(JCSTRESS, LINCHECK, FRAY),
                "mmget_not_zero and mmput take a lost cmpxchg on mm_users for a won one, so a reference is "
                        + "taken on a dying mm or the mm is torn down under a reference just taken");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected boolean casMmUsers(int expected, int next) {
                super.casMmUsers(expected, next);
                return true;                                  // BUG: the cmpxchg's result is ignored
            }
        };
    }
}
