package lazycount.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * The subject: a bi-modal counter that starts in a cheap lazy mode and becomes
 * a {@link PercpuCounter} when {@linkplain #upgrade() upgraded}.
 *
 * <p>In lazy mode only the owning task ({@link #bindOwner()}) may call
 * {@link #addLocal}; anybody else is refused with {@link NotOwnerException}
 * (unless the CPUs {@linkplain Cpus.OwnerCheck#TRUST trust} the caller). Any
 * thread may {@link #addOther} and {@link #upgrade}, or {@link #upgradeAll} several
 * counters onto one allocation; the {@link UpgradePolicy} may also upgrade after
 * enough other-path adds. The mode goes only from lazy to per-CPU, and of racing
 * upgrades exactly one returns true. In per-CPU mode both paths are a per-CPU
 * add, open to any thread on a {@link CpuSection} of the counter's CPUs.
 *
 * <p>Every add is counted exactly once, in either mode and across the upgrade.
 * When quiescent, {@link #read} is exact in lazy mode and within
 * {@link #readErrorBound()} in per-CPU mode, and {@link #sum} and {@link #destroy}
 * are exact; under concurrency neither read nor sum is a snapshot. Creating and
 * destroying a counter that never upgrades is O(1). {@link #destroy} comes after
 * every other use; later use throws {@link CounterDestroyedException}.
 */
public class LazyPercpuCounter extends LazyCounterBase {

    /*
     * Design notes.
     *
     * <p><b>State.</b> Three words and a pointer:
     * {@code local} (written only by the owning task, plain arithmetic),
     * {@code remote} (written by anybody else, atomically), and
     * {@code percpu} (null in lazy mode; the per-CPU counter after the upgrade).
     *
     * <p><b>Invariant.</b> At every instant the value is
     * {@code local + remote + (percpu == null ? 0 : percpu.central + Σ percpu.slot[cpu])}.
     * The upgrade protocol is "the remainder stays in the sum": the lazy words are
     * never folded, cleared or moved. The upgrade does one thing, publish the
     * pointer, and nothing else ever changes mode; the mode goes only from lazy to
     * per-CPU.
     *
     * <p><b>Why no increment is lost or doubled</b> (race by race,
     * {@code lazycount.catalog.Race}). Every add reads the pointer once and then changes
     * exactly one word by exactly its delta: {@code local}, {@code remote}, or one
     * slot (or, folding, the central count and its own slot under the lock). No
     * code path ever moves an amount from one word to another except the
     * percpu_counter fold, which is atomic with respect to {@link #sum()}. So:
     * <ol>
     * <li><i>local ∥ other, lazy mode.</i> Different words. {@code local} has one
     *     writer (the owner check refuses every other thread in lazy mode), so its
     *     plain read-modify-write cannot lose an update; {@code remote} is an atomic
     *     add.
     * <li><i>other ∥ upgrade.</i> An other-path add that read a null pointer lands
     *     in {@code remote}, which stays in the sum forever, however late it lands;
     *     one that read the pointer lands in a slot. The upgrade writes only the
     *     pointer, so it cannot overwrite or re-count either.
     * <li><i>local ∥ upgrade from elsewhere</i> (the frequency policy). Same
     *     argument for {@code local}: the owner may go on adding to it after the
     *     upgrade until it sees the pointer, and stays its only writer.
     * <li><i>read/sum ∥ update or upgrade.</i> Each word is read once, untorn, and
     *     each add lives in one word, so a sum sees each add entirely or not at
     *     all. It is not a snapshot (words are read one after another), so with
     *     deltas of both signs it may return a value the counter never held; with
     *     non-negative deltas it lies between the values at its start and its end.
     * <li><i>per-CPU add ∥ fold ∥ sum.</i> See {@link PercpuCounter}.
     * <li><i>teardown.</i> {@link #destroy()} sums every word after all users are
     *     done (their last update happens-before the teardown through the caller's
     *     synchronisation, as {@code mmput}'s atomic decrement orders it in the
     *     kernel), so the value is exact; later use throws.
     * </ol>
     * Two racing upgrades are resolved by a CAS on the pointer: exactly one
     * per-CPU counter is ever published, and the loser's allocation is dropped
     * before anybody could add to it.
     *
     * <p><b>Costs.</b> Creating and destroying a counter that never upgrades is
     * O(1): no per-CPU memory exists until the upgrade, which pays the O(nrCpus)
     * allocation ({@link #upgradeAll} shares one allocation among an mm's four
     * counters); teardown of an upgraded counter pays the O(nrCpus) walk. The lazy
     * paths never touch a CPU slot, so they check the caller's {@link CpuSection}
     * only when they reach the per-CPU counter. The
     * price of the protocol is that per-CPU mode reads two more words.
     *
     * <p><b>Memory ordering</b> (each access, the weakest mode that is correct):
     * <ul>
     * <li>{@code local}: owner reads its own word plain and writes it opaque
     *     ({@code WRITE_ONCE(c->local, c->local + d)}); others read it opaque
     *     ({@code READ_ONCE}). Opaque rather than plain so readers never see a torn
     *     or indefinitely stale value.
     * <li>{@code remote}: {@code getAndAddRelease} ({@code atomic_long_add}, which
     *     is relaxed). Release is stronger than needed: VarHandle has no plain
     *     getAndAdd, and the exactly relaxed form is a {@code weakCompareAndSetPlain}
     *     loop (the RFC candidate's {@code cmpxchg_relaxed}), which would cost a
     *     retry loop to give up an ordering that is free on x86. A non-atomic
     *     read-modify-write loses concurrent other-path adds.
     * <li>{@code percpu}: published by {@code compareAndExchangeRelease}
     *     ({@code cmpxchg_release}, i.e. {@code rcu_assign_pointer} plus the
     *     race between upgraders); read opaque ({@code READ_ONCE}). The per-CPU
     *     counter is on the CPU-hotplug list from its construction, before it is
     *     published, so a CPU that dies after any add reached a slot folds it; the
     *     fold touches only the per-CPU counter's own words, never a lazy word. A
     *     loser of the race leaves the list. The per-CPU
     *     counter's fields are final and its slots are zero from construction, so
     *     the JMM's final-field guarantee covers what a reader needs of it: the
     *     state frozen in the constructor. That is narrower than
     *     {@code rcu_dereference} (which orders every store made before the
     *     publication), and enough here because nothing is written into the new
     *     counter before it is published. A stale null is harmless because it
     *     sends an add to a word that stays in the sum. A check-then-set instead
     *     of the CAS publishes two counters and loses the adds made to the
     *     overwritten one.
     * <li>{@code owner}, {@code destroyed} and the policy's {@code otherUpdates}:
     *     {@link LazyCounterBase}'s.
     * </ul>
     *
     * <p><b>Steps.</b> Not final for one reason: the mutants catalog breaks this
     * protocol one step at a time ({@link #checkCallerOwns}, {@link #addToLocalWord},
     * {@link #addOtherLazy}, {@link #addToRemoteWord}, {@link #publish}) by
     * overriding that step of this code, so a change here changes every mutant
     * built on it. The per-CPU counter comes from a {@link PercpuFactory}, so a
     * broken per-CPU counter is reached through this counter too. The owner, the
     * teardown flag and the policy's count are {@link LazyCounterBase}'s, which
     * every candidate extends as well.
     */

    private static final VarHandle LOCAL;
    private static final VarHandle REMOTE;
    private static final VarHandle PERCPU;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCAL = l.findVarHandle(LazyPercpuCounter.class, "local", long.class);
            REMOTE = l.findVarHandle(LazyPercpuCounter.class, "remote", long.class);
            PERCPU = l.findVarHandle(LazyPercpuCounter.class, "percpu", PercpuCounter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int batch;
    private final PercpuFactory percpuFactory;

    @SuppressWarnings("unused") private long local;
    @SuppressWarnings("unused") private long remote;
    @SuppressWarnings("unused") private PercpuCounter percpu;

    /** A counter owned by {@code owner}, never upgrading by itself, with the default batch. */
    public LazyPercpuCounter(Cpus cpus, Thread owner) {
        this(cpus, PercpuCounter.defaultBatch(cpus), UpgradePolicy.NEVER, PercpuCounter::new, owner);
    }

    /**
     * A counter with no owner yet ({@link #bindOwner()} binds one), the given
     * batch for per-CPU mode and upgrade policy. O(1): nothing per-CPU is allocated.
     */
    public LazyPercpuCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        this(cpus, batch, policy, PercpuCounter::new);
    }

    /** As above, with the per-CPU counters of the upgrade built by {@code percpuFactory}. */
    public LazyPercpuCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpuFactory) {
        this(cpus, batch, policy, percpuFactory, null);
    }

    private LazyPercpuCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpuFactory,
            Thread owner) {
        super(cpus, policy, owner);
        this.batch = PercpuCounter.checkBatch(batch);
        this.percpuFactory = percpuFactory;
    }

    @Override
    public void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        PercpuCounter p = percpu();
        if (p != null) {
            p.addBatch(cpu, delta, batch);
            return;
        }
        checkCallerOwns();
        addToLocalWord(delta);
    }

    /** Step: the owner's lazy update. */
    protected void addToLocalWord(long delta) {
        // WRITE_ONCE(c->local, c->local + delta): plain arithmetic, single writer.
        LOCAL.setOpaque(this, (long) LOCAL.get(this) + delta);
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        PercpuCounter p = percpu();
        if (p != null) {
            p.addBatch(cpu, delta, batch);
            return;
        }
        addOtherLazy(cpu, delta);
    }

    /** Step: an other-path update that found the counter lazy. */
    protected void addOtherLazy(CpuSection cpu, long delta) {
        addToRemoteWord(delta);
        if (noteOtherUpdate()) {
            upgradeByPolicy();
        }
    }

    /** Step: the atomic add to the remote word. */
    protected void addToRemoteWord(long delta) {
        REMOTE.getAndAddRelease(this, delta);                     // atomic_long_add(delta, &c->remote)
    }

    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        if (percpu() != null) {
            return false;
        }
        return publishOrDrop(percpuFactory.create(new PercpuArea(cpus(), 1), 0, batch));   // alloc_percpu: O(nrCpus)
    }

    /** Publishes {@code fresh}, or, having lost the race, destroys it before anybody saw it. */
    private boolean publishOrDrop(PercpuCounter fresh) {
        if (publish(fresh)) {
            return true;
        }
        fresh.leaveHotplugList();                                 // percpu_counter_destroy of the loser: list_del
        return false;
    }

    /**
     * Upgrades several counters onto one per-CPU allocation, one slot each
     * ({@code percpu_counter_init_many} at {@code CLONE_VM}), so an mm's four
     * rss counters cost one allocation, as the eager design's do. A counter
     * that is already per-CPU keeps its counter and leaves its slot unused.
     */
    public static void upgradeAll(LazyPercpuCounter[] counters) {
        if (counters.length == 0) {
            return;
        }
        Cpus cpus = checkUpgradeAll(counters);
        if (Arrays.stream(counters).allMatch(c -> c.percpu() != null)) {
            return;                                               // a later CLONE_VM: nothing to allocate
        }
        PercpuArea area = new PercpuArea(cpus, counters.length);
        for (int i = 0; i < counters.length; i++) {
            if (counters[i].percpu() == null) {
                counters[i].publishOrDrop(counters[i].percpuFactory.create(area, i, counters[i].batch));
            }
        }
    }

    /** Step: publishes the per-CPU counter; returns whether this call won the upgrade. */
    protected boolean publish(PercpuCounter fresh) {
        // cmpxchg_release(&c->percpu, NULL, fresh): one winner; the loser's allocation is dropped.
        return PERCPU.compareAndExchangeRelease(this, null, fresh) == null;
    }

    @Override
    public boolean isPerCpu() {
        return percpu() != null;
    }

    @Override
    public long read() {
        checkAlive("read");
        PercpuCounter p = percpu();
        long residue = lazyWords();
        return p == null ? residue : residue + p.read();
    }

    @Override
    public long sum() {
        checkAlive("sum");
        PercpuCounter p = percpu();
        long residue = lazyWords();
        return p == null ? residue : residue + p.sum();
    }

    @Override
    public long readErrorBound() {
        PercpuCounter p = percpu();
        return p == null ? 0 : p.readErrorBound();
    }

    @Override
    public long destroy() {
        markDestroyed();
        PercpuCounter p = percpu();
        long residue = lazyWords();
        return p == null ? residue : residue + p.destroy();
    }

    /** The batch used by the per-CPU mode. */
    public int batch() {
        return batch;
    }

    /** The per-CPU counter, null in lazy mode. */
    protected final PercpuCounter percpu() {
        return (PercpuCounter) PERCPU.getOpaque(this);            // READ_ONCE(c->percpu)
    }

    /** {@code local + remote}: what the lazy words hold now. */
    protected final long lazyWords() {
        return localWord() + remoteWord();
    }

    protected final long localWord() {
        return (long) LOCAL.getOpaque(this);                      // READ_ONCE(c->local)
    }

    protected final long remoteWord() {
        return (long) REMOTE.getOpaque(this);                     // atomic_long_read(&c->remote)
    }

    /** Raw stores for broken variants: no correct step writes a lazy word or the pointer this way. */
    protected final void storeLocalWord(long value) {
        LOCAL.setOpaque(this, value);                             // WRITE_ONCE(c->local, value)
    }

    protected final void storeRemoteWord(long value) {
        REMOTE.setOpaque(this, value);                            // atomic_long_set(&c->remote, value)
    }

    protected final void storePercpu(PercpuCounter counter) {
        PERCPU.setRelease(this, counter);                         // smp_store_release(&c->percpu, counter)
    }

    @Override
    public String toString() {
        return "LazyPercpuCounter[nrCpus=" + cpus().nrPossible() + ", batch=" + batch
                + ", mode=" + (percpu() == null ? "lazy" : "per-CPU") + "]";
    }
}
