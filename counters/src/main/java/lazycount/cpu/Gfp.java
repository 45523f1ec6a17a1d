package lazycount.cpu;

/**
 * The allocation flags of a per-CPU allocation ({@code __alloc_percpu_gfp}'s
 * {@code gfp}), as far as legality goes: whether the allocation may sleep.
 */
public enum Gfp {
    /** {@code GFP_KERNEL} ({@code GFP_KERNEL_ACCOUNT}): may sleep, so only in process context with no lock held. */
    KERNEL("GFP_KERNEL"),
    /** {@code GFP_ATOMIC}: never sleeps, allowed in any context, fails more readily. */
    ATOMIC("GFP_ATOMIC");

    private final String kernelName;

    Gfp(String kernelName) {
        this.kernelName = kernelName;
    }

    /** {@code gfpflags_allow_blocking(gfp)}. */
    public boolean mayBlock() {
        return this == KERNEL;
    }

    /** The flag as the kernel spells it. */
    public String kernelName() {
        return kernelName;
    }
}
