package lazycount.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict cache's key: it changes when anything it names changes, the
 * implementation's own classes above all, and only for the rows those classes
 * belong to; a cached cell is reused under the same key and never under
 * another.
 */
class CellKeysTest {

    private static final List<Tool> TOOLS = List.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY);
    private static final CellKeys KEYS = CellKeys.ofClassPath(Path.of("..").toAbsolutePath().normalize());
    private static final SortedMap<String, String> OPTIONS = new TreeMap<>(java.util.Map.of("mode", "quick"));

    private static CounterImplementation impl(String name) {
        return Implementations.byName(name);
    }

    /** An edited class: the same class file with one more byte (a change the constant pool reader does not see). */
    private static byte[] edited(String internalName) {
        byte[] b = KEYS.graph().classes().get(internalName);
        assertNotNull(b, internalName + " is not on the class path");
        return Arrays.copyOf(b, b.length + 1);
    }

    /** The keys of every cell of the row of {@code impl} (every tool, both sides). */
    private static List<String> rowKeys(CellKeys keys, CounterImplementation impl) {
        List<String> k = new java.util.ArrayList<>();
        for (Tool t : TOOLS) {
            for (boolean beyond : List.of(false, true)) {
                k.add(keys.key(impl, t, beyond, OPTIONS));
            }
        }
        return k;
    }

    @Test
    void theOwnClassesOfACandidateAreFoundThroughItsConstantPool() {
        Set<String> own = KEYS.ownClasses(impl("rfc").getClass());
        assertTrue(own.contains("lazycount/candidate/RfcImplementation"), own::toString);
        assertTrue(own.contains("lazycount/candidate/RfcLazyCounter"), own::toString);
        assertTrue(own.stream().allMatch(c -> c.startsWith("lazycount/candidate/")), own::toString);
        assertTrue(own.stream().noneMatch(c -> c.contains("GracePeriod") || c.contains("TaggedWord")), own::toString);
    }

    @Test
    void changingOneCandidatesClassChangesTheKeysOfItsRowAndNoOther() {
        String changed = "lazycount/candidate/TaggedWordLazyCounter";
        CellKeys after = KEYS.with(changed, edited(changed));
        Set<String> rerun = new TreeSet<>();
        for (CounterImplementation i : Implementations.all()) {
            List<String> before = rowKeys(KEYS, i);
            List<String> now = rowKeys(after, i);
            for (int c = 0; c < before.size(); c++) {
                if (!before.get(c).equals(now.get(c))) {
                    rerun.add(i.name());
                }
            }
            boolean owns = KEYS.ownClasses(i.getClass()).contains(changed);
            assertEquals(owns, rerun.contains(i.name()), i.name());
            if (owns) {
                assertTrue(java.util.stream.IntStream.range(0, before.size())
                        .allMatch(c -> !before.get(c).equals(now.get(c))), "every cell of " + i.name());
            }
        }
        assertEquals(Set.of("tagged-word"), rerun);
    }

    @Test
    void changingAMutantsClassChangesOnlyItsRow() {
        CounterImplementation mutant = Implementations.all().stream()
                .filter(i -> i.kind() == CounterImplementation.Kind.MUTANT).findFirst().orElseThrow();
        String changed = mutant.getClass().getName().replace('.', '/');
        CellKeys after = KEYS.with(changed, edited(changed));
        for (CounterImplementation i : Implementations.all()) {
            boolean same = rowKeys(KEYS, i).equals(rowKeys(after, i));
            assertEquals(!KEYS.ownClasses(i.getClass()).contains(changed), same, i.name());
        }
        assertNotEquals(rowKeys(KEYS, mutant), rowKeys(after, mutant));
    }

    @Test
    void changingTheModelOrAToolsChecksChangesEveryKeyOfThatScope() {
        String model = KEYS.graph().classes().keySet().stream().filter(c -> c.startsWith("lazycount/counter/")).sorted()
                .findFirst().orElseThrow();
        CellKeys afterModel = KEYS.with(model, edited(model));
        for (CounterImplementation i : Implementations.all()) {
            List<String> before = rowKeys(KEYS, i);
            List<String> now = rowKeys(afterModel, i);
            for (int c = 0; c < before.size(); c++) {
                assertNotEquals(before.get(c), now.get(c), i.name());
            }
        }
        String check = KEYS.graph().classes().keySet().stream().filter(c -> c.startsWith("lazycount/properties/")).sorted()
                .findFirst().orElseThrow();
        CellKeys afterCheck = KEYS.with(check, edited(check));
        CounterImplementation ref = impl("reference");
        assertNotEquals(KEYS.key(ref, Tool.JQWIK, false, OPTIONS), afterCheck.key(ref, Tool.JQWIK, false, OPTIONS));
        assertEquals(KEYS.key(ref, Tool.LINCHECK, false, OPTIONS), afterCheck.key(ref, Tool.LINCHECK, false, OPTIONS));
    }

    @Test
    void theOptionsToolSideAndImplementationArePartOfTheKey() {
        CounterImplementation ref = impl("reference");
        String k = KEYS.key(ref, Tool.JQWIK, false, OPTIONS);
        assertEquals(k, KEYS.key(ref, Tool.JQWIK, false, new TreeMap<>(OPTIONS)), "deterministic");
        assertNotEquals(k, KEYS.key(ref, Tool.JQWIK, false, new TreeMap<>(java.util.Map.of("mode", "deep"))));
        assertNotEquals(k, KEYS.key(ref, Tool.JQWIK, true, OPTIONS));
        assertNotEquals(k, KEYS.key(ref, Tool.LINCHECK, false, OPTIONS));
        assertNotEquals(k, KEYS.key(impl("rfc"), Tool.JQWIK, false, OPTIONS));
    }

    @Test
    void aCachedCellIsReusedUnderItsKeyOnlyAndAnErrorIsNeverCached(@TempDir Path dir) throws Exception {
        VerdictCache cache = new VerdictCache(dir.resolve("cache"));
        Path out = dir.resolve("out");
        Path report = out.resolve("counter-examples/tagged-word/SomeCheck.txt");
        java.nio.file.Files.createDirectories(report.getParent());
        java.nio.file.Files.writeString(report, "the counter-example");
        // Every row cached ...
        for (CounterImplementation i : Implementations.all()) {
            Cell c = new Cell(Tool.JQWIK, Cell.Status.CAUGHT, 1234, "SomeCheck > test", "a\ttab\nand a line",
                    report, Set.of(lazycount.catalog.Race.values()[0]));
            cache.store(KEYS.key(i, Tool.JQWIK, false, OPTIONS), i.name(), false, c, out);
        }
        java.nio.file.Files.delete(report);
        // ... then one candidate's class changes: only its row misses, every other is reused as it was.
        String changed = "lazycount/candidate/TaggedWordLazyCounter";
        CellKeys after = KEYS.with(changed, edited(changed));
        Set<String> missed = new TreeSet<>();
        for (CounterImplementation i : Implementations.all()) {
            Cell hit = cache.lookup(after.key(i, Tool.JQWIK, false, OPTIONS), out);
            if (hit == null) {
                missed.add(i.name());
            } else {
                assertTrue(hit.isReused(), hit::toString);
                assertTrue(hit.reused().contains(" UTC on "), hit::reused);
                assertEquals("a\ttab\nand a line", hit.headline());
                assertEquals(1234, hit.millis());
                assertEquals(report, hit.report(), "the counter-example is restored");
            }
        }
        assertEquals(Set.of("tagged-word"), missed);
        assertEquals("the counter-example", java.nio.file.Files.readString(report));
        // An ERROR decides nothing: never stored.
        String key = KEYS.key(impl("reference"), Tool.LINCHECK, false, OPTIONS);
        cache.store(key, "reference", false, new Cell(Tool.LINCHECK, Cell.Status.ERROR, 1, "X", "tool failed", null,
                Set.of()), out);
        assertNull(cache.lookup(key, out));
    }

    /** An implementation in a package of its own (here this test's), with a helper class there. */
    static final class OwnPackageImplementation implements CounterImplementation {
        @Override
        public String name() {
            return "own-package";
        }

        Object helper() {
            return new OwnPackageHelper();
        }
    }

    static final class OwnPackageHelper {
    }

    @Test
    void theOwnClassesOfAnImplementationInAPackageOfItsOwnAreFollowedAndOneOutsideLazycountIsRefused() {
        Set<String> own = KEYS.ownClasses(OwnPackageImplementation.class);
        assertTrue(own.contains("lazycount/suite/CellKeysTest$OwnPackageHelper"), own::toString);
        assertTrue(own.stream().noneMatch(c -> c.startsWith("lazycount/impl/") || c.startsWith("lazycount/rss/")),
                "the model is not an implementation's own: " + own);
        IllegalArgumentException outside = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> KEYS.ownClasses(java.util.ArrayList.class));
        assertTrue(outside.getMessage().contains("java.util.ArrayList") && outside.getMessage()
                .contains("lazycount.candidate"), outside.getMessage());
    }
}
