package lazycount.linearizability;

import static lazycount.linearizability.RssCounterHarness.require;

import java.util.Arrays;
import java.util.List;
import lazycount.catalog.Checks;
import lazycount.catalog.Op;
import lazycount.catalog.Race;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.UnderTest;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;
import lazycount.testkit.CheckRunner;
import lazycount.testkit.RecordedPasses;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuarantee;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * vfork with a SIGKILLed parent, one step an operation, in one custom
 * scenario (Lincheck 3.7's {@code addCustomScenario}; no random ones: a
 * parent's step on the child's thread would be no kernel context):
 * <pre>
 *   parent: parentVforks | parentKilledOutOfWait | parentFaults     (then exits: @Validate)
 *   child:  childFaults  | childExits
 * </pre>
 * {@code wait_for_vfork_done} sleeps {@code TASK_KILLABLE}: a fatal signal
 * wakes the parent while its child still runs on the mm, and on its way to
 * {@code do_exit} the parent faults ({@code exit_mm_release}: the robust
 * list, {@code clear_child_tid}) with {@code current->mm == mm}, beside its
 * child. The kill, the fault and the child's exit are separate operations,
 * so the interleaving that matters (the kill before the child's exit, then
 * the parent's fault split by the child's, or the reverse) is one switch deep. The child
 * is a thread that exists only once vforked: its first operation names its
 * thread and waits for the vfork; the parent's first operation (it becomes
 * the mm's task, maps a page alone) waits for that name. Whether vfork
 * upgrades and the killed parent's path are this JVM's {@code KernelPolicy}.
 * The jcstress {@code VforkKilledParentTest} and jqwik's
 * {@code KernelContextsProperties} race the same pair.
 *
 * <p>Promises checked, exactly:
 * <ul>
 * <li>linearizable: {@code parentKilledOutOfWait} returns true (the wait
 *     returned killed) exactly if the child has not released the mm yet;
 *     no operation throws (the model's owner check refusing the killed
 *     parent, or its child, stands for the kernel losing that add);
 * <li>in {@code @Validate}, once both threads finished: the parent alone is
 *     left, its exit ({@code mmput}, the last reference: the child exited)
 *     tears the mm down, and {@code check_mm} reports nothing (no add lost
 *     by two plain writers of the lazy word). The parent's exit is not an
 *     operation: the teardown's switch points decide nothing here, and its
 *     race with the child's exit is {@code RssStatLifecycleTest}'s kind.
 * </ul>
 */
@Checks(value = Race.VFORK_KILLED, ops = {Op.KILLED_PARENT_ADD, Op.VFORK_CHILD, Op.EXIT})
@ExtendWith(RecordedPasses.class)   // a model-checking half that passed for the code as it is is not recomputed
public class VforkKilledParentTest {

    private final Cpus cpus = UnderTest.cpus(2);
    private final Mm mm = UnderTest.newMm(cpus);
    private volatile Thread child;                            // named by the child's first operation
    private volatile boolean vforked;                         // set by the parent once vfork returned
    private final Object handshake = new Object();

    @Operation
    public void parentVforks() {
        mm.attachTask();
        addOn(0, 1);
        await(() -> child != null);                            // the child thread exists only once named
        mm.vfork(child);
        signal(() -> vforked = true);
    }

    @Operation
    public boolean parentKilledOutOfWait() {
        return mm.vforkWaitKilled();                           // SIGKILL: TASK_KILLABLE wakes it
    }

    @Operation
    public void parentFaults() {
        addOn(0, 10);                                          // exit_mm_release faults
    }

    @Operation
    public void childFaults() {
        signal(() -> child = Thread.currentThread());
        await(() -> vforked);                                  // runs only once vfork returned in the parent
        addOn(1, 100);
    }

    @Operation
    public void childExits() {
        exitOn(1);                                             // exec or _exit: mm_release completes the vfork
    }

