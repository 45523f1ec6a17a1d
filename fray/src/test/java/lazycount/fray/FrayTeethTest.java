package lazycount.fray;

import java.util.Map;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.testkit.TeethTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The teeth of the Fray checks, driven by the catalog as every tool's are
 * ({@link TeethTests}): each mutant that names Fray among its catchers must be
 * caught by a Fray check of its race, each candidate recorded as refuted by
 * Fray must still be, and every Fray check must catch some mutant. Runs
 * in-process on the instrumented JDK, with the volatile-access agent
 * (README.md). A catch's report is saved in
 * {@code target/teeth-reports/<mutant>/<check>.txt}; {@code ./verify-suite}
 * saves the Fray recordings.
 */
class FrayTeethTest {

    @TestFactory
    Stream<DynamicTest> frayChecksCatchTheirMutants() {
        return TeethTests.of(Tool.FRAY, "lazycount.fray", Map.of());
    }
}
