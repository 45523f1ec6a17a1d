package lazycount.fray;

/** Iterations (explored schedules) of each Fray test in the gate; see README.md for the nightly setting. */
final class Budget {

    static final int GATE = 1000;

    private Budget() {
    }
}
