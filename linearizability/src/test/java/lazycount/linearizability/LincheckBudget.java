package lazycount.linearizability;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * How hard the checks look. The default keeps the whole module within a few
 * minutes on two cores as part of {@code mvn verify}; {@code -Dlincheck.deep=true}
 * multiplies the scenarios and invocations (about 10x the time) for a
 * pre-release run.
 *
 * <p>Every scenario has an empty initial and post part ({@code actorsBefore(0)},
 * {@code actorsAfter(0)}): Lincheck runs those parts on the JUnit thread, which
 * would make the owning task's local adds run on two threads. Quiescent
 * promises are checked by each test's {@code @Validate} function instead, which
 * Lincheck calls once every thread of an invocation has finished.
 */
final class LincheckBudget {

    static final String DEEP_PROPERTY = "lincheck.deep";
    static final boolean DEEP = Boolean.getBoolean(DEEP_PROPERTY);

    private LincheckBudget() {
    }

    /** Model checking: the main mode, exploring interleavings with a printed trace on failure. */
    static ModelCheckingOptions modelChecking(int threads, int actorsPerThread) {
        return modelChecking(threads, actorsPerThread, 15);
    }

    /**
     * Model checking with {@code scenarios} random scenarios (ten times more when
     * deep), for test classes whose invocations are expensive.
     */
    static ModelCheckingOptions modelChecking(int threads, int actorsPerThread, int scenarios) {
        return new ModelCheckingOptions()
                .iterations(DEEP ? 10 * scenarios : scenarios)
                .invocationsPerIteration(DEEP ? 2_500 : 250)
                .threads(threads)
                .actorsPerThread(actorsPerThread)
                .actorsBefore(0)
                .actorsAfter(0);
    }

    /** Stress mode: real threads, real interleavings, no trace but no instrumentation bias. */
    static StressOptions stress(int threads, int actorsPerThread) {
        return stress(threads, actorsPerThread, 10);
    }

    static StressOptions stress(int threads, int actorsPerThread, int scenarios) {
        return new StressOptions()
                .iterations(DEEP ? 10 * scenarios : scenarios)
                .invocationsPerIteration(DEEP ? 10_000 : 1_000)
                .threads(threads)
                .actorsPerThread(actorsPerThread)
                .actorsBefore(0)
                .actorsAfter(0);
    }
}
