package lazycount.linearizability;

import java.util.Map;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.testkit.TeethTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Teeth of every Lincheck check, from the catalog: each mutant that names
 * Lincheck among its catchers is caught by a check of its race, and every
 * check catches some mutant. Model checking is deterministic (Lincheck's
 * default seed), so these rows never depend on luck. They run at quick
 * mode's budget (LincheckBudget), which ./verify-suite runs by default; a
 * model-checking half explores the same first scenarios at the gate's budget,
 * so what it catches here it catches there too.
 */
class CatalogTeethTest {

    @TestFactory
    Stream<DynamicTest> everyMutantForLincheckIsCaughtAndEveryCheckCatches() {
        return TeethTests.of(Tool.LINCHECK, "lazycount.linearizability",
                Map.of(LincheckBudget.MINIMIZE_PROPERTY, "false"), Map.of(LincheckBudget.QUICK_PROPERTY, "true"));
    }
}
