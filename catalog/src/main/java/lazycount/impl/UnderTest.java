package lazycount.impl;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;

/**
 * What a check runs against, for every tool: the implementation, the rss
 * design, the kernel policy and the machine's options, read from the
 * {@link Setting}s. There is no other way to choose them. An in-process run
 * against another implementation (the teeth, the verification suite) switches
 * it with {@link #with}.
 */
public final class UnderTest {

    /** The implementation {@link #with} put in place of the setting's, or null. */
    private static volatile CounterImplementation switchedTo;

    private UnderTest() {
    }

    /** The implementation under test (default: the reference). */
    public static CounterImplementation implementation() {
        CounterImplementation switched = switchedTo;
        return switched != null ? switched : Implementations.byName(Setting.IMPL.value());
    }

    /**
     * The rss design the mm-level checks build: the run's setting when it is set,
     * else the implementation's own ({@link CounterImplementation#design()}), else
     * the setting's default (LAZY).
     */
    public static RssDesign design() {
        RssDesign own = implementation().design();
        return own != null && !Setting.DESIGN.isSet() ? own : parse(Setting.DESIGN, RssDesign.class);
    }

    /**
     * The kernel policy the mm model follows: each half as the run's setting
     * gives it, else as the implementation's own kernel code has it
     * ({@link CounterImplementation#kernelPolicy()}).
     */
    public static KernelPolicy policy() {
        KernelPolicy own = implementation().kernelPolicy();
        return new KernelPolicy(Setting.CLONE_UPGRADE.isSet()
                        ? parse(Setting.CLONE_UPGRADE, KernelPolicy.CloneUpgrade.class) : own.cloneUpgrade(),
                Setting.BORROWER.isSet() ? parse(Setting.BORROWER, KernelPolicy.BorrowerPath.class) : own.borrowerPath(),
                Setting.KILLED_VFORK_PARENT.isSet()
                        ? parse(Setting.KILLED_VFORK_PARENT, KernelPolicy.KilledVforkParent.class) : own.killedVforkParent(),
                Setting.READERS.isSet() ? parse(Setting.READERS, KernelPolicy.Readers.class) : own.readers());
    }

    /** {@code nrPossible} CPUs with the run's {@link #handover()} and {@link #ownerCheck()}. */
    public static Cpus cpus(int nrPossible) {
        return implementation().newCpus(nrPossible, handover(), ownerCheck());
    }

    /** How the machine under test hands a CPU between threads (default: fenced). */
    public static Cpus.Handover handover() {
        return parse(Setting.CPU_HANDOVER, Cpus.Handover.class);
    }

    /** Whether the lazy local paths under test refuse a non-owner (default) or trust {@code current->mm}. */
    public static Cpus.OwnerCheck ownerCheck() {
        return parse(Setting.OWNER_CHECK, Cpus.OwnerCheck.class);
    }

    /** A new mm of the implementation, design and policy under test, with no task. */
    public static Mm newMm(Cpus cpus) {
        return implementation().newMm(cpus, design(), policy());
    }

    /** {@code mm_alloc} at exec under test: a fresh mm whose only task is the calling thread. */
    public static Mm execMm(Cpus cpus) {
        return Mm.exec(implementation(), cpus, design(), policy());
    }

    /** One line for report headers: what differs from the defaults, or "defaults". */
    public static String describeSettings() {
        return Setting.changed().isEmpty() ? "default settings" : String.join(", ", Setting.changed());
    }

    /**
     * Runs {@code body} with {@code impl} under test, then restores the previous
     * one. Not for concurrent use: one in-process run at a time.
     */
    public static synchronized <T> T with(CounterImplementation impl, Supplier<T> body) {
        CounterImplementation previous = switchedTo;
        switchedTo = impl;
        try {
            return body.get();
        } finally {
            switchedTo = previous;
        }
    }

    public static void with(CounterImplementation impl, Runnable body) {
        with(impl, () -> {
            body.run();
            return null;
        });
    }

    private static <E extends Enum<E>> E parse(Setting setting, Class<E> type) {
        try {
            return KernelPolicy.parse(type, setting.value());
        } catch (IllegalArgumentException e) {
            throw setting.refused("expected one of " + Arrays.toString(type.getEnumConstants())
                    .toLowerCase(Locale.ROOT).replace('_', '-'), e);
        }
    }
}
