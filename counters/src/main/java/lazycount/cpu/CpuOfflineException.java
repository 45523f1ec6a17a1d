package lazycount.cpu;

/** A thread tried to run on a CPU that is offline, or on its way down or up ({@link Cpus#takeDown}). */
public final class CpuOfflineException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CpuOfflineException(int cpu, Cpus.CpuState state, Thread intruder) {
        super("thread '" + intruder.getName() + "' tried to enter CPU " + cpu + ", which is " + state.describe()
                + ": no task runs on a CPU that is not online");
    }
}
