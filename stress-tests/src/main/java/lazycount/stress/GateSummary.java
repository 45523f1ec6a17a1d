package lazycount.stress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;

/**
 * The gate's verdict: reads the console log of a verbose jcstress run and
 * prints one line per test, then exits non-zero if any test was not OK.
 * Used by {@code run-gate.sh}; not a test.
 *
 * <p>Design notes. jcstress's exit status says that something failed, not
 * which test or why, so the verdict comes from its report (and the script
 * also fails on a non-zero jcstress exit). With {@code -v} jcstress ends
 * with a "Results across all configurations" table per test, preceded by the
 * test's overall status ({@code [OK]}, {@code [FAILED]}, {@code [ERROR]},
 * {@code [TIMEOUT]}, {@code [VM ERROR]}...). A test passes only if every
 * status line for it says OK and no Forbidden row has samples; anything else,
 * including a test the run never reported, fails the gate.
 *
 * <p>Usage: {@code GateSummary LOG [EXPECTED_TEST_REGEX]} or
 * {@code GateSummary --describe-impl NAME} (exit 2 if unknown).
 */
public final class GateSummary {

    private static final Pattern STATUS =
            Pattern.compile("\\[(OK|FAILED|ERROR|TIMEOUT|VM ERROR|SKIPPED|INTERESTING)\\] (lazycount\\.stress\\.\\w+)\\s*$");
    /** A table row: result, samples, frequency, expectation, description. */
    private static final Pattern ROW =
            Pattern.compile("^\\s*(.+?)\\s+([0-9][0-9,]*)\\s+(<?[0-9.]+%)\\s+(Acceptable|Forbidden|Interesting)\\s+(.*)$");

    private static final Pattern EXCEPTION = Pattern.compile("^[\\w.$]+(Exception|Error)\\b");

    private static final int SHOWN_FORBIDDEN = 3;

    private GateSummary() {
    }

    /** What the log says about one test. */
    private static final class Verdict {
        final List<String> statuses = new ArrayList<>();
        /** Forbidden results seen, as {samples, text}; the line shows the most frequent few. */
        final List<Object[]> forbiddenSeen = new ArrayList<>();
        String firstMessage;
        long samples;

        boolean passed() {
            return !statuses.isEmpty() && statuses.stream().allMatch("OK"::equals) && forbiddenSeen.isEmpty();
        }

