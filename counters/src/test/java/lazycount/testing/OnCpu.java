package lazycount.testing;

import java.util.function.Consumer;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/** Runs a step inside a CPU section ({@code preempt_disable()} ... {@code preempt_enable()}), here or on a fresh thread. */
public final class OnCpu {

    private OnCpu() {
    }

    public static void run(Cpus cpus, int cpu, Consumer<CpuSection> body) {
        try (CpuSection s = cpus.enter(cpu)) {
            body.accept(s);
        }
    }

    /** On a brand-new thread ({@link OtherThread}); rethrows what it threw, wrapped in an ExecutionException. */
    public static void inAnotherThread(Cpus cpus, int cpu, Consumer<CpuSection> body) throws Exception {
        OtherThread.run(() -> run(cpus, cpu, body));
    }
}
