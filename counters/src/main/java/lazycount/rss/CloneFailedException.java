package lazycount.rss;

/**
 * {@code clone} or {@code fork} returned {@code -ENOMEM}: the per-CPU
 * allocation it needed failed. The parent's mm is exactly as it was: no task
 * added, no reference taken, every count intact.
 */
public final class CloneFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CloneFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