        String worstStatus() {
            for (String s : new String[] {"VM ERROR", "ERROR", "TIMEOUT", "FAILED", "SKIPPED", "INTERESTING"}) {
                if (statuses.contains(s)) {
                    return s;
                }
            }
            return forbiddenSeen.isEmpty() ? "OK" : "FAILED";
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--describe-impl")) {
            System.exit(describe(args[1]));
        }
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: GateSummary LOG [EXPECTED_TEST_REGEX] | GateSummary --describe-impl NAME");
            System.exit(2);
        }
        List<String> log = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        Map<String, Verdict> verdicts = parse(log);
        List<String> expected = args.length == 2 ? expectedTests(args[1]) : List.of();
        for (String name : expected) {
            verdicts.computeIfAbsent(name, n -> new Verdict());
        }
        if (verdicts.isEmpty()) {
            System.out.println("[FAIL] no jcstress test reported a result (see " + args[0] + ")");
            System.exit(1);
        }
        int failed = 0;
        for (Map.Entry<String, Verdict> e : verdicts.entrySet()) {
            System.out.println(line(e.getKey(), e.getValue()));
            if (!e.getValue().passed()) {
                failed++;
            }
        }
        System.out.println("jcstress gate: " + (verdicts.size() - failed) + " of " + verdicts.size()
                + " tests passed" + (failed == 0 ? "" : ", " + failed + " FAILED"));
        System.exit(failed == 0 ? 0 : 1);
    }

    private static Map<String, Verdict> parse(List<String> log) {
        Map<String, Verdict> verdicts = new TreeMap<>();
        Verdict current = null;
        boolean inAggregate = false;
        boolean awaitingMessage = false;
        for (String raw : log) {
            String line = raw.replace("\r", "");
            Matcher status = STATUS.matcher(line);
            if (status.find()) {
                current = verdicts.computeIfAbsent(simpleName(status.group(2)), n -> new Verdict());
                current.statuses.add(status.group(1));
                inAggregate = false;
                awaitingMessage = false;
                continue;
            }
            if (current == null) {
                continue;
            }
            if (line.trim().equals("Results across all configurations:")) {
                inAggregate = true;
                continue;
            }
            if (line.trim().equals("Messages:")) {
                awaitingMessage = current.firstMessage == null;
                continue;
            }
            if (awaitingMessage && !line.isBlank()) {
                // The first line is often a generic "Unrecoverable error while running"; prefer the exception.
                String text = line.trim();
                if (current.firstMessage == null || EXCEPTION.matcher(text).find()) {
                    current.firstMessage = text;
                }
                awaitingMessage = !EXCEPTION.matcher(text).find() && !text.startsWith("at ");
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inAggregate && row.matches()) {
                long samples = Long.parseLong(row.group(2).replace(",", ""));
                current.samples += samples;
                if (samples > 0 && row.group(4).equals("Forbidden")) {
                    current.forbiddenSeen.add(new Object[] {samples,
                            "\"" + row.group(1) + "\" x" + row.group(2) + " (" + row.group(5).trim() + ")"});
                }
            }
        }
        return verdicts;
    }

    private static String line(String name, Verdict v) {
        String label = String.format("%-30s", name);
        if (v.statuses.isEmpty()) {
            return "[FAIL] " + label + " no result: the test did not run or its VM died (see the console log)";
        }
        if (v.passed()) {
            return String.format("[PASS] %s OK, %,d samples, no forbidden outcome", label, v.samples);
        }
        StringBuilder sb = new StringBuilder("[FAIL] ").append(label).append(' ').append(v.worstStatus());
        if (!v.forbiddenSeen.isEmpty()) {
            v.forbiddenSeen.sort((a, b) -> Long.compare((Long) b[0], (Long) a[0]));
            sb.append(": forbidden ");
            for (int i = 0; i < Math.min(SHOWN_FORBIDDEN, v.forbiddenSeen.size()); i++) {
                sb.append(i == 0 ? "" : "; ").append(v.forbiddenSeen.get(i)[1]);
            }
            if (v.forbiddenSeen.size() > SHOWN_FORBIDDEN) {
                sb.append("; and ").append(v.forbiddenSeen.size() - SHOWN_FORBIDDEN)
                        .append(" more forbidden results (see the report)");
            }
        }
        if (v.firstMessage != null) {
            sb.append(": ").append(v.firstMessage);
        }
        return sb.toString();
    }

    private static List<String> expectedTests(String regex) throws IOException {
        Pattern filter = Pattern.compile(regex);
        List<String> names = new ArrayList<>();
        try (var in = GateSummary.class.getResourceAsStream("/META-INF/TestList")) {
            if (in == null) {
                return names;
            }
            Matcher m = Pattern.compile("lazycount\\.stress\\.(\\w+Test)").matcher(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                String fqcn = "lazycount.stress." + m.group(1);
                if (filter.matcher(fqcn).find() && !names.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static String simpleName(String fqcn) {
        return fqcn.substring(fqcn.lastIndexOf('.') + 1);
    }

    private static int describe(String name) {
        try {
            CounterImplementation impl = Implementations.byName(name);
            String kind = switch (impl.kind()) {
                case CORRECT -> "correct";
                case CANDIDATE -> "candidate: " + impl.description();
                case MUTANT -> "mutant: breaks " + impl.breaks();
            };
            System.out.println("implementation: " + impl.name() + " (" + kind + ")");
            return 0;
        } catch (IllegalArgumentException e) {
            System.out.println("[FAIL] " + e.getMessage());
            return 2;
        }
    }
}
