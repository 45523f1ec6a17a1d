package lazycount.properties;

import java.util.function.Consumer;
import lazycount.cpu.Cpus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.Transformer;

/**
 * Builds ActionChain actions whose descriptions read like a trace, and passes a
 * generated setup (nrCpus, batch, ...) to the chain's initial state.
 *
 * <p>Why the setup is a separate {@code @ForAll} parameter handed over through
 * {@link #withSetup}: jqwik cannot shrink a chain nested in a flatMap, and it
 * shrinks chains with state-dependent actions or preconditions poorly. With a
 * separate parameter both shrink independently and the counter-example is
 * "setup + shortest trace".
 */
final class Steps {

    private static final ThreadLocal<Object> SETUP = new ThreadLocal<>();

    private Steps() {
    }

    /** Runs {@code run} (which runs a chain) with {@code setup} visible to the chain's initial state. */
    static void withSetup(Object setup, Runnable run) {
        SETUP.set(setup);
        try {
            run.run();
        } finally {
            SETUP.remove();
        }
    }

    /** The setup of the chain being run, for its initial-state supplier. */
    static <T> T setup(Class<T> type) {
        Object setup = SETUP.get();
        if (!type.isInstance(setup)) {
            throw new IllegalStateException("no " + type.getSimpleName() + " set: run the chain inside Steps.withSetup");
        }
        return type.cast(setup);
    }

    /**
     * A step. Its parameters are generated independently of the machine's state
     * (jqwik shrinks state-dependent actions poorly): a CPU is generated as a
     * {@link #cpuIndex() CPU index} the machine maps to one of its CPUs.
     */
    static <M> Action.Independent<M> step(Arbitrary<Transformer<M>> steps) {
        return () -> steps;
    }

    /** A step without parameters. */
    static <M> Action.Independent<M> step(String description, Consumer<M> mutation) {
        return Action.just(description, Transformer.mutate(description, mutation));
    }

    /**
     * A CPU index: small ones (shrinking goes to CPU 0), {@code -1} for "the last
     * CPU" (where an off-by-one walk goes wrong), or any up to {@code MAX_CPUS}.
     * Machines map it with {@link #cpuOf(int, int)}; traces print it as {@code cpu#i}.
     */
    static Arbitrary<Integer> cpuIndex() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 7)),
                Tuple.of(2, Arbitraries.just(-1)),
                Tuple.of(2, Arbitraries.integers().between(0, Cpus.MAX_CPUS - 1)));
    }

    /** The CPU a {@link #cpuIndex()} denotes on a machine with {@code nrCpus}: -1 is the last one. */
    static int cpuOf(int index, int nrCpus) {
        return index < 0 ? nrCpus - 1 : index % nrCpus;
    }

    static <M> Transformer<M> mutate(String description, Consumer<M> mutation) {
        return Transformer.mutate(description, mutation);
    }
}
