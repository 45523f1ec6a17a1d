package lazycount.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./verify-suite --new NAME}: steps 2 and 3 of the README's "Verify
 * your own protocol" done for you. Writes, in {@code candidates/}, the two
 * classes of an undecided candidate and its registration:
 * <ul>
 * <li>{@code <Name>Counter.java}, the template counter
 *     ({@code LongAdderCounter.java}, read from the repository, so the
 *     template has one copy) under a new name: a correct, non-kernel counter
 *     that passes the gate's sequential contract tests until its value is
 *     replaced by the protocol;</li>
 * <li>{@code <Name>Implementation.java}, its declaration: the name, a
 *     one-line description to fill in, a {@code null} verdict (undecided), the
 *     seam {@code newLazyCounter}, and the declarations to consider
 *     (contract, kernel policy, kernel paths) as comments;</li>
 * <li>a line in {@code META-INF/services/lazycount.impl.CounterImplementation}.</li>
 * </ul>
 * It compiles as written, and the gate stays green with it registered: an
 * undecided candidate is not in REPORT.md's generated sections, gets only the
 * sequential contract tests in the gate, and needs no recorded key
 * ({@link lazycount.testkit.VerdictKeys}).
 */
final class Scaffold {

    static final Path CANDIDATE_SOURCES = Path.of("candidates/src/main/java/lazycount/candidate");
    static final Path SERVICES = Path.of("candidates/src/main/resources/META-INF/services/"
            + "lazycount.impl.CounterImplementation");
    static final String TEMPLATE = "LongAdderCounter";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** What was written, relative to the repository. */
    record Written(String className, Path counter, Path implementation, Path services) {
    }

    private Scaffold() {
    }

