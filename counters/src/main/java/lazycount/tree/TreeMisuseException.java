package lazycount.tree;

/**
 * A {@link PercpuCounterTree} used as the C would not allow: a teardown that
 * frees the wrong per-CPU allocation, or a topology that does not fit the CPUs.
 * In the kernel each of these is a memory-safety bug (a free of an interior
 * pointer, a tree left on freed memory, an out-of-range item); here it fails at
 * once, naming the C function it misuses.
 */
public final class TreeMisuseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TreeMisuseException(String message) {
        super(message);
    }
}
