package lazycount.cpu;

/**
 * {@code might_sleep()} refused a call: the kernel's
 * {@code "BUG: sleeping function called from invalid context"} splat (and
 * lockdep's {@code "Invalid wait context"}). A sleeping call (a
 * {@code synchronize_rcu()}, a {@code GFP_KERNEL} allocation, CPU hotplug)
 * was made while the calling thread held a spinlock, was inside an RCU
 * read-side section or had irqs disabled ({@link AtomicContext}). The message
 * names the call and every context the thread was in, innermost first. A
 * kernel-bug signal, never the test machinery's.
 */
public final class SleepInAtomicException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The splat's first words, as the kernel prints them. */
    public static final String SPLAT = "BUG: sleeping function called from invalid context";

    SleepInAtomicException(String message) {
        super(message);
    }
}
