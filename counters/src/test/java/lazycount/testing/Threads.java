package lazycount.testing;

import java.util.concurrent.atomic.AtomicReference;

/** Running a step on a thread of its own and surfacing what it threw. */
public final class Threads {

    private Threads() {
    }

    public static void runOnNewThread(String name, Runnable step) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        t.start();
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (t.isAlive()) {
            throw new AssertionError("thread '" + name + "' did not finish in 30 s (deadlock?)");
        }
        rethrow(failure.get());
    }

    public static void join(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (t.isAlive()) {
            throw new AssertionError("thread '" + t.getName() + "' did not finish in 60 s (deadlock?)");
        }
    }

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
}
