package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.counter.LazyCounterBase;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * Candidate {@code tagged-word}: Kent Overstreet's lazy percpu counter (2022,
 * bcachefs; {@code lib/lazy-percpu-counter.c}, {@code
 * lazy_percpu_counter_add_slowpath} and {@code lazy_percpu_counter_switch_to_pcpu})
 * used as the rss_stat counter, with the project's {@link PercpuCounter} as its
 * per-CPU mode.
 *
 * <p>Every add is a CAS on one word, so lazy mode tolerates any number of
 * writers; {@link #addLocal} still refuses a non-owner in lazy mode, to keep the
 * {@link RssCounter} contract. Any thread may {@link #upgrade}; a loser returns
 * false. Lazy {@link #read} and {@link #sum} are exact; per-CPU {@link #read}
 * is within {@link #readErrorBound()} and {@link #sum} and {@link #destroy} are
 * exact when no update runs concurrently. After {@link #destroy} every use is
 * refused.
 */
public final class TaggedWordLazyCounter extends LazyCounterBase {

    /*
     * Design notes.
     *
     * <p><b>State.</b> One word, {@code word}, that holds either the value
     * (a {@link Long}: lazy mode) or the per-CPU state (a {@link SeededPercpu}: per-CPU
     * mode). In the kernel this is one {@code atomic64_t} holding {@code v << 1}
     * or {@code ptr | 1}; the mode is bit 0. Java cannot put a reference in a
     * {@code long}, so the word is an {@code Object} field and the mode is its
     * class. A reference CAS on boxed values is as sound as the kernel's value
     * cmpxchg: success means the word still holds the very object read, hence the
     * very value; two equal values in distinct boxes only cost a retry.
     *
     * <p><b>Invariant.</b> The value is {@code (Long) word} in lazy mode and
     * {@code base + percpu.central + Σ percpu.slot[cpu]} in per-CPU mode, where
     * {@code base} is the lazy value at the instant of publication. The mode goes
     * only from lazy to per-CPU, and {@code word} never changes after it holds a
     * {@link SeededPercpu}.
     *
     * <p><b>The protocol.</b>
     * <ul>
     * <li><i>Add, lazy mode.</i> A CAS loop: read the word; if it is a value,
     *     CAS in value + delta; if it is (or the CAS witnesses) the per-CPU state,
     *     add to the per-CPU counter instead. There is no local/other split in
     *     Kent's design: every add is this loop. {@link #addLocal} is the same
     *     atomic path; it still refuses a non-owner in lazy mode, only to keep the
     *     {@link RssCounter} contract the suite checks, not because the word
     *     needs a single writer.
     * <li><i>Add, per-CPU mode.</i> {@link PercpuCounter#addBatch} with this
     *     counter's batch. Kent's per-CPU mode is a bare {@code this_cpu_add} on
     *     unbatched u64 slots with no central count, so his read walks every
     *     CPU; for rss_stat the model keeps percpu_counter's central count and
     *     batch, so {@code get_mm_counter} stays O(1).
     * <li><i>Upgrade ("switch to pcpu").</i> Allocate the per-CPU counter once,
     *     then loop: read the word; if it is already per-CPU, drop the allocation
     *     and return false; otherwise build the state seeded with the value read
     *     and CAS it in. A failed CAS means an add (or another upgrade) changed
     *     the word: re-seed with the witnessed value and retry. Fold and publication are one step: the
     *     CAS that publishes is also the one that takes the value.
     * <li><i>The seed.</i> Kent writes the value into this CPU's slot with
     *     preemption disabled before the cmpxchg. {@link PercpuCounter} cannot be
     *     seeded before publication through its public API (its only update is
     *     {@code addBatch}, which needs a {@link CpuSection}, and {@link #upgrade()}
     *     runs on none), so the seed is the immutable {@code base} of the
     *     published {@link SeededPercpu} and read, sum and destroy add it in. Unlike a
     *     seeded slot, it never counts towards the read error.
     * </ul>
     *
     * <p><b>The races</b> ({@link lazycount.catalog.Race}).
     * <ul>
     * <li>{@link lazycount.catalog.Race#LOCAL_OTHER}: <i>local ∥ other, lazy.</i> Both are CAS loops on the one word: neither
     *     can overwrite the other. The price is that the owner pays an atomic on
     *     every add, which is exactly what the RFC's plain local path avoids.
     * <li>{@link lazycount.catalog.Race#OTHER_UPGRADE}: <i>other ∥ upgrade.</i> The add's CAS and the upgrade's CAS are on the
     *     same word, so they are ordered. If the add wins, the upgrade's CAS fails
     *     and re-seeds with a value that contains the add; if the upgrade wins, the
     *     add's CAS fails, witnesses the state, and the add goes to the per-CPU
     *     counter. No add can land in the lazy value after it was taken: there is
     *     no window between fold and publication to lose it in.
     * <li>{@link lazycount.catalog.Race#LOCAL_UPGRADE}: <i>local ∥ upgrade from elsewhere.</i> The same argument: the local add
     *     is the same CAS loop.
     * <li>{@link lazycount.catalog.Race#READ_SUM}: <i>read / sum ∥ update or upgrade.</i> One read of the word: a value is
     *     an exact snapshot; a state gives {@code base} (immutable) plus the
     *     per-CPU counter's read or sum. Every add is in exactly one of the two.
     *     Lazy read and sum are exact (bound 0); per-CPU read is within
     *     {@code nrCpus * (batch - 1)}, percpu_counter's own bound.
     * <li>{@link lazycount.catalog.Race#PERCPU_FOLD_SUM}: <i>per-CPU add ∥ fold ∥ sum.</i> {@link PercpuCounter}'s argument.
     * <li>{@link lazycount.catalog.Race#TEARDOWN}: <i>teardown.</i> {@link #destroy()} after every user: one read of the
     *     word, then {@code base} plus the per-CPU counter's destroy; later use
     *     throws.
     * <li>{@link lazycount.catalog.Race#FORK}, {@link lazycount.catalog.Race#CLONE_VM}, {@link lazycount.catalog.Race#EXIT_CHECK_MM}: <i>rss_stat lifecycle.</i> fork fills the child on the CAS path; the
     *     upgrade at {@code CLONE_VM} is not even needed for correctness, since
     *     lazy mode is correct with any number of writers (kthread_use_mm, vfork,
     *     the OOM reaper all take the CAS path). Kent's switch gives up silently
     *     when the {@code GFP_ATOMIC} allocation fails and the counter stays
     *     atomic, which for this design is safe, so {@code clone} need not fail.
     * </ul>
     * I see no interleaving that loses or doubles an add. What the model does not
     * show: the kernel word has 63 value bits (Kent's 55, his top 8 bits count
     * updates for the rate trigger), so a lazy value outside that range would be
     * corrupted; the model's {@link Long} has 64. The frequency trigger here is
     * the project's {@link UpgradePolicy} (a count of other-path adds in a word
     * of its own), not Kent's updates-per-second in the high bits.
     *
     * <p><b>Memory ordering.</b>
     * <ul>
     * <li>{@code word}: read opaque ({@code atomic64_read}); every change is
     *     {@code compareAndExchange}, volatile, as Kent's {@code atomic64_cmpxchg}
     *     is fully ordered. The add would be correct with a relaxed cmpxchg; in
     *     the kernel the switch needs at least release, so that the seeded slot
     *     is visible before the pointer. Here the state's fields are final, so a
     *     reader that finds it sees them initialized (the ordering the kernel's
     *     reader gets from the address dependency on the pointer).
     * <li>{@code owner}, {@code destroyed} and the policy's {@code otherUpdates}:
     *     {@link LazyCounterBase}'s, as the reference's.
     * </ul>
     */

    private static final VarHandle WORD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WORD = l.findVarHandle(TaggedWordLazyCounter.class, "word", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int batch;

    // A Long (lazy) or a SeededPercpu. Set here, plain: counters reach other threads
    // through safe publication (before those threads start), as every counter here does.
    @SuppressWarnings("unused") private Object word = 0L;

    /** A lazy counter with no owner yet. O(1): nothing per-CPU is allocated. */
    public TaggedWordLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        super(cpus, policy);
        this.batch = PercpuCounter.checkBatch(batch);
    }

    @Override
    public void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        if (!(word() instanceof SeededPercpu)) {
            checkCallerOwns();
        }
        add(cpu, delta);
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        if (add(cpu, delta) && noteOtherUpdate()) {
            upgradeByPolicy();
        }
    }

    /** The one add path of Kent's design. Returns whether the add went to the lazy value. */
    private boolean add(CpuSection cpu, long delta) {
        Object seen = word();
        while (seen instanceof Long value) {
            // v = atomic64_cmpxchg(&c->v, old, old + (delta << 1)): retry with the witness.
            Object witness = WORD.compareAndExchange(this, seen, (Long) (value + delta));
            if (witness == seen) {
                return true;
            }
            seen = witness;
        }
        ((SeededPercpu) seen).percpu.addBatch(cpu, delta, batch);    // this_cpu_add(*pcpu_v, delta)
        return false;
    }

    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        if (word() instanceof SeededPercpu) {
            return false;
        }
        return switchToPercpu(new PercpuCounter(cpus(), batch));   // alloc_percpu: O(nrCpus)
    }

    /**
     * Upgrades several counters onto one per-CPU allocation, one slot each
     * ({@code percpu_counter_init_many}), as the mm's four rss counters are at
     * {@code CLONE_VM}. A counter already per-CPU keeps its own and leaves its
     * slot unused.
     */
    public static void upgradeAll(TaggedWordLazyCounter[] counters) {
        if (counters.length == 0) {
            return;
        }
        PercpuArea area = new PercpuArea(checkUpgradeAll(counters), counters.length);
        for (int i = 0; i < counters.length; i++) {
            if (!counters[i].isPerCpu()) {
                counters[i].switchToPercpu(new PercpuCounter(area, i, counters[i].batch));
            }
        }
    }

    /** Kent's switch: seed with the value seen and publish in one CAS, re-seeding on every failure. */
    private boolean switchToPercpu(PercpuCounter fresh) {
        Object seen = word();
        while (seen instanceof Long value) {
            // seed = atomic_val(v); v = atomic64_cmpxchg(&c->v, old, ptr | 1)
            Object witness = WORD.compareAndExchange(this, seen, new SeededPercpu(fresh, value));
            if (witness == seen) {
                return true;
            }
            seen = witness;
        }
        // Somebody else switched first: free_percpu(fresh), never seen by anybody. The model's per-CPU
        // counter joined the CPU-hotplug list when it was made, so it leaves it (list_del) as it is freed.
        fresh.leaveHotplugList();
        return false;
    }

    @Override
    public boolean isPerCpu() {
        return word() instanceof SeededPercpu;
    }

    @Override
    public long read() {
        checkAlive("read");
        Object seen = word();
        return seen instanceof SeededPercpu p ? p.base + p.percpu.read() : (Long) seen;
    }

    @Override
    public long sum() {
        checkAlive("sum");
        Object seen = word();
        return seen instanceof SeededPercpu p ? p.base + p.percpu.sum() : (Long) seen;
    }

    @Override
    public long readErrorBound() {
        return word() instanceof SeededPercpu p ? p.percpu.readErrorBound() : 0;
    }

    @Override
    public long destroy() {
        markDestroyed();
        Object seen = word();
        return seen instanceof SeededPercpu p ? p.base + p.percpu.destroy() : (Long) seen;
    }

    public int batch() {
        return batch;
    }

    private Object word() {
        return WORD.getOpaque(this);                            // atomic64_read(&c->v)
    }

    @Override
    public String toString() {
        return "TaggedWordLazyCounter[nrCpus=" + cpus().nrPossible() + ", batch=" + batch
                + ", mode=" + (isPerCpu() ? "per-CPU" : "lazy") + "]";
    }
}
