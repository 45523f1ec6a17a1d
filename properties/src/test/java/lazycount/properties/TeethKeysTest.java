package lazycount.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.testkit.ClassGraph;
import lazycount.testkit.Teeth;
import lazycount.testkit.TeethKeys;
import lazycount.testkit.TeethTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate runs a tooth again exactly when what decides it changed: a
 * mutant's row is reused only under the key it was caught for, an edit to
 * one mutant re-runs that mutant alone, an edit to the model re-runs every
 * row, and a verified candidate whose code changed is re-decided.
 */
class TeethKeysTest {

    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final ClassGraph GRAPH = ClassGraph.ofClassPath();
    private static final Map<String, String> PROPERTIES = Map.of(RunSettings.SEED, CatalogTeethTest.SEED);

    @Test
    void anEditToOneMutantChangesItsKeyAloneAndAnEditToTheModelChangesEvery(@TempDir Path copy) throws IOException {
        copyTree(copy);
        List<CounterImplementation> mutants = mutants();
        CounterImplementation edited = Implementations.byName("clone-vm-without-upgrade");
        List<String> before = keys(copy, mutants);

        Path file = ownFile(edited);
        edit(copy.resolve(file));
        List<String> afterMutant = keys(copy, mutants);
        for (int i = 0; i < mutants.size(); i++) {
            boolean owns = GRAPH.ownSources(mutants.get(i).getClass(), TOP).contains(file);
            assertEquals(owns, !before.get(i).equals(afterMutant.get(i)), mutants.get(i).name());
        }
        assertNotEquals(before.get(mutants.indexOf(edited)), afterMutant.get(mutants.indexOf(edited)));

        edit(copy.resolve("counters/src/main/java/lazycount/cpu/Cpus.java"));
        List<String> afterModel = keys(copy, mutants);
        for (int i = 0; i < mutants.size(); i++) {
            assertNotEquals(afterMutant.get(i), afterModel.get(i), mutants.get(i).name());
        }
    }

    @Test
    void anEditToACommentOrToLayoutMovesNoKeyAndAnEditToALiteralDoes(@TempDir Path copy) throws IOException {
        copyTree(copy);
        CounterImplementation mutant = Implementations.byName("clone-vm-without-upgrade");
        Path file = copy.resolve(ownFile(mutant));
        String before = keys(copy).key(mutant);
        String source = Files.readString(file);
        Files.writeString(file, "/** A reviewer's note. */\n" + source.replace("\n", "\n    // a remark\n\n"));
        assertEquals(before, keys(copy).key(mutant));
        Files.writeString(file, source.replaceFirst("\"clone-vm-without-upgrade\"", "\"clone-vm-without-upgrade \""));
        assertNotEquals(before, keys(copy).key(mutant));

        assertEquals("int a = 1; String s = \"x // y /* z */\"; char c = '\\''; String t = \"\"\"\n  // kept\n\"\"\";",
                ClassGraph.codeOf("int a = 1; // one\n/* two */ String s = \"x // y /* z */\";\n\n  char c = '\\'';"
                        + " String t = \"\"\"\n  // kept\n\"\"\";"));
    }

    @Test
    void aRowRecordedForTheCodeAsItIsIsReusedAndOnlyTheChangedRunsAgain(@TempDir Path copy) throws IOException {
        copyTree(copy);
        Path module = copy.resolve("properties");
        List<CounterImplementation> mutants = mutants();
        TeethKeys first = keys(copy);
        StringBuilder recorded = new StringBuilder();
        for (CounterImplementation m : mutants) {
            recorded.append(m.name()).append('\t').append(first.key(m)).append('\t').append(checkOf(m)).append('\n');
        }
        Files.writeString(module.resolve(TeethKeys.FILE_NAME), recorded);
        Path file = ownFile(Implementations.byName("clone-vm-without-upgrade"));
        edit(copy.resolve(file));

        List<String> names = names(TeethTests.plan(Tool.JQWIK, teeth(), keys(copy), List.of()));
        List<String> edits = mutants.stream().filter(m -> GRAPH.ownSources(m.getClass(), TOP).contains(file))
                .map(m -> "jqwik catches " + m.name()).toList();
        assertTrue(!edits.isEmpty() && edits.size() < mutants.size(), edits::toString);
        assertTrue(names.containsAll(edits), names::toString);
        assertEquals(edits.size() + 1 + refutedCandidates(), names.size(), names::toString);
        assertEquals("every jqwik check catches a mutant", names.get(names.size() - 1));
    }

    @Test
    void aVerifiedCandidateWhoseCodeChangedIsRedecided(@TempDir Path copy) throws IOException {
        copyTree(copy);
        CounterImplementation changed = Implementations.byName("rfc-fixed");
        assertTrue(changed.recordedVerdict().verified(), "rfc-fixed is recorded as verified");
        List<String> names = names(TeethTests.plan(Tool.JQWIK, teeth(), keys(copy), List.of(changed)));
        assertTrue(names.contains("jqwik re-decides changed candidate rfc-fixed"), names::toString);
    }

    /** The source file of {@code impl}'s own top-level class. */
    private static Path ownFile(CounterImplementation impl) {
        String name = impl.getClass().getName().replace('.', '/').replaceAll("\\$.*", "") + ".java";
        return GRAPH.ownSources(impl.getClass(), TOP).stream().filter(p -> p.toString().endsWith(name)).findFirst()
                .orElseThrow();
    }

    /** An edit to the code (a comment would move no key). */
    private static void edit(Path source) throws IOException {
        Files.writeString(source, Files.readString(source) + "\nfinal class AReviewersEdit {\n}\n");
    }

    private static List<CounterImplementation> mutants() {
        return teeth().mutants();
    }

    private static Teeth teeth() {
        return new Teeth(Tool.JQWIK, "lazycount.properties", PROPERTIES, Map.of(), Path.of("target", "teeth-reports"));
    }

    private static long refutedCandidates() {
        return teeth().refutedCandidates().size();
    }

    /** A check of the mutant's race in this module: the row's recorded catcher. */
    private static String checkOf(CounterImplementation mutant) {
        return teeth().checks().stream().filter(c -> lazycount.testkit.CheckRunner.racesOf(c).contains(mutant.race()))
                .findFirst().orElseThrow().getSimpleName();
    }

    private static TeethKeys keys(Path top) {
        return TeethKeys.of(top, top.resolve("properties"), GRAPH, Tool.JQWIK, PROPERTIES);
    }

    private static List<String> keys(Path top, List<CounterImplementation> impls) {
        TeethKeys keys = keys(top);
        return impls.stream().map(keys::key).toList();
    }

    private static List<String> names(List<DynamicTest> tests) {
        return tests.stream().map(DynamicTest::getDisplayName).toList();
    }

    /** The sources the keys read, copied to {@code copy} (a repository as TeethKeys reads it). */
    private static void copyTree(Path copy) throws IOException {
        for (String dir : List.of("pom.xml", "counters/src", "catalog/src", "testkit/src", "mutants/src",
                "candidates/src", "properties/src", "properties/pom.xml")) {
            Path from = TOP.resolve(dir);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(TOP.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to);
                    }
                }
            }
        }
    }
}
