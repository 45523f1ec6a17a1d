package lazycount.suite;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation.Kind;

/**
 * What runs and how long is left: an estimate per cell still to run, from the
 * mean time of the cells of the same tool and kind this run has decided (the
 * measured times of a quick run on 2 cores until then), and a line every
 * minute while one step runs ("still running ... 3 min so far").
 */
final class Progress implements AutoCloseable {

    /** Seconds a cell takes in quick mode on 2 cores before this run has measured one (README, Measured times). */
    private static long prior(Tool tool, Kind kind) {
        boolean mutant = kind == Kind.MUTANT;
        return switch (tool) {
            case JQWIK -> mutant ? 15 : 60;
            case LINCHECK -> mutant ? 20 : kind == Kind.CORRECT ? 150 : 60;
            case JCSTRESS -> mutant ? 25 : 70;
            case FRAY -> mutant ? 5 : 15;
            default -> 30;
        };
    }

    private final Map<Tool, Map<Kind, long[]>> measured = new EnumMap<>(Tool.class);
    private final Consumer<String> log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verify-suite-progress");
        t.setDaemon(true);
        return t;
    });
    private final double factor;
    private long remainingSeconds;
    private ScheduledFuture<?> beat;

    /** {@code deep}: the nightly budgets, about ten times the quick ones. */
    Progress(Consumer<String> log, boolean deep) {
        this.log = log;
        this.factor = deep ? 10 : 1;
    }

    /** Seconds {@code tool} is expected to take against an implementation of {@code kind}. */
    long estimate(Tool tool, Kind kind) {
        long[] m = measured.getOrDefault(tool, Map.of()).get(kind);
        return m != null && m[1] > 0 ? m[0] / m[1] : Math.round(prior(tool, kind) * factor);
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
    void done(Tool tool, Kind kind, long expectedSeconds, long seconds) {
        stopBeat();
        if (tool != null) {
            long[] m = measured.computeIfAbsent(tool, t -> new EnumMap<>(Kind.class)).computeIfAbsent(kind,
                    k -> new long[2]);
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
