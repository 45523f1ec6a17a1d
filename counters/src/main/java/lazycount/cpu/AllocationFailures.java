package lazycount.cpu;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which per-CPU allocations of a {@link Cpus} fail: the model's fault
 * injection for {@code alloc_percpu} returning NULL (the 2024 predecessor
 * allocated at the upgrade with {@code GFP_ATOMIC}, which fails under memory
 * pressure; {@code percpu_counter_init_many} returns {@code -ENOMEM}).
 *
 * <p>Deterministic for a given order of allocation attempts: {@link #next(int)}
 * fails the next {@code n}, {@link #withProbability(double, long)} draws from a
 * seeded stream, one draw per attempt. Thread-safe: attempts from several
 * threads each take one step of the same sequence.
 */
public abstract class AllocationFailures {

    /** No allocation fails (the default of every {@link Cpus}). */
    public static final AllocationFailures NONE = new AllocationFailures("none") {
        @Override
        boolean failsNextAttempt() {
            return false;
        }
    };

    private final String description;

    private AllocationFailures(String description) {
        this.description = description;
    }

    /** The next {@code n} allocation attempts fail; later ones succeed. */
    public static AllocationFailures next(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("next(n) needs n >= 1, was " + n);
        }
        AtomicLong left = new AtomicLong(n);
        return new AllocationFailures("the next " + n) {
            @Override
            boolean failsNextAttempt() {
                return left.getAndUpdate(k -> Math.max(0, k - 1)) > 0;
            }
        };
    }

    /** Each attempt fails with probability {@code p}, drawn from a stream seeded with {@code seed}. */
    public static AllocationFailures withProbability(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], was " + p);
        }
        SplittableRandom random = new SplittableRandom(seed);
        return new AllocationFailures("each with probability " + p + " (seed " + seed + ")") {
            @Override
            boolean failsNextAttempt() {
                synchronized (random) {
                    return random.nextDouble() < p;
                }
            }
        };
    }

    /** Whether the attempt being made now fails; each call is one attempt. */
    abstract boolean failsNextAttempt();

    @Override
    public String toString() {
        return description;
    }
}
