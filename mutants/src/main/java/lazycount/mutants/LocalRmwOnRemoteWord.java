package lazycount.mutants;

import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Breaks race 1 (local add ∥ other add, lazy mode). The owner's plain
 * read-modify-write goes to {@code remote}, the word the other path updates
 * atomically: a developer who keeps one lazy word ("the owner is the only
 * non-atomic writer, so a plain add is enough") forgets that an atomic add by
 * somebody else can land between the owner's load and store, and is then
 * overwritten.
 */
public final class LocalRmwOnRemoteWord extends MutantImplementation {

    public LocalRmwOnRemoteWord() {
        super("local-rmw-on-remote-word",
                "race 1: the owner's plain read-modify-write goes to the word the other path adds to "
                        + "atomically, so an other-path add landing between its load and store is lost");
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new OneWordLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
    }

    static final class OneWordLazyCounter extends BrokenLazyCounter {
        OneWordLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory f) {
            super(cpus, batch, policy, f);
        }

        @Override
        protected void addToLocalWord(long delta) {
            // BUG: c->remote += delta, plain, while others do atomic_long_add(&c->remote).
            REMOTE.setOpaque(this, (long) REMOTE.getOpaque(this) + delta);
        }
    }
}
