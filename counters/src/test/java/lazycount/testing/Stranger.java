package lazycount.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * "Another context" for the sequential models: a second thread (khugepaged, the
 * OOM reaper, a forking parent) that runs one step at a time while the property
 * thread waits, so a model step stays sequential and deterministic but the
 * counter sees a caller that is not its owner.
 */
public final class Stranger {

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stranger");
        t.setDaemon(true);
        return t;
    });

    private Stranger() {
    }

    /** The stranger thread itself (to register it as a task of an mm). */
    public static Thread thread() {
        return call(Thread::currentThread);
    }

    /** Runs {@code step} on the stranger thread and returns its result or rethrows what it threw. */
    public static <T> T call(Callable<T> step) {
        Future<T> f = THREAD.submit(step);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("step on the stranger thread did not finish in 30 s (deadlock?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void run(Runnable step) {
        call(() -> {
            step.run();
            return null;
        });
    }
}
