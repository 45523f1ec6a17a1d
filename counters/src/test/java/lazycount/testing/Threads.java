package lazycount.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Running a step on a brand-new thread of its own and surfacing what it threw:
 * the one way the tests of every module do it. A fresh thread, not a pool's
 * worker, so that it is distinct from every other thread the test used (tests
 * of ownership need that); named, so that a message can be checked for its
 * name; a daemon that is waited for a bounded time, so that a step that must
 * not block fails the test instead of hanging it when a broken variant does
 * block.
 *
 * <p>{@link OtherThread} and {@link OnCpu#inAnotherThread} are the same run
 * with what was thrown wrapped in an {@code ExecutionException}; {@link Stranger}
 * (one long-lived thread, for sequential models) and {@link StartBarrier} (many
 * threads released together) are the other two shapes.
 */
public final class Threads {

    /** Far beyond what any step takes; reached only when a broken variant blocks. */
    public static final long PATIENCE_SECONDS = 30;

    private Threads() {
    }

    /** Runs {@code step} on a new thread called {@code name}, waits for it and rethrows what it threw. */
    public static void runOnNewThread(String name, Runnable step) {
        rethrow(failureOf(name, step));
    }

    /** Runs {@code step} on a new thread called {@code name} and waits for it: what it threw, or null. */
    public static Throwable failureOf(String name, Runnable step) {
        Task task = task(name, step);
        task.start();
        return task.awaitFailure();
    }

    /**
     * A thread that must exist before it runs (the task a {@code clone(CLONE_VM)}
     * or {@code vfork()} registers), started later by the test.
     */
    public static Task task(String name, Runnable step) {
        return new Task(name, step);
    }

    /** Joins a thread the test started; fails if it is still running after {@link #PATIENCE_SECONDS}. */
    public static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertFalse(t.isAlive(), "thread '" + t.getName() + "' still running after " + PATIENCE_SECONDS + " s (deadlock?)");
    }

    /** Rethrows {@code failure} as it is if unchecked, wrapped if checked; nothing if null. */
    public static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** A step on a thread of its own whose failure is kept for the test to collect. */
    public static final class Task {

        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        private Task(String name, Runnable step) {
            thread = new Thread(() -> {
                try {
                    step.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, name);
            thread.setDaemon(true);                            // a blocked broken variant must not keep the JVM alive
        }

        /** The thread itself (to register it as a task of an mm before it runs). */
        public Thread thread() {
            return thread;
        }

        public void start() {
            thread.start();
        }

        /** Waits for the step ({@link Threads#join}) and returns what it threw, or null. */
        public Throwable awaitFailure() {
            join(thread);
            return failure.get();
        }

        /** Waits for the step and rethrows what it threw. */
        public void finish() {
            rethrow(awaitFailure());
        }
    }
}
