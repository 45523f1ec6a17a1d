package lazycount.candidate;

import lazycount.counter.PercpuCounter;

/**
 * A per-CPU mode published as one immutable object: the per-CPU counter and
 * {@code base}, the lazy value folded into it at the upgrade
 * ({@code percpu_counter_init(fbc, base, gfp)}'s seed, which
 * {@link PercpuCounter} cannot take through its public API). The fields are
 * final, so a reader that finds the object sees them initialized (the
 * ordering the kernel's reader gets from the address dependency on the
 * pointer). Used by {@link TaggedWordLazyCounter}.
 */
final class SeededPercpu {
    final PercpuCounter percpu;
    final long base;                                              // percpu_counter_init(fbc, base): the seed

    SeededPercpu(PercpuCounter percpu, long base) {
        this.percpu = percpu;
        this.base = base;
    }
}
