package lazycount.candidate;

import static lazycount.candidate.GracePeriods.BLOCKED_MILLIS;
import static lazycount.candidate.GracePeriods.TIMEOUT_SECONDS;
import static lazycount.candidate.GracePeriods.await;
import static lazycount.candidate.GracePeriods.awaitGracePeriodStarted;
import static lazycount.candidate.GracePeriods.daemon;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class RcuTest {

    @Test
    void synchronizeWaitsForAReaderInsideItsSection() throws Exception {
        assertSynchronizeWaitsForReader(new Rcu());
    }

    @Test
    void teethASynchronizeThatReturnsAtOnceIsCaught() {
        Rcu broken = Rcu.withoutGracePeriod();
        assertFalse(broken.waitsForReaders());
        AssertionFailedError caught = assertThrows(AssertionFailedError.class,
                () -> assertSynchronizeWaitsForReader(broken));
        assertTrue(caught.getMessage().contains("synchronize_rcu returned"), caught.getMessage());
    }

    /**
     * A reader enters its section and stays until released; an updater calls
     * synchronize. The reader is released only after the updater returned or
     * {@link GracePeriods#BLOCKED_MILLIS} passed, so a synchronize that does not wait
     * returns while the reader is inside, and is caught by the first assertion.
     */
    private static void assertSynchronizeWaitsForReader(Rcu rcu) throws Exception {
        CountDownLatch inSection = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        AtomicBoolean readerLeaving = new AtomicBoolean();
        long[] writtenInSection = new long[1];                    // plain: ordered only by the grace period
        long[] seenAfterGracePeriod = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread reader = daemon("rcu-reader", failure, () -> {
            try (Rcu.ReadSection s = rcu.readLock()) {
                inSection.countDown();
                await(release);
                writtenInSection[0] = 42;
                readerLeaving.set(true);
            }
        });
        AtomicBoolean sawReaderLeaving = new AtomicBoolean();
        Thread updater = daemon("rcu-updater", failure, () -> {
            await(inSection);
            rcu.synchronize();
            sawReaderLeaving.set(readerLeaving.get());
            seenAfterGracePeriod[0] = writtenInSection[0];
            returned.countDown();
        });
        reader.start();
        updater.start();
        boolean returnedWhileReaderInside = returned.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS);
        release.countDown();
        assertTrue(returned.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "synchronize never returned after the reader left");
        reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        updater.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertEquals(null, failure.get(), "a thread failed");
        assertFalse(returnedWhileReaderInside,
                "synchronize_rcu returned while a reader that began before it was still inside its section");
        assertTrue(sawReaderLeaving.get(), "synchronize_rcu returned before the reader left its section");
        assertEquals(42, seenAfterGracePeriod[0], "the section's write does not happen-before the grace period's end");
    }

    @Test
    void aReaderThatBeginsAfterSynchronizeStartedDoesNotBlockIt() throws Exception {
        Rcu rcu = new Rcu();
        CountDownLatch earlyIn = new CountDownLatch(1);
        CountDownLatch releaseEarly = new CountDownLatch(1);
        CountDownLatch lateIn = new CountDownLatch(1);
        CountDownLatch releaseLate = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread early = daemon("early-reader", failure, () -> {
            try (Rcu.ReadSection s = rcu.readLock()) {
                earlyIn.countDown();
                await(releaseEarly);
            }
        });
        Thread updater = daemon("updater", failure, () -> {
            rcu.synchronize();
            returned.countDown();
        });
        Thread late = daemon("late-reader", failure, () -> {
            try (Rcu.ReadSection s = rcu.readLock()) {
                lateIn.countDown();
                await(releaseLate);
            }
        });
        early.start();
        await(earlyIn);
        updater.start();
        awaitGracePeriodStarted(rcu, 1);
        late.start();
        await(lateIn);
        releaseEarly.countDown();
        try {
            assertTrue(returned.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "synchronize_rcu waited for a reader that began after it");
        } finally {
            releaseLate.countDown();
        }
        for (Thread t : new Thread[] {early, updater, late}) {
            t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        }
        assertEquals(null, failure.get(), "a thread failed");
    }

    @Test
    void idleReadersDoNotBlockSynchronize() throws Exception {
        Rcu rcu = new Rcu();
        CountDownLatch left = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread idle = daemon("idle-reader", failure, () -> {
            rcu.readLock().close();
            left.countDown();
            await(finish);
        });
        idle.start();
        await(left);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS), rcu::synchronize);
        } finally {
            finish.countDown();
        }
        idle.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertEquals(null, failure.get());
        assertEquals(1, rcu.gracePeriodsStarted());
    }

    @Test
    void closingASectionTwiceIsRefused() {
        Rcu rcu = new Rcu();
        Rcu.ReadSection s = rcu.readLock();
        s.close();
        RcuMisuseException e = assertThrows(RcuMisuseException.class, s::close);
        assertTrue(e.getMessage().contains("rcu_read_unlock() without rcu_read_lock()"), e.getMessage());
        assertFalse(rcu.isInReadSection());
    }

    @Test
    void closingAnotherThreadsSectionIsRefused() throws Exception {
        Rcu rcu = new Rcu();
        Rcu.ReadSection s = rcu.readLock();
        ExecutionException e = assertThrows(ExecutionException.class, () -> OtherThread.run(s::close));
        assertTrue(e.getCause() instanceof RcuMisuseException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("of a section opened by thread"), e.getCause().getMessage());
        assertTrue(rcu.isInReadSection());
        s.close();
        assertFalse(rcu.isInReadSection());
    }

    @Test
    void nestedSectionsAreRefused() {
        Rcu rcu = new Rcu();
        try (Rcu.ReadSection s = rcu.readLock()) {
            RcuMisuseException e = assertThrows(RcuMisuseException.class, rcu::readLock);
            assertTrue(e.getMessage().contains("nested rcu_read_lock()"), e.getMessage());
        }
        rcu.readLock().close();   // usable again once the outer section ended
    }

    @Test
    void synchronizeInsideASectionIsRefused() {
        Rcu rcu = new Rcu();
        try (Rcu.ReadSection s = rcu.readLock()) {
            RcuMisuseException e = assertThrows(RcuMisuseException.class, rcu::synchronize);
            assertTrue(e.getMessage().contains("inside a read-side section"), e.getMessage());
        }
        assertEquals(0, rcu.gracePeriodsStarted());
        rcu.synchronize();
        assertEquals(1, rcu.gracePeriodsStarted());
    }

    @Test
    void aThreadThatEndsInsideASectionIsReportedByTheNextGracePeriod() throws Exception {
        Rcu rcu = new Rcu();
        Thread leaker = new Thread(rcu::readLock, "leaking-reader");
        leaker.start();
        leaker.join();
        RcuMisuseException e = assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS),
                () -> assertThrows(RcuMisuseException.class, rcu::synchronize));
        assertTrue(e.getMessage().contains("thread 'leaking-reader' ended inside a read-side section"), e.getMessage());
    }

    @Test
    void sectionsOfDifferentDomainsAreIndependent() {
        Rcu a = new Rcu();
        Rcu b = new Rcu();
        try (Rcu.ReadSection s = a.readLock()) {
            assertFalse(b.isInReadSection());
            assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS), b::synchronize);
        }
        assertSame(Rcu.shared(), Rcu.shared());
        assertTrue(Rcu.shared().waitsForReaders());
    }
}
