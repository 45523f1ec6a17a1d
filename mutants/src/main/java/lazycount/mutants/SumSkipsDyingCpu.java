package lazycount.mutants;

import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.counter.PercpuArea;
import lazycount.counter.PercpuCounter;
import lazycount.cpu.Cpus;

/**
 * {@code for_each_online_cpu} in {@code __percpu_counter_sum}, as before the
 * dying mask was added: a CPU that has left the online mask but whose slots
 * {@code percpu_counter_cpu_dead} has not folded yet is skipped.
 */
public final class SumSkipsDyingCpu extends PercpuMutant {

    public SumSkipsDyingCpu() {
        super("sum-skips-dying-cpu", Race.HOTPLUG_FOLD, Set.of(JCSTRESS, LINCHECK, JQWIK),
                "the precise sum walks only online CPUs, so between a CPU leaving the online mask and the hotplug fold its slot is missing from sum() and from the teardown value");
    }

    @Override
    public PercpuCounter newPercpuCounter(PercpuArea area, int slotIndex, int batch) {
        return new PercpuCounter(area, slotIndex, batch) {
            @Override
            protected int nextCpuToWalk(int from) {
                int cpu = super.nextCpuToWalk(from);
                while (cpu >= 0 && cpus().state(cpu) != Cpus.CpuState.ONLINE) {   // BUG: for_each_online_cpu
                    cpu = super.nextCpuToWalk(cpu + 1);
                }
                return cpu;
            }
        };
    }
}
