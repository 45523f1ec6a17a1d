package lazycount.properties;

import static lazycount.properties.ModelAssertions.assertRefused;

import java.util.function.Consumer;
import java.util.function.Function;
import lazycount.cpu.CpuIdOutOfRangeException;
import lazycount.cpu.CpuOccupiedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.testing.Stranger;

/** Running a model step on a virtual CPU, and the two CPU misuses every model checks. */
final class OnCpu {

    private OnCpu() {
    }

    /** Runs {@code step} on the CPU {@code cpuIndex} denotes ({@link Steps#cpuOf}). */
    static void run(Cpus cpus, int cpuIndex, Consumer<CpuSection> step) {
        lazycount.testing.OnCpu.run(cpus, Steps.cpuOf(cpuIndex, cpus.nrPossible()), step);
    }

    static <T> T call(Cpus cpus, int cpuIndex, Function<CpuSection, T> step) {
        try (CpuSection s = cpus.enter(Steps.cpuOf(cpuIndex, cpus.nrPossible()))) {
            return step.apply(s);
        }
    }

    /** Runs {@code step} on the {@link Stranger} thread or on the calling one. */
    static void runAs(boolean onStranger, Runnable step) {
        if (onStranger) {
            Stranger.run(step);
        } else {
            step.run();
        }
    }

    /** A CPU id {@code offset} below 0 (negative offsets) or at/after nrCpus is refused. */
    static void checkOutOfRangeRefused(Cpus cpus, int offset) {
        int bad = offset < 0 ? offset : cpus.nrPossible() + offset;
        assertRefused(CpuIdOutOfRangeException.class, () -> cpus.enter(bad), () -> "entering CPU " + bad + " of " + cpus);
    }

    /** A second thread entering a CPU the calling thread is on (preemption disabled) is refused. */
    static void checkOccupiedRefused(Cpus cpus, int cpuIndex) {
        int cpu = Steps.cpuOf(cpuIndex, cpus.nrPossible());
        try (CpuSection held = cpus.enter(cpu)) {
            assertRefused(CpuOccupiedException.class, () -> Stranger.run(() -> cpus.enter(cpu).close()),
                    () -> "a second thread entering occupied CPU " + cpu);
        }
    }
}
