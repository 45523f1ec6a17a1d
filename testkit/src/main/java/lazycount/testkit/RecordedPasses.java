package lazycount.testkit;

import java.util.List;
import java.util.Optional;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.UnderTest;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A deterministic check is not recomputed for code it has passed: a Lincheck
 * check's model-checking half (fixed seed, every interleaving chosen by the
 * checker) run against a correct implementation gives the same verdict for
 * the same sources. Each pass is kept in the module's {@value #FILE_NAME}
 * under a {@link TeethKeys} key (the implementation's sources, the model and
 * harness, the module's checks, the settings, the JDK); a test whose key
 * holds is skipped, saying so; any other runs, and its pass is recorded.
 * Stress halves (tag {@code stress}) always run: real threads decide them.
 *
 * <p>Registered on the Lincheck checks ({@code @ExtendWith}); on only where the
 * build asks for it ({@code -Dlazycount.recorded.passes=true}, the
 * linearizability module's surefire configuration), and only for a
 * correct implementation: mutants and candidates (the teeth,
 * {@code ./verify-suite}) are always run, and so is everything under PIT
 * (its mutants change bytecode, not the sources the key reads; PIT does not
 * set the property). {@code -Dlazycount.teeth.fresh=true} runs everything again.
 */
public final class RecordedPasses implements ExecutionCondition, TestWatcher {

    public static final String FILE_NAME = "passes-keys.tsv";
    static final String ENABLED = "lazycount.recorded.passes";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RecordedPasses.class);
    private static final String KEY = "key";

    private static TeethKeys keys;

    private static synchronized TeethKeys keys() {
        if (keys == null) {
            keys = TeethKeys.passesOfThisModule(Tool.LINCHECK);
        }
        return keys;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> subject = subject(context);
        if (subject.isEmpty()) {
            return ConditionEvaluationResult.enabled("not a deterministic check of a correct implementation");
        }
        // The key of the inputs as they are before the check runs, kept for testSuccessful.
        String key = keys().key(subject.get(), UnderTest.implementation());
        context.getStore(NAMESPACE).put(KEY, key);
        Optional<TeethKeys.Row> held = keys().holding(subject.get(), key);
        if (held.isEmpty()) {
            return ConditionEvaluationResult.enabled("no pass recorded for the code as it is");
        }
        return ConditionEvaluationResult.disabled("passed for the code as it is (" + FILE_NAME
                + "): deterministic, not recomputed");
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        subject(context).ifPresent(s -> {
            String key = context.getStore(NAMESPACE).get(KEY, String.class);
            keys().shown(new TeethKeys.Row(s, key, List.of("passed")));
            keys().writeMerged();
        });
    }

    /** The row of a deterministic test method run against a correct implementation, if this is one and it is on. */
    private static Optional<String> subject(ExtensionContext context) {
        if (!Boolean.getBoolean(ENABLED) || context.getTestMethod().isEmpty()
                || context.getTags().contains(CheckRunner.STRESS)
                || UnderTest.implementation().kind() != CounterImplementation.Kind.CORRECT) {
            return Optional.empty();
        }
        return Optional.of(context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName()
                + " impl=" + UnderTest.implementation().name());
    }
}
