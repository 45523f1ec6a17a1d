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
 * {@code atomic_long_set(&c->remote, atomic_long_read(&c->remote) + d)}:
 * "the word is atomic, that is enough".
 */
public final class OtherPathPlainRmw extends LazyMutant {

    public OtherPathPlainRmw() {
        super("other-path-plain-rmw", Race.OTHER_OTHER, Set.of(JCSTRESS, LINCHECK, FRAY),
                "the other path updates the remote word with get-then-set instead of an atomic add, so two concurrent other-path adds can lose one");
    }

    @Override
    LazyPercpuCounter newBroken(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpu) {
        return new LazyPercpuCounter(cpus, batch, policy, percpu) {
            @Override
            protected void addToRemoteWord(long delta) {
                storeRemoteWord(remoteWord() + delta);     // BUG: read, then set: not one atomic add
            }
        };
    }
}
