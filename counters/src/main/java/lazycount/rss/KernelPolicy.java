package lazycount.rss;

import java.util.Locale;

/**
 * The two mm-level choices a kernel patch makes around the lazy counter, which
 * the suite decides per counter protocol rather than assumes:
 * <ul>
 * <li>{@link CloneUpgrade}: which {@code clone} flags force the upgrade in
 *     {@code copy_mm} ({@code -Dlazycount.clone.upgrade}, environment
 *     {@code LAZYCOUNT_CLONE_UPGRADE} for {@code ./verify-suite});</li>
 * <li>{@link BorrowerPath}: which path a {@code kthread_use_mm} borrower's
 *     updates take ({@code -Dlazycount.borrower}, {@code LAZYCOUNT_BORROWER}).</li>
 * </ul>
 * The defaults are the RFC's upgrade trigger (every {@code CLONE_VM}) and the
 * remedy this suite verified for borrowers (the other path).
 */
public record KernelPolicy(CloneUpgrade cloneUpgrade, BorrowerPath borrowerPath) {

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

    /** Which path {@code add_mm_counter} takes for a kernel thread inside {@code kthread_use_mm}. */
    public enum BorrowerPath {
        /** The RFC as posted: {@code current->mm == mm}, so the plain local path next to the owner (expected unsafe). */
        LOCAL_PATH,
        /** {@code kthread_use_mm} upgrades the counters first (falling back to the other path if the allocation fails). */
        UPGRADE_AT_USE,
        /** The local-path test also requires {@code !(current->flags & PF_KTHREAD)}: borrowers take the atomic other path. */
        OTHER_PATH
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
    }

    private static final KernelPolicy OF_THIS_JVM = new KernelPolicy(
            parse(CloneUpgrade.class, "lazycount.clone.upgrade", CloneUpgrade.EVERY_CLONE_VM),
            parse(BorrowerPath.class, "lazycount.borrower", BorrowerPath.OTHER_PATH));

    /** The policy of this JVM, from {@code -Dlazycount.clone.upgrade} and {@code -Dlazycount.borrower}. */
    public static KernelPolicy ofThisJvm() {
        return OF_THIS_JVM;
    }

    /** The kernel-style spelling of a policy value, as the system properties take it: {@code not-at-vfork}. */
    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> E parse(Class<E> type, String property, E fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (spelling(e).equals(value.trim().toLowerCase(Locale.ROOT)) || e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ").append(spelling(e));
        }
        throw new IllegalArgumentException("-D" + property + "=" + value + ": expected one of " + known);
    }

    @Override
    public String toString() {
        return "clone upgrade " + spelling(cloneUpgrade) + ", borrowers " + spelling(borrowerPath);
    }
}
