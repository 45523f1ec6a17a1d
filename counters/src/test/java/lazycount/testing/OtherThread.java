package lazycount.testing;

import java.util.concurrent.ExecutionException;

/**
 * {@link Threads#runOnNewThread} for callers that expect what the body threw
 * wrapped in an {@link ExecutionException}, as {@code Future.get} wraps it.
 */
public final class OtherThread {

    private OtherThread() {
    }

    /** @throws ExecutionException wrapping whatever the body threw */
    public static void run(Runnable body) throws ExecutionException, InterruptedException {
        Throwable failure = Threads.failureOf("other-thread", body);
        if (failure != null) {
            throw new ExecutionException(failure);
        }
    }
}
