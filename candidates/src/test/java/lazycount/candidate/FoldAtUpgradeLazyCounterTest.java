package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;

/**
 * The sequential contract of the fold-at-upgrade candidate. Its races (2, 3
 * and 4 of the catalog, see the class notes) are for the suite to decide; no
 * racing test lives here, since a test that is expected to fail sometimes
 * proves nothing either way.
 */
class FoldAtUpgradeLazyCounterTest {

    private final Cpus cpus = new Cpus(4);



    private FoldAtUpgradeLazyCounter ownedByMe() {
        FoldAtUpgradeLazyCounter c = new FoldAtUpgradeLazyCounter(cpus, 32, UpgradePolicy.NEVER);
        c.bindOwner();
        return c;
    }



    @Test
    void upgradeFoldsBothWordsAndIsIdempotent() throws Exception {
        FoldAtUpgradeLazyCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 7));
        OnCpu.inAnotherThread(cpus, 1, s -> c.addOther(s, 4));
        assertTrue(c.upgrade());
        assertTrue(c.isPerCpu());
        assertEquals(11, c.sum());
        assertEquals(11, c.read(), "the folded value is the new counter's base, read exactly");
        assertFalse(c.upgrade());
        assertEquals(11, c.sum());
        OnCpu.inAnotherThread(cpus, 2, s -> {
            c.addLocal(s, 1);
            c.addOther(s, 1);
        });
        assertEquals(13, c.sum());
    }

    @Test
    void upgradeByAnotherThreadFoldsTheOwnersWordToo() throws Exception {
        FoldAtUpgradeLazyCounter c = ownedByMe();
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 7));
        OtherThread.run(() -> assertTrue(c.upgrade()));
        assertEquals(7, c.sum());
        OnCpu.run(cpus, 0, s -> c.addLocal(s, 1));
        assertEquals(8, c.sum());
    }

    @Test
    void upgradeAllSharesOneAllocationAndPreservesEveryValue() {
        FoldAtUpgradeLazyCounter[] four = new FoldAtUpgradeLazyCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = ownedByMe();
            int value = i + 1;
            FoldAtUpgradeLazyCounter c = four[i];
            OnCpu.run(cpus, 0, s -> {
                c.addLocal(s, value);
                c.addOther(s, 100);
            });
        }
        four[2].upgrade();
        FoldAtUpgradeLazyCounter.upgradeAll(four);
        for (int i = 0; i < four.length; i++) {
            assertTrue(four[i].isPerCpu());
            FoldAtUpgradeLazyCounter c = four[i];
            OnCpu.run(cpus, 1, s -> c.addOther(s, 10));
            assertEquals(i + 111, four[i].sum());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FoldAtUpgradeLazyCounter.upgradeAll(new FoldAtUpgradeLazyCounter[] {ownedByMe(),
                        new FoldAtUpgradeLazyCounter(new Cpus(4), 32, UpgradePolicy.NEVER)}));
        assertTrue(e.getMessage().contains("different CPU sets"), e.getMessage());
    }
}