    /**
     * The handshake waits on a monitor, not in a spin: Lincheck's model checker schedules a
     * monitor wait as a blocked thread, while a spin costs it a cycle detection per wait.
     */
    private void await(java.util.function.BooleanSupplier condition) {
        synchronized (handshake) {
            while (!condition.getAsBoolean()) {
                try {
                    handshake.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted in the vfork handshake", e);
                }
            }
        }
    }

    private void signal(Runnable step) {
        synchronized (handshake) {
            step.run();
            handshake.notifyAll();
        }
    }

    private void addOn(int cpu, long pages) {
        try (CpuSection s = cpus.enter(cpu)) {
            mm.add(s, RssMember.ANONPAGES, pages);
        }
    }

    private void exitOn(int cpu) {
        try (CpuSection s = cpus.enter(cpu)) {
            mm.exit(s);
        }
    }

    /**
     * The parent's {@code do_exit -> exit_mm -> mmput}, after every thread finished: its
     * reference is the last (the child exited), so it runs {@code exit_mmap} and {@code check_mm}.
     * Outside the scenario: the teardown would add hundreds of switch points that decide nothing
     * here (its race with other updaters is {@code RssStatLifecycleTest}'s and {@code RmapUnmapTeardownTest}'s).
     */
    @Validate
    public void parentExitsThenCheckMm() {
        require(mm.tasks() == 1, mm + ": " + mm.tasks() + " tasks after the child's exit, expected the parent alone");
        try (CpuSection s = cpus.enterAny(0)) {
            require(mm.mmput(s), mm + " not torn down by the parent's reference, the last one");
        }
        require(mm.checkMmReport().isEmpty(), mm + ": check_mm reported " + mm.checkMmReport()
                + " after adds of 1, 100 (the child) and 10 (the killed parent)");
    }

    /** The sequential specification: whether the child has released the mm, which decides the kill's result. */
    public static class Spec {
        private boolean childReleased;

        public void parentVforks() {
        }

        public boolean parentKilledOutOfWait() {
            return !childReleased;
        }

        public void parentFaults() {
        }

        public void childFaults() {
        }

        public void childExits() {
            childReleased = true;
        }
    }

    /** The one scenario: the parent's four steps on thread 1, the child's two on thread 2. */
    static ExecutionScenario parentAndChild() {
        return new ExecutionScenario(List.of(), List.of(
                actors("parentVforks", "parentKilledOutOfWait", "parentFaults"),
                actors("childFaults", "childExits")), List.of(), null);
    }

    private static List<Actor> actors(String... operations) {
        return Arrays.stream(operations).map(VforkKilledParentTest::actor).toList();
    }

    private static Actor actor(String operation) {
        try {
            return new Actor(VforkKilledParentTest.class.getMethod(operation), List.of());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no operation " + operation, e);
        }
    }

    /**
     * The model's task and vfork tables ({@code ConcurrentHashMap}s) as single steps: each of
     * their methods is atomic, and their internals were most of the switch points, so the
     * one position that splits an add's read and write of the lazy word went unexplored
     * (without this guarantee the mutant escaped 1,000 invocations with monitor waits, with and
     * without the parent's exit in the scenario, and 5,000 with spin waits; with it, caught).
     */
    private static final ManagedStrategyGuarantee MAPS_ARE_ATOMIC = ManagedStrategyGuaranteeKt.forClasses(
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$KeySetView")
            .allMethods().treatAsAtomic();

    @Test
    void modelChecking() {
        LincheckChecks.passes(new ModelCheckingOptions().iterations(0).addCustomScenario(parentAndChild()).addGuarantee(MAPS_ARE_ATOMIC).invocationsPerIteration(LincheckBudget.customScenarioInvocations(1_000)).sequentialSpecification(Spec.class), getClass(), UnderTest.implementation());
    }

    @Test
    @Tag(CheckRunner.STRESS)
    void stress() {
        LincheckChecks.passes(new StressOptions().iterations(0).addCustomScenario(parentAndChild()).invocationsPerIteration(LincheckBudget.customScenarioInvocations(10_000)).sequentialSpecification(Spec.class), getClass(), UnderTest.implementation());
    }
}
