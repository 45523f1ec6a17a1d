package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * The per-CPU counter joins the CPU-hotplug list only after it is published,
 * the order of the RFC's {@code lazy_pcpu_counter_upgrade_many}
 * ({@code cpu_hotplug_add_watchlist} after the pointers), from a preemptible
 * upgrader: a CPU that takes an add and dies in between is never folded.
 */
public final class HotplugJoinAfterPublish extends LazyMutant {

    public HotplugJoinAfterPublish() {
        super("hotplug-join-after-publish", Race.HOTPLUG_UPGRADE, Set.of(JCSTRESS, LINCHECK),
                "the upgrade publishes the per-CPU counter before putting it on the hotplug list, so an add that reaches a slot of a CPU dying in between is left on the dead CPU: read() breaks its bound, and a sum while the CPU boots again misses it");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected boolean publish(PercpuCounter fresh) {
                fresh.leaveHotplugList();                   // BUG: not listed while it is published
                boolean won = super.publish(fresh);
                if (won) {
                    Thread.yield();                        // the upgrader is preemptible here
                }
                fresh.joinHotplugList();                    // cpu_hotplug_add_watchlist, too late
                return won;
            }
        };
    }
}
