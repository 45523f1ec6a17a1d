package lazycount.properties;

import lazycount.counter.BatchedCounter;
import lazycount.counter.Counter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;

/**
 * The three shapes a counter of one implementation takes, behind one face for
 * the single-threaded bounds and arithmetic properties: the per-CPU counter,
 * the lazy counter in lazy mode, and the lazy counter upgraded before its first
 * add (local and other adds alternate, the property thread being the owner).
 */
enum CounterUnderTest {
    PERCPU, LAZY, LAZY_UPGRADED;

    /** A counter built by {@code impl} with an add, read, sum, destroy and documented-bound face. */
    interface Face {
        void add(CpuSection s, long delta, int op);

        long read();

        long sum();

        long destroy();

        /** The kernel's bound: {@code nrCpus * (batch - 1)} in per-CPU mode, 0 in lazy mode (fidelity checks). */
        long documentedBound();

        /** The bound the counter itself declares ({@code readErrorBound()}; contract checks). */
        long declaredBound();
    }

    Face build(CounterImplementation impl, Cpus cpus, int batch) {
        long perCpuBound = (long) cpus.nrPossible() * (batch - 1);
        if (this == PERCPU) {
            BatchedCounter c = impl.newPercpuCounter(cpus, batch);
            return face(c, perCpuBound, (s, delta, op) -> c.add(s, delta));
        }
        RssCounter c = impl.newLazyCounter(cpus, batch, UpgradePolicy.NEVER);
        c.bindOwner();
        if (this == LAZY_UPGRADED) {
            c.upgrade();
        }
        boolean perCpu = this == LAZY_UPGRADED;
        return face(c, perCpu ? perCpuBound : 0, (s, delta, op) -> {
            if (op % 2 == 0) {
                c.addLocal(s, delta);
            } else {
                c.addOther(s, delta);
            }
        });
    }

    /** How a shape adds: the {@code op}-th add of a property. */
    private interface Adder {
        void add(CpuSection s, long delta, int op);
    }

    /** The face of {@code c}: {@code adder} adds, the rest is {@code c}'s own. */
    private static Face face(Counter c, long documentedBound, Adder adder) {
        return new Face() {
            public void add(CpuSection s, long delta, int op) {
                adder.add(s, delta, op);
            }

            public long read() {
                return c.read();
            }

            public long sum() {
                return c.sum();
            }

            public long destroy() {
                return c.destroy();
            }

            public long documentedBound() {
                return documentedBound;
            }

            public long declaredBound() {
                return c.readErrorBound();
            }
        };
    }
}
