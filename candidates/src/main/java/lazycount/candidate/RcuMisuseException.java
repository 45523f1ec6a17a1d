package lazycount.candidate;

/**
 * A misuse of the {@link Rcu} model that the kernel would answer with a hang,
 * a splat or silent corruption: a read-side section closed twice or by another
 * thread, a nested section (the model does not nest), {@code synchronize_rcu()}
 * inside a read-side section (a self-deadlock), or a section left open by a
 * thread that ended (every later grace period would wait forever).
 */
public final class RcuMisuseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public RcuMisuseException(String message) {
        super(message);
    }
}
