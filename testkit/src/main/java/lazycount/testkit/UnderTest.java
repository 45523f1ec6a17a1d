package lazycount.testkit;

import java.util.function.Supplier;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.rss.RssDesign;

/**
 * The implementation and rss design under test, for every tool: the system
 * properties {@code lazycount.impl} and {@code lazycount.design}. The command
 * line sets them ({@code -Dlazycount.impl=NAME}), jcstress hands them to each
 * forked VM, and an in-process run against another implementation (the teeth,
 * the verification suite) switches them with {@link #with}. There is no other
 * way to choose what a check runs against.
 */
public final class UnderTest {

    private UnderTest() {
    }

    /** The implementation selected now (default: the reference). */
    public static CounterImplementation implementation() {
        return Implementations.selected();
    }

    /** The rss design the mm-level checks build (default: LAZY). */
    public static RssDesign design() {
        return Implementations.selectedDesign();
    }

    /**
     * Runs {@code body} with {@code impl} selected, then restores the previous
     * selection. Not for concurrent use: one in-process run at a time.
     */
    public static synchronized <T> T with(CounterImplementation impl, Supplier<T> body) {
        String previous = System.getProperty(Implementations.PROPERTY);
        System.setProperty(Implementations.PROPERTY, impl.name());
        try {
            return body.get();
        } finally {
            if (previous == null) {
                System.clearProperty(Implementations.PROPERTY);
            } else {
                System.setProperty(Implementations.PROPERTY, previous);
            }
        }
    }

    public static void with(CounterImplementation impl, Runnable body) {
        with(impl, () -> {
            body.run();
            return null;
        });
    }
}
