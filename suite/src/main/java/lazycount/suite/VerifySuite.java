package lazycount.suite;

import lazycount.testkit.VerdictKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import lazycount.catalog.Contract;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation.Kind;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.impl.UnderTest;
import lazycount.testkit.BudgetFactor;
import lazycount.testkit.CheckRunner;

/**
 * The verification suite ({@code ./verify-suite}): every tool against every
 * implementation on the class path (correct ones, candidates, mutants), with
 * progress, a matrix in {@code target/verification-report.md} and
 * {@code target/verification-report.html}, and every counter-example saved
 * under {@code target/verification/counter-examples/<impl>/}.
 *
 * <p>Lincheck and jqwik run in this JVM through {@link CheckRunner} (the JUnit
 * Platform launcher, as the gate's teeth do); jcstress runs the gate's script
 * once per implementation. A mutant or a candidate stops each tool at its
 * first failing check (a mutant's race first); a correct implementation, and a
 * candidate that fails nothing, runs every check. {@code --all-checks} runs
 * every check always. The run's {@link Mode}: quick (the default: the gate's
 * budgets, a mutant run by the tools it names only), full (the gate's budgets,
 * every tool on every row) or deep (nightly budgets).
 *
 * <p>Exit status 0 when every correct implementation passed every tool, every
 * mutant was caught by each tool it names as a catcher (or is argued
 * unobservable and missed), and every candidate's verdict is the one its
 * class records; 1 otherwise; 2 on a usage or set-up error, or when a check
 * failed with an error rather than a catch (lazycount.catalog.Failure: such a
 * cell decides nothing, and the run names it).
 *
 * <p>Each implementation is judged under its own contract
 * ({@link CounterImplementation#contract()}): only the checks within it decide
 * its verdict. For a contract narrower than the generic one, the checks
 * beyond it run too and give a second verdict, what breaks if the protocol is
 * used outside its contract.
 */
public final class VerifySuite {

