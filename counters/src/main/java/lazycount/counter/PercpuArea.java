package lazycount.counter;

import lazycount.cpu.Cpus;

/**
 * One per-CPU allocation ({@code alloc_percpu}): for every possible CPU a unit
 * of {@code longsPerCpu} signed 64-bit slots. Several counters may share one
 * area, as the four rss_stat counters of an mm have since Linux 6.6
 * ({@code percpu_counter_init_many}).
 *
 * <p>Allocating an area zeroes {@code nrPossible * unit} longs, so its cost is
 * O(nrCpus), as in the kernel. Each CPU's unit is rounded up to a cache line
 * (8 longs) so that two CPUs never write the same line; the kernel gets the
 * same effect from per-CPU chunks being laid out CPU by CPU.
 */
public final class PercpuArea {

    static final int LONGS_PER_CACHE_LINE = 8;

    private static final java.lang.invoke.VarHandle RAN_ON;

    static {
        try {
            RAN_ON = java.lang.invoke.MethodHandles.lookup().findVarHandle(PercpuArea.class, "ranOn", RanOnMask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Cpus cpus;
    private final int longsPerCpu;
    private final int unit;
    final long[] slots;
    @SuppressWarnings("unused") private RanOnMask ranOn;   // through RAN_ON; only the masked designs create it

    /** @throws lazycount.cpu.PercpuAllocationException if {@code cpus} injects a failure for this allocation */
    public PercpuArea(Cpus cpus, int longsPerCpu) {
        if (longsPerCpu < 1) {
            throw new IllegalArgumentException("longsPerCpu must be >= 1, was " + longsPerCpu);
        }
        cpus.allocatePercpu(longsPerCpu);                         // may fail: -ENOMEM
        this.cpus = cpus;
        this.longsPerCpu = longsPerCpu;
        this.unit = roundUpToCacheLine(longsPerCpu);
        this.slots = new long[Math.multiplyExact(cpus.nrPossible(), unit)];
    }

    private static int roundUpToCacheLine(int longs) {
        return (longs + LONGS_PER_CACHE_LINE - 1) / LONGS_PER_CACHE_LINE * LONGS_PER_CACHE_LINE;
    }

    public Cpus cpus() {
        return cpus;
    }

    public int longsPerCpu() {
        return longsPerCpu;
    }

    /**
     * Zeroes every slot of every possible CPU: O(nrCpus), the walk a cache of
     * per-CPU areas pays before an area is used again. The caller must know
     * that no counter on this area can still be updated or summed (they are
     * all destroyed, and their last users happen-before this call); the writes
     * are plain and are published by whatever hands the area on.
     */
    public void clear() {
        java.util.Arrays.fill(slots, 0L);
        RanOnMask mask = (RanOnMask) RAN_ON.getAcquire(this);
        if (mask != null) {
            mask.clear();                                         // the next mm has run nowhere yet
        }
    }

    /**
     * The ran-on mask of the counters on this area (one per mm, as the area
     * is), created by the first counter that asks for it.
     *
     * @throws IllegalArgumentException if it exists with another setting
     */
    public RanOnMask ranOnMask(RanOnMask.Setting setting) {
        RanOnMask mask = (RanOnMask) RAN_ON.getAcquire(this);
        if (mask == null) {
            RanOnMask fresh = new RanOnMask(cpus, setting);
            RanOnMask witness = (RanOnMask) RAN_ON.compareAndExchangeRelease(this, null, fresh);   // one creator wins
            mask = witness == null ? fresh : witness;
        }
        if (mask.setting() != setting) {
            throw new IllegalArgumentException("this area's ran-on mask is " + mask.setting() + ", not " + setting);
        }
        return mask;
    }

    /** Index in {@link #slots} of slot {@code index} of {@code cpu}'s unit. */
    int indexOf(int cpu, int index) {
        return cpu * unit + index;
    }

    void checkSlotIndex(int index) {
        if (index < 0 || index >= longsPerCpu) {
            throw new IllegalArgumentException(
                    "slot index " + index + " outside this area's unit of " + longsPerCpu + " longs per CPU");
        }
    }
}
