package lazycount.suite;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;

/**
 * What runs and how long is left: an estimate per cell still to run, from the
 * mean time of the cells of the same tool and the same expectation (every check,
 * or a stop at the first catch) this run has decided (measured priors until
 * then), and a line every minute while one step runs ("still running ... 3 min
 * so far").
 */
final class Progress implements AutoCloseable {

    /**
     * Seconds a cell takes at the gate's budgets on 2 cores before this run has measured one (the
     * means of the cells of ./verify-suite from scratch in quick mode, JDK 25, 2026-12-08): a tool
     * that finds nothing runs every check; one that catches stops at its first catch.
     */
    private static long prior(Tool tool, boolean runsEveryCheck) {
        return switch (tool) {
            case JQWIK -> runsEveryCheck ? 25 : 4;
            case LINCHECK -> runsEveryCheck ? 240 : 10;
            case JCSTRESS -> runsEveryCheck ? 95 : 30;
            case FRAY -> runsEveryCheck ? 25 : 2;
            default -> 30;
        };
    }

    /**
     * Whether {@code tool} is expected to run every check against {@code impl}: a tool finds
     * nothing to stop at in a correct implementation, a candidate recorded verified or not yet
     * decided, or a row it is not recorded to catch (a mutant that does not name it, a refuted
     * candidate it did not refute); it stops early at a catch it is recorded to make.
     */
    static boolean runsEveryCheck(CounterImplementation impl, Tool tool) {
        return switch (impl.kind()) {
            case CORRECT -> true;
            case MUTANT -> !impl.expectedCatchers().contains(tool);
            case CANDIDATE -> impl.recordedVerdict() == null || !impl.recordedVerdict().refutedBy().contains(tool);
        };
    }

    /**
     * The factor {@code mode} puts on {@code tool}'s cell time at the gate's budgets: quick mode's
     * Lincheck budget (half, but for the checks that keep their whole one) took the verified rows'
     * Lincheck cells from 2,518 s to 2,037 s (from scratch, JDK 25, 2026-12-08 against 2026-12-07).
     */
    static double factor(VerifySuite.Mode mode, Tool tool) {
        return switch (mode) {
            case QUICK -> tool == Tool.LINCHECK ? 0.8 : 1;
            case FULL -> 1;
            case DEEP -> 10;
        };
    }

    /**
     * What {@code impl}'s whole row is expected to cost in {@code mode} before anything is measured
     * or cached, in seconds: the shards are balanced by it, so it depends on the implementation and
     * the mode alone, never on a machine's cache (every CI runner must cut the same shards). A
     * contract narrower than the generic one adds the checks beyond it (about half again). In quick
     * mode a mutant costs only the tools it names.
     */
    static long rowPrior(CounterImplementation impl, VerifySuite.Mode mode) {
        long s = 0;
        for (Tool tool : VerifySuite.MATRIX_TOOLS) {
            if (mode.runs(impl, tool)) {
                s += Math.round(prior(tool, runsEveryCheck(impl, tool)) * factor(mode, tool));
            }
        }
        return impl.contract().isGeneric() ? s : s + s / 2;
    }

    private final Map<Tool, Map<Boolean, long[]>> measured = new EnumMap<>(Tool.class);
    private final Consumer<String> log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verify-suite-progress");
        t.setDaemon(true);
        return t;
    });
    private final VerifySuite.Mode mode;
    private long remainingSeconds;
    private ScheduledFuture<?> beat;

    Progress(Consumer<String> log, VerifySuite.Mode mode) {
        this.log = log;
        this.mode = mode;
    }

    /** Seconds {@code tool} is expected to take against {@code impl}: this run's mean for its like, else the prior. */
    long estimate(Tool tool, CounterImplementation impl) {
        long[] m = measured.getOrDefault(tool, Map.of()).get(runsEveryCheck(impl, tool));
        return m != null && m[1] > 0 ? m[0] / m[1] : Math.round(prior(tool, runsEveryCheck(impl, tool)) * factor(mode, tool));
    }

    /** Sets what is left to run, in seconds. */
    void plan(long seconds) {
        remainingSeconds = seconds;
    }

    long remaining() {
        return remainingSeconds;
    }

    static String duration(long seconds) {
        return seconds < 90 ? seconds + " s" : (seconds + 30) / 60 + " min";
    }

    /** A step starts: logged with the time left, then a line a minute until {@link #done}. */
    void start(String what, long expectedSeconds) {
        log.accept(what + " ... (~" + duration(expectedSeconds) + "; ~" + duration(remainingSeconds) + " left in all)");
        long started = System.nanoTime();
        stopBeat();
        beat = timer.scheduleAtFixedRate(() -> {
            long so = (System.nanoTime() - started) / 1_000_000_000L;
            log.accept("  still running: " + what + ", " + duration(so) + " so far (~"
                    + duration(Math.max(0, remainingSeconds - so)) + " left in all)");
        }, 60, 60, TimeUnit.SECONDS);
    }

    /** The step that started with {@code expectedSeconds} ended after {@code seconds}; learns from it. */
    void done(Tool tool, CounterImplementation impl, long expectedSeconds, long seconds) {
        stopBeat();
        if (tool != null) {
            long[] m = measured.computeIfAbsent(tool, t -> new java.util.HashMap<>())
                    .computeIfAbsent(runsEveryCheck(impl, tool), k -> new long[2]);
            m[0] += seconds;
            m[1]++;
        }
        remainingSeconds = Math.max(0, remainingSeconds - expectedSeconds);
    }

    private void stopBeat() {
        if (beat != null) {
            beat.cancel(false);
            beat = null;
        }
    }

    @Override
    public void close() {
        stopBeat();
        timer.shutdownNow();
    }
}
