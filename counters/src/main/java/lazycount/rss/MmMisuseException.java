package lazycount.rss;

/** An mm used against the kernel's rules: by a task that is not one of its users, after teardown, ... */
public final class MmMisuseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public MmMisuseException(String message) {
        super(message);
    }
}
