package lazycount.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The rival designs' run ({@code bash benchmarks/run.sh designs}): every rss
 * design (an implementation on a layout: the reference on EAGER, LAZY and
 * CACHED_MERGED; {@code one-walk} and {@code cpu-mask} on the eager and merged
 * layouts, {@code cpu-mask} after the lazy upgrade; the counter tree, the
 * reference on TREE, and {@code lazy-tree} on LAZY) for every workload of
 * {@code MmLifecycleBenchmark}, one JMH run. Writes, per workload, a table of
 * medians (± the score error JMH reports, and bytes allocated per op), the
 * ratios to eager and to lazy, and a log-log plot with one line per design.
 */
public final class DesignsReport {

    /** Label of each (impl, design) pair shown, in table order; pairs not listed are skipped. */
    private static final Map<String, String> DESIGNS = new LinkedHashMap<>();

    static {
        DESIGNS.put("reference/EAGER", "eager");
        DESIGNS.put("reference/LAZY", "lazy");
        DESIGNS.put("reference/CACHED_MERGED", "cached merged");
        DESIGNS.put("one-walk/EAGER", "eager + one walk");
        DESIGNS.put("one-walk/CACHED_MERGED", "merged + one walk");
        DESIGNS.put("cpu-mask/EAGER", "eager + cpu mask");
        DESIGNS.put("cpu-mask/CACHED_MERGED", "merged + cpu mask");
        DESIGNS.put("cpu-mask/LAZY", "lazy + cpu mask");
        DESIGNS.put("one-walk/LAZY", "lazy again (one-walk's LAZY is the reference's code: the noise)");
        DESIGNS.put("reference/TREE", "tree");
        DESIGNS.put("lazy-tree/LAZY", "lazy tree");
    }

    static final List<String> WORKLOADS = List.of("forkExit", "parallelTrue", "spawnHeavy", "longLived2", "longLived8");
    private static final Color[] COLORS = {new Color(200, 40, 40), new Color(30, 110, 200), new Color(30, 150, 60),
        new Color(150, 80, 190), new Color(230, 140, 20), new Color(90, 90, 90), new Color(0, 160, 170),
        new Color(170, 120, 60)};

    private final List<Result> results;

    private DesignsReport(List<Result> results) {
        this.results = results;
    }

    public static void main(String[] args) throws IOException {
        Result.ReportInput input = Result.reportInput("DesignsReport", args);
        Path out = input.out();
        DesignsReport report = new DesignsReport(input.results());
        StringBuilder md = new StringBuilder();
        for (String workload : WORKLOADS) {
            Path png = out.resolve("designs-" + workload + ".png");
            if (report.plot(workload, png)) {
                System.out.println("wrote " + png);
                md.append(report.tables(workload, png.getFileName().toString()));
            }
        }
        input.writeTable(md.toString());
    }

    private boolean plot(String workload, Path png) throws IOException {
        LogLogPlot plot = new LogLogPlot(workload + " per design: median ns per op vs possible CPUs (bars: JMH error)",
                "nrCpus (log scale)", "ns per op (log scale)");
        int i = 0;
        for (Map.Entry<String, String> d : DESIGNS.entrySet()) {
            List<LogLogPlot.Point> points = new ArrayList<>();
            for (int n : nrCpus()) {
                find(workload, d.getKey(), n).ifPresent(r -> points.add(new LogLogPlot.Point(n, r.median(), r.error())));
            }
            plot.add(new LogLogPlot.Series(d.getValue(), COLORS[i++ % COLORS.length], points));
        }
        return plot.writeIfAny(png);
    }

    private String tables(String workload, String png) {
        TreeSet<Integer> cpus = nrCpus();
        StringBuilder md = new StringBuilder("#### ").append(workload).append("\n\n![").append(workload)
                .append("](").append(png).append(")\n\nMedian ns per op ± error (bytes allocated per op):\n\n");
        header(md, cpus);
        for (Map.Entry<String, String> d : DESIGNS.entrySet()) {
            md.append("| ").append(d.getValue()).append(" |");
            for (int n : cpus) {
                md.append(' ').append(find(workload, d.getKey(), n).map(r -> String.format("%,.0f ± %,.0f (%,.0f B)",
                        r.median(), r.error(), r.allocBytesPerOp())).orElse("-")).append(" |");
            }
            md.append('\n');
        }
        md.append("\nRatio of medians to eager / to lazy (below 1: cheaper):\n\n");
        header(md, cpus);
        for (Map.Entry<String, String> d : DESIGNS.entrySet()) {
            md.append("| ").append(d.getValue()).append(" |");
            for (int n : cpus) {
                Optional<Result> r = find(workload, d.getKey(), n);
                Optional<Result> eager = find(workload, "reference/EAGER", n);
                Optional<Result> lazy = find(workload, "reference/LAZY", n);
                md.append(' ').append(r.isPresent() && eager.isPresent() && lazy.isPresent()
                        ? String.format("%.2f / %.2f", r.get().median() / eager.get().median(),
                                r.get().median() / lazy.get().median()) : "-").append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    private static void header(StringBuilder md, TreeSet<Integer> cpus) {
        md.append("| design |");
        cpus.forEach(n -> md.append(" ").append(n).append(" |"));
        md.append("\n|---|").append("---|".repeat(cpus.size())).append('\n');
    }

    private Optional<Result> find(String workload, String implAndDesign, int nrCpus) {
        return results.stream().filter(r -> r.method().equals(workload)
                && implAndDesign.equals(r.param("impl") + "/" + r.param("design"))
                && String.valueOf(nrCpus).equals(r.param("nrCpus"))).findFirst();
    }

    private TreeSet<Integer> nrCpus() {
        TreeSet<Integer> cpus = new TreeSet<>();
        results.stream().filter(r -> r.param("nrCpus") != null).forEach(r -> cpus.add(Integer.parseInt(r.param("nrCpus"))));
        return cpus;
    }
}
