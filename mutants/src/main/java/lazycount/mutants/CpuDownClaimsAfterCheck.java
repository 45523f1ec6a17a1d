package lazycount.mutants;

import static lazycount.catalog.Tool.FRAY;
import static lazycount.catalog.Tool.JCSTRESS;
import static lazycount.catalog.Tool.JQWIK;
import static lazycount.catalog.Tool.LINCHECK;

import java.util.Set;
import lazycount.catalog.Race;
import lazycount.cpu.Cpus;

/**
 * A broken machine, not a broken counter: {@code cpu_down}'s stop_machine step
 * waits until the dying CPU looks free, then claims it, in two steps ("nobody is
 * on it now, so take it"). A task the scheduler puts on the CPU between the check
 * and the claim keeps running there; the claim fails unnoticed, the dead-CPU fold
 * runs under the task (its later slot write stays on the dead CPU), and the dead
 * CPU is left unclaimed, so any later task can enter it. Every counter of every
 * row is built on this machine, so such a bug would weaken every verdict: the
 * machinery checks of {@link Race#CPU_ENTRY_HOTPLUG} must catch it. Sequentially
 * nothing can enter between the check and the claim.
 */
public final class CpuDownClaimsAfterCheck extends MutantImplementation {

    public CpuDownClaimsAfterCheck() {
        super("cpu-down-claims-after-check", Race.CPU_ENTRY_HOTPLUG, Set.of(JCSTRESS, LINCHECK, JQWIK, FRAY),
                "cpu_down waits until the dying CPU looks free and then claims it in a second step, so a task that "
                        + "entered in between runs on under the dead-CPU fold and the dead CPU stays enterable");
    }

    @Override
    public Cpus newCpus(int nrPossible, Cpus.Handover handover, Cpus.OwnerCheck ownerCheck) {
        return new Cpus(nrPossible, handover, ownerCheck) {
            @Override
            protected void stopMachine(int cpu) {
                while (!isFree(cpu)) {
                    Thread.onSpinWait();
                }
                claimIfFree(cpu);               // BUG: a task that entered since the check keeps the CPU
            }
        };
    }
}
