package lazycount.suite;

import lazycount.testkit.VerdictKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate re-decides what changed: every candidate's recorded verdict was
 * decided for its code as it is ({@code candidates/verdict-keys.tsv}); a
 * candidate whose code changed since is named, with the one command that
 * re-decides it with every tool and records its new key.
 */
class VerdictKeysTest {

    static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final CellKeys KEYS = CellKeys.ofClassPath(TOP);

    @Test
    void everyRecordedVerdictWasDecidedForItsCandidatesCodeAsItIs() {
        List<String> problems = new VerdictKeys(TOP, KEYS.graph()).problems(Implementations.all());
        assertTrue(problems.isEmpty(), () -> "recorded verdicts not decided for the code as it is:\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void aChangedCandidateIsNamedWithTheCommandThatRedecidesItAndRecordingMendsIt(@TempDir Path copy)
            throws IOException {
        copySources(copy);
        Path changed = copy.resolve(Scaffold.CANDIDATE_SOURCES).resolve("TaggedWordLazyCounter.java");
        Files.writeString(changed, Files.readString(changed).replace("upgrade", "upgrade "));   // a reviewer's edit
        VerdictKeys keys = new VerdictKeys(copy, KEYS.graph());
        List<CounterImplementation> all = Implementations.all();

        assertEquals(List.of("tagged-word"), keys.changed(all).stream().map(CounterImplementation::name).toList());
        List<String> problems = keys.problems(all);
        assertTrue(problems.get(0).startsWith("candidate tagged-word: its code changed since its recorded verdict"),
                problems::toString);
        assertTrue(problems.get(problems.size() - 1).endsWith(": ./verify-suite --full --impl tagged-word"),
                problems::toString);

        keys.record(Implementations.byName("tagged-word"), all);   // what ./verify-suite does once it found the verdict
        assertEquals(List.of(), keys.problems(all));
    }

    @Test
    void aCandidateWithAVerdictButNoKeyAndALineOfNoCandidateAreNamed(@TempDir Path copy) throws IOException {
        copySources(copy);
        Path file = copy.resolve(VerdictKeys.FILE);
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^grace-period\t.*\n", "")
                + "gone\t0123\n");
        List<String> problems = new VerdictKeys(copy, KEYS.graph()).problems(Implementations.all());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("candidate grace-period: a recorded verdict, but no key")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("'gone', which is no candidate")), problems::toString);
        assertTrue(problems.get(problems.size() - 1).endsWith(": ./verify-suite --full --impl grace-period"),
                problems::toString);
    }

    @Test
    void theKeyCoversTheSourcesOfTheClassesTheCacheFollows() {
        VerdictKeys keys = new VerdictKeys(TOP, KEYS.graph());
        List<String> rfc = keys.sources(Implementations.byName("rfc")).stream().map(Path::toString).toList();
        assertTrue(rfc.contains("candidates/src/main/java/lazycount/candidate/RfcImplementation.java"), rfc::toString);
        assertTrue(rfc.contains("candidates/src/main/java/lazycount/candidate/RfcLazyCounter.java"), rfc::toString);
        assertTrue(rfc.stream().noneMatch(s -> s.contains("TaggedWord") || s.contains("GracePeriod")), rfc::toString);
    }

    /** The candidates' sources and recorded keys, copied to {@code copy} (a repository as VerdictKeys reads it). */
    static void copySources(Path copy) throws IOException {
        Path from = TOP.resolve(Scaffold.CANDIDATE_SOURCES);
        Path to = Files.createDirectories(copy.resolve(Scaffold.CANDIDATE_SOURCES));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        Files.createDirectories(copy.resolve(Scaffold.SERVICES).getParent());
        Files.copy(TOP.resolve(Scaffold.SERVICES), copy.resolve(Scaffold.SERVICES));
        Files.copy(TOP.resolve(VerdictKeys.FILE), copy.resolve(VerdictKeys.FILE));
    }
}
