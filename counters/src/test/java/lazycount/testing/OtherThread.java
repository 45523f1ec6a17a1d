package lazycount.testing;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a body on a brand-new thread and waits for it. Tests of ownership need
 * a thread that is distinct from every other one the test used; a pool (such
 * as the one behind {@code CompletableFuture.runAsync}) may hand two calls the
 * same worker.
 */
public final class OtherThread {

    private OtherThread() {
    }

    /** @throws ExecutionException wrapping whatever the body threw */
    public static void run(Runnable body) throws ExecutionException, InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(body, "other-thread");
        t.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new ExecutionException(failure.get());
        }
    }
}
