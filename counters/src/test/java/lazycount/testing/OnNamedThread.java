package lazycount.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a body on a fresh thread with a given name, so that a message can be
 * checked for it, and waits for it a bounded time: a step that must not block
 * (an argument refused, a hotplug lock that must be free) fails the test
 * instead of hanging it when a broken variant does block.
 */
public final class OnNamedThread {

    /** Far beyond what any of these bodies takes; reached only when a broken variant blocks. */
    public static final long PATIENCE_SECONDS = 5;

    private OnNamedThread() {
    }

    /** What the body threw, or null; fails if it is still running after {@link #PATIENCE_SECONDS}. */
    public static Throwable failureOf(String name, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        t.setDaemon(true);                                        // a blocked broken variant must not keep the JVM alive
        t.start();
        joinWithin(t);
        return failure.get();
    }

    /** Joins a thread the test started; fails if it is still running after {@link #PATIENCE_SECONDS}. */
    public static void joinWithin(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        assertFalse(t.isAlive(), "thread '" + t.getName() + "' still blocked after " + PATIENCE_SECONDS + " s");
    }
}
