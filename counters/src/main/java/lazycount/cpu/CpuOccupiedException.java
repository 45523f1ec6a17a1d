package lazycount.cpu;

/** A thread tried to run on a CPU that another thread is on with preemption disabled. */
public final class CpuOccupiedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CpuOccupiedException(int cpu, Thread occupant, Thread intruder) {
        super(occupant == intruder
                ? "thread '" + intruder.getName() + "' entered CPU " + cpu + " twice (it is already on it)"
                : "thread '" + intruder.getName() + "' tried to enter CPU " + cpu
                        + ", which thread '" + occupant.getName() + "' is already on");
    }
}
