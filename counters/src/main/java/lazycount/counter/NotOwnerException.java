package lazycount.counter;

/**
 * The local (plain, non-atomic) path of a lazy-mode counter used by a thread
 * that is not the owning task: two writers of a plain word would lose updates.
 */
public final class NotOwnerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NotOwnerException(String message) {
        super(message);
    }
}
