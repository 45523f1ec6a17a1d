package lazycount.mutants;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.counter.CounterDestroyedException;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * The reference lazy counter ({@link lazycount.counter.LazyPercpuCounter},
 * protocol "the remainder stays in the sum") re-stated with each step that a
 * mutant may get wrong as a protected method. Without overrides it behaves as
 * the reference.
 *
 * <p>Design notes.
 * <ul>
 * <li>Words: {@code local} (owner only, plain read-modify-write published
 *     opaque), {@code remote} (atomic add) and {@code mode} (null in lazy mode,
 *     then the published {@link PerCpuMode}).
 * <li>Value: {@code countedLazyWords(mode) + mode.counter}. The reference never
 *     moves the lazy words, so both are counted in both modes. Folding variants
 *     move one of them into the new per-CPU counter at the upgrade; the
 *     {@link PerCpuMode} they publish says which ones, and the sum then leaves
 *     those words out.
 * <li>The mode pointer is published by a release CAS and read with acquire.
 *     The reference needs only an opaque read (the per-CPU counter's fields it
 *     relies on are final), but a folding variant seeds the new counter's
 *     central count with a plain write, which only release/acquire publishes.
 *     The stronger read here keeps that from being a second bug in the
 *     folding variants; {@code mode-flag-opaque} weakens exactly this.
 * <li>Steps: {@link #checkCallerOwns()}, {@link #addToLocalWord},
 *     {@link #addOtherLazy}, {@link #addToRemoteWord}, {@link #prepareUpgrade()},
 *     {@link #publish}, {@link #mode()}, {@link #teardownResidue}.
 * </ul>
 * Every per-CPU counter comes from the {@link PercpuFactory} given at
 * construction, so a broken per-CPU counter shows through the lazy one too.
 */
public class BrokenLazyCounter implements RssCounter {

    /** Makes the per-CPU counter of the per-CPU mode ({@code alloc_percpu} + {@code percpu_counter_init}). */
    @FunctionalInterface
    public interface PercpuFactory {
        BrokenPercpuCounter create(Cpus cpus, int batch);
    }

    /**
     * What an upgrade publishes: the per-CPU counter, and which lazy words it
     * folded into that counter's initial count (those are no longer counted).
     * Fields are final: whoever sees the object sees them.
     */
    public record PerCpuMode(BrokenPercpuCounter counter, boolean localFolded, boolean remoteFolded) {
        static PerCpuMode remainderStaysInSum(BrokenPercpuCounter counter) {
            return new PerCpuMode(counter, false, false);
        }
    }

    static final VarHandle LOCAL;
    static final VarHandle REMOTE;
    static final VarHandle MODE;
    static final VarHandle OWNER;
    static final VarHandle DESTROYED;
    static final VarHandle OTHER_UPDATES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCAL = l.findVarHandle(BrokenLazyCounter.class, "local", long.class);
            REMOTE = l.findVarHandle(BrokenLazyCounter.class, "remote", long.class);
            MODE = l.findVarHandle(BrokenLazyCounter.class, "mode", PerCpuMode.class);
            OWNER = l.findVarHandle(BrokenLazyCounter.class, "owner", Thread.class);
            DESTROYED = l.findVarHandle(BrokenLazyCounter.class, "destroyed", boolean.class);
            OTHER_UPDATES = l.findVarHandle(BrokenLazyCounter.class, "otherUpdates", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected final Cpus cpus;
    protected final int batch;
    private final UpgradePolicy policy;
    private final PercpuFactory percpuFactory;

    @SuppressWarnings("unused") private long local;
    @SuppressWarnings("unused") private long remote;
    @SuppressWarnings("unused") private PerCpuMode mode;
    @SuppressWarnings("unused") private Thread owner;
    @SuppressWarnings("unused") private boolean destroyed;
    @SuppressWarnings("unused") private long otherUpdates;

    public BrokenLazyCounter(Cpus cpus, int batch, UpgradePolicy policy, PercpuFactory percpuFactory) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, was " + batch);
        }
        this.cpus = cpus;
        this.batch = batch;
        this.policy = policy;
        this.percpuFactory = percpuFactory;
    }

    @Override
    public final void bindOwner() {
        Thread me = Thread.currentThread();
        Thread previous = (Thread) OWNER.compareAndExchange(this, null, me);
        if (previous != null && previous != me) {
            throw new NotOwnerException("thread '" + me.getName() + "' cannot own " + this
                    + ": it is already owned by thread '" + previous.getName() + "'");
        }
    }

    @Override
    public final void addLocal(CpuSection cpu, long delta) {
        checkAlive("addLocal");
        cpu.checkUsableOn(cpus);
        PerCpuMode m = mode();
        if (m != null) {
            m.counter().addBatch(cpu, delta, batch);
            return;
        }
        checkCallerOwns();
        addToLocalWord(delta);
    }

    /** Step: the owner check that makes the local path single-writer. */
    protected void checkCallerOwns() {
        Thread owner = owner();
        Thread me = Thread.currentThread();
        if (owner != me) {
            throw new NotOwnerException("local path used by thread '" + me.getName() + "' on " + this
                    + " in lazy mode; the owner is " + (owner == null ? "not bound" : "thread '" + owner.getName() + "'"));
        }
    }

    /** Step: the owner's plain add, {@code WRITE_ONCE(c->local, c->local + delta)}. */
    protected void addToLocalWord(long delta) {
        LOCAL.setOpaque(this, (long) LOCAL.get(this) + delta);
    }

    @Override
    public final void addOther(CpuSection cpu, long delta) {
        checkAlive("addOther");
        cpu.checkUsableOn(cpus);
        PerCpuMode m = mode();
        if (m != null) {
            m.counter().addBatch(cpu, delta, batch);
            return;
        }
        addOtherLazy(cpu, delta);
        if (policy.isEnabled()) {
            noteOtherUpdate();
        }
    }

    /** Step: an other-path add that found the counter in lazy mode. */
    protected void addOtherLazy(CpuSection cpu, long delta) {
        addToRemoteWord(delta);
    }

    /** Step: {@code atomic_long_add(delta, &c->remote)}. */
    protected void addToRemoteWord(long delta) {
        REMOTE.getAndAddRelease(this, delta);
    }

    private void noteOtherUpdate() {
        if ((long) OTHER_UPDATES.getAndAddRelease(this, 1L) + 1 == policy.threshold()) {
            upgrade();
        }
    }

    @Override
    public final boolean upgrade() {
        checkAlive("upgrade");
        if (mode() != null) {
            return false;
        }
        return publish(prepareUpgrade());
    }

    /** Step: allocate the per-CPU counter (and, in folding variants, fold lazy words into it). */
    protected PerCpuMode prepareUpgrade() {
        return PerCpuMode.remainderStaysInSum(newPercpu());
    }

    /** Step: publish the mode; {@code cmpxchg_release(&c->mode, NULL, fresh)}, one winner. */
    protected boolean publish(PerCpuMode fresh) {
        return MODE.compareAndExchangeRelease(this, null, fresh) == null;
    }

    /** Step: read the mode pointer (acquire, see the design notes). */
    protected PerCpuMode mode() {
        return (PerCpuMode) MODE.getAcquire(this);
    }

    @Override
    public final boolean isPerCpu() {
        return mode() != null;
    }

    @Override
    public final long read() {
        checkAlive("read");
        PerCpuMode m = mode();
        long residue = countedLazyWords(m);
        return m == null ? residue : residue + m.counter().read();
    }

    @Override
    public final long sum() {
        checkAlive("sum");
        PerCpuMode m = mode();
        long residue = countedLazyWords(m);
        return m == null ? residue : residue + m.counter().sum();
    }

    @Override
    public final long readErrorBound() {
        PerCpuMode m = mode();
        return m == null ? 0 : m.counter().readErrorBound();
    }

    @Override
    public final long destroy() {
        if (!DESTROYED.compareAndSet(this, false, true)) {
            throw new CounterDestroyedException("destroy", this);
        }
        PerCpuMode m = mode();
        long residue = teardownResidue(m);
        return m == null ? residue : residue + m.counter().destroy();
    }

    @Override
    public final boolean isDestroyed() {
        return (boolean) DESTROYED.getAcquire(this);
    }

    /** Step: what teardown adds to the per-CPU counter's final value: the lazy words still counted. */
    protected long teardownResidue(PerCpuMode m) {
        return countedLazyWords(m);
    }

    /** The lazy words still counted in mode {@code m}: both, except those the upgrade folded. */
    private long countedLazyWords(PerCpuMode m) {
        long l = m != null && m.localFolded() ? 0 : localWord();
        long r = m != null && m.remoteFolded() ? 0 : remoteWord();
        return l + r;
    }

    protected final BrokenPercpuCounter newPercpu() {
        return percpuFactory.create(cpus, batch);
    }

    protected final Thread owner() {
        return (Thread) OWNER.getOpaque(this);
    }

    protected final long localWord() {
        return (long) LOCAL.getOpaque(this);
    }

    protected final long remoteWord() {
        return (long) REMOTE.getOpaque(this);
    }

    private void checkAlive(String operation) {
        if ((boolean) DESTROYED.getOpaque(this)) {
            throw new CounterDestroyedException(operation, this);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[nrCpus=" + cpus.nrPossible() + ", batch=" + batch
                + ", mode=" + (mode() == null ? "lazy" : "per-CPU") + "]";
    }
}
