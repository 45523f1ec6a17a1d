package lazycount.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The candidates' run ({@code bash benchmarks/run.sh candidates}): one JMH run
 * with every verified protocol side by side (the {@code impl} parameter), turned
 * into a table (score ± error, allocation, ratio to the reference) and one
 * log-log plot per mm benchmark, one line per protocol.
 */
public final class CandidatesReport {

    private static final Color[] COLORS = {new Color(200, 40, 40), new Color(30, 110, 200), new Color(30, 150, 60),
        new Color(150, 80, 190), new Color(230, 140, 20), new Color(90, 90, 90)};
    private static final List<String> METHODS =
            List.of("forkExit", "parallelTrue", "lazyLocalAdd", "lazyOtherAdd", "upgradedLocalAdd");

    private final List<Result> results;
    private final List<String> impls;

    private CandidatesReport(List<Result> results) {
        this.results = results;
        Set<String> names = new LinkedHashSet<>();
        names.add("reference");
        results.stream().map(r -> r.param("impl")).filter(java.util.Objects::nonNull).sorted().forEach(names::add);
        this.impls = List.copyOf(names);
    }

    public static void main(String[] args) throws IOException {
        Result.ReportInput input = Result.reportInput("CandidatesReport", args);
        Path out = input.out();
        CandidatesReport report = new CandidatesReport(input.results());
        for (String method : List.of("forkExit", "parallelTrue")) {
            Path png = out.resolve("candidates-" + method + ".png");
            if (report.plot(method, png)) {
                System.out.println("wrote " + png);
            }
        }
        input.writeTable(report.table());
    }

    private boolean plot(String method, Path png) throws IOException {
        LogLogPlot plot = new LogLogPlot(method + " per protocol: cost vs possible CPUs (JMH avgt, bars: 99.9% CI)",
                "nrCpus (log scale)", "ns per op (log scale)");
        for (int i = 0; i < impls.size(); i++) {
            List<LogLogPlot.Point> points = new ArrayList<>();
            for (int n : nrCpusOf(method)) {
                find(method, impls.get(i), String.valueOf(n))
                        .ifPresent(r -> points.add(new LogLogPlot.Point(n, r.score(), r.error())));
            }
            plot.add(new LogLogPlot.Series(impls.get(i), COLORS[i % COLORS.length], points));
        }
        return plot.writeIfAny(png);
    }

    private String table() {
        StringBuilder md = new StringBuilder("| benchmark | nrCpus |");
        impls.forEach(i -> md.append(" `").append(i).append("` |"));
        md.append("\n|---|---|").append("---|".repeat(impls.size())).append('\n');
        for (String method : METHODS) {
            Set<String> cpus = new LinkedHashSet<>();
            nrCpusOf(method).forEach(n -> cpus.add(String.valueOf(n)));
            if (cpus.isEmpty()) {
                cpus.add(null);
            }
            for (String n : cpus) {
                Optional<Result> base = find(method, "reference", n);
                if (base.isEmpty() && impls.stream().allMatch(i -> find(method, i, n).isEmpty())) {
                    continue;
                }
                md.append("| ").append(method).append(" | ").append(n == null ? "-" : n).append(" |");
                for (String impl : impls) {
                    md.append(' ').append(find(method, impl, n).map(r -> cell(r, base, impl)).orElse("-")).append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static String cell(Result r, Optional<Result> base, String impl) {
        String ratio = base.isPresent() && !impl.equals("reference")
                ? String.format(" (%.2fx)", r.score() / base.get().score()) : "";
        String alloc = Double.isNaN(r.allocBytesPerOp()) ? "" : String.format(", %,.0f B", r.allocBytesPerOp());
        return String.format("%,.1f ± %,.1f ns", r.score(), r.error()) + ratio + alloc;
    }

    private Optional<Result> find(String method, String impl, String nrCpus) {
        return results.stream().filter(r -> r.method().equals(method)
                && impl.equals(r.param("impl") == null ? "reference" : r.param("impl"))
                && (nrCpus == null ? r.param("nrCpus") == null : nrCpus.equals(r.param("nrCpus"))))
                .findFirst();
    }

    private TreeSet<Integer> nrCpusOf(String method) {
        TreeSet<Integer> cpus = new TreeSet<>();
        results.stream().filter(r -> r.method().equals(method) && r.param("nrCpus") != null)
                .forEach(r -> cpus.add(Integer.parseInt(r.param("nrCpus"))));
        return cpus;
    }
}
