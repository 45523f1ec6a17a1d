package lazycount.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/*
    Race.CLONE_VM, the second half: once clone(CLONE_VM)
    returns, both tasks of the mm update its counters on the local path at
    the same time. (CloneVmUpgradeTest races the upgrade itself.)

    Task A maps 1 page while it is alone (lazy mode, plain arithmetic on the
    local word), clones task B, then maps 10 more. Task B starts only when
    the clone has returned (a spin handshake: B publishes its thread so that
    A can name it in clone, then waits for A's "cloned" flag, as a new task
    cannot run before clone finishes), looks at the counters, and maps 100
    pages. Both later adds race. They are safe only because the clone forced
    every counter into per-CPU mode, where each task adds to its own CPU's
    slot; a counter left lazy gives two tasks one plain word, and one of the
    two read-modify-writes overwrites the other.

    The arbiter drops both tasks' references (teardown) and counts check_mm's
    complaints. Results: (every counter per-CPU when B started: 1 = yes,
    anon pages, check_mm bad lines).

      1, 111, 0     every page counted once                            ACCEPTABLE
      0, ...        task B found a counter still in lazy mode          FORBIDDEN
      x, 11 | 101   A's or B's add is missing (overwritten by the
                    other's plain write, or lost when it folded)       FORBIDDEN
      1, 111, n>0   check_mm found a bad rss-counter state             FORBIDDEN
 */
@JCStressTest
@Checks(value = Race.CLONE_VM, ops = {Op.LOCAL_ADD, Op.LOCAL_ADD})
@Outcome(id = "1, 111, 0", expect = ACCEPTABLE, desc = "Counters per-CPU before B ran; both tasks' adds counted once.")
@Outcome(id = ".*, 11, .*", expect = FORBIDDEN, desc = "Task B's add (100) is missing: overwritten by task A's, or lost in its fold.")
@Outcome(id = ".*, 101, .*", expect = FORBIDDEN, desc = "Task A's add (10) is missing: overwritten by task B's, or lost in its fold.")
@Outcome(id = "0, 111, .*", expect = FORBIDDEN, desc = "Task B found a counter still in lazy mode (no add lost this time).")
@Outcome(expect = FORBIDDEN, desc = "Pages lost or doubled, or check_mm reported a bad rss-counter state.")
@State
public class CloneVmTwoTasksTest {

    private final Cpus cpus = Subject.cpus(2);
    private final Mm mm = Subject.mm(cpus);
    private volatile Thread taskB;
    private volatile boolean cloned;

    @Actor
    public void taskA() {
        mm.attachTask();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
        }
        Thread b;
        while ((b = taskB) == null) {
            Thread.onSpinWait();
        }
        mm.cloneVm(b);
        cloned = true;
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 10);
        }
    }

    @Actor
    public void taskB(JJJ_Result r) {
        taskB = Thread.currentThread();
        while (!cloned) {
            Thread.onSpinWait();
        }
        r.r1 = Subject.allPerCpu(mm) ? 1 : 0;
        try (CpuSection cpu = cpus.enter(1)) {
            mm.add(cpu, RssMember.ANONPAGES, 100);
        }
    }

    @Arbiter
    public void arbiter(JJJ_Result r) {
        r.r2 = mm.sum(RssMember.ANONPAGES);
        try (CpuSection cpu = cpus.enter(0)) {
            mm.mmput(cpu);                          // task B's reference
            mm.mmput(cpu);                          // task A's: the last one
        }
        r.r3 = mm.checkMmReport().size();
    }
}