    static final String LINCHECK_PACKAGE = "lazycount.linearizability";
    static final String JQWIK_PACKAGE = "lazycount.properties";
    static final String SEED = "20251125";
    /** The matrix's columns: every tool with checks, each a cell of every row. */
    static final Set<Tool> MATRIX_TOOLS = EnumSet.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY);

    /** What a run runs, and how hard it looks. */
    enum Mode {
        /**
         * Lincheck at quick mode's budget (half the scenarios, but for the checks that keep their
         * whole budget: the gate's Lincheck teeth run there, so every mutant that names Lincheck is
         * shown caught at it), the other tools at the gate's; a mutant run by the tools it names as
         * catchers only: another tool's miss decides nothing (it was 69% of a full mutant run's cell
         * time, 2026-12-07). A passing row is "no counter-example at quick budgets"; it records no
         * verdict key.
         */
        QUICK,
        /** The gate's budgets, every tool on every row: which tools miss which mutant, too. */
        FULL,
        /** Nightly budgets, every tool on every row: jcstress -m default, Lincheck x10, jqwik x20 tries and random seeds. */
        DEEP;

        String title() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The budgets, as cells' keys name them. */
        String budgets() {
            return this == FULL ? "gate" : title();
        }

        String triesFactor() {
            return this == DEEP ? "20" : "1";
        }

        String seed() {
            return this == DEEP ? "" : SEED;
        }

        /** Whether this mode runs {@code tool} against {@code impl}: in quick mode a mutant only by the tools it names. */
        boolean runs(CounterImplementation impl, Tool tool) {
            return this != QUICK || impl.kind() != Kind.MUTANT || impl.expectedCatchers().contains(tool);
        }
    }

    /**
     * One implementation's row: its cells and verdict under its own contract,
     * and, for a contract narrower than the generic one, the cells and verdict
     * of the checks beyond it (what breaks if the protocol is used outside its
     * contract; it never decides {@code ok}).
     */
    record Row(CounterImplementation impl, Map<Tool, Cell> cells, String verdict, boolean ok,
            Map<Tool, Cell> beyond, String beyondVerdict) {

        Row(CounterImplementation impl, Map<Tool, Cell> cells, String verdict, boolean ok) {
            this(impl, cells, verdict, ok, Map.of(), "");
        }

        Row withBeyond(Map<Tool, Cell> beyondCells, String text) {
            return new Row(impl, cells, verdict, ok, beyondCells, text);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("verify-suite: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        VerifySuite suite = new VerifySuite(options);
        boolean ok;
        try {
            ok = suite.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("verify-suite: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(suite.errors > 0 ? 2 : ok ? 0 : 1);
    }

    private final Options options;
    private final Path top = Path.of("").toAbsolutePath();
    private final Path out = top.resolve("target/verification");
    private final long suiteStart = System.nanoTime();
    /** Cells that failed with an error, not a catch: the run then exits 2. */
    private int errors;
    private VerdictCache cache;
    private CellKeys keys;
    /** The code each candidate's recorded verdict was decided for (the gate checks it). */
    private VerdictKeys verdictKeys;
    private Progress progress;
    /** The cells reused from the verdict cache, by {@link #cellId}. */
    private final Map<String, Cell> reused = new java.util.HashMap<>();
    /** Every cell's key, by {@link #cellId}, computed before any check runs (a check may leave a property set). */
    private final Map<String, String> cellKeys = new java.util.HashMap<>();

    private VerifySuite(Options options) {
        this.options = options;
    }

    private boolean run() throws Exception {
        if (!options.merge.isEmpty()) {
            return merge();
        }
        List<CounterImplementation> selected = Implementations.all().stream()
                .filter(i -> options.impls.isEmpty() || options.impls.contains(i.name()))
                .filter(i -> options.kinds.isEmpty() || options.kinds.contains(i.kind()))
                .toList();
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no implementation matches " + options.impls + " " + options.kinds);
        }
        List<CounterImplementation> impls = RowsFile.shard(selected, options.shardK, options.shardN, options.mode);
        Files.createDirectories(out);
        if (options.shardN > 1) {
            log("shard %d of %d: %d of the %d selected implementations: %s", options.shardK, options.shardN,
                    impls.size(), selected.size(), impls.stream().map(CounterImplementation::name).toList());
        }
        Map<Tool, List<Class<?>>> checks = new EnumMap<>(Tool.class);
        JcstressRunner jcstress = null;
        FrayRunner fray = null;
        if (!impls.isEmpty()) {
            jcstress = options.tools.contains(Tool.JCSTRESS)
                    ? new JcstressRunner(top, options.mode == Mode.DEEP, options.races) : null;
            fray = options.tools.contains(Tool.FRAY) ? new FrayRunner(top) : null;
            checks.put(Tool.LINCHECK, ofRaces(CheckRunner.checksIn(LINCHECK_PACKAGE)));
            checks.put(Tool.JQWIK, ofRaces(CheckRunner.checksIn(JQWIK_PACKAGE)));
            if (!options.races.isEmpty()) {
                log("only the checks of races %s", options.races);
            }
            log("%d implementations x %s, %s; checks: Lincheck %d, jqwik %d, jcstress %d", impls.size(),
                    options.tools, budgets(options.mode), checks.get(Tool.LINCHECK).size(),
                    checks.get(Tool.JQWIK).size(), jcstress == null ? 0 : jcstress.tests().size());
        }
        // The verdict cache: every cell whose key this machine has already decided is reused (--fresh: none).
        cache = new VerdictCache(VerdictCache.defaultDir(options.cacheDir));
        keys = CellKeys.ofClassPath(top);
        verdictKeys = new VerdictKeys(top, keys.graph());
        List<String> changed = verdictKeys.changed(impls).stream().map(CounterImplementation::name).toList();
        if (!changed.isEmpty()) {
            log("changed since their recorded verdict (or never recorded in %s): %s", VerdictKeys.FILE, changed);
        }
        progress = new Progress(this::log, options.mode);
        long toRun = 0;
        int cached = 0;
        int cellCount = 0;
        List<CounterImplementation> frayWithin = new ArrayList<>();
        List<CounterImplementation> frayBeyond = new ArrayList<>();
        for (CounterImplementation impl : impls) {
            for (boolean beyond : impl.contract().isGeneric() ? List.of(false) : List.of(false, true)) {
                for (Tool tool : options.tools) {
                    if (!runs(impl, tool)) {
                        continue;
                    }
                    cellCount++;
                    String key = keys.key(impl, tool, beyond, keyOptions(impl));
                    cellKeys.put(cellId(impl, tool, beyond), key);   // the inputs as they are before anything runs
                    Cell hit = options.fresh ? null : cache.lookup(key, out);
                    if (hit != null) {
                        reused.put(cellId(impl, tool, beyond), hit);
                        cached++;
                    } else {
                        toRun += progress.estimate(tool, impl);
                        if (tool == Tool.FRAY) {
                            (beyond ? frayBeyond : frayWithin).add(impl);
                        }
                    }
                }
            }
        }
        progress.plan(toRun);
        log("verdict cache %s: %s; %d of %d cells to run, ~%s", cache.dir(), options.fresh
                ? "ignored (--fresh), refreshed with this run's verdicts" : cached + " cell(s) reused",
                cellCount - cached, cellCount, Progress.duration(toRun));
        try {
            if (fray != null) {
                runFray(fray, frayWithin, false);
                runFray(fray, frayBeyond, true);
            }
            List<Row> rows = new ArrayList<>();
            int n = 0;
            for (CounterImplementation impl : impls) {
                n++;
                Contract contract = impl.contract();
                Map<Tool, Cell> cells = cellsOf(impl, checks, jcstress, fray, false, n, impls.size());
                Row row = judge(impl, cells);
                if (!contract.isGeneric()) {
                    log("[%d/%d] %-30s the checks beyond its contract (%s) ...", n, impls.size(), impl.name(), contract);
                    Map<Tool, Cell> beyond = cellsOf(impl, checks, jcstress, fray, true, n, impls.size());
                    row = row.withBeyond(beyond, beyondVerdict(contract, beyond));
                }
                List<String> erred = errorsOf(row);
                if (!erred.isEmpty()) {
                    errors += erred.size();
                    row = new Row(impl, row.cells(), "ERROR, not a verdict: " + String.join("; ", erred), false,
                            row.beyond(), row.beyondVerdict());
                }
                rows.add(row);
                log("[%d/%d] %-30s verdict: %s%s", n, impls.size(), impl.name(), row.verdict(),
                        row.beyondVerdict().isEmpty() ? "" : "; " + row.beyondVerdict());
                if (recordsKey(row, erred)) {
                    verdictKeys.record(impl, Implementations.all());
                    log("[%d/%d] %-30s its recorded verdict holds for its code as it is: key recorded in %s", n,
                            impls.size(), impl.name(), VerdictKeys.FILE);
                }
            }
            long seconds = (System.nanoTime() - suiteStart) / 1_000_000_000L;
            String shardNote = options.shardN > 1 ? " Shard " + options.shardK + " of " + options.shardN
                    + " (./verify-suite --merge joins the shards)." : "";
            return write(rows, runHeader(options), seconds, shardNote, options.shardK, options.shardN);
        } finally {
            progress.close();
        }
    }

    /** The Fray cells not in the cache: one child build for all of {@code impls}. */
    private void runFray(FrayRunner fray, List<CounterImplementation> impls, boolean beyond) throws Exception {
        if (impls.isEmpty()) {
            return;
        }
        long expected = 60;
        for (CounterImplementation i : impls) {
            expected += progress.estimate(Tool.FRAY, i);
        }
        progress.start(String.format("Fray: %s%d implementation(s) in one run on the instrumented JDK 25 (log: %s)",
                beyond ? "the checks beyond the contracts of " : "", impls.size(),
                out.resolve(beyond ? "fray-beyond.log" : "fray-within.log")), expected);
        long start = System.nanoTime();
        fray.runAll(impls, !options.allChecks, options.races, out, beyond);
        progress.done(null, null, expected - 60, (System.nanoTime() - start) / 1_000_000_000L);
    }

    /** Writes the matrix (.md, .html) and the rows file; true if every verdict is as expected. */
    private boolean write(List<Row> rows, String runHeader, long seconds, String note, int k, int n)
            throws IOException {
        boolean ok = rows.stream().allMatch(Row::ok);
        Report report = new Report(rows, runHeader, seconds, Instant.now(), note);
        Files.createDirectories(out);
        Files.writeString(top.resolve("target/verification-report.md"), report.markdown());
        Files.writeString(top.resolve("target/verification-report.html"), report.html(top.resolve("target")));
        RowsFile.write(out.resolve(RowsFile.NAME), runHeader, k, n, seconds, rows);
        long reusedCells = rows.stream().flatMap(r -> java.util.stream.Stream.concat(r.cells().values().stream(),
                r.beyond().values().stream())).filter(Cell::isReused).count();
        log("wall time %d min %d s; %s; %d cell(s) reused from the verdict cache; matrix: target/verification-report.md"
                + " and .html; rows: %s", seconds / 60, seconds % 60,
                ok ? "every verdict as expected" : "SOME VERDICTS ARE NOT AS EXPECTED", reusedCells,
                top.relativize(out.resolve(RowsFile.NAME)));
        rows.stream().filter(r -> !r.ok()).forEach(r -> log("  not as expected: %s: %s", r.impl().name(), r.verdict()));
        if (errors > 0) {
            log("%d cell(s) failed with an ERROR, not a catch: exit status 2", errors);
        }
        return ok;
    }

    /** {@code --merge}: the shards' rows files joined into one matrix, under the same exit status rules. */
    private boolean merge() throws Exception {
        List<RowsFile.Shard> shards = new ArrayList<>();
        for (Path file : RowsFile.find(options.merge)) {
            shards.add(RowsFile.read(file));
        }
        RowsFile.Shard merged = RowsFile.merge(shards, out);
        errors = merged.errors();
        log("merged %d shard(s): %d rows", shards.size(), merged.rows().size());
        return write(merged.rows(), merged.header(), merged.seconds(), " Merged from " + shards.size()
                + " shard(s); the wall time is the sum of theirs.", 1, 1);
    }

    /** What a cell's key names beyond the classes: the run's options that change a verdict, and the settings. */
    private java.util.SortedMap<String, String> keyOptions(CounterImplementation impl) {
        java.util.SortedMap<String, String> o = new java.util.TreeMap<>();
        o.put("budgets", options.mode.budgets());
        o.put("seeds", options.mode == Mode.DEEP ? "random" : SEED);
        o.put("tries.factor", options.mode.triesFactor());
        o.put("stop-at-first", Boolean.toString(stopsAtFirst(impl)));
        o.put("races", options.races.toString());
        for (lazycount.impl.Setting s : lazycount.impl.Setting.values()) {
            if (s != lazycount.impl.Setting.IMPL) {
                o.put("setting." + s.property(), s.value());
            }
        }
        System.getProperties().stringPropertyNames().stream()
                .filter(p -> p.startsWith("lazycount.") || p.startsWith("lincheck.") || p.startsWith("jqwik."))
                .filter(p -> !p.equals(lazycount.impl.Setting.IMPL.property()))
                .forEach(p -> o.put("property." + p, System.getProperty(p)));
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("JCSTRESS_")) {
                o.put("env." + k, v);
            }
        });
        return o;
    }

    private static String cellId(CounterImplementation impl, Tool tool, boolean beyond) {
        return impl.name() + "|" + tool + "|" + beyond;
    }

    /** One row's cells: the checks within {@code impl}'s contract, or with {@code beyond} those outside it. */
    private Map<Tool, Cell> cellsOf(CounterImplementation impl, Map<Tool, List<Class<?>>> checks,
            JcstressRunner jcstress, FrayRunner fray, boolean beyond, int n, int of) throws Exception {
        Contract contract = impl.contract();
        Map<Tool, Cell> cells = new EnumMap<>(Tool.class);
        for (Tool tool : List.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY)) {
            Cell cell = reused.get(cellId(impl, tool, beyond));
            if (cell != null) {
                cells.put(tool, cell);
                log("[%d/%d] %-30s %-9s %s%s (reused: decided %s)", n, of, impl.name(), tool.title(),
                        beyond ? "beyond contract: " : "", cell.text(), cell.reused());
                continue;
            }
            long expected = progress.estimate(tool, impl);
            long start = System.nanoTime();
            boolean timed = runs(impl, tool) && tool != Tool.FRAY;
            if (timed) {
                progress.start(String.format("[%d/%d] %-30s %-9s %srunning", n, of, impl.name(), tool.title(),
                        beyond ? "beyond contract: " : ""), expected);
            }
            if (!runs(impl, tool)) {
                cell = Cell.notRun(tool);
            } else if (tool == Tool.JCSTRESS) {
                List<Class<?>> tests = beyond ? contract.beyond(jcstress.tests()) : contract.within(jcstress.tests());
                cell = jcstress.run(impl, tests, stopsAtFirst(impl), out);
            } else if (tool == Tool.FRAY) {
                cell = fray.cell(impl, beyond);
            } else {
                List<Class<?>> side = beyond ? contract.beyond(checks.get(tool)) : contract.within(checks.get(tool));
                cell = side.isEmpty() ? Cell.notRun(tool) : inProcess(tool, side, impl);
            }
            if (timed) {
                progress.done(tool, impl, expected, (System.nanoTime() - start) / 1_000_000_000L);
            }
            if (runs(impl, tool)) {
                cache.store(cellKeys.get(cellId(impl, tool, beyond)), impl.name(), beyond, cell, out);
            }
            cells.put(tool, cell);
            log("[%d/%d] %-30s %-9s %s%s%s", n, of, impl.name(), tool.title(), beyond ? "beyond contract: " : "",
                    cell.text(), cell.failed() || cell.error() ? "  " + cell.where() + ": " + abbreviate(cell.headline()) : "");
        }
        return cells;
    }

    /**
     * Whether this run decides {@code row}'s candidate as the gate asks, its key
     * then recorded ({@link VerdictKeys}): a recorded verdict found again, by
     * every tool, on every race under the default kernel policy, with no error,
     * at the gate's budgets or more (not in quick mode).
     */
    private boolean recordsKey(Row row, List<String> erred) {
        return VerdictKeys.decidedCandidate(row.impl()) && row.ok() && erred.isEmpty() && recordsVerdicts(options);
    }

    /** Whether a run with {@code options} may record verdict keys: every tool, every race, the default policy, not quick. */
    static boolean recordsVerdicts(Options options) {
        return !experiment(options) && options.tools.containsAll(MATRIX_TOOLS) && options.mode != Mode.QUICK;
    }

    /** The second verdict: what breaks when the protocol is used beyond its contract. */
    private static String beyondVerdict(Contract contract, Map<Tool, Cell> beyond) {
        Set<Tool> caught = EnumSet.noneOf(Tool.class);
        Set<Tool> ran = EnumSet.noneOf(Tool.class);
        beyond.forEach((tool, cell) -> {
            if (cell.failed()) {
                caught.add(tool);
            }
            if (cell.status() != Cell.Status.NOT_RUN) {
                ran.add(tool);
            }
        });
        String where = "beyond its contract (" + contract + ")";
        return caught.isEmpty() ? where + ": nothing broke (" + (ran.isEmpty() ? "no check" : "passed " + titles(ran)) + ")"
                : where + ": refuted by " + titles(caught) + " (" + failedChecks(beyond) + ")";
    }

    /** Every cell of the row that failed with an error, named by tool and check. */
    private static List<String> errorsOf(Row row) {
        List<String> out = new ArrayList<>();
        row.cells().values().stream().filter(Cell::error)
                .forEach(c -> out.add(c.tool().title() + " " + c.where() + ": " + abbreviate(c.headline())));
        row.beyond().values().stream().filter(Cell::error)
                .forEach(c -> out.add(c.tool().title() + " (beyond contract) " + c.where() + ": " + abbreviate(c.headline())));
        return out;
    }

    /** The checks that declare one of the {@code --race} races (all of them without the option). */
    private List<Class<?>> ofRaces(List<Class<?>> checks) {
        return checks.stream()
                .filter(c -> options.races.isEmpty() || CheckRunner.racesOf(c).stream().anyMatch(options.races::contains))
                .toList();
    }

    /** The run's budgets, as its first lines say them. */
    static String budgets(Mode mode) {
        return switch (mode) {
            case QUICK -> "quick mode (Lincheck at half the scenarios and invocations but for the checks that keep"
                    + " their whole budget, the budget the gate's teeth prove; the gate's budgets for the others: jcstress"
                    + " JCSTRESS_MODE=" + System.getenv().getOrDefault("JCSTRESS_MODE", "gate") + " of stress-tests/"
                    + "run-gate.sh, jqwik x1 tries, seed " + SEED + "; a mutant by the tools it names only; a passing row"
                    + " reads \"" + QUICK_PASS + "\": --full decides and records verdicts)";
            case FULL -> "full mode (the gate's budgets: jcstress JCSTRESS_MODE="
                    + System.getenv().getOrDefault("JCSTRESS_MODE", "gate") + " of stress-tests/run-gate.sh, Lincheck"
                    + " x1, jqwik x1 tries, seed " + SEED + "; every tool on every row)";
            case DEEP -> "deep mode (nightly budgets: jcstress JCSTRESS_MODE=default of stress-tests/run-gate.sh,"
                    + " Lincheck x10 scenarios and invocations, jqwik x20 tries, random seeds)";
        };
    }

    /**
     * Whether this run runs {@code tool} against {@code impl}: a selected tool, and in quick mode
     * (without --all-checks), for a mutant, one it names as a catcher (another tool's miss decides nothing).
     */
    private boolean runs(CounterImplementation impl, Tool tool) {
        return runs(options, impl, tool);
    }

    static boolean runs(Options options, CounterImplementation impl, Tool tool) {
        return options.tools.contains(tool) && (options.allChecks || options.mode.runs(impl, tool));
    }

    /** A tool stops at its first failing check for mutants and candidates (a verdict needs one), unless --all-checks. */
    private boolean stopsAtFirst(CounterImplementation impl) {
        return !options.allChecks && impl.kind() != Kind.CORRECT;
    }

    private Map<String, String> properties(Tool tool, CounterImplementation impl) {
        return tool == Tool.LINCHECK
                ? Map.of("lincheck.deep", Boolean.toString(options.mode == Mode.DEEP),
                        BudgetFactor.LINCHECK_QUICK, Boolean.toString(options.mode == Mode.QUICK),
                        "lazycount.lincheck.minimize", Boolean.toString(impl.kind() != Kind.MUTANT))
                : Map.of("lazycount.seed", options.mode.seed(),
                        "lazycount.tries.factor", options.mode.triesFactor());
    }

    private Cell inProcess(Tool tool, List<Class<?>> all, CounterImplementation impl) {
        CheckRunner.FirstCatch f = CheckRunner.runUntilCaught(tool.title(), all, impl, properties(tool, impl),
                out.resolve("counter-examples"), stopsAtFirst(impl), o -> { });
        if (f.failedWithError()) {
            return new Cell(tool, Cell.Status.ERROR, f.millis(), f.error().check().getSimpleName() + " > "
                    + f.error().failedTest(), f.error().headline(), f.error().savedReport(), Set.of());
        }
        if (!f.caught()) {
            return new Cell(tool, impl.kind() == Kind.MUTANT ? Cell.Status.MISSED : Cell.Status.PASSED, f.millis(),
                    "", "", null, Set.of());
        }
        return new Cell(tool, Cell.Status.CAUGHT, f.millisToFirst(), f.first().check().getSimpleName() + " > "
                + f.first().failedTest(), f.first().headline(), f.first().savedReport(), f.races());
    }

    /**
     * An experiment: only some races ({@code --race}) or a kernel policy other
     * than the default. Recorded verdicts are for every race under the default
     * policy, so a candidate's row here is a finding, not a comparison; under a
     * non-default policy so is a correct implementation's.
     */
    private boolean experiment() {
        return experiment(options);
    }

    private static boolean experiment(Options options) {
        return !options.races.isEmpty() || !nonDefaultPolicy().isEmpty();
    }

    /**
     * The run's header, without its date and wall time: mode, settings, machine
     * and JDK. Shards merge only when theirs are the same.
     */
    static String runHeader(Options options) {
        return options.mode.title()
                + " mode, mm design " + UnderTest.design() + ", CPU handover " + lazycount.impl.Setting.CPU_HANDOVER.value()
                + ", kernel policy: " + UnderTest.policy()
                + (lazycount.impl.Setting.OWNER_CHECK.isDefault() ? "" : ", owner check: "
                        + lazycount.impl.Setting.OWNER_CHECK.value())
                + (options.races.isEmpty() ? "" : ", only the checks of " + options.races)
                + (options.allChecks ? ", every check" : "")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
    }

    /**
     * The settings that make this run an experiment: a kernel policy or owner
     * check the run sets against what each implementation's own code does
     * ({@link CounterImplementation#kernelPolicy()}).
     */
    private static String nonDefaultPolicy() {
        List<String> changed = new ArrayList<>();
        if (lazycount.impl.Setting.CLONE_UPGRADE.isSet()) {
            changed.add("clone upgrade " + lazycount.impl.Setting.CLONE_UPGRADE.value());
        }
        if (lazycount.impl.Setting.BORROWER.isSet()) {
            changed.add("borrowers " + lazycount.impl.Setting.BORROWER.value());
        }
        if (lazycount.impl.Setting.KILLED_VFORK_PARENT.isSet()) {
            changed.add("killed vfork parent " + lazycount.impl.Setting.KILLED_VFORK_PARENT.value());
        }
        if (lazycount.impl.Setting.READERS.isSet()) {
            changed.add("readers " + lazycount.impl.Setting.READERS.value());
        }
        if (!lazycount.impl.Setting.OWNER_CHECK.isDefault()) {
            changed.add("local paths trusting current->mm (no owner check)");
        }
        return String.join(", ", changed);
    }

    private Row judge(CounterImplementation impl, Map<Tool, Cell> cells) {
        Set<Tool> caughtBy = EnumSet.noneOf(Tool.class);
        Set<Tool> ran = EnumSet.noneOf(Tool.class);
        cells.forEach((tool, cell) -> {
            if (cell.status() != Cell.Status.NOT_RUN) {
                ran.add(tool);
            }
            if (cell.failed()) {
                caughtBy.add(tool);
            }
        });
        switch (impl.kind()) {
            case CORRECT -> {
                if (!nonDefaultPolicy().isEmpty()) {
                    return new Row(impl, cells, "under " + nonDefaultPolicy() + ": " + (caughtBy.isEmpty()
                            ? passed("passed", ran) : "refuted by " + titles(caughtBy) + " (" + failedChecks(cells)
                            + ")"), true);
                }
                return caughtBy.isEmpty() ? new Row(impl, cells, "correct: " + passed("passed", ran), true)
                        : new Row(impl, cells, "FAILED " + titles(caughtBy) + ": a correct implementation failed", false);
            }
            case MUTANT -> {
                if (!options.races.isEmpty() && !options.races.contains(impl.race())) {
                    return new Row(impl, cells, "its race " + impl.race() + " is not among --race "
                            + options.races + (caughtBy.isEmpty() ? "" : "; caught by " + titles(caughtBy)), true);
                }
                Set<Tool> expectedButMissed = EnumSet.noneOf(Tool.class);
                impl.expectedCatchers().stream().filter(ran::contains).filter(t -> !caughtBy.contains(t))
                        .forEach(expectedButMissed::add);
                if (ran.isEmpty() && impl.expectedCatchers().isEmpty() && options.mode == Mode.QUICK) {
                    return new Row(impl, cells, "names no catcher, so quick mode runs no tool on it (--full runs every one)"
                            + (impl.unobservableBecause().isEmpty() ? "" : "; argued unobservable: "
                            + impl.unobservableBecause()), !impl.unobservableBecause().isEmpty());
                }
                if (caughtBy.isEmpty()) {
                    boolean argued = !impl.unobservableBecause().isEmpty();
                    return new Row(impl, cells, argued ? "missed by every tool, argued unobservable: "
                            + impl.unobservableBecause() : "MISSED by every tool", argued);
                }
                return expectedButMissed.isEmpty()
                        ? new Row(impl, cells, "caught by " + titles(caughtBy), true)
                        : new Row(impl, cells, "caught by " + titles(caughtBy) + ", but MISSED by "
                                + titles(expectedButMissed) + ", which it names as catchers", false);
            }
            default -> {
                String found = caughtBy.isEmpty() ? passed("verified by", ran)
                        : "refuted by " + titles(caughtBy) + " (" + failedChecks(cells) + ")";
                lazycount.catalog.Verdict recorded = impl.recordedVerdict();
                if (experiment()) {
                    return new Row(impl, cells, (nonDefaultPolicy().isEmpty() ? "" : "under " + nonDefaultPolicy()
                            + ": ") + found + (options.races.isEmpty() ? "" : " on the checks of " + options.races)
                            + (recorded == null ? "" : " (recorded, for every race under the default policy: "
                            + (recorded.verified() ? "verified" : "refuted by "
                            + titles(EnumSet.copyOf(recorded.refutedBy()))) + ")"), true);
                }
                if (recorded == null) {
                    return new Row(impl, cells, found + "; no verdict recorded yet", true);
                }
                boolean same = recorded.verified() ? caughtBy.isEmpty()
                        : recorded.refutedBy().stream().filter(ran::contains).allMatch(caughtBy::contains)
                                && !caughtBy.isEmpty();
                return new Row(impl, cells, same ? found : found + ", but RECORDED as "
                        + (recorded.verified() ? "verified" : "refuted by " + titles(EnumSet.copyOf(recorded.refutedBy())))
                        + ": update the candidate's class", same);
            }
        }
    }

    /** What a quick mode's pass shows, and all it shows: its budgets are not the gate's. */
    static final String QUICK_PASS = "no counter-example at quick budgets";

    /** A row that {@code ran} these tools and none failed: {@code word} and the tools, or in quick mode all it shows. */
    private String passed(String word, Set<Tool> ran) {
        return (options.mode == Mode.QUICK ? QUICK_PASS + ": " : word + " ") + titles(ran);
    }

    private static String failedChecks(Map<Tool, Cell> cells) {
        List<String> where = new ArrayList<>();
        cells.values().stream().filter(Cell::failed).forEach(c -> where.add(c.where().replaceAll(" > .*", "")));
        return "first failing: " + String.join(", ", where);
    }

    private static String titles(Set<Tool> tools) {
        List<String> t = new ArrayList<>();
        tools.forEach(x -> t.add(x.title()));
        return String.join(", ", t);
    }

    static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() > 140 ? oneLine.substring(0, 137) + "..." : oneLine;
    }

    private void log(String format, Object... args) {
        long s = (System.nanoTime() - suiteStart) / 1_000_000_000L;
        System.out.printf("%3d:%02d %s%n", s / 60, s % 60, String.format(format, args));
        System.out.flush();
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE = """
                usage: ./verify-suite [--quick | --full | --deep] [--all-checks] [--impl NAME]... [--kind KIND]... [--tool TOOL]...
                  --quick       (default) the gate's budgets; a mutant is run by the tools it names as catchers only
                  --full        the gate's budgets, every tool on every row (which tools miss which mutant, too)
                  --deep        nightly budgets: jcstress -m default, Lincheck x10, jqwik x20 tries and random seeds
                  (every mode: a tool stops at the first failing check of a mutant or candidate)
                  --all-checks  run every check even after one failed (which checks see a mutant or candidate)
                  --impl NAME   only this implementation (repeatable); list them with --list
                  --kind KIND   only correct, candidate or mutant implementations (repeatable)
                  --tool TOOL   only jqwik, lincheck, jcstress or fray (repeatable; Fray needs the JDK 25, fray/README.md)
                  --race RACE   only the checks that declare this race of lazycount.catalog.Race (repeatable),
                                e.g. VFORK, BORROWER, CLONE_ENOMEM with LAZYCOUNT_CLONE_UPGRADE / LAZYCOUNT_BORROWER
                  --fresh       ignore the verdict cache: run every cell (and store the new verdicts)
                  --cache-dir DIR  the verdict cache (default $LAZYCOUNT_VERDICT_CACHE, else
                                ${XDG_CACHE_HOME:-$HOME/.cache}/lazycount/verdicts)
                  --shard K/N   only shard K of N of the selected implementations, balanced by each row's expected
                                cost; writes target/verification/rows.tsv for --merge
                  --merge PATH...  join shards' rows files (each PATH a rows.tsv or a directory holding them)
                                into one matrix, with the same exit status; runs nothing
                  --list        list the implementations and exit
                  --new NAME    scaffold candidate NAME in candidates/: its counter (the template's, renamed), its
                                declaration (undecided) and its registration; compiles, and the gate stays green
                exit status: 0 every verdict as expected, 1 not, 2 a set-up error or an ERROR cell""";

        Mode mode = Mode.QUICK;
        boolean allChecks;
        boolean help;
        boolean fresh;
        String cacheDir;
        int shardK = 1;
        int shardN = 1;
        final List<String> merge = new ArrayList<>();
        final Set<String> impls = new LinkedHashSet<>();
        final Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        final Set<Tool> tools = EnumSet.noneOf(Tool.class);
        final Set<lazycount.catalog.Race> races = EnumSet.noneOf(lazycount.catalog.Race.class);

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.mode = Mode.QUICK;
                    case "--full" -> o.mode = Mode.FULL;
                    case "--deep" -> o.mode = Mode.DEEP;
                    case "--all-checks" -> o.allChecks = true;
                    case "--impl" -> o.impls.add(value(args, ++i, "--impl"));
                    case "--kind" -> o.kinds.add(kind(value(args, ++i, "--kind")));
                    case "--tool" -> o.tools.add(tool(value(args, ++i, "--tool")));
                    case "--race" -> o.races.add(race(value(args, ++i, "--race")));
                    case "--fresh" -> o.fresh = true;
                    case "--cache-dir" -> o.cacheDir = value(args, ++i, "--cache-dir");
                    case "--shard" -> o.shard(value(args, ++i, "--shard"));
                    case "--merge" -> {
                        while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            o.merge.add(args[++i]);
                        }
                        if (o.merge.isEmpty()) {
                            throw new IllegalArgumentException("--merge needs one or more rows files or directories");
                        }
                    }
                    case "--list" -> {
                        Implementations.main(new String[0]);
                        System.exit(0);
                    }
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (o.tools.isEmpty()) {
                o.tools.addAll(MATRIX_TOOLS);
            }
            for (String name : o.impls) {
                Implementations.byName(name);   // names the known ones if unknown
            }
            return o;
        }

        private void shard(String spec) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)/(\\d+)").matcher(spec);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(1)) < 1
                    || Integer.parseInt(m.group(1)) > Integer.parseInt(m.group(2))) {
                throw new IllegalArgumentException("--shard takes K/N with 1 <= K <= N, not '" + spec + "'");
            }
            shardK = Integer.parseInt(m.group(1));
            shardN = Integer.parseInt(m.group(2));
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static lazycount.catalog.Race race(String s) {
            try {
                return lazycount.catalog.Race.valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--race takes one of " + java.util.Arrays.toString(
                        lazycount.catalog.Race.values()) + ", not '" + s + "'");
            }
        }

        private static Kind kind(String s) {
            try {
                return Kind.valueOf(s.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--kind takes correct, candidate or mutant, not '" + s + "'");
            }
        }

        private static Tool tool(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "jqwik" -> Tool.JQWIK;
                case "lincheck" -> Tool.LINCHECK;
                case "jcstress" -> Tool.JCSTRESS;
                case "fray" -> Tool.FRAY;
                default -> throw new IllegalArgumentException("--tool takes jqwik, lincheck, jcstress or fray, not '"
                        + s + "'");
            };
        }
    }
}
