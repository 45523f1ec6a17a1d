package lazycount.linearizability;

import lazycount.impl.UnderTest;
import lazycount.testkit.CheckRunner;
import lazycount.testkit.RecordedPasses;
import org.jetbrains.lincheck.datastructures.Options;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Lincheck check of the contract: a subclass declares its {@code @Operation}s,
 * its sequential specification and its {@link #shape()}; model checking and
 * stress mode run here against {@link UnderTest#implementation()}.
 *
 * <p>The {@code @Checks} annotations stay on each subclass: the suite reads
 * them from the class it runs. Lincheck builds a fresh subclass instance per
 * invocation, so the shape is returned, not stored in a field.
 */
@ExtendWith(RecordedPasses.class)   // a model-checking half that passed for the code as it is is not recomputed
public abstract class LincheckCheck {

    /**
     * Scenarios of {@code threads} threads, each of {@code actorsPerThread}
     * operations in model checking and {@code stressActorsPerThread} in stress
     * mode, checked against {@code spec}.
     */
    record Shape(Class<?> spec, int threads, int actorsPerThread, int stressActorsPerThread,
            int scenarios, int stressScenarios, boolean wholeBudgetWhenQuick) {

        Shape(Class<?> spec, int threads, int actorsPerThread, int stressActorsPerThread) {
            this(spec, threads, actorsPerThread, stressActorsPerThread, LincheckBudget.SCENARIOS,
                    LincheckBudget.STRESS_SCENARIOS, false);
        }

        /** Fewer scenarios, for a check whose invocations are expensive. */
        Shape scenarios(int modelChecking, int stress) {
            return new Shape(spec, threads, actorsPerThread, stressActorsPerThread, modelChecking, stress,
                    wholeBudgetWhenQuick);
        }

        /**
         * The whole budget in quick mode too: at half of it the check's teeth do not hold (the
         * catalog teeth, run at quick mode's budget in the gate, say which race went uncaught).
         */
        Shape wholeWhenQuick() {
            return new Shape(spec, threads, actorsPerThread, stressActorsPerThread, scenarios, stressScenarios, true);
        }

        Options<?, ?> modelCheckingOptions() {
            return LincheckBudget.modelChecking(threads, actorsPerThread, scenarios, wholeBudgetWhenQuick)
                    .sequentialSpecification(spec);
        }

        Options<?, ?> stressOptions() {
            return LincheckBudget.stress(threads, stressActorsPerThread, stressScenarios, wholeBudgetWhenQuick)
                    .sequentialSpecification(spec);
        }
    }

    abstract Shape shape();

    @Test
    void modelChecking() {
        LincheckChecks.passes(shape().modelCheckingOptions(), getClass(), UnderTest.implementation());
    }

    @Test
    @Tag(CheckRunner.STRESS)
    void stress() {
        LincheckChecks.passes(shape().stressOptions(), getClass(), UnderTest.implementation());
    }
}
