package lazycount.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may call what on a protocol, and what may overlap: the contract a
 * protocol is judged under. A check is within a contract when every operation
 * its threads run ({@link Checks#ops()}) is one the contract lets some context
 * call; the checks outside it decide a second question, what breaks if the
 * protocol is used beyond its contract. The kernel's own rules, which hold for
 * every protocol (no use after the last {@code mmput}, a child not reachable
 * before it runs), are {@link OpPairs}; a contract narrows them further.
 *
 * <p>{@link #GENERIC} is the contract of a generic lazy counter (any context
 * may upgrade it, the frequency trigger included) and the default of a
 * protocol that declares none; {@link #RSS_STAT} is the contract the RFC's
 * call sites give its counter.
 */
public final class Contract {

    /** Any context may call any operation; only the kernel's own rules ({@link OpPairs}) apply. */
    public static final Contract GENERIC = new Contract("generic",
            "a generic lazy counter: the owner adds on the local path, any context on the other path, reads, "
                    + "sums and upgrades (explicitly or by the frequency trigger)",
            Map.of());

    /**
     * The RFC's rss_stat counter, from its header and call sites
     * ({@code include/linux/lazy_percpu_counter.h}, {@code include/linux/mm.h},
     * {@code kernel/fork.c} at pongo1231/linux 1081a970): the owner task adds
     * locally; any other context (a remote updater with or without a reference, a
     * forking parent, a borrower) adds on the other path; readers read and sum
     * without syncing; the four counters are upgraded together, once, by the
     * owner in {@code copy_mm} on {@code CLONE_VM}; {@code check_mm} syncs and
     * tears down after the last {@code mmdrop}.
     */
    public static final Contract RSS_STAT = new Contract("rss_stat",
            "rss_stat as the RFC calls it: owner adds locally, other contexts add atomically, readers read and sum "
                    + "(no sync), the four counters upgrade together in copy_mm on CLONE_VM, check_mm tears down",
            Map.of(Op.UPGRADE, "no caller upgrades one counter: copy_mm upgrades the mm's four, by the owner, on "
                            + "CLONE_VM (UPGRADE_CLONE_VM)",
                    Op.UPGRADE_FREQUENCY, "rss_stat never upgrades on the frequency of remote updates"));

    private final String name;
    private final String summary;
    private final Map<Op, String> notCalled;

    private Contract(String name, String summary, Map<Op, String> notCalled) {
        this.name = name;
        this.summary = summary;
        this.notCalled = notCalled.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(notCalled));
    }

    public String name() {
        return name;
    }

    /** Who may call what, in one sentence. */
    public String summary() {
        return summary;
    }

    /** The operations no context calls under this contract, each with the reason. */
    public Map<Op, String> notCalled() {
        return notCalled;
    }

    public boolean isGeneric() {
        return notCalled.isEmpty();
    }

    /** Whether every operation {@code check} runs is one this contract lets some context call. */
    public boolean admits(Class<?> check) {
        return outside(check).isEmpty();
    }

    /** The operations of {@code check} this contract rules out, in declaration order. */
    public List<Op> outside(Class<?> check) {
        Set<Op> out = new LinkedHashSet<>();
        for (Checks c : check.getAnnotationsByType(Checks.class)) {
            for (Op op : c.ops().length > 0 ? Arrays.asList(c.ops()) : c.value().ops()) {
                if (notCalled.containsKey(op)) {
                    out.add(op);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Why {@code check} is beyond this contract; empty when it is within. */
    public String whyBeyond(Class<?> check) {
        List<Op> ops = outside(check);
        if (ops.isEmpty()) {
            return "";
        }
        StringBuilder why = new StringBuilder(check.getSimpleName()).append(" runs ");
        for (int i = 0; i < ops.size(); i++) {
            why.append(i == 0 ? "" : ", ").append(ops.get(i)).append(" (").append(notCalled.get(ops.get(i))).append(')');
        }
        return why.toString();
    }

    /** The checks of {@code checks} within this contract (all of them when it is generic). */
    public List<Class<?>> within(List<Class<?>> checks) {
        return checks.stream().filter(this::admits).toList();
    }

    /** The checks of {@code checks} beyond this contract (none when it is generic). */
    public List<Class<?>> beyond(List<Class<?>> checks) {
        return checks.stream().filter(c -> !admits(c)).toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
