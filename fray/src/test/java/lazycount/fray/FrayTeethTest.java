package lazycount.fray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.testkit.CheckRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The teeth of the Fray checks: each Fray test class is run in-process
 * ({@link CheckRunner}, which selects the implementation with
 * {@code UnderTest.with}) against broken variants, and must fail against the
 * ones listed in {@link #MUST_CATCH}. The Fray recording of every catch is
 * copied to {@code target/fray-teeth/<mutant>/<check>/} for replay
 * (README.md). {@link #BLIND} lists the mutants of the brief that Fray 0.9.2
 * cannot see here (their racing accesses are VarHandle opaque/acquire/release
 * operations, which are not Fray scheduling points): they are run and
 * reported, and the test fails if one of them starts being caught, so the
 * tables in README.md get updated. {@code -Dlazycount.fray.teeth=all} runs
 * every mutant of the catalog against every Fray check (nightly).
 */
class FrayTeethTest {

    static final List<Class<?>> CHECKS = List.of(OtherAddsUpgradeFrayTest.class, UpgradeUpgradeFrayTest.class,
            ExitCheckMmFrayTest.class, LifecycleFrayTest.class);

    /** Mutant -> the Fray checks that must catch it. */
    static final Map<String, Set<Class<?>>> MUST_CATCH = Map.of(
            "teardown-ignores-remote-refs", Set.of(ExitCheckMmFrayTest.class, LifecycleFrayTest.class),
            // Not races: wrong whatever the schedule, caught by the first schedule explored.
            "destroy-forgets-lazy-residue", Set.of(OtherAddsUpgradeFrayTest.class, UpgradeUpgradeFrayTest.class,
                    LifecycleFrayTest.class),
            "fold-subtracts-wrong-amount", Set.of(OtherAddsUpgradeFrayTest.class, UpgradeUpgradeFrayTest.class,
                    LifecycleFrayTest.class),
            "sum-skips-central", Set.of(OtherAddsUpgradeFrayTest.class, UpgradeUpgradeFrayTest.class,
                    LifecycleFrayTest.class));

    /** Mutants of the brief no Fray check catches (see README.md, "What Fray cannot see here"). */
    static final Set<String> BLIND = Set.of("other-path-plain-rmw", "upgrade-check-then-set",
            "upgrade-counts-inflight-twice", "clone-vm-without-upgrade");

    private static final Path TEETH_DIR = Path.of("target", "fray-teeth");

    @TestFactory
    Stream<DynamicTest> frayChecksCatchTheirMutants() {
        List<String> mutants = new ArrayList<>(MUST_CATCH.keySet());
        mutants.addAll(BLIND);
        if ("all".equals(System.getProperty("lazycount.fray.teeth"))) {
            Implementations.all().stream().filter(i -> i.kind() == CounterImplementation.Kind.MUTANT)
                    .map(CounterImplementation::name).filter(n -> !mutants.contains(n)).forEach(mutants::add);
        }
        mutants.sort(Comparator.naturalOrder());
        return mutants.stream().map(name -> DynamicTest.dynamicTest("Fray against " + name, () -> check(name)));
    }

    private static void check(String name) {
        CounterImplementation mutant = Implementations.byName(name);
        Set<Class<?>> required = MUST_CATCH.getOrDefault(name, Set.of());
        StringBuilder table = new StringBuilder();
        List<String> problems = new ArrayList<>();
        for (Class<?> check : CHECKS) {
            CheckRunner.Outcome o = CheckRunner.run(check, mutant, Map.of(), TEETH_DIR.resolve("reports"));
            boolean caught = o.caught() && !o.toolError();
            table.append(String.format("%n    %-26s %s", check.getSimpleName(),
                    caught ? "caught in " + o.millis() + " ms -- " + o.headline() : o.toolError()
                            ? "TOOL ERROR -- " + o.headline() : "passed (" + o.millis() + " ms)"));
            if (caught) {
                table.append("\n      recording: ").append(saveRecording(name, check));
            }
            if (o.toolError()) {
                problems.add(check.getSimpleName() + " failed inside Fray: " + o.report());
            } else if (required.contains(check) && !caught) {
                problems.add(check.getSimpleName() + " did not catch " + name);
            } else if (BLIND.contains(name) && caught) {
                problems.add(check.getSimpleName() + " now catches " + name
                        + ", listed as invisible to Fray: move it to MUST_CATCH and update README.md");
            }
        }
        System.out.println("[fray-teeth] " + name + " (" + mutant.breaks() + "):" + table);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems) + table);
        }
    }

    /** Copies Fray's report of the last failure (its recording included) next to the teeth reports. */
    private static Path saveRecording(String mutant, Class<?> check) {
        Path source = Path.of(System.getProperty("fray.workDir", "target/fray/fray-report"));
        Path target = TEETH_DIR.resolve(mutant).resolve(check.getSimpleName());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target.toAbsolutePath();
    }
}
