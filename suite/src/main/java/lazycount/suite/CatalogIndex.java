package lazycount.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.OpPairs;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.catalog.Verdict;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.testkit.CheckRunner;

/**
 * Generates, from the declarations alone ({@code @Checks} on the checks, the
 * mutants' races and catchers, the candidates' recorded verdicts,
 * {@link OpPairs}), the sections of REPORT.md between
 * {@code <!-- generated: NAME -->} and {@code <!-- end generated: NAME -->}:
 * the race index, the operation-pair table and the candidates' verdicts.
 *
 * <p>Usage: {@code CatalogIndex --write REPORT.md} rewrites them;
 * {@code CatalogIndex --check REPORT.md} exits 1 if they are stale (the gate's
 * {@code CatalogIndexTest} does the same).
 */
public final class CatalogIndex {

    private final Map<Tool, List<Class<?>>> checks = new EnumMap<>(Tool.class);
    private final List<CounterImplementation> impls = Implementations.all();

    public CatalogIndex() {
        checks.put(Tool.JCSTRESS, JcstressRunner.findTests());
        checks.put(Tool.LINCHECK, CheckRunner.checksIn(VerifySuite.LINCHECK_PACKAGE));
        checks.put(Tool.JQWIK, CheckRunner.checksIn(VerifySuite.JQWIK_PACKAGE));
        checks.put(Tool.FRAY, FrayRunner.findChecks());
    }

    /** The tools with checks, one column each. */
    private static final List<Tool> COLUMNS = List.of(Tool.JCSTRESS, Tool.LINCHECK, Tool.JQWIK, Tool.FRAY);

