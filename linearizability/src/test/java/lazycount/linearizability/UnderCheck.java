package lazycount.linearizability;

import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;

/**
 * The counter implementation the Lincheck test class being checked builds its
 * counters with.
 *
 * <p>Lincheck instantiates a test class through its no-argument constructor, once
 * per invocation, so the implementation cannot be a constructor argument. A check
 * sets it here around {@code Options.check(...)}; outside a check the test classes
 * fall back to {@link Implementations#selected()} ({@code -Dlazycount.impl}).
 * Checks run one after another (Surefire runs this module's tests sequentially),
 * so one slot is enough.
 */
final class UnderCheck {

    private static volatile CounterImplementation current;

    private UnderCheck() {
    }

    static CounterImplementation implementation() {
        CounterImplementation impl = current;
        return impl != null ? impl : Implementations.selected();
    }

    static void run(CounterImplementation impl, Runnable check) {
        current = impl;
        try {
            check.run();
        } finally {
            current = null;
        }
    }
}
