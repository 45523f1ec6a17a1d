package lazycount.testkit;

/**
 * A command-line factor on a check's budget ({@code -Dlazycount.lincheck.factor},
 * {@code -Dlazycount.tries.factor}): a positive decimal, 1 when unset. PIT sets
 * 0.25, a nightly run 20; a malformed value is refused naming the property.
 */
public final class BudgetFactor {

    /**
     * {@code -Dlazycount.lincheck.quick=true}: Lincheck at quick mode's budget, what {@code
     * ./verify-suite} runs by default and what the gate's Lincheck teeth prove (the linearizability
     * module's {@code LincheckBudget} says how much).
     */
    public static final String LINCHECK_QUICK = "lazycount.lincheck.quick";

    private BudgetFactor() {
    }

    /** The factor {@code property} sets, read at each call so an in-process run can switch it. */
    public static double of(String property) {
        String text = System.getProperty(property, "1");
        try {
            double factor = Double.parseDouble(text.trim());
            if (factor > 0 && !Double.isInfinite(factor)) {
                return factor;
            }
        } catch (NumberFormatException e) {
            // refused below, naming the property
        }
        throw new IllegalArgumentException(property + " must be a positive number, was '" + text + "'");
    }

    /** {@code count} scaled by the factor {@code property} sets, never below one. */
    public static int scale(int count, String property) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(count * of(property))));
    }
}
