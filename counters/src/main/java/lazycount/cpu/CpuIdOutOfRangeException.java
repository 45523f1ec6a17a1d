package lazycount.cpu;

/** A CPU id that is negative or not below {@code nr_cpu_ids}. */
public final class CpuIdOutOfRangeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CpuIdOutOfRangeException(int cpu, int nrPossible) {
        super("CPU id " + cpu + " is out of range: possible CPUs are [0, " + nrPossible + ")");
    }
}
