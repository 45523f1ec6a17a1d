package lazycount.candidate;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Verdict;
import lazycount.counter.RanOnMask;

/**
 * Candidate {@value #NAME}: {@link CpuMaskImplementation} with the mark set by
 * a plain read-modify-write of the mask word ({@code __cpumask_set_cpu}).
 */
public final class CpuMaskNonAtomicImplementation extends CpuMaskImplementation {

    public static final String NAME = "cpu-mask-nonatomic";

    public CpuMaskNonAtomicImplementation() {
        super(NAME, RanOnMask.Setting.NON_ATOMIC,
                "cpu-mask with __cpumask_set_cpu: the mark is a plain read-modify-write of the mask word",
                Verdict.refuted(Set.of(LINCHECK, FRAY), "two first adds on CPUs 0 and 1 of one mask word: both read the"
                        + " word clear, the second store drops the first's bit, and the walk skips a slot that holds"
                        + " a count (Lincheck: quiescent sum 3 after adds of 1, 1, 1 and 2; jcstress too)"));
    }
}
