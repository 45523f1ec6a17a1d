package lazycount.fray;

/**
 * Iterations (explored schedules) of each Fray test in the gate; see README.md
 * for the nightly setting (repeated runs: Fray draws a new seed each run).
 *
 * <p>Every test uses the POS scheduler (partial-order sampling), not PCT. Once
 * every VarHandle access is a scheduling point (the volatile-access agent), PCT
 * keeps its highest-priority thread spinning in a grace-period wait (the
 * grace-period candidate's {@code synchronize_rcu}) while the reader it waits
 * for never runs: a livelock of the scheduler, not of the counter. POS picks a
 * random enabled thread at each point, so a spin ends with probability 1.
 */
final class Budget {

    static final int GATE = 1000;

    /**
     * The machinery checks' iterations (CpuEntryHotplugFrayTest,
     * RcuGracePeriodFrayTest): 1000 schedules of either took 8-9 s on the
     * reference, and their mutants were caught at schedules 34 and 21 of 1000
     * (2026-12-07), so 300 keep a miss below one run in a thousand at a third
     * of the cost.
     */
    static final int MACHINERY = 300;

    private Budget() {
    }
}
