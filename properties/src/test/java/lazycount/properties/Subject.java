package lazycount.properties;

import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;

/**
 * The counter implementation the properties check. Every property builds its
 * counters through this one, so a broken variant is checked by the same
 * properties ({@code -Dlazycount.impl=NAME}, or the teeth tests, which set the
 * same system property around a programmatic run).
 */
public final class Subject {

    private Subject() {
    }

    /** {@link Implementations#selected()}, read afresh for every try. */
    public static CounterImplementation implementation() {
        return Implementations.selected();
    }
}
