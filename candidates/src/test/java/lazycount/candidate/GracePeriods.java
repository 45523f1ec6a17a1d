package lazycount.candidate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the tests of {@link Rcu} and of {@link GracePeriodLazyCounter} share to
 * hold a grace period open: daemon threads whose failure is kept, bounded
 * waits, and the wait for a {@code synchronize_rcu} to have started.
 */
final class GracePeriods {

    /** Far beyond what any step takes; reached only when something hangs. */
    static final long TIMEOUT_SECONDS = 10;
    /** How long a wait must stay blocked to show it waits; a broken grace period returns in microseconds. */
    static final long BLOCKED_MILLIS = 300;

    private GracePeriods() {
    }

    /** A daemon thread (a hung one must not keep the test JVM alive) whose failure lands in {@code failure}. */
    static Thread daemon(String name, AtomicReference<Throwable> failure, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> failure.compareAndSet(null, e));
        return t;
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void await(CyclicBarrier barrier) {
        try {
            barrier.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code rcu} has started {@code n} grace periods. */
    static void awaitGracePeriodStarted(Rcu rcu, long n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (rcu.gracePeriodsStarted() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("synchronize_rcu did not start within " + TIMEOUT_SECONDS + " s");
            }
            Thread.yield();
        }
    }
}
