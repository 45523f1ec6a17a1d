package lazycount.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import lazycount.impl.UnderTest;
import lazycount.rss.KernelPolicy;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;

/**
 * How far {@code get_mm_counter} is from the exact value after a workload, per
 * design and number of possible CPUs: not a timing, so not JMH. The workload
 * is a long-lived process of {@value #TASKS} tasks spread over the machine
 * (the first {@code clone(CLONE_VM)} upgrades the lazy designs), each making
 * {@value #UPDATES_PER_TASK} anonymous-page faults and unmaps (+1 three times
 * in four, -1 otherwise; seeded, so every run gives the same table). The
 * error is the distance between the precise sum and the approximate read, the worst over
 * {@value #SAMPLES} samples taken as the work goes on, beside the bound the
 * counter declares. Usage: {@code ReadAccuracy OUT_DIR} writes
 * {@code read-accuracy.md}.
 */
public final class ReadAccuracy {

    static final int TASKS = 8;
    static final int UPDATES_PER_TASK = 4096;
    static final int SAMPLES = 64;
    private static final int[] NR_CPUS = {8, 80, 256, 1024, 4096};
    private static final String[][] DESIGNS = {
        {"eager (percpu_counter)", "reference", "EAGER"},
        {"lazy (RFC)", "reference", "LAZY"},
        {"tree (the series)", "reference", "TREE"},
        {"lazy tree", "lazy-tree", "LAZY"},
    };

    private ReadAccuracy() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ReadAccuracy OUT_DIR (writes OUT_DIR/read-accuracy.md)");
        }
        StringBuilder md = new StringBuilder("| design | nrCpus | worst error, abs(sum - read) | its declared bound |\n"
                + "|---|---:|---:|---:|\n");
        for (String[] d : DESIGNS) {
            for (int nrCpus : NR_CPUS) {
                long[] r = worstError(Implementations.byName(d[1]), RssDesign.valueOf(d[2]), nrCpus);
                md.append("| ").append(d[0]).append(" | ").append(nrCpus).append(" | ")
                        .append(String.format("%,d", r[0])).append(" | ").append(String.format("%,d", r[1])).append(" |\n");
            }
        }
        Path out = Path.of(args[0]).resolve("read-accuracy.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.print(md);
        System.out.println("wrote " + out);
    }

    /** {worst |sum - read| seen, the bound the counter declared then}, after the workload on {@code nrCpus}. */
    static long[] worstError(CounterImplementation impl, RssDesign design, int nrCpus) {
        Cpus cpus = UnderTest.cpus(nrCpus);
        CpuSection[] taskCpus = new CpuSection[TASKS];
        for (int t = 0; t < TASKS; t++) {
            taskCpus[t] = cpus.enter((int) ((long) t * nrCpus / TASKS));
        }
        Mm mm = Mm.exec(impl, cpus, design, KernelPolicy.DEFAULT);
        for (int t = 1; t < TASKS; t++) {
            mm.cloneVm(new Thread(() -> { }, "task-" + t + " (never started)"));
        }
        Random random = new Random(42);
        long worst = 0;
        long bound = 0;
        int every = UPDATES_PER_TASK * TASKS / SAMPLES;
        for (int u = 0, n = 0; u < UPDATES_PER_TASK; u++) {
            for (int t = 0; t < TASKS; t++, n++) {
                mm.add(taskCpus[t], RssMember.ANONPAGES, random.nextInt(4) == 0 && mm.mappedPages(RssMember.ANONPAGES) > 0 ? -1 : 1);
                if (n % every == every - 1) {
                    long error = Math.abs(mm.sum(RssMember.ANONPAGES) - mm.get(RssMember.ANONPAGES));
                    worst = Math.max(worst, error);
                    bound = mm.counter(RssMember.ANONPAGES).readErrorBound();
                }
            }
        }
        for (int t = 1; t < TASKS; t++) {
            mm.mmput(taskCpus[t]);
        }
        mm.exit(taskCpus[0]);
        for (CpuSection c : taskCpus) {
            c.close();
        }
        return new long[] {worst, bound};
    }
}
