package lazycount.cpu;

/**
 * {@code alloc_percpu} returned NULL: an injected allocation failure
 * ({@link Cpus#injectAllocationFailures}). Whoever allocates either turns it
 * into its own {@code -ENOMEM} with nothing changed, or stays in a mode that
 * needs no allocation; it never loses a count.
 */
public final class PercpuAllocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PercpuAllocationException(String message) {
        super(message);
    }
}
