package lazycount.mutants;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.counter.BatchedCounter;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * The reference {@code percpu_counter} logic ({@link lazycount.counter.PercpuCounter})
 * re-stated with each step that a mutant may get wrong as a protected method.
 * Without overrides it behaves as the reference: same words, same access modes,
 * same order of writes in the fold (central first, then the slot), so a mutant
 * differs from the reference by exactly the step it overrides.
 *
 * <p>The steps: {@link #fold} (takes the lock), {@link #foldedFromSlot} (what the
 * slot gives up), {@link #sum()} (takes the lock), {@link #sumStart()} (the
 * central count the sum starts from) and {@link #cpusSummed()} (how many CPUs it
 * walks).
 *
 * <p>It can also be {@linkplain #seedBeforePublication seeded} before anybody
 * else sees it, which the folding lazy-counter variants use: a plain write to
 * the non-final central count after construction, so (unlike a write in the
 * constructor, which HotSpot orders with the final fields) it reaches another
 * thread only through whatever publishes the counter.
 */
public class BrokenPercpuCounter implements BatchedCounter {

    /** Slots per CPU, one cache line of longs, so two CPUs never share a line. */
    private static final int STRIDE = 8;

    static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    static final VarHandle CENTRAL;
    static final VarHandle DESTROYED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CENTRAL = l.findVarHandle(BrokenPercpuCounter.class, "central", long.class);
            DESTROYED = l.findVarHandle(BrokenPercpuCounter.class, "destroyed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected final Cpus cpus;
    protected final Object lock = new Object();        // fbc->lock
    private final int batch;
    private final long[] slots;

    @SuppressWarnings("unused") private long central;   // fbc->count
    @SuppressWarnings("unused") private boolean destroyed;

    public BrokenPercpuCounter(Cpus cpus, int batch) {
        checkBatch(batch);
        this.cpus = cpus;
        this.batch = batch;
        this.slots = new long[Math.multiplyExact(cpus.nrPossible(), STRIDE)];
    }

    /**
     * {@code percpu_counter_set(fbc, amount)} on a counter nobody else can see
     * yet: a plain write, published by whatever publishes the counter.
     */
    public final void seedBeforePublication(long amount) {
        CENTRAL.set(this, amount);
    }

    @Override
    public final void addBatch(CpuSection cpu, long delta, int batch) {
        checkBatch(batch);
        checkAlive("addBatch");
        cpu.checkUsableOn(cpus);
        int i = cpu.id() * STRIDE;
        long count = slot(i) + delta;                     // own slot: plain read is current
        if (count >= batch || count <= -batch) {
            fold(i, count, delta);
        } else {
            setSlot(i, count);                            // this_cpu_add
        }
    }

    /** Step: the fold, under {@code fbc->lock}. */
    protected void fold(int slotIndex, long count, long delta) {
        synchronized (lock) {
            foldUnlocked(slotIndex, count, delta);
        }
    }

    /** The fold's two writes, central first: the caller decides what protects them. */
    protected final void foldUnlocked(int slotIndex, long count, long delta) {
        CENTRAL.setOpaque(this, (long) CENTRAL.get(this) + count);
        setSlot(slotIndex, slot(slotIndex) - foldedFromSlot(count, delta));
    }

    /** Step: what the slot gives up when {@code count = slot + delta} was folded; the slot held {@code count - delta}. */
    protected long foldedFromSlot(long count, long delta) {
        return count - delta;
    }

    @Override
    public final int batch() {
        return batch;
    }

    @Override
    public final long read() {
        checkAlive("read");
        return (long) CENTRAL.getOpaque(this);
    }

    /** Step: the precise sum, under the lock so it never sees a fold half done. */
    @Override
    public long sum() {
        checkAlive("sum");
        synchronized (lock) {
            return sumWalk();
        }
    }

    /** The walk itself: {@link #sumStart()} plus the first {@link #cpusSummed()} slots. */
    protected final long sumWalk() {
        long sum = sumStart();
        for (int cpu = 0; cpu < cpusSummed(); cpu++) {
            sum += (long) SLOT.getOpaque(slots, cpu * STRIDE);
        }
        return sum;
    }

    /** Step: the central count the sum starts from. */
    protected long sumStart() {
        return (long) CENTRAL.getOpaque(this);
    }

    /** Step: how many CPUs the sum walks (every possible CPU). */
    protected int cpusSummed() {
        return cpus.nrPossible();
    }

    @Override
    public final long readErrorBound() {
        return (long) cpus.nrPossible() * (batch - 1);
    }

    @Override
    public final long destroy() {
        synchronized (lock) {
            checkAlive("destroy");
            long finalValue = sumWalk();
            DESTROYED.setRelease(this, true);
            return finalValue;
        }
    }

    @Override
    public final boolean isDestroyed() {
        return (boolean) DESTROYED.getAcquire(this);
    }

    private long slot(int i) {
        return (long) SLOT.get(slots, i);
    }

    private void setSlot(int i, long value) {
        SLOT.setOpaque(slots, i, value);
    }

    private void checkAlive(String operation) {
        if ((boolean) DESTROYED.getOpaque(this)) {
            throw new CounterDestroyedException(operation, this);
        }
    }

    private static void checkBatch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, was " + batch);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[nrCpus=" + cpus.nrPossible() + ", batch=" + batch + "]";
    }
}
