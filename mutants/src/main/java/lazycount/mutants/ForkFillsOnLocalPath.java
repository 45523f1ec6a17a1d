package lazycount.mutants;

import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;

/**
 * {@link Race#FORK} (fork: the child's counters are updated from the parent's context).
 * {@code copy_page_range} accounts the child's pages with the local variant
 * ("the child is not running yet, nobody else can touch its counters, skip
 * the atomic"), i.e. a plain read-modify-write of the child's {@code local}
 * from the parent's context.
 *
 * <p>Honest note: in this two-word design the mistake is harmless and
 * unobservable. The child's {@code local} has no other writer until the child
 * runs, and the child starts only after {@code fork} returns (its start is
 * ordered after the parent's writes), while remote updaters write the other
 * word. It would lose updates in a one-word design (see
 * {@link LocalRmwOnRemoteWord}) if a remote updater could reach the child
 * during the copy, as khugepaged can in the kernel once {@code khugepaged_fork}
 * has registered the child; this model gives no thread access to the child
 * before {@code fork} returns. It is in the catalog to show the suite does not
 * flag harmless deviations (a check that fails here would be a false alarm).
 */
public final class ForkFillsOnLocalPath extends MmMutant {

    public ForkFillsOnLocalPath() {
        super("fork-fills-on-local-path", Race.FORK,
                "fork fills the child's counters with plain local-path adds from the parent's context",
                "harmless in the two-word design: the child's local word has no other writer until the child "
                        + "runs, which is ordered after fork returns (REPORT.md, the limits section)");
    }

    @Override
    public Mm newMm(Cpus cpus, RssDesign design, KernelPolicy policy) {
        return new Mm(this, cpus, design, policy) {
            @Override
            protected void fillChildCounter(Mm child, CpuSection cpu, RssMember member, long pages) {
                child.counter(member).addLocal(cpu, pages);     // BUG: the parent is not the child's task
            }
        };
    }
}
