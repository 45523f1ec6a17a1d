package lazycount.properties;

import java.util.Map;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.testkit.TeethTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Teeth of every jqwik property class, from the catalog: each mutant that
 * names jqwik among its catchers is caught by a property class of its race, and
 * every property class catches some mutant. The seed is fixed, so generation,
 * and with it each row's verdict, is the same on every run; only mutants whose
 * bug shows in some generated sequence whatever the thread timing name jqwik.
 */
class CatalogTeethTest {

    /** Any seed works; a fixed one keeps the rows deterministic. */
    static final String SEED = "20251125";

    @TestFactory
    Stream<DynamicTest> everyMutantForJqwikIsCaughtAndEveryPropertyClassCatches() {
        return TeethTests.of(Tool.JQWIK, "lazycount.properties", Map.of(RunSettings.SEED, SEED));
    }
}
