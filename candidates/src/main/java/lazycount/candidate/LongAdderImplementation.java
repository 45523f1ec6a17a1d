package lazycount.candidate;

import lazycount.catalog.Verdict;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.Cpus;

/**
 * Candidate {@value #NAME}, the template to copy when bringing your own
 * protocol (README, "Verify your own protocol"): {@link LongAdderCounter}.
 * Three things make a candidate: this class (a name, one line, the verdict
 * once known), the counter, and a line in
 * {@code META-INF/services/lazycount.impl.CounterImplementation}.
 */
public final class LongAdderImplementation extends CandidateImplementation {

    public static final String NAME = "long-adder";

    public LongAdderImplementation() {
        super(NAME, "not kernel-shaped: one LongAdder in both modes, the mode a flag; exact read(), bound 0",
                Verdict.verified("counts exactly; its read() is exact, stronger than the kernel's, so only the "
                        + "contract checks apply"));
    }

    @Override
    public RssCounter newLazyCounter(Cpus cpus, int batch, UpgradePolicy policy) {
        return new LongAdderCounter(cpus, policy);
    }

    /** Not a model of percpu_counter: the fidelity checks do not apply. */
    @Override
    public boolean kernelFaithful() {
        return false;
    }
}
