package lazycount.counter;

/**
 * A {@link PercpuCounter} whose sums and teardown walk only the CPUs in its
 * mm's {@link RanOnMask} (the counters of one area share one mask): an add
 * marks its CPU before it writes the slot, so every slot that can hold a
 * count is on a marked CPU. The walk costs {@code O(nrCpus / 64)} words plus
 * one slot per marked CPU instead of one slot per possible CPU.
 */
public final class MaskedPercpuCounter extends PercpuCounter {

    private final RanOnMask ranOn;

    /** @throws IllegalArgumentException if the area's mask has another setting; nothing is listed then */
    public MaskedPercpuCounter(PercpuArea area, int slotIndex, int batch, RanOnMask.Setting setting) {
        // The mask first: the superclass constructor puts the counter on the hotplug list, where a
        // refused counter would stay and fold its slot of every dying CPU into a count nobody reads.
        this(area, slotIndex, batch, area.ranOnMask(setting));
    }

    private MaskedPercpuCounter(PercpuArea area, int slotIndex, int batch, RanOnMask ranOn) {
        super(area, slotIndex, batch);
        this.ranOn = ranOn;
    }

    public RanOnMask ranOn() {
        return ranOn;
    }

    /** Mark, then write: a walk that must see the write is ordered after the mark too. */
    @Override
    protected void beforeSlotWrite(int cpu) {
        ranOn.mark(cpu);
    }

    @Override
    protected int nextCpuToWalk(int from) {
        return ranOn.nextMarked(from);
    }

    @Override
    public String toString() {
        return "MaskedPercpuCounter[nrCpus=" + cpus().nrPossible() + ", batch=" + batch() + ", " + ranOn + "]";
    }
}
