package lazycount.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * REPORT.md's race index, operation-pair table and candidate verdicts are the
 * ones the declarations generate: nobody edits them by hand, and a change to
 * a check's {@code @Checks}, a mutant's race or a candidate's verdict that is
 * not regenerated ({@code ./verify-suite --write-index}) fails the gate.
 */
class CatalogIndexTest {

    private static final Path REPORT = Path.of("..", "REPORT.md");

    @Test
    void generatedSectionsOfTheReportAreCurrent() throws Exception {
        String text = Files.readString(REPORT);
        assertEquals(new CatalogIndex().rewrite(text), text,
                "REPORT.md's generated sections are stale: run ./verify-suite --write-index");
    }

    @Test
    void everyPairOfOperationsIsRacedOrArguedImpossible() {
        String pairs = new CatalogIndex().sections().get("operation-pairs");
        assertFalse(pairs.contains("GAP"), () -> "operation pairs with neither a check nor an argument:\n"
                + pairs.lines().filter(l -> l.contains("GAP")).reduce("", (x, y) -> x + y + "\n"));
    }
}
