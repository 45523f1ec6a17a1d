package lazycount.linearizability;

/**
 * The parts of the counter checks' sequential specifications that several
 * share; each check's {@code Spec} extends one and adds its own operations.
 * Lincheck finds a spec's operations by name among its public methods,
 * inherited ones included.
 */
final class CounterSpecs {

    private CounterSpecs() {
    }

    /** The mode: lazy until the first {@code upgrade()}, which alone returns true. */
    public static class Mode {
        protected boolean perCpu;

        public boolean upgrade() {
            boolean first = !perCpu;
            perCpu = true;
            return first;
        }

        public boolean isPerCpu() {
            return perCpu;
        }
    }

    /** Adds of either sign return nothing; only the mode is observable while threads run. */
    public static class SilentAdds extends Mode {
        public void addLocal(int cpu, long delta) {
        }

        public void addOther(int cpu, long delta) {
        }
    }

    /** A plain long, read by {@code sum()}. */
    public static class Value {
        protected long value;

        public long sum() {
            return value;
        }
    }
}
