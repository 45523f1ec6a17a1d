package lazycount.properties;

import lazycount.impl.UnderTest;

/**
 * The adds the implementation under test promises to count exactly
 * ({@code CounterImplementation.valueBits()}). With 64 bits every delta is in
 * the domain and arithmetic wraps modulo 2^64. With fewer, exactness is
 * promised while the magnitudes of all adds sum to less than
 * {@code 2^(valueBits - 1)}; {@link #fit} scales a generated delta into that
 * domain by an arithmetic shift, so an extreme delta stays extreme (the edge of
 * the domain) and a small one stays small.
 */
final class ValueDomain {

    private ValueDomain() {
    }

    static int bits() {
        return UnderTest.implementation().valueBits();
    }

    /** Whether the implementation under test promises arithmetic modulo 2^64 for any adds. */
    static boolean wraps() {
        return bits() >= Long.SIZE;
    }

    /** The largest value the domain holds: {@code 2^(valueBits - 1) - 1}. */
    static long max() {
        return wraps() ? Long.MAX_VALUE : (1L << (bits() - 1)) - 1;
    }

    /**
     * {@code delta} scaled so that {@code maxAdds} such adds stay in the domain:
     * unchanged for 64 bits, else shifted right by {@code 64 - valueBits} plus
     * {@code ceil(log2(maxAdds))}.
     */
    static long fit(long delta, int maxAdds) {
        if (wraps()) {
            return delta;
        }
        int log2Adds = Integer.SIZE - Integer.numberOfLeadingZeros(Math.max(1, maxAdds) - 1);
        return delta >> (Long.SIZE - bits() + log2Adds);
    }
}
