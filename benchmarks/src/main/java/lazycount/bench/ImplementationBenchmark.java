package lazycount.bench;

import org.openjdk.jmh.annotations.Param;

/** An {@link AverageTimeBenchmark} of one implementation, chosen by name. */
public abstract class ImplementationBenchmark extends AverageTimeBenchmark {

    /**
     * The implementation measured: the reference by default; candidate protocols by name
     * ({@code -p impl=reference,grace-period,tagged-word,aliasing-fixed}), so one run sets
     * what each correct protocol costs side by side.
     */
    @Param({"reference"})
    public String impl;
}
