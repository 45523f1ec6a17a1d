package lazycount.properties;

import java.util.List;

/**
 * A generated concurrent schedule: which thread does what, how many times, with
 * which deltas, on how many CPUs with which batch, and where the upgrade falls.
 *
 * <p>A thread's plan is compact so that it can run thousands of operations yet
 * shrink to a readable counter-example: it repeats its small list of deltas
 * {@code ops} times (operation {@code i} adds {@code deltas[i % deltas.size()]}).
 * Each operation enters a free CPU for just that operation ({@code cpus.enterAny}),
 * so threads migrate between CPUs as tasks do, and share them when there are
 * more threads than CPUs.
 */
record Schedule(int nrCpus, int batch, List<ThreadPlan> threads, int upgradeThread, int upgradeAtOp,
        boolean concurrentReader) {

    /** How a thread adds. */
    enum Path {
        /** The owning task's local path (thread 0 only: the lazy mode allows one local writer). */
        LOCAL,
        /** The other path: any context, atomic in lazy mode. */
        OTHER
    }

    record ThreadPlan(Path path, int ops, List<Long> deltas) {
        long delta(int op) {
            return deltas.get(op % deltas.size());
        }

        /** What this thread adds in total, wrapping as the counter does. */
        long total() {
            long total = 0;
            for (int op = 0; op < ops; op++) {
                total += delta(op);
            }
            return total;
        }

        @Override
        public String toString() {
            return path + " x" + ops + " cycling " + deltas;
        }
    }

    boolean upgrades() {
        return upgradeThread >= 0;
    }

    /** Whether thread {@code t} upgrades just before its operation {@code op} (at the end if past its last). */
    boolean upgradesBefore(int t, int op) {
        return upgradeThread == t && Math.min(upgradeAtOp, threads.get(t).ops()) == op;
    }

    /** Whether every delta is non-negative (then concurrent sums must never decrease). */
    boolean monotonic() {
        return threads.stream().allMatch(t -> t.ops() == 0 || t.deltas().stream().allMatch(d -> d >= 0 && d < 1L << 32));
    }

    long expectedTotal() {
        long total = 0;
        for (ThreadPlan t : threads) {
            total += t.total();
        }
        return total;
    }

    @Override
    public String toString() {
        return "Schedule[nrCpus " + nrCpus + ", batch " + batch + ", threads " + threads
                + (upgrades() ? ", thread " + upgradeThread + " upgrades before its op " + upgradeAtOp : ", no upgrade")
                + (concurrentReader ? ", with a concurrent reader" : "") + "]";
    }
}
