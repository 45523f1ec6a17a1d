package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.counter.LazyCounterBase;
import lazycount.counter.PercpuCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * The lazy counter of the two-word candidates ({@link FoldAtUpgradeLazyCounter},
 * {@link GracePeriodLazyCounter}): in lazy mode the owner's plain {@code local}
 * word and the other contexts' atomic {@code remote} word; afterwards a
 * {@link PerCpuState} published as one pointer. A subclass is its upgrade
 * (how the words are folded into the state) and its lazy other-path add.
 *
 * <p>In lazy mode only the owner (the first thread to add locally) may call
 * {@link #addLocal}; other contexts call {@link #addOther}. After
 * {@link #destroy} every use is refused.
 */
abstract class TwoWordLazyCounter extends LazyCounterBase {

    /*
     * Memory ordering of what lives here (each access, the kernel primitive it mirrors):
     * - local: the owner reads it plain and writes it opaque (WRITE_ONCE(c->local, c->local + d));
     *   the upgrader and readers read it opaque (READ_ONCE: never torn nor going backwards).
     * - remote: read opaque (READ_ONCE / atomic_long_read); its writes are the subclass's.
     * - state: read getAcquire (smp_load_acquire / rcu_dereference); its writes are the
     *   subclass's upgrade. The state's fields are final.
     */

    protected static final VarHandle LOCAL;
    protected static final VarHandle REMOTE;
    protected static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCAL = l.findVarHandle(TwoWordLazyCounter.class, "local", long.class);
            REMOTE = l.findVarHandle(TwoWordLazyCounter.class, "remote", long.class);
            STATE = l.findVarHandle(TwoWordLazyCounter.class, "state", PerCpuState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected final int batch;

    @SuppressWarnings("unused") private long local;
    @SuppressWarnings("unused") private long remote;
    @SuppressWarnings("unused") private PerCpuState state;

    /** A counter with no owner yet, the given per-CPU batch and upgrade policy. O(1). */
    protected TwoWordLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        super(cpus, policy);
        this.batch = PercpuCounter.checkBatch(batch);
    }

    @Override
    public final void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        PerCpuState s = state();
        if (s != null) {
            s.percpu.addBatch(cpu, delta, batch);
            return;
        }
        checkCallerOwns();
        // WRITE_ONCE(c->local, c->local + delta): plain arithmetic, single writer.
        LOCAL.setOpaque(this, (long) LOCAL.get(this) + delta);
    }

    @Override
    public final void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        PerCpuState s = state();
        if (s != null) {                                          // per-CPU for good
            s.percpu.addBatch(cpu, delta, batch);
            return;
        }
        if (addOtherLazy(cpu, delta) && noteOtherUpdate()) {
            upgradeByPolicy();
        }
    }

    /** The other path after it read lazy mode; returns whether the add landed on {@code remote}. */
    protected abstract boolean addOtherLazy(CpuSection cpu, long delta);

    @Override
    public final boolean isPerCpu() {
        return state() != null;
    }

    @Override
    public final long read() {
        checkAlive("read");
        PerCpuState s = state();
        return s == null ? lazyWords() : s.base + s.percpu.read() + wordsStillRead(s);
    }

    @Override
    public final long sum() {
        checkAlive("sum");
        PerCpuState s = state();
        return s == null ? lazyWords() : s.base + s.percpu.sum() + wordsStillRead(s);
    }

    @Override
    public final long readErrorBound() {
        PerCpuState s = state();
        return s == null ? 0 : s.percpu.readErrorBound();
    }

    @Override
    public final long destroy() {
        markDestroyed();
        PerCpuState s = state();
        return s == null ? lazyWords() : s.base + s.percpu.destroy() + wordsStillRead(s);
    }

    /** The batch used by the per-CPU mode. */
    public final int batch() {
        return batch;
    }

    protected final PerCpuState state() {
        return (PerCpuState) STATE.getAcquire(this);              // smp_load_acquire(&c->state), rcu_dereference
    }

    private long lazyWords() {
        return (long) LOCAL.getOpaque(this) + (long) REMOTE.getOpaque(this); // READ_ONCE of each word
    }

    private long wordsStillRead(PerCpuState s) {
        long words = 0;
        if (s.readsLocal) {
            words += (long) LOCAL.getOpaque(this);                // READ_ONCE(c->local)
        }
        if (s.readsRemote) {
            words += (long) REMOTE.getOpaque(this);               // atomic_long_read(&c->remote)
        }
        return words;
    }

    /**
     * The per-CPU mode, published as one pointer: the counter, what has been
     * folded into it ({@code percpu_counter_init(fbc, base, gfp)}'s seed, which
     * {@link PercpuCounter} cannot take through its public API), and which lazy
     * words still count. Immutable: a reader that finds it sees its fields
     * initialized (the ordering the kernel's reader gets from the address
     * dependency on the pointer).
     */
    static final class PerCpuState {
        final PercpuCounter percpu;
        final long base;                                          // the folded lazy words
        final boolean readsLocal;                                 // local not folded
        final boolean readsRemote;                                // remote not yet folded

        PerCpuState(PercpuCounter percpu, long base, boolean readsLocal, boolean readsRemote) {
            this.percpu = percpu;
            this.base = base;
            this.readsLocal = readsLocal;
            this.readsRemote = readsRemote;
        }

        PerCpuState withRemoteFolded(long frozenRemote) {
            return new PerCpuState(percpu, base + frozenRemote, readsLocal, false);
        }
    }
}
