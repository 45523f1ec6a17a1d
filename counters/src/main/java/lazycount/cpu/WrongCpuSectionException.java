package lazycount.cpu;

/** A per-CPU update through a section the caller does not hold, or holds no longer. */
public final class WrongCpuSectionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public WrongCpuSectionException(String message) {
        super(message);
    }
}
