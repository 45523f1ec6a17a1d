package lazycount.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --shard K/N} and {@code --merge}: N shards cover every implementation
 * exactly once, balanced by expected cost, and the shards' rows files merge into exactly the rows (and
 * the matrix) of the whole run; a reused cell is marked in the matrix.
 */
class ShardAndMergeTest {

    private static final List<Tool> TOOLS = List.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY);

    @ParameterizedTest
    @EnumSource(VerifySuite.Mode.class)
    void nShardsCoverEveryImplementationExactlyOnce(VerifySuite.Mode mode) {
        List<CounterImplementation> all = Implementations.all();
        java.util.function.ToLongFunction<CounterImplementation> prior = i -> Progress.rowPrior(i, mode);
        long total = all.stream().mapToLong(prior).sum();
        long costliest = all.stream().mapToLong(prior).max().orElseThrow();
        for (int n = 1; n <= 5; n++) {
            List<CounterImplementation> union = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                List<CounterImplementation> shard = RowsFile.shard(all, k, n, mode);
                assertEquals(shard, RowsFile.shard(all, k, n, mode), "deterministic");
                long cost = shard.stream().mapToLong(prior).sum();
                // greedy, costliest first: no shard exceeds its fair share by more than one row
                assertTrue(cost <= total / n + costliest, "balanced: shard " + k + "/" + n + " costs " + cost
                        + " s of " + total);
                assertEquals(shard, all.stream().filter(shard::contains).toList(), "in --list's order");
                union.addAll(shard);
            }
            assertEquals(all.size(), union.size(), "no implementation twice, N=" + n);
            assertEquals(new HashSet<>(all), new HashSet<>(union), "every implementation, N=" + n);
        }
        for (int k = 1; k <= 4; k++) {
            long cost = RowsFile.shard(all, k, 4, mode).stream().mapToLong(prior).sum();
            assertTrue(3 * cost <= total, "issue 30's target: each of 4 shards at most a third of the whole run"
                    + " (expected " + cost + " s of " + total + ", " + mode + ")");
        }
        assertEquals(List.of(), RowsFile.shard(all.subList(0, 2), 3, 3, mode), "more shards than rows: an empty shard");
    }

    /** A whole run's rows, made up: every kind of cell, odd text, a counter-example, a reused cell, a beyond side. */
    private static List<VerifySuite.Row> rows(Path out) throws Exception {
        List<VerifySuite.Row> rows = new ArrayList<>();
        int n = 0;
        for (CounterImplementation impl : Implementations.all()) {
            Map<Tool, Cell> cells = new EnumMap<>(Tool.class);
            for (Tool t : TOOLS) {
                Cell.Status s = Cell.Status.values()[(n++) % Cell.Status.values().length];
                Path report = null;
                if (s == Cell.Status.CAUGHT) {
                    report = out.resolve("counter-examples").resolve(impl.name()).resolve(t + ".txt");
                    Files.createDirectories(report.getParent());
                    Files.writeString(report, "counter-example of " + impl.name());
                }
                Cell c = new Cell(t, s, 100L * n, s == Cell.Status.CAUGHT ? "Check > test" : "",
                        s == Cell.Status.CAUGHT ? "expected:\t<1>\nbut was: <2> | \\n" : "", report,
                        s == Cell.Status.CAUGHT ? Set.of(Race.values()[n % Race.values().length]) : Set.of());
                cells.put(t, n % 7 == 0 ? c.reusedFrom("2026-12-01 10:00 UTC on builder", report) : c);
            }
            VerifySuite.Row row = new VerifySuite.Row(impl, cells, "verdict of " + impl.name(), n % 5 != 0);
            if (!impl.contract().isGeneric()) {
                Map<Tool, Cell> beyond = new EnumMap<>(Tool.class);
                TOOLS.forEach(t -> beyond.put(t, new Cell(t, Cell.Status.PASSED, 7, "", "", null, Set.of())));
                row = row.withBeyond(beyond, "beyond: nothing broke");
            }
            rows.add(row);
        }
        return rows;
    }

    private static String withoutRunRecords(Path rowsFile) throws Exception {
        return String.join("\n", Files.readAllLines(rowsFile).stream()
                .filter(l -> !l.startsWith("shard\t") && !l.startsWith("seconds\t")).toList());
    }

    @Test
    void theShardsRowsMergeIntoTheWholeRunsRowsAndMatrix(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        List<VerifySuite.Row> all = rows(whole);
        RowsFile.write(whole.resolve(RowsFile.NAME), "quick mode, test", 1, 1, 60, all);
        assertEquals(all, RowsFile.read(whole.resolve(RowsFile.NAME)).rows(), "a rows file reads back as written");
        int n = 3;
        List<String> shardDirs = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            Path shard = dir.resolve("artifacts/shard-" + k + "/target/verification");
            List<VerifySuite.Row> mine = new ArrayList<>();
            for (CounterImplementation impl : RowsFile.shard(Implementations.all(), k, n, VerifySuite.Mode.QUICK)) {
                mine.add(all.stream().filter(r -> r.impl() == impl).findFirst().orElseThrow());
            }
            // each shard has its own copy of its counter-examples, as a CI artifact does
            for (VerifySuite.Row r : mine) {
                for (Cell c : r.cells().values()) {
                    if (c.report() != null) {
                        Path to = shard.resolve(whole.relativize(c.report()));
                        Files.createDirectories(to.getParent());
                        Files.copy(c.report(), to);
                    }
                }
            }
            RowsFile.write(shard.resolve(RowsFile.NAME), "quick mode, test", k, n, 20, relocated(mine, whole, shard));
            shardDirs.add(dir.resolve("artifacts/shard-" + k).toString());
        }
        Path merged = dir.resolve("merged");
        List<RowsFile.Shard> shards = new ArrayList<>();
        for (Path f : RowsFile.find(List.of(dir.resolve("artifacts").toString()))) {
            shards.add(RowsFile.read(f));
        }
        assertEquals(n, shards.size());
        RowsFile.Shard m = RowsFile.merge(shards, merged);
        assertEquals(all.stream().map(r -> r.impl().name()).toList(), m.rows().stream().map(r -> r.impl().name()).toList(),
                "the whole run's order");
        assertEquals(60, m.seconds());
        RowsFile.write(merged.resolve(RowsFile.NAME), m.header(), 1, 1, m.seconds(), m.rows());
        assertEquals(withoutRunRecords(whole.resolve(RowsFile.NAME)), withoutRunRecords(merged.resolve(RowsFile.NAME)),
                "the same rows, cells and verdicts");
        assertEquals(relocated(all, whole, merged), m.rows());
        Instant when = Instant.parse("2026-12-10T10:00:00Z");
        assertEquals(new Report(all, "h", 60, when, "").markdown(), new Report(m.rows(), "h", 60, when, "").markdown());
        for (VerifySuite.Row r : m.rows()) {
            for (Cell c : r.cells().values()) {
                if (c.report() != null) {
                    assertTrue(c.report().startsWith(merged) && Files.exists(c.report()), "copied: " + c.report());
                }
            }
        }
        // the merge's errors: a missing shard, a shard twice, shards of different runs
        assertThrows(IllegalArgumentException.class, () -> RowsFile.merge(shards.subList(0, 2), merged));
        List<RowsFile.Shard> twice = new ArrayList<>(shards);
        twice.set(2, shards.get(1));
        assertThrows(IllegalArgumentException.class, () -> RowsFile.merge(twice, merged));
        RowsFile.Shard other = shards.get(2);
        List<RowsFile.Shard> mixed = new ArrayList<>(shards.subList(0, 2));
        mixed.add(new RowsFile.Shard("deep mode, test", other.k(), other.n(), 1, other.rows(), 0, other.file()));
        assertThrows(IllegalArgumentException.class, () -> RowsFile.merge(mixed, merged));
    }

    /** The rows with their counter-examples moved from under {@code from} to under {@code to}. */
    private static List<VerifySuite.Row> relocated(List<VerifySuite.Row> rows, Path from, Path to) {
        List<VerifySuite.Row> out = new ArrayList<>();
        for (VerifySuite.Row r : rows) {
            Map<Tool, Cell> cells = new EnumMap<>(Tool.class);
            r.cells().forEach((t, c) -> cells.put(t, new Cell(c.tool(), c.status(), c.millis(), c.where(), c.headline(),
                    c.report() == null ? null : to.resolve(from.relativize(c.report())), c.races(), c.reused())));
            out.add(new VerifySuite.Row(r.impl(), cells, r.verdict(), r.ok(), r.beyond(), r.beyondVerdict()));
        }
        return out;
    }

    @Test
    void aReusedCellIsMarkedInTheMatrix(@TempDir Path dir) {
        CounterImplementation ref = Implementations.byName("reference");
        Map<Tool, Cell> cells = new EnumMap<>(Tool.class);
        TOOLS.forEach(t -> cells.put(t, Cell.notRun(t)));
        cells.put(Tool.JQWIK, new Cell(Tool.JQWIK, Cell.Status.PASSED, 61_000, "", "", null, Set.of())
                .reusedFrom("2026-12-09 08:15 UTC on buildbox", null));
        cells.put(Tool.LINCHECK, new Cell(Tool.LINCHECK, Cell.Status.PASSED, 5_000, "", "", null, Set.of()));
        Report r = new Report(List.of(new VerifySuite.Row(ref, cells, "correct: passed jqwik, Lincheck", true)),
                "quick mode", 3, Instant.now(), "");
        String md = r.markdown();
        assertTrue(md.contains("| passed (61 s, reused) | passed (5.0 s) |"), md);
        assertTrue(md.contains("- `reference`, jqwik: decided 2026-12-09 08:15 UTC on buildbox"), md);
        assertTrue(md.contains("1 cell(s) reused from the verdict cache"), md);
        String html = r.html(dir);
        assertTrue(html.contains("class=\"passed reused\" title=\"reused: decided 2026-12-09 08:15 UTC on buildbox\""),
                html);
    }
}
