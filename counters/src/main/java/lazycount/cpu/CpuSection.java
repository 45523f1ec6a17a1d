package lazycount.cpu;

/**
 * A thread running on one virtual CPU with preemption disabled; closing it is
 * {@code preempt_enable()}. Counters take a section, never a bare CPU id, so an
 * update can only touch the slot of a CPU its caller is really on.
 */
public final class CpuSection implements AutoCloseable {

    private final Cpus cpus;
    private final int id;
    private final Thread holder;
    private boolean closed;   // touched only by the holder

    CpuSection(Cpus cpus, int id, Thread holder) {
        this.cpus = cpus;
        this.id = id;
        this.holder = holder;
    }

    /** The CPU id ({@code smp_processor_id()}). */
    public int id() {
        return id;
    }

    public Cpus cpus() {
        return cpus;
    }

    /**
     * Checks that this section may be used for a per-CPU update of a counter
     * living on {@code expected}: the calling thread holds it, it is still open,
     * and it belongs to the same set of CPUs.
     *
     * @throws WrongCpuSectionException naming which of those failed
     */
    public void checkUsableOn(Cpus expected) {
        if (cpus != expected) {
            throw new WrongCpuSectionException("section for CPU " + id + " of " + cpus
                    + " used on a counter of " + expected);
        }
        Thread me = Thread.currentThread();
        if (holder != me) {
            throw new WrongCpuSectionException("section for CPU " + id + " is held by thread '"
                    + holder.getName() + "' but used by thread '" + me.getName() + "'");
        }
        if (closed) {
            throw new WrongCpuSectionException("section for CPU " + id
                    + " used after it was closed (preempt_enable already called)");
        }
    }

    @Override
    public void close() {
        Thread me = Thread.currentThread();
        if (holder != me) {
            throw new WrongCpuSectionException("section for CPU " + id + " held by thread '"
                    + holder.getName() + "' closed by thread '" + me.getName() + "'");
        }
        if (closed) {
            throw new WrongCpuSectionException("section for CPU " + id + " closed twice");
        }
        closed = true;
        cpus.leave(id, me);
    }

    @Override
    public String toString() {
        return "CpuSection[cpu=" + id + ", holder=" + holder.getName() + (closed ? ", closed" : "") + "]";
    }
}