    /** The class-name stem of {@code name}: {@code my-fold} gives {@code MyFold}. */
    static String stem(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--new takes a name of lower-case letters, digits and dashes, starting "
                    + "with a letter (like the others of --list: rfc-fixed, grace-period), not '" + name + "'");
        }
        StringBuilder s = new StringBuilder();
        for (String part : name.split("-")) {
            s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return s.toString();
    }

    /**
     * Writes candidate {@code name} under {@code top} (a repository, or a copy).
     *
     * @param taken the names already registered (from {@code --list})
     * @throws IllegalArgumentException if the name is malformed or taken, or a file would be overwritten
     */
    static Written create(Path top, String name, List<String> taken) throws IOException {
        String stem = stem(name);
        if (taken.contains(name)) {
            throw new IllegalArgumentException("an implementation named '" + name + "' is already registered (see "
                    + "./verify-suite --list): choose another name");
        }
        Path dir = top.resolve(CANDIDATE_SOURCES);
        Path counter = dir.resolve(stem + "Counter.java");
        Path implementation = dir.resolve(stem + "Implementation.java");
        for (Path p : List.of(counter, implementation)) {
            if (Files.exists(p)) {
                throw new IllegalArgumentException(top.relativize(p) + " already exists: choose another name, or "
                        + "register that class by hand (README, Verify your own protocol, step 3)");
            }
        }
        Path services = top.resolve(SERVICES);
        String className = "lazycount.candidate." + stem + "Implementation";
        List<String> registered = Files.readAllLines(services);
        if (registered.stream().map(String::strip).anyMatch(className::equals)) {
            throw new IllegalArgumentException(className + " is already registered in " + SERVICES);
        }
        Files.writeString(counter, counterSource(Files.readString(dir.resolve(TEMPLATE + ".java")), name, stem));
        Files.writeString(implementation, implementationSource(name, stem));
        String text = Files.readString(services);
        Files.writeString(services, text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + className + "\n");
        return new Written(className, top.relativize(counter), top.relativize(implementation), SERVICES);
    }

    /** The template counter renamed, its class comment replaced by one that says where it came from. */
    static String counterSource(String template, String name, String stem) {
        Matcher doc = Pattern.compile("(?s)/\\*\\*(?:(?!\\*/).)*\\*/\\s*(?=public final class " + TEMPLATE + "\\b)")
                .matcher(template);
        if (!doc.find()) {
            throw new IllegalStateException(TEMPLATE + ".java has no class comment before 'public final class "
                    + TEMPLATE + "': Scaffold cannot adapt the template");
        }
        String comment = """
                /**
                 * The counter of candidate {@code %s}, scaffolded by {@code ./verify-suite --new %s}
                 * from the template {@code %s}: one {@code LongAdder} in both modes, the mode a
                 * flag. Replace its value and paths with your protocol (README, "Verify your own
                 * protocol", step 1, says what each operation must do); the owner, the teardown flag
                 * and the upgrade policy's count are {@code LazyCounterBase}'s.
                 */
                """.formatted(name, name, TEMPLATE);
        String rename = "\\b" + TEMPLATE + "\\b";
        return template.substring(0, doc.start()).replaceAll(rename, stem + "Counter") + comment
                + template.substring(doc.end()).replaceAll(rename, stem + "Counter");
    }

    static String implementationSource(String name, String stem) {
        return """
                package lazycount.candidate;

                import lazycount.counter.RssCounter;
                import lazycount.counter.UpgradePolicy;
                import lazycount.cpu.Cpus;

                /**
                 * Candidate {@value #NAME}, scaffolded by {@code ./verify-suite --new %1$s}: the
                 * declaration of {@link %2$sCounter}. Undecided (a null verdict) until
                 * {@code ./verify-suite --impl %1$s} has spoken (README, "Verify your own protocol").
                 */
                public final class %2$sImplementation extends CandidateImplementation {

                    public static final String NAME = "%1$s";

                    public %2$sImplementation() {
                        super(NAME, "TODO: one line, what the protocol does (REPORT.md's candidates table shows it)",
                                null);   // the verdict, once ./verify-suite has decided it (README, step 6)
                    }

                    @Override
                    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
                        return new %2$sCounter(cpus, policy);
                    }

                    /**
                     * The template's read() is exact (bound 0), not the kernel's central count: the
                     * fidelity checks do not apply. Delete this once your read() is the kernel's.
                     */
                    @Override
                    public boolean kernelFaithful() {
                        return false;
                    }

                    // Declare what your C code does (README, step 2), as the other candidates do:
                    //   contract()       Contract.RSS_STAT if only copy_mm upgrades, the four counters together;
                    //                    the default, Contract.GENERIC, lets any context call every operation.
                    //                    What no contract allows (a use racing the teardown) is the operation-pair
                    //                    table's: REPORT.md section 11, lazycount.catalog.OpPairs.
                    //   kernelPolicy()   which clones upgrade, the path of a kthread_use_mm borrower
                    //   kernelPath(Op)   the C call path of each operation, for counter-examples in the kernel's words
                    //   other seams      newPercpuCounter, newRssCounters, upgradeAll, destroyAll, newMm
                }
                """.formatted(name, stem);
    }

    /** {@code Scaffold NAME}: writes the candidate in this repository and says what to do next. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ./verify-suite --new NAME");
            System.exit(2);
        }
        Written w;
        try {
            w = create(Path.of("").toAbsolutePath(), args[0], lazycount.impl.Implementations.all().stream()
                    .map(lazycount.impl.CounterImplementation::name).toList());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("verify-suite: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("wrote " + w.counter() + " (the template counter, renamed: put your protocol in it)");
        System.out.println("wrote " + w.implementation() + " (its declaration: description, contract, seams)");
        System.out.println("registered " + w.className() + " in " + w.services());
        System.out.println("next: mvn -B -pl candidates -am test -Dtest=RssCounterContractTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false   # the sequential contract, on it too");
        System.out.println("      ./verify-suite --impl " + args[0] + "          # a first answer, every tool at quick budgets (README, step 4)");
        System.out.println("      ./verify-suite --full --impl " + args[0] + "   # its verdict, every tool at the gate's budgets");
    }
}
