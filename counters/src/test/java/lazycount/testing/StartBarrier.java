package lazycount.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a group of workers on real threads that all spin at one start line, so
 * their operations overlap as much as the machine allows (a parked thread
 * takes tens of microseconds to wake, longer than many schedules last), then joins them and
 * rethrows the first failure. A worker that hangs fails the try after 60 s
 * instead of hanging the build.
 */
public final class StartBarrier {

    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch ready;
    private volatile boolean go;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public StartBarrier(int workers) {
        this.ready = new CountDownLatch(workers);
    }

    /** Adds a worker: {@code setUp} runs before the start line (binding an owner), {@code work} after it. */
    public void worker(String name, Runnable setUp, Runnable work) {
        Thread t = new Thread(() -> {
            try {
                setUp.run();
                ready.countDown();
                while (!go) {
                    Thread.onSpinWait();   // spin, not park: all workers leave the line within microseconds
                }
                work.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                ready.countDown();
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
    }

    /** Starts every worker, releases them together, waits for all and rethrows the first failure. */
    public void runAll() {
        threads.forEach(Thread::start);
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("workers did not reach the start line in 60 s");
            }
            go = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw new AssertionError("worker '" + t.getName() + "' did not finish in 60 s (deadlock or livelock?)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Threads.rethrow(failure.get());
    }
}
