package lazycount.fray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lazycount.catalog.Race;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.testkit.CheckRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Fray column of {@code ./verify-suite}: one JVM on the instrumented JDK
 * runs the Fray checks against each implementation named in
 * {@code -Dlazycount.fray.matrix=a,b,c} (or {@code all}) and writes one tab-separated line per
 * implementation to {@code -Dlazycount.fray.matrix.out}:
 * {@code name, PASSED|CAUGHT|MISSED, millis, where, races, recording, headline}.
 * The checks of the implementation's own race run first; with
 * {@code -Dlazycount.fray.matrix.stop=true} (the suite's quick mode for
 * mutants and candidates) the cell stops at the first catch. millis is the
 * time to first detection when caught, the time of all checks otherwise.
 * Off unless the property is given.
 */
@Tag(CheckRunner.NOT_A_CHECK)
@EnabledIfSystemProperty(named = "lazycount.fray.matrix", matches = ".+")
class FrayMatrix {

    @Test
    void runTheMatrix() throws IOException {
        Path out = Path.of(System.getProperty("lazycount.fray.matrix.out", "target/fray-matrix.tsv"));
        Path reports = Path.of(System.getProperty("lazycount.fray.matrix.reports", "target/fray-matrix"));
        boolean stopAtFirst = Boolean.getBoolean("lazycount.fray.matrix.stop");
        List<String> lines = new ArrayList<>();
        String selected = System.getProperty("lazycount.fray.matrix");
        List<String> names = "all".equals(selected)
                ? Implementations.all().stream().map(CounterImplementation::name).toList()
                : List.of(selected.split(","));
        for (String name : names) {
            CounterImplementation impl = Implementations.byName(name.strip());
            lines.add(row(impl, stopAtFirst && impl.kind() != CounterImplementation.Kind.CORRECT, reports));
            System.out.println("[fray-matrix] " + lines.get(lines.size() - 1).replace('\t', ' '));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, lines);
        }
    }

    /** {@code -Dlazycount.fray.matrix.races=A,B}: only the checks of those races (the suite's --race). */
    private static boolean ofSelectedRaces(Class<?> check) {
        List<String> races = List.of(System.getProperty("lazycount.fray.matrix.races", "").split(","));
        return races.equals(List.of("")) || CheckRunner.racesOf(check).stream().anyMatch(r -> races.contains(r.name()));
    }

    private static String row(CounterImplementation impl, boolean stopAtFirst, Path reports) {
        String pkg = impl.getClass().getPackageName();
        if (!pkg.startsWith("lazycount.")) {
            // The agent (fray/pom.xml) makes VarHandle accesses scheduling points only under lazycount/:
            // elsewhere Fray would explore no interleaving of the protocol's own accesses and pass it.
            return String.join("\t", impl.name(), "ERROR", "0", "Fray agent", "", "", "implementation " + impl.name()
                    + " is in package " + pkg + ", which Fray's agent does not instrument (only lazycount.*): move it"
                    + " under lazycount. (candidates/ uses lazycount.candidate)");
        }
        List<Class<?>> all = CheckRunner.checksIn("lazycount.fray").stream().filter(FrayMatrix::ofSelectedRaces)
                .toList();
        // -Dlazycount.fray.matrix.contract=beyond: the checks outside the implementation's contract (the suite's
        // second verdict); otherwise those within it.
        List<Class<?>> checks = "beyond".equals(System.getProperty("lazycount.fray.matrix.contract"))
                ? impl.contract().beyond(all) : impl.contract().within(all);
        if (checks.isEmpty()) {
            return String.join("\t", impl.name(), "NOT_RUN", "0", "", "", "", "");
        }
        Path[] recording = new Path[1];
        CheckRunner.FirstCatch f = CheckRunner.runUntilCaught("Fray", checks, impl, Map.of(), reports, stopAtFirst,
                o -> recording[0] = FrayChecks.saveRecording(reports.resolve(impl.name())
                        .resolve("fray-" + o.check().getSimpleName())));
        if (f.failedWithError()) {
            return String.join("\t", impl.name(), "ERROR", Long.toString(f.millis()),
                    f.error().check().getSimpleName() + " > " + f.error().failedTest(), "",
                    f.error().savedReport() == null ? "" : f.error().savedReport().toAbsolutePath().toString(),
                    f.error().headline().replaceAll("[\\t\\r\\n]+", " "));
        }
        if (!f.caught()) {
            String status = impl.kind() == CounterImplementation.Kind.MUTANT ? "MISSED" : "PASSED";
            return String.join("\t", impl.name(), status, Long.toString(f.millis()), "", "", "", "");
        }
        return String.join("\t", impl.name(), "CAUGHT", Long.toString(f.millisToFirst()),
                f.first().check().getSimpleName() + " > " + f.first().failedTest(),
                f.races().stream().map(Race::name).collect(Collectors.joining(",")),
                recording[0].toAbsolutePath().toString(), f.first().headline().replaceAll("[\\t\\r\\n]+", " "));
    }
}
