package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * A one-word lazy counter: "only the owner is non-atomic, so a plain add is
 * enough", on the word the other path updates atomically.
 */
public final class LocalRmwOnRemoteWord extends LazyMutant {

    public LocalRmwOnRemoteWord() {
        super("local-rmw-on-remote-word", Race.LOCAL_OTHER, Set.of(JCSTRESS, LINCHECK, FRAY),
                "the owner's plain read-modify-write goes to the word the other path adds to atomically, so an other-path add landing between its load and store is lost");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected void addToLocalWord(long delta) {
                storeRemoteWord(remoteWord() + delta);     // BUG: c->remote += delta, plain
            }
        };
    }
}
