package lazycount.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import lazycount.impl.CounterImplementation;

/**
 * The code each candidate's recorded verdict was decided for, kept in the
 * repository ({@link #FILE}, one line a candidate: its name and key), so that
 * the gate knows which candidates changed since their verdict.
 *
 * <p>A candidate's key is a SHA-256 over the source files of its own classes:
 * the classes the verdict cache's key follows ({@link ClassGraph#ownClasses}: the
 * implementation's class and the candidate classes it reaches), each mapped to
 * its {@code .java} file. Sources rather than bytecode, because javac 17 and
 * javac 25 (both build the gate) compile the same source to different class
 * files; the model's code is not in it (a change there re-decides every row
 * in {@code ./verify-suite}, through the cache's key, not in the gate).
 *
 * <p>{@code ./verify-suite} writes a candidate's key when it has decided the
 * candidate with every tool, the default kernel policy and every race, and
 * found its recorded verdict; the gate ({@code VerdictKeysTest}) fails if a
 * candidate with a recorded verdict has no key or another one, printing the
 * command that re-decides it. An undecided candidate needs no key.
 */
public final class VerdictKeys {

    public static final Path FILE = Path.of("candidates/verdict-keys.tsv");

    private static final String HEADER = """
            # The code each candidate's recorded verdict was decided for: NAME<TAB>SHA-256 over the sources of its
            # own classes (lazycount.suite.VerdictKeys). Written by ./verify-suite when it decides a candidate with
            # every tool and finds its recorded verdict; the gate (suite's VerdictKeysTest) fails when a candidate's
            # code has changed since. Do not edit: run ./verify-suite --full --impl NAME.
            """;

    private final Path top;
    private final ClassGraph graph;

    public VerdictKeys(Path top, ClassGraph graph) {
        this.top = top;
        this.graph = graph;
    }

    /** Whether {@code impl} is a candidate whose verdict is recorded (and so needs a key). */
    public static boolean decidedCandidate(CounterImplementation impl) {
        return impl.kind() == CounterImplementation.Kind.CANDIDATE && impl.recordedVerdict() != null;
    }

    /** The one command that re-decides {@code names} and records their keys (at the gate's budgets: quick mode records none). */
    public static String command(List<String> names) {
        StringBuilder c = new StringBuilder("./verify-suite --full");
        names.forEach(n -> c.append(" --impl ").append(n));
        return c.toString();
    }

    /** The source files of {@code impl}'s own classes, relative to the repository. */
    public List<Path> sources(CounterImplementation impl) {
        if (graph.ownClasses(impl.getClass()).isEmpty()) {
            throw new IllegalStateException("the classes of " + impl.name() + " (" + impl.getClass().getName()
                    + ") are not on the class path under lazycount/: a protocol lives in lazycount.candidate"
                    + " (README, Verify your own protocol)");
        }
        return graph.ownSources(impl.getClass(), top);
    }

    /** {@code impl}'s key: its sources' paths and contents ({@link ClassGraph#sourceHash}). */
    public String key(CounterImplementation impl) {
        return ClassGraph.sourceHash(top, sources(impl));
    }

    /** The recorded keys, by candidate name. */
    public SortedMap<String, String> recorded() {
        SortedMap<String, String> r = new TreeMap<>();
        Path file = top.resolve(FILE);
        if (!Files.exists(file)) {
            return r;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 2) {
                    throw new IllegalStateException(FILE + ": not NAME<TAB>KEY: '" + line + "'");
                }
                r.put(f[0], f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    /** The candidates of {@code impls} with a recorded verdict whose key is missing or another than their code's. */
    public List<CounterImplementation> changed(List<CounterImplementation> impls) {
        SortedMap<String, String> recorded = recorded();
        return impls.stream().filter(VerdictKeys::decidedCandidate)
                .filter(i -> !key(i).equals(recorded.get(i.name()))).toList();
    }

    /**
     * What is wrong with the recorded keys against {@code impls} (empty if
     * nothing): a changed candidate, one never recorded, a line for a name that
     * is no decided candidate; the last line the command that mends it.
     */
    public List<String> problems(List<CounterImplementation> impls) {
        SortedMap<String, String> recorded = recorded();
        List<String> problems = new ArrayList<>();
        List<String> redecide = new ArrayList<>();
        for (CounterImplementation i : changed(impls)) {
            redecide.add(i.name());
            problems.add(recorded.containsKey(i.name())
                    ? "candidate " + i.name() + ": its code changed since its recorded verdict was decided ("
                            + String.join(", ", sources(i).stream().map(Path::toString).toList()) + ")"
                    : "candidate " + i.name() + ": a recorded verdict, but no key in " + FILE
                            + " (never decided by ./verify-suite for this code)");
        }
        List<String> decided = impls.stream().filter(VerdictKeys::decidedCandidate).map(CounterImplementation::name)
                .toList();
        recorded.keySet().stream().filter(n -> !decided.contains(n)).forEach(n -> problems.add(FILE + " has a line for '"
                + n + "', which is no candidate with a recorded verdict: delete that line"));
        if (!redecide.isEmpty()) {
            problems.add("re-decide with every tool at the gate's budgets, which records the new keys where the "
                    + "recorded verdicts still hold (where one does not, the run says so: record the new verdict in "
                    + "the candidate's class and run it again): " + command(redecide));
        }
        return problems;
    }

    /** Records {@code impl}'s key (its code as it is now); drops lines of names that are no decided candidate. */
    public void record(CounterImplementation impl, List<CounterImplementation> impls) {
        SortedMap<String, String> recorded = recorded();
        recorded.put(impl.name(), key(impl));
        List<String> decided = impls.stream().filter(VerdictKeys::decidedCandidate).map(CounterImplementation::name)
                .toList();
        StringBuilder text = new StringBuilder(HEADER);
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            if (decided.contains(e.getKey())) {
                text.append(e.getKey()).append('\t').append(e.getValue()).append('\n');
            }
        }
        try {
            Files.writeString(top.resolve(FILE), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
