package lazycount.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;

/**
 * The Fray column: Fray runs only on the JDK 25 its Maven plugin instruments,
 * so its checks cannot run in the suite's JVM. One child Maven build
 * ({@code mvn -pl fray test -Dtest=FrayMatrix}) runs the Fray checks
 * against every selected implementation in one instrumented JVM and writes a
 * line per implementation (fray/src/test/.../FrayMatrix.java), read back here.
 * Time to detect is measured inside that JVM, as for Lincheck and jqwik.
 */
final class FrayRunner {

    private final Path top;
    private final Map<String, Cell> cells = new HashMap<>();
    private final Map<String, Cell> beyondCells = new HashMap<>();

    FrayRunner(Path top) {
        this.top = top;
    }

    /** Runs the Fray checks against all of {@code impls}; {@code stop}: stop at the first catch (quick mode). */
    void runAll(List<CounterImplementation> impls, boolean stop, Set<Race> races, Path out, boolean beyond)
            throws IOException, InterruptedException {
        String side = beyond ? "beyond" : "within";
        Path table = out.resolve("fray-matrix-" + side + ".tsv").toAbsolutePath();
        Path log = out.resolve("fray-" + side + ".log").toAbsolutePath();
        Files.deleteIfExists(table);
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-pl", "fray", "test",
                "-Dtest=FrayMatrix", "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dlazycount.fray.matrix=" + impls.stream().map(CounterImplementation::name)
                        .collect(Collectors.joining(",")),
                "-Dlazycount.fray.matrix.out=" + table,
                "-Dlazycount.fray.matrix.reports=" + out.resolve("counter-examples").toAbsolutePath(),
                "-Dlazycount.fray.matrix.stop=" + stop,
                "-Dlazycount.fray.matrix.contract=" + side,
                "-Dlazycount.fray.matrix.races=" + races.stream().map(Race::name).collect(Collectors.joining(","))));
        ProcessBuilder pb = new ProcessBuilder(command).directory(top.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        lazycount.impl.Setting.exportTo(pb.environment());     // the matrix names its implementations itself
        int status = pb.start().waitFor();
        List<String> lines = Files.exists(table) ? Files.readAllLines(table) : List.of();
        if (status != 0 || lines.size() != impls.size()) {
            throw new IllegalStateException("the Fray run (mvn -pl fray, on the instrumented JDK 25) did not"
                    + " complete: exit status " + status + ", " + lines.size() + " of " + impls.size()
                    + " implementations done; see " + log);
        }
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            Cell.Status s = Cell.Status.valueOf(f[1]);
            Set<Race> caughtOn = EnumSet.noneOf(Race.class);
            if (!f[4].isEmpty()) {
                for (String r : f[4].split(",")) {
                    caughtOn.add(Race.valueOf(r));
                }
            }
            (beyond ? beyondCells : cells).put(f[0], new Cell(Tool.FRAY, s, Long.parseLong(f[2]), f[3], f[6],
                    f[5].isEmpty() ? null : Path.of(f[5]), caughtOn));
        }
    }

    /** The Fray checks with their {@code @Checks}, read from the fray module's test-jar. */
    static List<Class<?>> findChecks() {
        try {
            return JcstressRunner.checksBeside(Class.forName("lazycount.fray.FrayChecks", false,
                    FrayRunner.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the fray module's test-jar is not on the class path", e);
        }
    }

    /** The Fray cell of {@code impl}: its checks within its contract, or with {@code beyond} those outside it. */
    Cell cell(CounterImplementation impl, boolean beyond) {
        Cell c = (beyond ? beyondCells : cells).get(impl.name());
        if (c == null) {
            throw new IllegalStateException("no Fray result for " + impl.name());
        }
        return c;
    }
}
