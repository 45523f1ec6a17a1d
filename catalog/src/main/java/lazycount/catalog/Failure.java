package lazycount.catalog;

import java.util.List;

/**
 * What a failing check means: a catch (the check saw a kernel bug) or an
 * error (the check could not say). A catch is a broken invariant the check
 * asserts (a lost or doubled count, a read out of its bound, check_mm's
 * "BUG: Bad rss-counter state") or a kernel-bug signal the model raises on
 * purpose ({@code BUG_ON}, a use or a second teardown after teardown, a second
 * writer on the plain local path, a sleep in atomic context:
 * {@code SleepInAtomicException}, whose message is the kernel's splat
 * {@code "BUG: sleeping function called from invalid context"} with the call
 * and the lock or section held, so the catch says which). Anything else
 * is an error, never a catch: a conflict of the test machinery (two actors on
 * one virtual CPU, a misused model API), an error code the C returns to its
 * caller ({@code -ENOMEM}), a timeout, a tool crash.
 */
public final class Failure {

    /** The test machinery's exceptions, by simple name: never a catch, wherever they appear. */
    private static final List<String> MACHINERY = List.of("CpuOccupiedException", "WrongCpuSectionException",
            "CpuIdOutOfRangeException", "CpuOfflineException", "CpuHotplugException", "RcuMisuseException",
            "WrongContextException", "TimeoutException", "OutOfMemoryError", "StackOverflowError",
            "ClassNotFoundException", "NoClassDefFoundError", "ExceptionInInitializerError");

    /**
     * The machinery's conflicts (two threads of a check placed on one virtual
     * CPU): an error even as an operation's result in a model checker's report.
     * The model's other refusals there (an mm API misuse, a CPU offline) can
     * follow from a real catch in an earlier operation, so there they decide
     * nothing either way.
     */
    private static final List<String> CONFLICTS = List.of("CpuOccupiedException", "WrongCpuSectionException");

    /**
     * Error codes the C returns to its caller (-ENOMEM): never a catch when one
     * escapes a check. As an operation's result in a model checker's report they
     * are the checks' own injected failures, which the sequential specification
     * expects, so there they decide nothing either way.
     */
    private static final List<String> ERROR_CODES = List.of("PercpuAllocationException", "UpgradeEnomemException",
            "CloneFailedException");

    private Failure() {
    }

    /**
     * Why {@code failure} is an error rather than a catch; empty when it is a
     * catch. An exception of the machinery or an error code in its cause chain
     * names the error; so does, in a model checker's report, an operation
     * whose result is a conflict of the machinery ({@code "add(): CpuOccupiedException"}).
     * An assertion message that merely names one (an expectation) does not.
     */
    public static String whyError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (MACHINERY.contains(name) || ERROR_CODES.contains(name)) {
                return because(name);
            }
            java.util.regex.Matcher result = RESULT.matcher(String.valueOf(t.getMessage()));
            while (result.find()) {
                if (CONFLICTS.contains(result.group(1))) {
                    return because(result.group(1));
                }
            }
        }
        return "";
    }

    /** {@link #whyError(Throwable)} for the first line of a failure as jcstress prints it ({@code "pkg.Name: message"}). */
    public static String whyError(String exceptionLine) {
        java.util.regex.Matcher m = THROWN.matcher(exceptionLine.strip());
        return m.lookingAt() && (MACHINERY.contains(m.group(1)) || ERROR_CODES.contains(m.group(1)))
                ? because(m.group(1)) : "";
    }

    private static final java.util.regex.Pattern RESULT = java.util.regex.Pattern.compile("\\): (?:[\\w]+[.$])*([A-Za-z]+)");
    private static final java.util.regex.Pattern THROWN =
            java.util.regex.Pattern.compile("(?:[\\w$]+[.$])*([A-Za-z]+(?:Exception|Error))(?::|$)");

    private static String because(String name) {
        return name + " is the test machinery's or an error code the C returns, not a kernel-bug signal";
    }
}
