package lazycount.candidate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import lazycount.counter.NotOwnerException;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.testing.OnCpu;
import lazycount.testing.OtherThread;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@link TwoWordLazyCounter} does for both of its candidates: the lazy local path and the batch. */
class TwoWordLazyCounterTest {

    /** Builds one candidate's counter. */
    interface Maker {
        TwoWordLazyCounter make(Cpus cpus, int batch, UpgradePolicy policy);
    }

    static List<Maker> candidates() {
        Rcu rcu = new Rcu();
        return List.of(FoldAtUpgradeLazyCounter::new, (cpus, batch, policy) -> new GracePeriodLazyCounter(cpus, batch,
                policy, rcu));
    }

    private final Cpus cpus = new Cpus(4);

    @ParameterizedTest
    @MethodSource("candidates")
    void localPathOfANonOwnerIsRefused(Maker maker) throws Exception {
        TwoWordLazyCounter c = maker.make(cpus, 32, UpgradePolicy.NEVER);
        c.bindOwner();
        ExecutionException e = assertThrows(ExecutionException.class, () -> OnCpu.inAnotherThread(cpus, 1, s -> c.addLocal(s, 1)));
        assertTrue(e.getCause() instanceof NotOwnerException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("the owner is thread '" + Thread.currentThread().getName() + "'"),
                e.getCause().getMessage());
        TwoWordLazyCounter noOwner = maker.make(cpus, 32, UpgradePolicy.NEVER);
        NotOwnerException none = assertThrows(NotOwnerException.class, () -> OnCpu.run(cpus, 0, s -> noOwner.addLocal(s, 1)));
        assertTrue(none.getMessage().contains("no owner yet"), none.getMessage());
        ExecutionException bind = assertThrows(ExecutionException.class, () -> OtherThread.run(c::bindOwner));
        assertTrue(bind.getCause() instanceof NotOwnerException);
        assertEquals(0, c.sum());
    }

    @ParameterizedTest
    @MethodSource("candidates")
    void refusesBadBatch(Maker maker) {
        assertThrows(IllegalArgumentException.class, () -> maker.make(cpus, 0, UpgradePolicy.NEVER));
    }
}
