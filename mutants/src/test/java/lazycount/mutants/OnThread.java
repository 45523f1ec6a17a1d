package lazycount.mutants;

import java.util.concurrent.atomic.AtomicReference;

/** Runs an action on a fresh thread and waits for it: a second context, used strictly sequentially. */
final class OnThread {

    interface Action {
        void run() throws Exception;
    }

    private OnThread() {
    }

    static void run(String name, Action action) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        start(t);
        join(t);
        if (failure.get() != null) {
            throw new AssertionError("thread '" + name + "' failed", failure.get());
        }
    }

    static void start(Thread t) {
        t.start();
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining " + t.getName(), e);
        }
    }
}