    /** The generated sections, by name. */
    public Map<String, String> sections() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("race-index", raceIndex());
        s.put("operation-pairs", operationPairs());
        s.put("candidates", candidates());
        return s;
    }

    private String raceIndex() {
        StringBuilder md = new StringBuilder("| race | invariant | jcstress | Lincheck | jqwik | Fray | mutants that break it |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Race race : Race.values()) {
            md.append("| ").append(race.title())
                    .append(" (`").append(race).append("`) | ").append(race.invariant()).append(" | ");
            for (Tool tool : COLUMNS) {
                md.append(checks.get(tool).stream().filter(c -> declares(c, race)).map(c -> name(c, race))
                        .collect(Collectors.joining(", "))).append(" | ");
            }
            md.append(impls.stream().filter(i -> race == i.race()).map(i -> "`" + i.name() + "` ("
                    + (i.expectedCatchers().isEmpty() ? "argued unobservable"
                            : i.expectedCatchers().stream().sorted().map(Tool::title).collect(Collectors.joining(", ")))
                    + ")").collect(Collectors.joining(", "))).append(" |\n");
        }
        return md.toString();
    }

    private String operationPairs() {
        StringBuilder md = new StringBuilder("| pair | jcstress | Lincheck | jqwik | Fray | or why it cannot happen |\n"
                + "|---|---|---|---|---|---|\n");
        int gaps = 0;
        Op[] ops = Op.values();
        for (int i = 0; i < ops.length; i++) {
            for (int j = i; j < ops.length; j++) {
                Op a = ops[i];
                Op b = ops[j];
                md.append("| ").append(a.title()).append(" ∥ ").append(b.title()).append(" | ");
                boolean raced = false;
                for (Tool tool : COLUMNS) {
                    String racers = checks.get(tool).stream().filter(c -> races(c, a, b)).map(Class::getSimpleName)
                            .collect(Collectors.joining(", "));
                    raced |= !racers.isEmpty();
                    md.append(racers).append(" | ");
                }
                String never = OpPairs.whyNever(a, b);
                if (never != null) {
                    md.append(never);
                } else if (!raced) {
                    md.append("**GAP: no check races this pair**");
                    gaps++;
                }
                md.append(" |\n");
            }
        }
        return md.append("\n").append(gaps == 0 ? "No gaps." : gaps + " gaps.").append("\n").toString();
    }

    /**
     * The candidates with a recorded verdict, and the contracts of the declared
     * implementations. An undecided candidate is not listed (nor its contract,
     * if no other has it): registering one leaves REPORT.md as it is, and the
     * section changes when its verdict is recorded.
     */
    private String candidates() {
        StringBuilder md = new StringBuilder("| candidate | protocol | contract | recorded verdict (under its contract) |\n"
                + "|---|---|---|---|\n");
        List<CounterImplementation> decided = impls.stream().filter(i -> !undecided(i)).toList();
        for (CounterImplementation i : decided) {
            if (i.kind() != CounterImplementation.Kind.CANDIDATE) {
                continue;
            }
            Verdict v = i.recordedVerdict();
            md.append("| `").append(i.name()).append("` | ").append(i.description()).append(" | ")
                    .append(i.contract()).append(" | ")
                    .append(v.verified() ? "**verified**: " + v.finding()
                            : "**refuted** by " + v.refutedBy().stream().sorted().map(Tool::title)
                                    .collect(Collectors.joining(", ")) + ": " + v.finding())
                    .append(" |\n");
        }
        md.append("\nUndecided candidates (no verdict recorded yet) are not listed: `./verify-suite --full --kind candidate`"
                + " decides them.\n");
        md.append("\nContracts: ");
        decided.stream().map(CounterImplementation::contract).distinct().forEach(c -> {
            md.append("**").append(c).append("**: ").append(c.summary());
            c.notCalled().forEach((op, why) -> md.append("; no ").append(op).append(" (").append(why).append(')'));
            md.append(". ");
        });
        return md.toString().strip() + "\n";
    }

    static boolean undecided(CounterImplementation impl) {
        return impl.kind() == CounterImplementation.Kind.CANDIDATE && impl.recordedVerdict() == null;
    }

    private static boolean declares(Class<?> check, Race race) {
        return Arrays.stream(check.getAnnotationsByType(Checks.class)).anyMatch(c -> c.value() == race);
    }

    private static String name(Class<?> check, Race race) {
        boolean fidelity = Arrays.stream(check.getAnnotationsByType(Checks.class))
                .anyMatch(c -> c.value() == race && c.kind() == Checks.Kind.FIDELITY);
        return check.getSimpleName() + (fidelity ? " (fidelity)" : "");
    }

    /** Whether some declaration of {@code check} runs {@code a} and {@code b} on two of its threads. */
    static boolean races(Class<?> check, Op a, Op b) {
        for (Checks c : check.getAnnotationsByType(Checks.class)) {
            List<Op> ops = c.ops().length > 0 ? Arrays.asList(c.ops()) : c.value().ops();
            int ia = ops.indexOf(a);
            if (ia < 0) {
                continue;
            }
            if (a != b ? ops.contains(b) : c.everyPair() || ops.lastIndexOf(a) != ia) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with every generated section replaced; fails if a section's markers are missing. */
    public String rewrite(String text) {
        String result = text;
        for (Map.Entry<String, String> e : sections().entrySet()) {
            String begin = "<!-- generated: " + e.getKey() + " -->\n";
            String end = "<!-- end generated: " + e.getKey() + " -->";
            int i = result.indexOf(begin);
            int j = result.indexOf(end);
            if (i < 0 || j < i) {
                throw new IllegalStateException("REPORT.md has no '" + begin.strip() + "' ... '" + end + "' section");
            }
            result = result.substring(0, i + begin.length()) + e.getValue() + result.substring(j);
        }
        return result;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("--write") || args[0].equals("--check"))) {
            System.err.println("usage: CatalogIndex --write|--check REPORT.md");
            System.exit(2);
        }
        Path report = Path.of(args[1]);
        String text = Files.readString(report);
        String fresh = new CatalogIndex().rewrite(text);
        if (args[0].equals("--write")) {
            Files.writeString(report, fresh);
            System.out.println("rewrote the generated sections of " + report);
        } else if (!fresh.equals(text)) {
            System.err.println(report + ": the generated sections are stale; run ./verify-suite --write-index");
            System.exit(1);
        }
    }
}
