/**
 * The counter-proposal (Mathieu Desnoyers, on the RFC's thread): keep every
 * rss_stat counter an ordinary per-CPU counter, but take its per-CPU slots from
 * one merged per-mm block ({@code mm_percpu_struct}: the four rss_stat
 * counters, {@code mm_cid}, {@code futex_ref}) that a cache hands out, so fork
 * bypasses the per-CPU allocator.
 *
 * <p>Design notes.
 * <ul>
 * <li>Layout. A {@link lazycount.merged.MmPercpuBlock} is one
 *     {@link lazycount.counter.PercpuArea} whose per-CPU unit holds the four
 *     rss_stat slots and one placeholder slot each for {@code mm_cid} and
 *     {@code futex_ref} (the model never updates the placeholders; they are
 *     there so the block has the size and the clearing cost of the real one).
 *     Each rss_stat counter is a {@link lazycount.counter.PercpuCounter} on one
 *     slot of that area: per-CPU from birth, so there is no lazy mode, no
 *     owner and nothing to upgrade at {@code CLONE_VM}.
 * <li>Lease. A block handed out by {@link lazycount.merged.MergedBlockCache}
 *     is leased to one mm: it counts the counters still alive on it. Each
 *     counter's {@code destroy()} (the {@code check_mm} sum: the walk over
 *     every possible CPU that the cache does <em>not</em> remove) gives back
 *     its share; the last one clears the whole block (a second O(nrCpus)
 *     walk, which a kernel would fuse with the first) and returns it to the
 *     cache. So a block is never handed out while a counter on it is alive,
 *     and a new mm always starts from all-zero slots.
 * <li>Why that is enough. The kernel tears an mm down after its last
 *     {@code mmput}, whose atomic decrement orders every user's last update
 *     before the teardown; the model's {@link lazycount.rss.Mm} does the same.
 *     The counter objects are new for every mm, so a stale pointer to a dead
 *     mm's counter is refused ({@code CounterDestroyedException}) instead of
 *     reaching the reused slots. What the cache makes worse is an update that
 *     races with the teardown (a caller bug refused only on a best-effort
 *     basis): without a cache it writes dead memory, with one it may write
 *     the next mm's slots, exactly like a use-after-free of a recycled
 *     kernel object.
 * <li>Cache. A bounded LIFO free list under one lock (the most recently
 *     cleared block is the warmest). Blocks belong to one {@link
 *     lazycount.cpu.Cpus} (the model's {@code cpu_possible_mask}); a take
 *     looks for a block of the caller's CPUs and allocates when there is
 *     none; a full cache drops its oldest block. The bound keeps memory
 *     finite when a test makes many {@code Cpus} instances.
 * </ul>
 */
package lazycount.merged;
