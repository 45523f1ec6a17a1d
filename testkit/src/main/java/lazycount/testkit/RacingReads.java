package lazycount.testkit;

/**
 * A racing {@code read()} judged by the read its implementation declares.
 * {@code percpu_counter_read} returns the central count, to which a fold adds
 * whole slots, so a kernel-faithful counter's racing read is one of the
 * values made of whole adds. A counter whose declared read is approximate
 * (not kernel-faithful: the counter tree's read is its root plus the bias,
 * and a carry moves part of an add) promises only to lie within its declared
 * {@code readErrorBound()} of such a value.
 */
public final class RacingReads {

    /** Recorded in place of a racing read that is no whole-add value but within the declared accuracy of one. */
    public static final long WITHIN_DECLARED_ACCURACY = -1;

    private RacingReads() {
    }

    /**
     * {@code value} itself when it is one of {@code wholeAddValues} or outside the
     * contract; {@link #WITHIN_DECLARED_ACCURACY} when the read is approximate by
     * contract and {@code value} lies within {@code bound} of one of them.
     *
     * @throws IllegalArgumentException if no whole-add value is given, or the bound is negative
     */
    public static long judge(boolean approximateByContract, long bound, long value, long... wholeAddValues) {
        if (wholeAddValues.length == 0 || bound < 0) {
            throw new IllegalArgumentException("judge() needs at least one whole-add value and a bound >= 0, had "
                    + wholeAddValues.length + " values and bound " + bound);
        }
        boolean withinBound = false;
        for (long legal : wholeAddValues) {
            if (value == legal) {
                return value;
            }
            withinBound |= Math.abs(value - legal) <= bound;
        }
        return approximateByContract && withinBound ? WITHIN_DECLARED_ACCURACY : value;
    }
}
