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

    private Budget() {
    }
}
