package lazycount.candidate;

import static lazycount.candidate.GracePeriods.BLOCKED_MILLIS;
import static lazycount.candidate.GracePeriods.TIMEOUT_SECONDS;
import static lazycount.candidate.GracePeriods.await;
import static lazycount.candidate.GracePeriods.awaitGracePeriodStarted;
import static lazycount.candidate.GracePeriods.daemon;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import lazycount.counter.CounterDestroyedException;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;

class GracePeriodLazyCounterTest {

    private final Cpus cpus = new Cpus(4);
    private final Rcu rcu = new Rcu();



    private GracePeriodLazyCounter unowned(int batch, UpgradePolicy policy) {
        return new GracePeriodLazyCounter(cpus, batch, policy, rcu);
    }

    private GracePeriodLazyCounter ownedByMe() {
        GracePeriodLazyCounter c = unowned(32, UpgradePolicy.NEVER);
        c.bindOwner();
        return c;
    }



    @Test
    void theOwnersUpgradeFoldsBothWordsAfterOneGracePeriod() throws Exception {
        GracePeriodLazyCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 7));
        OnCpu.inAnotherThread(cpus, 1, s -> c.addOther(s, 4));
        assertTrue(c.upgrade());
        assertEquals(1, rcu.gracePeriodsStarted());
        assertTrue(c.isPerCpu());
        assertTrue(c.isRemoteFolded());
        assertFalse(c.readsLocalInPerCpuMode(), "the owner's upgrade folds local");
        assertEquals(11, c.sum());
        assertEquals(11, c.read());
        assertFalse(c.upgrade());
        assertEquals(1, rcu.gracePeriodsStarted(), "a second upgrade waits for no grace period");
        OnCpu.inAnotherThread(cpus, 2, s -> {
            c.addLocal(s, 1);
            c.addOther(s, 1);
        });
        assertEquals(13, c.sum());
    }

    @Test
    void anotherThreadsUpgradeKeepsLocalInTheSum() throws Exception {
        GracePeriodLazyCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 7));
        OnCpu.run(cpus, 0, s -> c.addOther(s, 3));
        OtherThread.run(() -> assertTrue(c.upgrade()));
        assertTrue(c.isRemoteFolded());
        assertTrue(c.readsLocalInPerCpuMode(), "a non-owner cannot know the owner is not mid-add");
        assertEquals(10, c.sum());
        OnCpu.run(cpus, 1, s -> c.addLocal(s, 1));
        OnCpu.inAnotherThread(cpus, 2, s -> c.addLocal(s, 1));
        assertEquals(12, c.sum());
        assertEquals(10, c.read(), "the read counts base and local; the two per-CPU adds wait in their slots");
    }

    @Test
    void theFoldWaitsForAnOtherPathSectionThatMayHaveSeenLazyMode() throws Exception {
        GracePeriodLazyCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> {
            c.addLocal(s, 3);
            c.addOther(s, 5);
        });
        withUpgradeBlockedInItsGracePeriod(c, () -> {
            assertTrue(c.isPerCpu(), "published before the grace period");
            assertFalse(c.isRemoteFolded(), "folded while a reader may still add to remote");
            assertEquals(8, c.sum());
            assertEquals(8, c.read());
            OnCpu.run(cpus, 1, s -> c.addOther(s, 2));    // sees per-CPU mode: no section, a slot
            assertEquals(10, c.sum());
        });
        assertTrue(c.isRemoteFolded());
        assertEquals(10, c.sum());
        assertEquals(10, c.destroy());
    }

    @Test
    void destroyDuringTheGracePeriodIsExact() throws Exception {
        GracePeriodLazyCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> {
            c.addLocal(s, 3);
            c.addOther(s, 5);
        });
        withUpgradeBlockedInItsGracePeriod(c, () -> assertEquals(8, c.destroy()));
        assertThrows(CounterDestroyedException.class, c::sum);
    }

    /**
     * Runs {@code whileBlocked} while {@code c}'s upgrade, started by another
     * thread, waits for a read-side section held open by a third thread (an
     * other-path add stopped between its mode read and its atomic add).
     */
    private void withUpgradeBlockedInItsGracePeriod(GracePeriodLazyCounter c, Runnable whileBlocked) throws Exception {
        CountDownLatch inSection = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch upgraded = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = daemon("reader-in-section", failure, () -> {
            try (Rcu.ReadSection s = rcu.readLock()) {
                inSection.countDown();
                await(release);
            }
        });
        Thread upgrader = daemon("upgrader", failure, () -> {
            c.upgrade();
            upgraded.countDown();
        });
        reader.start();
        await(inSection);
        upgrader.start();
        try {
            awaitGracePeriodStarted(rcu, 1);
            assertFalse(upgraded.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS), "the upgrade did not wait for the reader");
            whileBlocked.run();
        } finally {
            release.countDown();
        }
        assertTrue(upgraded.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the upgrade never finished");
        reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        upgrader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertNull(failure.get(), "a thread failed");
    }

    @Test
    void upgradeInsideAReadSectionIsRefusedBeforeAnythingChanges() {
        GracePeriodLazyCounter c = ownedByMe();
        try (Rcu.ReadSection s = rcu.readLock()) {
            RcuMisuseException e = assertThrows(RcuMisuseException.class, c::upgrade);
            assertTrue(e.getMessage().contains("inside a read-side section"), e.getMessage());
        }
        assertFalse(c.isPerCpu());
        assertTrue(c.upgrade());
    }

    @Test
    void upgradeAllSharesOneAllocationAndOneGracePeriod() throws Exception {
        GracePeriodLazyCounter[] four = new GracePeriodLazyCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = ownedByMe();
            int value = i + 1;
            GracePeriodLazyCounter c = four[i];
            OnCpu.run(cpus, 0, s -> c.addLocal(s, value));
            OnCpu.inAnotherThread(cpus, 1, s -> c.addOther(s, 100));
        }
        four[2].upgrade();
        assertEquals(1, rcu.gracePeriodsStarted());
        GracePeriodLazyCounter.upgradeAll(four);
        assertEquals(2, rcu.gracePeriodsStarted(), "one grace period for the three lazy counters");
        for (int i = 0; i < four.length; i++) {
            assertTrue(four[i].isRemoteFolded());
            GracePeriodLazyCounter c = four[i];
            OnCpu.run(cpus, 1, s -> c.addOther(s, 10));
            assertEquals(i + 111, four[i].sum());
        }
        GracePeriodLazyCounter.upgradeAll(four);
        assertEquals(2, rcu.gracePeriodsStarted(), "nothing left to upgrade, no grace period");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GracePeriodLazyCounter.upgradeAll(new GracePeriodLazyCounter[] {ownedByMe(),
                        new GracePeriodLazyCounter(cpus, 32, UpgradePolicy.NEVER, new Rcu())}));
        assertTrue(e.getMessage().contains("different CPU sets or RCU domains"), e.getMessage());
    }



    @Test
    void racingAddsAndAnUpgradeFromElsewhereLoseNothing() throws Exception {
        for (int round = 0; round < 30; round++) {
            GracePeriodLazyCounter c = unowned(4, UpgradePolicy.NEVER);
            CyclicBarrier start = new CyclicBarrier(4);
            Thread owner = new Thread(() -> OnCpu.run(cpus, 0, s -> {
                c.bindOwner();
                await(start);
                for (int i = 0; i < 2000; i++) {
                    c.addLocal(s, 1);
                }
            }));
            Thread[] threads = {owner, otherAdder(c, 1, start, 2000), otherAdder(c, 2, start, 2000),
                    new Thread(() -> {
                        await(start);
                        c.upgrade();
                    })};
            runAll(threads);
            assertEquals(6000, c.sum(), "round " + round);
            assertTrue(c.isRemoteFolded());
        }
    }

    @Test
    void racingOtherAddsAndTheOwnersCloneVmUpgradeLoseNothing() throws Exception {
        for (int round = 0; round < 30; round++) {
            GracePeriodLazyCounter c = unowned(4, UpgradePolicy.NEVER);
            CyclicBarrier start = new CyclicBarrier(3);
            Thread owner = new Thread(() -> OnCpu.run(cpus, 0, s -> {
                c.bindOwner();
                await(start);
                for (int i = 0; i < 2000; i++) {
                    c.addLocal(s, 1);
                    if (i == 1000) {
                        c.upgrade();          // clone(CLONE_VM) by the only task
                    }
                }
            }));
            runAll(owner, otherAdder(c, 1, start, 2000), otherAdder(c, 2, start, 2000));
            assertEquals(6000, c.sum(), "round " + round);
            assertFalse(c.readsLocalInPerCpuMode());
        }
    }

    @Test
    void sumsRacingTheUpgradeSeeEveryEarlierAdd() throws Exception {
        for (int round = 0; round < 40; round++) {
            boolean ownerUpgrades = round % 2 == 0;
            GracePeriodLazyCounter c = unowned(32, UpgradePolicy.NEVER);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread upgrader = new Thread(() -> {
                if (ownerUpgrades) {
                    c.bindOwner();
                    OnCpu.run(cpus, 3, s -> c.addLocal(s, 1000));
                }
                await(start);
                c.upgrade();
            });
            if (!ownerUpgrades) {
                c.bindOwner();
                OnCpu.run(cpus, 0, s -> c.addLocal(s, 1000));
            }
            OnCpu.run(cpus, 0, s -> c.addOther(s, 24));
            AtomicReference<String> wrong = new AtomicReference<>();
            Thread summer = new Thread(() -> {
                await(start);
                while (!c.isRemoteFolded()) {
                    long sum = c.sum();
                    if (sum != 1024) {
                        wrong.compareAndSet(null, "sum " + sum + " in state " + c);
                    }
                }
            });
            runAll(summer, upgrader);
            assertNull(wrong.get(), "round " + round + (ownerUpgrades ? ", owner upgrades" : ", another thread upgrades"));
            assertEquals(1024, c.sum());
            assertEquals(!ownerUpgrades, c.readsLocalInPerCpuMode());
        }
    }

    private Thread otherAdder(GracePeriodLazyCounter c, int cpu, CyclicBarrier start, int adds) {
        return new Thread(() -> OnCpu.run(cpus, cpu, s -> {
            await(start);
            for (int i = 0; i < adds; i++) {
                c.addOther(s, 1);
            }
        }));
    }

    private static void runAll(Thread... threads) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Thread t : threads) {
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS * 3));
            assertFalse(t.isAlive(), "thread " + t.getName() + " hung");
        }
        if (failure.get() != null) {
            throw new AssertionError("a racing thread failed", failure.get());
        }
    }
}
