package lazycount.impl;

import java.util.List;
import java.util.Set;
import lazycount.catalog.Checks;
import lazycount.catalog.Contract;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;
import lazycount.catalog.Verdict;
import lazycount.rss.CounterFactory;
import lazycount.rss.KernelPolicy;
import lazycount.rss.RssDesign;

/**
 * An implementation the suite checks, declared: the model's construction
 * seams ({@link CounterFactory}, the reference by default) with what the
 * suite expects of them (kind, the race a mutant breaks and who must catch
 * it, a candidate's recorded verdict). Every check builds its counters through
 * the implementation {@link UnderTest} names, so a variant is checked by the
 * same checks, never by copies of them.
 */
public interface CounterImplementation extends CounterFactory {

    /** A short name, used on the command line ({@code LAZYCOUNT_IMPL=NAME}). */
    @Override
    String name();

    /** What the suite expects of an implementation. */
    enum Kind {
        /** Ours, argued correct: must pass every check. */
        CORRECT,
        /** A protocol a kernel patch could use, verdict unknown: verified, or refuted with a counter-example. */
        CANDIDATE,
        /** Known broken: at least one tool must catch it. */
        MUTANT
    }

    default Kind kind() {
        return Kind.CORRECT;
    }

    /** Empty unless this is a mutant; for a mutant, the mistake and what it breaks. */
    default String breaks() {
        return "";
    }

    /** The race a mutant breaks; null for correct implementations and candidates. */
    default Race race() {
        return null;
    }

    /**
     * The tools expected to catch a mutant (the gate checks each of them does);
     * empty when no tool can here, and then {@link #unobservableBecause()} says why.
     */
    default Set<Tool> expectedCatchers() {
        return Set.of();
    }

    /** Why no tool can catch this mutant on this JVM and hardware; empty when some tool can. */
    default String unobservableBecause() {
        return "";
    }

    /**
     * For a candidate, the verdict the suite reached (the gate checks it still
     * holds); null for correct implementations, mutants and undecided candidates.
     */
    default Verdict recordedVerdict() {
        return null;
    }

    /**
     * Who may call what on this implementation and what may overlap: the
     * contract its verdict is decided under ({@link Contract#GENERIC} unless it
     * says otherwise). Checks beyond it decide a second verdict.
     */
    default Contract contract() {
        return Contract.GENERIC;
    }

    /**
     * The rss design this implementation is, when it is one (the tree design is
     * {@link RssDesign#TREE}); null (the default) when it runs on whichever
     * design the run names. The run's {@code LAZYCOUNT_DESIGN}, when set,
     * overrides it, as an experiment ({@link UnderTest#design()}).
     */
    default RssDesign design() {
        return null;
    }

    /**
     * What this implementation's kernel code does around the counter: which
     * clones upgrade, and the path of a {@code kthread_use_mm} borrower
     * ({@link KernelPolicy#DEFAULT} unless its code says otherwise). The run's
     * settings override it, as an experiment.
     */
    default KernelPolicy kernelPolicy() {
        return KernelPolicy.DEFAULT;
    }

    /**
     * The kernel call path that {@code op} stands for in this implementation's
     * C code: what a counter-example is said in. By default the operation's
     * generic description ({@link Op#kernel()}); a protocol with C of its own
     * names its functions.
     */
    default String kernelPath(Op op) {
        return op.kernel();
    }

    /**
     * The threads of {@code check} as C call paths, side by side, one per CPU
     * ("CPU0: ... ‖ CPU1: ..."): a counter-example in the kernel's words, as a
     * reviewer would paste it into a reply.
     */
    default String inKernelWords(Class<?> check) {
        Checks[] declared = check.getAnnotationsByType(Checks.class);
        if (declared.length == 0) {
            return "";
        }
        List<Op> ops = declared[0].ops().length > 0 ? List.of(declared[0].ops()) : declared[0].value().ops();
        StringBuilder words = new StringBuilder();
        for (int cpu = 0; cpu < ops.size(); cpu++) {
            words.append(cpu == 0 ? "" : " \u2016 ").append("CPU").append(cpu).append(": ").append(kernelPath(ops.get(cpu)));
        }
        return words.toString();
    }

    /**
     * Whether this models the kernel's percpu_counter closely enough for the
     * fidelity checks ({@code read()} is the central count alone, the read
     * bound is {@code nrCpus * (batch - 1)} and is reached). An implementation
     * that is correct but built otherwise (an exact {@code read()}, say)
     * returns false, and only the contract checks apply to it.
     */
    default boolean kernelFaithful() {
        return true;
    }

    /**
     * How many bits of a counter's value the implementation keeps. 64 (the
     * default): arithmetic wraps modulo 2^64 whatever the adds. Fewer (a
     * tagged word keeps 63): exactness is promised only while the sum of the
     * magnitudes of all adds to a counter stays below {@code 2^(valueBits - 1)},
     * and the arithmetic checks generate adds inside that domain. A page count
     * needs about 50 bits on any machine.
     */
    default int valueBits() {
        return 64;
    }

    /** One line for listings: what the implementation is, or what it breaks. */
    default String description() {
        return breaks();
    }

    default boolean isCorrect() {
        return kind() == Kind.CORRECT;
    }
}
