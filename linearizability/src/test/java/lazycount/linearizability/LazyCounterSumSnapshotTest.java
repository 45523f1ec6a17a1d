package lazycount.linearizability;

import lazycount.counter.UpgradePolicy;
import lazycount.testkit.CheckRunner;
import lazycount.testkit.RecordedPasses;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The counter-example: with deltas of both signs, the lazy counter's
 * {@code sum()} is <em>not</em> linearizable, and the implementation does not
 * promise that it is.
 *
 * <p>Why. {@code sum()} reads {@code local}, then {@code remote} (then the
 * per-CPU part) one after another. If the owner adds +d to {@code local} after
 * the sum read it, and then -d arrives on the other path before the sum reads
 * {@code remote}, the sum returns -d, while the counter only ever held 0 and
 * +d. No order of the operations explains that result.
 *
 * <p>Deltas are +1 and -1, so the violation is due to the mixed signs, not to
 * steps larger than one. The trace Lincheck finds is often subtler than the one
 * above: an other-path add that read the null pointer before an upgrade lands in
 * {@code remote} after the sum has read the lazy words, while a later add of
 * the other sign is already in a per-CPU slot the sum reads.
 *
 * <p>The test asserts that Lincheck finds such an execution with the reference
 * counter, and saves its interleaving in
 * {@code target/lincheck-traces/lazy-sum-not-linearizable.txt}. The weaker
 * promises that do hold are checked by {@link LazyCounterMixedSignsTest}
 * (quiescent exactness, read bound) and {@link LazyCounterUnitIncrementsTest}
 * (linearizable sum under unit increments).
 */
@Param(name = "cpu", gen = IntGen.class, conf = "0:2")
@ExtendWith(RecordedPasses.class)
public class LazyCounterSumSnapshotTest {

    private final RssCounterHarness harness = new RssCounterHarness(3, 3, UpgradePolicy.NEVER);

    @Operation(nonParallelGroup = "owner")
    public void incrementLocal(@Param(name = "cpu") int cpu) {
        harness.addLocal(cpu, 1);
    }

    @Operation(nonParallelGroup = "owner")
    public void decrementLocal(@Param(name = "cpu") int cpu) {
        harness.addLocal(cpu, -1);
    }

    @Operation
    public void incrementOther(@Param(name = "cpu") int cpu) {
        harness.addOther(cpu, 1);
    }

    @Operation
    public void decrementOther(@Param(name = "cpu") int cpu) {
        harness.addOther(cpu, -1);
    }

    @Operation
    public boolean upgrade() {
        return harness.counter().upgrade();
    }

    @Operation
    public long sum() {
        return harness.counter().sum();
    }

    /** What an atomic-snapshot sum would satisfy: a plain long. */
    public static class AtomicSnapshotSpec extends CounterSpecs.Mode {
        private long value;

        public void incrementLocal(int cpu) {
            value++;
        }

        public void decrementLocal(int cpu) {
            value--;
        }

        public void incrementOther(int cpu) {
            value++;
        }

        public void decrementOther(int cpu) {
            value--;
        }

        public long sum() {
            return value;
        }
    }

    @Test
    @Tag(CheckRunner.NOT_A_CHECK)   // documents a weakness: it expects the counter-example
    void sumIsNotLinearizableWithMixedSigns() {
        LincheckChecks.sumIsNotLinearizable(AtomicSnapshotSpec.class, LazyCounterSumSnapshotTest.class,
                "lazy-sum-not-linearizable");
    }
}
