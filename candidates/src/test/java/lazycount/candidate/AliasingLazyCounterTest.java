package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import lazycount.candidate.AliasingLazyCounter.Variant;
import lazycount.counter.NotOwnerException;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sequential contract of both variants, and the concurrent exactness of
 * the fixed one. The proposed variant's races are the suite's to refute; no
 * test here depends on losing one.
 */
class AliasingLazyCounterTest {

    private static final int BATCH = 4;

    private final Cpus cpus = new Cpus(4);


    private AliasingLazyCounter ownedByMe(Variant variant) {
        AliasingLazyCounter c = new AliasingLazyCounter(cpus, BATCH, UpgradePolicy.NEVER, variant);
        c.bindOwner();
        return c;
    }


    @ParameterizedTest
    @EnumSource(Variant.class)
    void localPathOfANonOwnerIsRefusedInLazyModeOnly(Variant variant) throws Exception {
        AliasingLazyCounter c = ownedByMe(variant);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> OtherThread.run(() -> OnCpu.run(cpus, 1, s -> c.addLocal(s, 1))));
        assertTrue(e.getCause() instanceof NotOwnerException, String.valueOf(e.getCause()));
        c.upgrade();
        OtherThread.run(() -> OnCpu.run(cpus, 1, s -> c.addLocal(s, 6)));
        assertEquals(6, c.sum());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theLazyValueIsTheCentralCountAfterTheUpgrade(Variant variant) {
        AliasingLazyCounter c = ownedByMe(variant);
        OnCpu.run(cpus, 0, s -> {
            c.addLocal(s, 100);
            c.addOther(s, 20);
        });
        assertTrue(c.upgrade());
        assertFalse(c.upgrade());
        assertEquals(120, c.read(), "nothing moves at the upgrade: the lazy word is fbc->count");
        OnCpu.run(cpus, 1, s -> c.addOther(s, 1));
        assertEquals(120, c.read(), "below the batch the add stays in its slot");
        assertEquals(121, c.sum());
        OnCpu.run(cpus, 1, s -> c.addOther(s, BATCH));
        assertEquals(121 + BATCH, c.read(), "the fold moved the slot into the aliased count");
        assertEquals(121 + BATCH, c.sum());
        assertEquals((long) cpus.nrPossible() * (BATCH - 1), c.readErrorBound());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void negativeAddsFoldAtMinusTheBatch(Variant variant) {
        AliasingLazyCounter c = ownedByMe(variant);
        c.upgrade();
        OnCpu.run(cpus, 2, s -> {
            for (int i = 0; i < 9; i++) {
                c.addLocal(s, -1);
            }
        });
        assertEquals(-9, c.sum());
        assertTrue(Math.abs(c.read() - c.sum()) < BATCH);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void upgradeAllSharesOneAllocationAndKeepsEveryValue(Variant variant) {
        AliasingLazyCounter[] four = new AliasingLazyCounter[4];
        for (int i = 0; i < four.length; i++) {
            four[i] = ownedByMe(variant);
            int value = i + 1;
            OnCpu.run(cpus, 0, s -> four[value - 1].addLocal(s, value));
        }
        four[3].upgrade();
        AliasingLazyCounter.upgradeAll(four);
        for (int i = 0; i < four.length; i++) {
            int counter = i;
            assertTrue(four[i].isPerCpu());
            OnCpu.run(cpus, 3, s -> four[counter].addOther(s, 2 * BATCH));
            OnCpu.run(cpus, 2, s -> four[counter].addOther(s, 1));
            assertEquals(i + 2 + 2 * BATCH, four[i].sum());
        }
        assertThrows(IllegalArgumentException.class, () -> AliasingLazyCounter.upgradeAll(new AliasingLazyCounter[] {
                ownedByMe(variant), new AliasingLazyCounter(new Cpus(2), BATCH, UpgradePolicy.NEVER, variant)}));
    }






    @Test
    void implementationsAreTheTwoVariants() {
        assertEquals("aliasing", new AliasingImplementation().name());
        assertEquals(Variant.PROPOSED, variantBuiltBy(new AliasingImplementation()));
        assertEquals("aliasing-fixed", new AliasingFixedImplementation().name());
        assertEquals(Variant.FIXED, variantBuiltBy(new AliasingFixedImplementation()));
    }

    private Variant variantBuiltBy(AliasingImplementation impl) {
        return ((AliasingLazyCounter) impl.newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER)).variant();
    }
}
