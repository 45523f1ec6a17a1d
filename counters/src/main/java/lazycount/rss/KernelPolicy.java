package lazycount.rss;

import java.util.Locale;

/**
 * The mm-level choices a kernel patch makes around the lazy counter, which
 * the suite decides per counter protocol rather than assumes:
 * <ul>
 * <li>{@link CloneUpgrade}: which {@code clone} flags force the upgrade in
 *     {@code copy_mm};</li>
 * <li>{@link BorrowerPath}: which path a {@code kthread_use_mm} borrower's
 *     updates take ({@code -Dlazycount.borrower}, {@code LAZYCOUNT_BORROWER});</li>
 * <li>{@link KilledVforkParent}: which path the updates of a vfork parent woken
 *     by a fatal signal take while its child still runs on the mm (matters only
 *     when vfork did not upgrade);</li>
 * <li>{@link Readers}: whether {@code get_mm_counter} is the approximate read or
 *     the precise sum.</li>
 * </ul>
 * {@link #DEFAULT} is the RFC's upgrade trigger, the verified borrower remedy, a
 * killed parent on the path {@code current->mm == mm} gives it, and the
 * approximate readers of 6.18.
 */
public record KernelPolicy(CloneUpgrade cloneUpgrade, BorrowerPath borrowerPath, KilledVforkParent killedVforkParent,
        Readers readers) {

    /** Which clones force the upgrade before the new task may run. */
    public enum CloneUpgrade {
        /** Every {@code CLONE_VM}, vfork included: the RFC author's {@code copy_mm}. */
        EVERY_CLONE_VM,
        /** {@code CLONE_VM} without {@code CLONE_VFORK}: a vfork child borrows the parent's local path while the parent sleeps. */
        NOT_AT_VFORK,
        /** {@code CLONE_THREAD} only: a {@code clone(CLONE_VM)} process shares lazy counters (expected unsafe). */
        CLONE_THREAD_ONLY;

        boolean upgradesAt(Clone clone) {
            return switch (this) {
                case EVERY_CLONE_VM -> true;
                case NOT_AT_VFORK -> clone != Clone.VFORK;
                case CLONE_THREAD_ONLY -> clone == Clone.THREAD;
            };
        }
    }

    /** Which path {@code add_mm_counter_local} takes for a kernel thread inside {@code kthread_use_mm}. */
    public enum BorrowerPath {
        /** The RFC as posted: {@code current->mm == mm}, so the plain local path next to the owner (expected unsafe). */
        LOCAL_PATH,
        /** {@code kthread_use_mm} upgrades the counters first (falling back to the other path if the allocation fails). */
        UPGRADE_AT_USE,
        /** The local-path test also requires {@code !(current->flags & PF_KTHREAD)}: borrowers take the atomic other path. */
        OTHER_PATH
    }

    /**
     * Which path the updates of a vfork parent take once {@code wait_for_vfork_done}
     * returned because a fatal signal woke it ({@code TASK_KILLABLE}) while its
     * child still runs on the mm: on its way out, {@code do_exit -> exit_mm ->
     * exit_mm_release} touches user memory of the shared mm ({@code
     * futex_exit_release}, {@code mm_release}'s {@code put_user} to
     * {@code clear_child_tid}) and can fault, with {@code current->mm == mm}.
     */
    public enum KilledVforkParent {
        /** The test {@code current->mm == mm} alone: the killed parent takes the local path beside its child (expected unsafe when vfork did not upgrade). */
        LOCAL_PATH,
        /** The local-path test also requires {@code !(current->flags & PF_EXITING)} ({@code exit_signals} sets it before {@code exit_mm}): the killed parent takes the atomic other path. */
        OTHER_PATH,
        /** The killed parent upgrades the counters when its wait returns killed (staying on the other path if the allocation fails). */
        UPGRADE
    }

    /** What {@code get_mm_counter} (and the OOM killer's and {@code /proc}'s reads) return. */
    public enum Readers {
        /** {@code percpu_counter_read_positive}: the central count, within the counter's declared bound (6.18). */
        APPROXIMATE,
        /** {@code percpu_counter_sum_positive}: the precise sum (the 2026 patches: OOM via {@code get_mm_rss_sum}, {@code /proc} via {@code get_mm_counter_sum}, and the proposal for {@code get_mm_counter} itself). */
        PRECISE
    }

    /** The flavours of {@code clone} that share the mm. */
    enum Clone {
        /** {@code CLONE_VM | CLONE_THREAD}: a thread. */
        THREAD("clone(CLONE_VM|CLONE_THREAD)"),
        /** {@code CLONE_VM} alone: a process sharing the address space. */
        VM("clone(CLONE_VM)"),
        /** {@code CLONE_VM | CLONE_VFORK}: {@code vfork}, {@code posix_spawn}. */
        VFORK("clone(CLONE_VM|CLONE_VFORK)");

        final String call;

        Clone(String call) {
            this.call = call;
        }
    }

    public KernelPolicy {
        java.util.Objects.requireNonNull(cloneUpgrade, "cloneUpgrade");
        java.util.Objects.requireNonNull(borrowerPath, "borrowerPath");
        java.util.Objects.requireNonNull(killedVforkParent, "killedVforkParent");
        java.util.Objects.requireNonNull(readers, "readers");
    }

    /** The two clone-time choices, with a killed vfork parent and the readers as {@link #DEFAULT} has them. */
    public KernelPolicy(CloneUpgrade cloneUpgrade, BorrowerPath borrowerPath) {
        this(cloneUpgrade, borrowerPath, KilledVforkParent.LOCAL_PATH, Readers.APPROXIMATE);
    }

    /** The RFC's upgrade trigger (every {@code CLONE_VM}) and the remedy this suite verified for borrowers (the other path). */
    public static final KernelPolicy DEFAULT = new KernelPolicy(CloneUpgrade.EVERY_CLONE_VM, BorrowerPath.OTHER_PATH);

    /** This policy with the killed vfork parent's path {@code killed}. */
    public KernelPolicy withKilledVforkParent(KilledVforkParent killed) {
        return new KernelPolicy(cloneUpgrade, borrowerPath, killed, readers);
    }

    /** This policy with the readers {@code r}. */
    public KernelPolicy withReaders(Readers r) {
        return new KernelPolicy(cloneUpgrade, borrowerPath, killedVforkParent, r);
    }

    /** The kernel-style spelling of a policy value: {@code not-at-vfork}. */
    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} spelled {@code text} (kernel-style, {@code not-at-vfork}, or
     * its Java name, any case).
     *
     * @throws IllegalArgumentException naming the known spellings if none matches
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (spelling(e).equals(text.trim().toLowerCase(Locale.ROOT)) || e.name().equalsIgnoreCase(text.trim())) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ").append(spelling(e));
        }
        throw new IllegalArgumentException("'" + text + "' is no " + type.getSimpleName() + "; expected one of " + known);
    }

    @Override
    public String toString() {
        return "clone upgrade " + spelling(cloneUpgrade) + ", borrowers " + spelling(borrowerPath)
                + ", killed vfork parent " + spelling(killedVforkParent) + ", readers " + spelling(readers);
    }
}
