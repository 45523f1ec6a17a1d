package lazycount.linearizability;

import lazycount.testkit.BudgetFactor;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * How hard the checks look. The default keeps the whole module within a few
 * minutes on two cores as part of {@code mvn verify}; {@code -Dlincheck.deep=true}
 * multiplies the scenarios and invocations (about 10x the time) for a
 * pre-release run. {@code -Dlazycount.lincheck.factor=F} (a positive decimal,
 * default 1) scales the number of scenarios, and of a general-purpose check's
 * invocations, on top of that: PIT sets 0.25, because a surviving mutant pays
 * every covering check's whole budget (pit/README.md).
 * {@code -Dlazycount.lincheck.quick=true} is quick mode's budget ({@code
 * ./verify-suite}'s default, and the budget the gate's teeth prove): half the
 * scenarios and invocations, but for a check that keeps its whole budget.
 *
 * <p>Every scenario has an empty initial and post part ({@code actorsBefore(0)},
 * {@code actorsAfter(0)}): Lincheck runs those parts on the JUnit thread, which
 * would make the owning task's local adds run on two threads. Quiescent
 * promises are checked by each test's {@code @Validate} function instead, which
 * Lincheck calls once every thread of an invocation has finished.
 */
final class LincheckBudget {

    static final String DEEP_PROPERTY = "lincheck.deep";
    /** Random scenarios of a check in model checking, and in stress mode; ten times more when deep. */
    static final int SCENARIOS = 15;
    static final int STRESS_SCENARIOS = 10;
    /** {@code -Dlazycount.lincheck.factor=F}: scales the scenarios (see above). */
    static final String FACTOR_PROPERTY = "lazycount.lincheck.factor";
    /**
     * {@code -Dlazycount.lincheck.minimize=false}: report the first failing scenario as found.
     * The teeth set it (they need the verdict, not the shortest scenario); a candidate's
     * verdict keeps the default, Lincheck's minimized counter-example.
     */
    static final String MINIMIZE_PROPERTY = "lazycount.lincheck.minimize";
    /** {@code -Dlazycount.lincheck.quick=true}: quick mode's budget (see above). */
    static final String QUICK_PROPERTY = BudgetFactor.LINCHECK_QUICK;
    /**
     * Quick mode's share of the budget. At a quarter the teeth lost four mutants; at a half two
     * (a plain read-modify-write on the other path's word, a grace period that forgets idle
     * readers), whose checks keep their whole budget ({@link LincheckCheck.Shape#wholeWhenQuick()}).
     */
    static final double QUICK_FACTOR = 0.5;

    /** Read at each use, so an in-process run can switch it. */
    private static boolean deep() {
        return Boolean.getBoolean(DEEP_PROPERTY);
    }

    /**
     * Scales {@code count} by {@value #FACTOR_PROPERTY}, and in quick mode by {@link #QUICK_FACTOR}
     * unless the check keeps its {@code whole} budget; never below one.
     */
    private static int scaled(int count, boolean whole) {
        int n = BudgetFactor.scale(count, FACTOR_PROPERTY);
        return Boolean.getBoolean(QUICK_PROPERTY) && !whole ? (int) Math.max(1, Math.round(n * QUICK_FACTOR)) : n;
    }

    private static boolean minimize() {
        return !"false".equals(System.getProperty(MINIMIZE_PROPERTY));
    }

    private LincheckBudget() {
    }

    /**
     * Invocations of the general-purpose model checker ({@code Lincheck.runConcurrentTest}) for a
     * check that takes {@code count} by default: ten times more when deep, as the scenarios above.
     */
    static int generalPurposeInvocations(int count) {
        return scaled(deep() ? 10 * count : count, false);
    }

    /**
     * Invocations of a data-structure check that runs one custom scenario instead of random
     * ones (no scenario to generate, so the budget is the invocations): ten times more when
     * deep, scaled as the scenarios above.
     */
    static int customScenarioInvocations(int count) {
        return generalPurposeInvocations(count);
    }

    /** Model checking: the main mode, exploring interleavings with a printed trace on failure. */
    static ModelCheckingOptions modelChecking(int threads, int actorsPerThread, int scenarios, boolean whole) {
        return sized(new ModelCheckingOptions().invocationsPerIteration(deep() ? 2_500 : 250),
                threads, actorsPerThread, scenarios, whole);
    }

    /** Stress mode: real threads, real interleavings, no trace but no instrumentation bias. */
    static StressOptions stress(int threads, int actorsPerThread, int scenarios, boolean whole) {
        return sized(new StressOptions().invocationsPerIteration(deep() ? 10_000 : 1_000),
                threads, actorsPerThread, scenarios, whole);
    }

    private static <O extends Options<O, ?>> O sized(O options, int threads, int actorsPerThread, int scenarios,
            boolean whole) {
        return options
                .iterations(scaled(deep() ? 10 * scenarios : scenarios, whole))
                .minimizeFailedScenario(minimize())
                .threads(threads)
                .actorsPerThread(actorsPerThread)
                .actorsBefore(0)
                .actorsAfter(0);
    }
}
