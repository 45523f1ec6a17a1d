package lazycount.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.impl.ReferenceImplementation;
import org.junit.jupiter.api.Test;

/**
 * The re-stated bases, without overrides, cannot be told from the reference
 * by any sequential script: so each mutant's difference is the step it
 * overrides. The correct folding protocol is checked the same way.
 */
class BaseClassesTest {

    /** The bases with no step overridden, and per-CPU mode of the lazy counter on the base per-CPU counter. */
    static final class Unbroken extends MutantImplementation {
        Unbroken() {
            super("unbroken-bases", "none (test only)");
        }

        @Override
        public lazycount.counter.BatchedCounter newPercpuCounter(Cpus cpus, int batch) {
            return new BrokenPercpuCounter(cpus, batch);
        }

        @Override
        public lazycount.counter.BatchedCounter[] newPercpuCounters(Cpus cpus, int count, int batch) {
            lazycount.counter.BatchedCounter[] all = new lazycount.counter.BatchedCounter[count];
            for (int i = 0; i < count; i++) {
                all[i] = new BrokenPercpuCounter(cpus, batch);
            }
            return all;
        }
    }

    /** The folding protocol as designed (folds local only when the owner upgrades). */
    static final class CorrectFolding extends MutantImplementation {
        CorrectFolding() {
            super("correct-folding", "none (test only)");
        }

        @Override
        public lazycount.counter.RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
            return new FoldingLazyCounter(cpus, batch, policy, this::newPercpuForLazy);
        }
    }

    private static final List<String> REFERENCE =
            SequentialScripts.observe(Implementations.byName(ReferenceImplementation.NAME));

    @Test
    void basesWithoutOverridesBehaveAsTheReference() {
        assertSameObservations(new Unbroken());
    }

    @Test
    void foldingProtocolBehavesAsTheReferenceSequentially() {
        assertSameObservations(new CorrectFolding());
    }

    static void assertSameObservations(CounterImplementation impl) {
        List<String> seen = SequentialScripts.observe(impl);
        assertEquals(REFERENCE.size(), seen.size(), impl.name() + ": number of observations");
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(REFERENCE.get(i), seen.get(i), impl.name() + ": observation " + i);
        }
    }

    static List<String> reference() {
        return REFERENCE;
    }
}
