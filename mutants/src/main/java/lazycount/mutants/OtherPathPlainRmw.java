package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 1 and every race between two other-path updaters in lazy mode.
 * The other path updates {@code remote} with a get then a set (each access
 * atomic, the pair not), the classic "volatile is enough" mistake: two
 * concurrent other-path adds both read the old value and one is lost.
 */
public final class OtherPathPlainRmw extends MutantImplementation {

    public OtherPathPlainRmw() {
        super("other-path-plain-rmw",
                "race 1: the other path updates the remote word with get-then-set instead of an atomic add, "
                        + "so two concurrent other-path adds can lose one");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new GetThenSetLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class GetThenSetLazyCounter extends BrokenLazyCounter {
        GetThenSetLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected void addToRemoteWord(long delta) {
            // BUG: atomic_long_set(&c->remote, atomic_long_read(&c->remote) + delta).
            REMOTE.setVolatile(this, (long) REMOTE.getVolatile(this) + delta);
        }
    }
}
