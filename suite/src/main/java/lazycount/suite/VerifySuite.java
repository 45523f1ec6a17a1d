package lazycount.suite;

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
 * once per implementation. Quick mode uses the gate's budgets and, for a
 * mutant or a candidate, stops each tool at its first failing check (a
 * mutant's race first); a correct implementation, and a candidate that fails
 * nothing, runs every check. {@code --all-checks} runs every check always.
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
        boolean ok = suite.run();
        System.exit(suite.errors > 0 ? 2 : ok ? 0 : 1);
    }

    private final Options options;
    private final Path top = Path.of("").toAbsolutePath();
    private final Path out = top.resolve("target/verification");
    private final long suiteStart = System.nanoTime();
    /** Cells that failed with an error, not a catch: the run then exits 2. */
    private int errors;

    private VerifySuite(Options options) {
        this.options = options;
    }

    private boolean run() throws Exception {
        List<CounterImplementation> impls = Implementations.all().stream()
                .filter(i -> options.impls.isEmpty() || options.impls.contains(i.name()))
                .filter(i -> options.kinds.isEmpty() || options.kinds.contains(i.kind()))
                .toList();
        if (impls.isEmpty()) {
            throw new IllegalArgumentException("no implementation matches " + options.impls + " " + options.kinds);
        }
        Files.createDirectories(out);
        JcstressRunner jcstress = options.tools.contains(Tool.JCSTRESS)
                ? new JcstressRunner(top, options.deep, options.races) : null;
        FrayRunner fray = options.tools.contains(Tool.FRAY) ? new FrayRunner(top) : null;
        Map<Tool, List<Class<?>>> checks = new EnumMap<>(Tool.class);
        checks.put(Tool.LINCHECK, ofRaces(CheckRunner.checksIn(LINCHECK_PACKAGE)));
        checks.put(Tool.JQWIK, ofRaces(CheckRunner.checksIn(JQWIK_PACKAGE)));
        if (!options.races.isEmpty()) {
            log("only the checks of races %s", options.races);
        }
        log("%d implementations x %s, %s mode; checks: Lincheck %d, jqwik %d, jcstress %d", impls.size(),
                options.tools, options.deep ? "deep" : "quick", checks.get(Tool.LINCHECK).size(),
                checks.get(Tool.JQWIK).size(), jcstress == null ? 0 : jcstress.tests().size());
        if (fray != null) {
            log("Fray: one run on the instrumented JDK 25 for all %d implementations (log: %s) ...", impls.size(),
                    out.resolve("fray.log"));
            fray.runAll(impls, !options.allChecks, options.races, out, false);
            List<CounterImplementation> narrower = impls.stream().filter(i -> !i.contract().isGeneric()).toList();
            if (!narrower.isEmpty()) {
                log("Fray: the checks beyond the contracts of %s ...", narrower.stream()
                        .map(CounterImplementation::name).toList());
                fray.runAll(narrower, !options.allChecks, options.races, out, true);
            }
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
        }
        long seconds = (System.nanoTime() - suiteStart) / 1_000_000_000L;
        boolean ok = rows.stream().allMatch(Row::ok);
        Report report = new Report(rows, options, seconds, Instant.now());
        Files.writeString(top.resolve("target/verification-report.md"), report.markdown());
        Files.writeString(top.resolve("target/verification-report.html"), report.html(top.resolve("target")));
        log("wall time %d min %d s; %s; matrix: target/verification-report.md and .html", seconds / 60, seconds % 60,
                ok ? "every verdict as expected" : "SOME VERDICTS ARE NOT AS EXPECTED");
        rows.stream().filter(r -> !r.ok()).forEach(r -> log("  not as expected: %s: %s", r.impl().name(), r.verdict()));
        if (errors > 0) {
            log("%d cell(s) failed with an ERROR, not a catch: exit status 2", errors);
        }
        return ok;
    }

    /** One row's cells: the checks within {@code impl}'s contract, or with {@code beyond} those outside it. */
    private Map<Tool, Cell> cellsOf(CounterImplementation impl, Map<Tool, List<Class<?>>> checks,
            JcstressRunner jcstress, FrayRunner fray, boolean beyond, int n, int of) throws Exception {
        Contract contract = impl.contract();
        Map<Tool, Cell> cells = new EnumMap<>(Tool.class);
        for (Tool tool : List.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY)) {
            Cell cell;
            if (!options.tools.contains(tool)) {
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
            cells.put(tool, cell);
            log("[%d/%d] %-30s %-9s %s%s%s", n, of, impl.name(), tool.title(), beyond ? "beyond contract: " : "",
                    cell.text(), cell.failed() || cell.error() ? "  " + cell.where() + ": " + abbreviate(cell.headline()) : "");
        }
        return cells;
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

    /** Quick mode stops a tool at its first failing check for mutants and candidates (a verdict needs one). */
    private boolean stopsAtFirst(CounterImplementation impl) {
        return !options.allChecks && impl.kind() != Kind.CORRECT;
    }

    private Cell inProcess(Tool tool, List<Class<?>> all, CounterImplementation impl) {
        Map<String, String> properties = tool == Tool.LINCHECK
                ? Map.of("lincheck.deep", Boolean.toString(options.deep),
                        "lazycount.lincheck.minimize", Boolean.toString(impl.kind() != Kind.MUTANT))
                : Map.of("lazycount.seed", options.deep ? "" : SEED,
                        "lazycount.tries.factor", options.deep ? "20" : "1");
        CheckRunner.FirstCatch f = CheckRunner.runUntilCaught(tool.title(), all, impl, properties,
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
        return !options.races.isEmpty() || !nonDefaultPolicy().isEmpty();
    }

    private static String nonDefaultPolicy() {
        lazycount.rss.KernelPolicy p = UnderTest.policy();
        List<String> changed = new ArrayList<>();
        if (p.cloneUpgrade() != lazycount.rss.KernelPolicy.CloneUpgrade.EVERY_CLONE_VM) {
            changed.add("clone upgrade " + lazycount.rss.KernelPolicy.spelling(p.cloneUpgrade()));
        }
        if (p.borrowerPath() != lazycount.rss.KernelPolicy.BorrowerPath.OTHER_PATH) {
            changed.add("borrowers " + lazycount.rss.KernelPolicy.spelling(p.borrowerPath()));
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
                            ? "passed " + titles(ran) : "refuted by " + titles(caughtBy) + " (" + failedChecks(cells)
                            + ")"), true);
                }
                return caughtBy.isEmpty() ? new Row(impl, cells, "correct: passed " + titles(ran), true)
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
                String found = caughtBy.isEmpty() ? "verified by " + titles(ran)
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
                usage: ./verify-suite [--quick | --deep] [--all-checks] [--impl NAME]... [--kind KIND]... [--tool TOOL]...
                  --quick       (default) the gate's budgets; a tool stops at the first failing check of a mutant or candidate
                  --deep        nightly budgets: jcstress -m default, Lincheck x10, jqwik x20 tries and random seeds
                  --all-checks  run every check even after one failed (which checks see a mutant or candidate)
                  --impl NAME   only this implementation (repeatable); list them with --list
                  --kind KIND   only correct, candidate or mutant implementations (repeatable)
                  --tool TOOL   only jqwik, lincheck, jcstress or fray (repeatable; Fray needs the JDK 25, fray/README.md)
                  --race RACE   only the checks that declare this race of lazycount.catalog.Race (repeatable),
                                e.g. VFORK, BORROWER, CLONE_ENOMEM with LAZYCOUNT_CLONE_UPGRADE / LAZYCOUNT_BORROWER
                  --list        list the implementations and exit""";

        boolean deep;
        boolean allChecks;
        boolean help;
        final Set<String> impls = new LinkedHashSet<>();
        final Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        final Set<Tool> tools = EnumSet.noneOf(Tool.class);
        final Set<lazycount.catalog.Race> races = EnumSet.noneOf(lazycount.catalog.Race.class);

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.deep = false;
                    case "--deep" -> o.deep = true;
                    case "--all-checks" -> o.allChecks = true;
                    case "--impl" -> o.impls.add(value(args, ++i, "--impl"));
                    case "--kind" -> o.kinds.add(kind(value(args, ++i, "--kind")));
                    case "--tool" -> o.tools.add(tool(value(args, ++i, "--tool")));
                    case "--race" -> o.races.add(race(value(args, ++i, "--race")));
                    case "--list" -> {
                        Implementations.main(new String[0]);
                        System.exit(0);
                    }
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (o.tools.isEmpty()) {
                o.tools.addAll(EnumSet.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY));
            }
            for (String name : o.impls) {
                Implementations.byName(name);   // names the known ones if unknown
            }
            return o;
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
