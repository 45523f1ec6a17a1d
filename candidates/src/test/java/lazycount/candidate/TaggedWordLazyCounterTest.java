package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import lazycount.counter.NotOwnerException;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;

class TaggedWordLazyCounterTest {

    private static final int BATCH = 4;

    private final Cpus cpus = new Cpus(4);


    private TaggedWordLazyCounter ownedByMe() {
        TaggedWordLazyCounter c = new TaggedWordLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        c.bindOwner();
        return c;
    }



    @Test
    void localPathOfANonOwnerIsRefusedInLazyModeOnly() throws Exception {
        TaggedWordLazyCounter c = ownedByMe();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> OtherThread.run(() -> OnCpu.run(cpus, 1, s -> c.addLocal(s, 1))));
        assertTrue(e.getCause() instanceof NotOwnerException, String.valueOf(e.getCause()));
        String message = e.getCause().getMessage();
        assertTrue(message.contains("the owner is thread '" + Thread.currentThread().getName() + "'"), message);
        c.upgrade();
        OtherThread.run(() -> OnCpu.run(cpus, 1, s -> c.addLocal(s, 6)));
        assertEquals(6, c.sum());
    }

    @Test
    void ownerIsBoundOnce() {
        TaggedWordLazyCounter c = ownedByMe();
        c.bindOwner();
        assertSame(Thread.currentThread(), c.owner());
        ExecutionException e = assertThrows(ExecutionException.class, () -> OtherThread.run(c::bindOwner));
        assertTrue(e.getCause() instanceof NotOwnerException);
    }

    @Test
    void upgradeSeedsTheLazyValueAndIsIdempotent() {
        TaggedWordLazyCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> {
            c.addLocal(s, 1000);
            c.addOther(s, 7);
        });
        assertTrue(c.upgrade());
        assertFalse(c.upgrade());
        assertTrue(c.isPerCpu());
        assertEquals(1007, c.sum());
        assertEquals(1007, c.read(), "the seed is the base, not a slot: it never counts towards the read error");
        OnCpu.run(cpus, 2, s -> c.addOther(s, -1));
        assertEquals(1006, c.sum());
        assertEquals(cpus.nrPossible() * (BATCH - 1), c.readErrorBound());
    }

    @Test
    void perCpuReadIsWithinTheBoundAndSumIsExact() {
        TaggedWordLazyCounter c = ownedByMe();
        c.upgrade();
        for (int cpu = 0; cpu < cpus.nrPossible(); cpu++) {
            OnCpu.run(cpus, cpu, s -> {
                for (int i = 0; i < 11; i++) {
                    c.addLocal(s, 1);
                }
            });
        }
        assertEquals(44, c.sum());
        assertTrue(Math.abs(c.read() - c.sum()) <= c.readErrorBound());
    }

    @Test
    void upgradeAllSharesOneAllocationAndKeepsEveryValue() {
        TaggedWordLazyCounter[] four = new TaggedWordLazyCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = ownedByMe();
            int value = i + 1;
            OnCpu.run(cpus, 0, s -> four[value - 1].addLocal(s, value));
        }
        four[1].upgrade();
        new TaggedWordImplementation().upgradeAll(four);
        for (int i = 0; i < four.length; i++) {
            int counter = i;
            assertTrue(four[i].isPerCpu());
            OnCpu.run(cpus, 3, s -> four[counter].addOther(s, 10));
            assertEquals(i + 11, four[i].sum());
        }
        TaggedWordLazyCounter elsewhere = new TaggedWordLazyCounter(new Cpus(2), BATCH, UpgradePolicy.NEVER);
        assertThrows(IllegalArgumentException.class,
                () -> TaggedWordLazyCounter.upgradeAll(new TaggedWordLazyCounter[] {ownedByMe(), elsewhere}));
    }






    @Test
    void implementationIsACandidateNamedTaggedWord() {
        TaggedWordImplementation impl = new TaggedWordImplementation();
        assertEquals("tagged-word", impl.name());
        RssCounter c = impl.newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        assertTrue(c instanceof TaggedWordLazyCounter);
    }
}
