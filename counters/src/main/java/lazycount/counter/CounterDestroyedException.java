package lazycount.counter;

/** A counter used after {@code destroy()}: in the kernel, a use after free. */
public final class CounterDestroyedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CounterDestroyedException(String operation, Object counter) {
        super(operation + "() on " + counter + " after destroy(): the counter was already torn down");
    }
}
