package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.candidate.Rcu;
import lazycount.catalog.Race;

/**
 * A broken RCU model, not a broken counter: a grace period drops from its
 * registry every reader it finds outside a section ("an idle reader has nothing
 * to wait for; drop it to keep the scan short"), where only a reader whose
 * thread has ended may be dropped. The thread keeps its record and never
 * registers again, so its next section is invisible to every later grace
 * period: an updater frees what that section still reads. Only a reader idle
 * during one grace period and reading during a later one shows it; the
 * grace-period protocols (whose counters are built on this model) would lose
 * adds silently. The machinery checks of {@link Race#RCU_GRACE_PERIOD} build
 * their domain through {@link Rcu#newDomainOf}; this mutant's counters are the
 * reference's.
 */
public final class RcuForgetsIdleReaders extends MutantImplementation implements Rcu.Domains {

    public RcuForgetsIdleReaders() {
        super("rcu-forgets-idle-readers", Race.RCU_GRACE_PERIOD, Set.of(JCSTRESS, LINCHECK, FRAY),
                "a grace period drops every reader it finds idle, so that reader's next section is never waited for "
                        + "and an updater frees what the section still reads");
    }

    @Override
    public Rcu newDomain() {
        return new Rcu() {
            @Override
            protected boolean keepsIdleReader(Thread readerThread) {
                return false;               // BUG: an idle reader's thread will read again, unregistered
            }
        };
    }
}
