package lazycount.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings of a run: what is checked and the model options it runs under.
 * Each is read from its system property, else its environment variable, else
 * its default, here and nowhere else. The environment reaches every process a
 * run starts (surefire's and jcstress's forks, the Fray build), so
 * {@code LAZYCOUNT_DESIGN=EAGER ./verify-suite} or {@code mvn verify} needs no
 * forwarding; the system property is for one JVM (and surefire passes
 * {@code mvn -Dname=value} on to its forks).
 */
public enum Setting {

    IMPL("lazycount.impl", "reference", "the implementation under test (a name from Implementations.main)"),
    DESIGN("lazycount.design", "LAZY", "the rss_stat design the mm-level checks build: LAZY, EAGER, CACHED_MERGED or TREE (default: the implementation's own, else LAZY)"),
    CLONE_UPGRADE("lazycount.clone.upgrade", "every-clone-vm",
            "which clones upgrade the counters: every-clone-vm, not-at-vfork or clone-thread-only"),
    BORROWER("lazycount.borrower", "other-path",
            "the path of a kthread_use_mm borrower's updates: other-path, upgrade-at-use or local-path"),
    KILLED_VFORK_PARENT("lazycount.killed.vfork.parent", "local-path",
            "the path of a SIGKILLed vfork parent's updates while its child runs: local-path, other-path or upgrade"),
    READERS("lazycount.readers", "approximate",
            "what get_mm_counter returns: approximate (percpu_counter_read, 6.18) or precise (the 2026 sums)"),
    OWNER_CHECK("lazycount.owner.check", "refuse",
            "whether the lazy local path refuses a non-owner (refuse) or trusts current->mm as the kernel does (trust)"),
    CPU_HANDOVER("lazycount.cpu.handover", "fenced",
            "how a virtual CPU passes between threads: fenced (CAS) or relaxed (acquire/release, no fence on x86)");

    private final String property;
    private final String defaultValue;
    private final String meaning;

    Setting(String property, String defaultValue, String meaning) {
        this.property = property;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    /** The system property, {@code lazycount.impl}. */
    public String property() {
        return property;
    }

    /** The environment variable, {@code LAZYCOUNT_IMPL}. */
    public String environmentVariable() {
        return property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** The value in force: the system property, else the environment variable, else the default. */
    public String value() {
        String v = given();
        return v == null ? defaultValue : v;
    }

    /** Whether the run gives this setting at all (property or environment), even to its default value. */
    public boolean isSet() {
        return given() != null;
    }

    /** The property, else the environment variable, trimmed; null when neither gives a value. */
    private String given() {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(environmentVariable());
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    public boolean isDefault() {
        return value().equals(defaultValue);
    }

    /** {@code IllegalArgumentException} naming this setting, both its spellings, the value and what was expected. */
    IllegalArgumentException refused(String expected, Exception cause) {
        return new IllegalArgumentException(property + " / " + environmentVariable() + " = '" + value()
                + "': " + expected, cause);
    }

    /**
     * Puts every setting this run gives into {@code environment} (a child
     * process's), however it was given here; a setting not given stays unset
     * there too, so that the child, like this JVM, falls back on each
     * implementation's own kernel policy ({@link UnderTest#policy()}).
     */
    public static void exportTo(java.util.Map<String, String> environment) {
        for (Setting s : values()) {
            if (s.isSet()) {
                environment.put(s.environmentVariable(), s.value());
            } else {
                environment.remove(s.environmentVariable());
            }
        }
    }

    /** The settings that differ from their defaults, {@code name=value} each: for report headers and file names. */
    public static List<String> changed() {
        List<String> out = new ArrayList<>();
        for (Setting s : values()) {
            if (s != IMPL && !s.isDefault()) {
                out.add(s.property + "=" + s.value());
            }
        }
        return out;
    }

    /**
     * The implementation and every setting this run gives, as
     * {@code -Dproperty=value}, for a JVM whose environment is not ours; a
     * setting not given is left out, as {@link #exportTo} leaves it.
     */
    public static List<String> jvmArguments() {
        List<String> out = new ArrayList<>();
        for (Setting s : values()) {
            if (s == IMPL || s.isSet()) {
                out.add("-D" + s.property + "=" + s.value());
            }
        }
        return out;
    }

    /**
     * Prints the table (no argument); with {@code --label} the settings that
     * differ from their defaults as one word for a directory name (empty when
     * none); with {@code --jvm-args} {@link #jvmArguments()} on one line.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--label")) {
            System.out.println(String.join("-", changed()).replace("lazycount.", "").replace('=', '_'));
            return;
        }
        if (args.length > 0 && args[0].equals("--jvm-args")) {
            System.out.println(String.join(" ", jvmArguments()));
            return;
        }
        for (Setting s : values()) {
            System.out.printf("%-24s %-24s %-16s %-16s %s%n", s.property, s.environmentVariable(), s.defaultValue,
                    s.value(), s.meaning);
        }
    }
}
