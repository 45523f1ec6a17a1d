package lazycount.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;

/**
 * The teeth of a tool module, driven by the catalog: every mutant that
 * declares this tool among its catchers must be caught by at least one of the
 * module's checks of the race it breaks, and every check of the module must
 * catch at least one mutant (a check that cannot fail is a defect). No mutant
 * name is written in a test: the mutants' own declarations decide what runs.
 */
public final class Teeth {

    /** A mutant and what each check of its race did against it. */
    public record Row(CounterImplementation mutant, List<CheckRunner.Outcome> outcomes) {

        public boolean caught() {
            return outcomes.stream().anyMatch(CheckRunner.Outcome::caught);
        }

        public String describe() {
            StringBuilder text = new StringBuilder(mutant.name() + " (" + mutant.race() + "):");
            for (CheckRunner.Outcome o : outcomes) {
                text.append("\n    ").append(o.check().getSimpleName()).append(": ")
                        .append(o.caught() ? "caught in " + o.millis() + " ms by " + o.failedTest()
                                + " -- " + o.headline() + " (report: " + o.savedReport() + ")"
                                : "passed (" + o.millis() + " ms)");
            }
            return text.toString();
        }
    }

    private final Tool tool;
    private final List<Class<?>> checks;
    private final Map<String, String> gateProperties;
    private final Map<String, String> properties;
    private final Path reportDir;
    private final Map<Class<?>, Set<String>> caughtBy = new LinkedHashMap<>();

    /**
     * @param checkPackage the package of the module's checks
     * @param properties   system properties set for every run (a fixed seed, a budget)
     * @param quick        the system properties of quick mode's budgets, set on top for the teeth
     *                     (a mutant, a refuted candidate: what catches there catches at the gate's
     *                     budgets too), not for a verified candidate re-decided at the gate's
     */
    public Teeth(Tool tool, String checkPackage, Map<String, String> properties, Map<String, String> quick,
            Path reportDir) {
        this.tool = tool;
        this.checks = CheckRunner.checksIn(checkPackage);
        if (checks.isEmpty()) {
            throw new IllegalStateException("no @Checks classes in package " + checkPackage);
        }
        this.gateProperties = Map.copyOf(properties);
        Map<String, String> atQuickBudgets = new java.util.TreeMap<>(properties);
        atQuickBudgets.putAll(quick);
        this.properties = Map.copyOf(atQuickBudgets);
        this.reportDir = reportDir;
        checks.forEach(c -> caughtBy.put(c, new TreeSet<>()));
    }

    /** The mutants that declare this tool among their catchers. */
    public List<CounterImplementation> mutants() {
        return Implementations.all().stream()
                .filter(i -> i.kind() == CounterImplementation.Kind.MUTANT && i.expectedCatchers().contains(tool))
                .toList();
    }

    public List<Class<?>> checks() {
        return checks;
    }

    /**
     * The module's checks that declare {@code mutant}'s race, each run against
     * it to its first failure. Every check that has caught no mutant yet runs
     * (so each gets its chance on every mutant of its race until it proves it
     * can fail); a check that already caught one runs only while the mutant is
     * still uncaught. Which checks see which mutant, all of them: {@code
     * ./verify-suite --all-checks}. Tests tagged with any of {@code skippedTags} are not run.
     */
    public Row run(CounterImplementation mutant, Set<String> skippedTags) {
        List<Class<?>> ofRace = checks.stream().filter(c -> CheckRunner.racesOf(c).contains(mutant.race())).toList();
        List<Class<?>> ordered = new ArrayList<>(ofRace.stream().filter(c -> caughtBy.get(c).isEmpty()).toList());
        ofRace.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        List<CheckRunner.Outcome> outcomes = new ArrayList<>();
        boolean caught = false;
        for (Class<?> check : ordered) {
            if (caught && !caughtBy.get(check).isEmpty()) {
                continue;
            }
            CheckRunner.Outcome outcome = CheckRunner.run(check, mutant, properties, reportDir, skippedTags);
            outcomes.add(outcome);
            if (outcome.error()) {
                throw new AssertionError(check.getSimpleName() + " against " + mutant.name()
                        + " failed with an error, not a catch: " + outcome.report());
            }
            if (outcome.caught()) {
                caughtBy.get(check).add(mutant.name());
                caught = true;
            }
        }
        if (ofRace.isEmpty()) {
            throw new AssertionError(mutant.name() + " declares " + tool.title() + " as a catcher of race "
                    + mutant.race() + ", but no " + tool.title() + " check declares that race");
        }
        return new Row(mutant, outcomes);
    }

    /** The candidates whose recorded verdict names this tool among their refuters. */
    public List<CounterImplementation> refutedCandidates() {
        return Implementations.all().stream()
                .filter(i -> i.kind() == CounterImplementation.Kind.CANDIDATE && i.recordedVerdict() != null)
                .filter(i -> i.recordedVerdict().refutedBy().contains(tool))
                .toList();
    }

    /** The system properties of every teeth run: the module's, at quick mode's budgets. */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * Every check within {@code impl}'s contract against it, in order (the
     * recorded verdict is the one under its own contract), at quick mode's
     * budgets; with {@code stopAtFirstCatch}, up to the first that fails.
     */
    public List<CheckRunner.Outcome> runEveryCheck(CounterImplementation impl, boolean stopAtFirstCatch,
            Set<String> skippedTags) {
        return runEveryCheck(impl, stopAtFirstCatch, skippedTags, properties);
    }

    /** Every check within {@code impl}'s contract against it, at the gate's budgets, to the end. */
    public List<CheckRunner.Outcome> runEveryCheckAtTheGatesBudgets(CounterImplementation impl) {
        return runEveryCheck(impl, false, Set.of(), gateProperties);
    }

    private List<CheckRunner.Outcome> runEveryCheck(CounterImplementation impl, boolean stopAtFirstCatch,
            Set<String> skippedTags, Map<String, String> runProperties) {
        List<CheckRunner.Outcome> outcomes = new ArrayList<>();
        for (Class<?> check : impl.contract().within(checks)) {
            CheckRunner.Outcome outcome = CheckRunner.run(check, impl, runProperties, reportDir, skippedTags);
            if (outcome.error()) {
                throw new AssertionError(check.getSimpleName() + " against " + impl.name()
                        + " failed with an error, not a catch: " + outcome.report());
            }
            outcomes.add(outcome);
            if (outcome.caught() && stopAtFirstCatch) {
                break;
            }
        }
        return outcomes;
    }

    /**
     * Credits {@code subject}'s recorded catch to the checks named (simple
     * names), as if {@link #run} had just caught it; false, crediting nothing,
     * if some name is no check of this module.
     */
    public boolean credit(String subject, List<String> checkNames) {
        List<Class<?>> named = checks.stream().filter(c -> checkNames.contains(c.getSimpleName())).toList();
        if (named.size() != checkNames.size()) {
            return false;
        }
        named.forEach(c -> caughtBy.get(c).add(subject));
        return true;
    }

    /** After {@link #run} for every mutant: the checks that caught none. */
    public List<Class<?>> checksThatCaughtNothing() {
        return caughtBy.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** Which mutants each check caught, for the log. */
    public Map<Class<?>, Set<String>> caughtBy() {
        return caughtBy;
    }
}
