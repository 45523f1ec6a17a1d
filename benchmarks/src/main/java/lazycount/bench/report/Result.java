package lazycount.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One JMH result: a benchmark method at one parameter point. */
record Result(String benchmark, String mode, int threads, Map<String, String> params,
              double score, double error, double median, String unit,
              double allocBytesPerOp) {

    /** The method name: the last segment of the benchmark's full name. */
    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    String param(String name) {
        return params.get(name);
    }

    @SuppressWarnings("unchecked")
    static Result fromJson(Map<String, Object> entry) {
        Map<String, Object> primary = (Map<String, Object>) entry.get("primaryMetric");
        Map<String, Object> percentiles = (Map<String, Object>) primary.get("scorePercentiles");
        Map<String, Object> secondary = (Map<String, Object>) entry.getOrDefault("secondaryMetrics", Map.of());
        Map<String, Object> alloc = (Map<String, Object>) secondary.get("gc.alloc.rate.norm");
        Map<String, String> params = new java.util.TreeMap<>();
        Object rawParams = entry.get("params");
        if (rawParams instanceof Map<?, ?> m) {
            m.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        return new Result(
                (String) entry.get("benchmark"),
                (String) entry.get("mode"),
                (int) Json.number(entry.get("threads")),
                params,
                Json.number(primary.get("score")),
                Json.number(primary.get("scoreError")),
                percentiles == null ? Double.NaN : Json.number(percentiles.get("50.0")),
                (String) primary.get("scoreUnit"),
                alloc == null ? Double.NaN : Json.number(alloc.get("score")));
    }

    @SuppressWarnings("unchecked")
    static List<Result> allFromJson(Object root) {
        return ((List<Object>) root).stream().map(e -> fromJson((Map<String, Object>) e)).toList();
    }

    /** A report's command line, {@code JMH_RESULT.json... OUTPUT_DIR}: the results of every file, and the output folder (created). */
    record ReportInput(List<Result> results, Path out) {

        /** Writes the report's tables to {@code results.md} in the output folder. */
        void writeTable(String markdown) throws IOException {
            Path table = out.resolve("results.md");
            Files.writeString(table, markdown, StandardCharsets.UTF_8);
            System.out.println("wrote " + table);
        }
    }

    /** Reads a report's arguments (exit 2 with a usage line if they are wrong), headless for the plots. */
    static ReportInput reportInput(String report, String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: " + report + " JMH_RESULT.json... OUTPUT_DIR");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args[args.length - 1]);
        Files.createDirectories(out);
        List<Result> results = new java.util.ArrayList<>();
        for (int i = 0; i < args.length - 1; i++) {               // several JMH runs (run.sh tree): one table
            results.addAll(allFromJson(Json.parse(Files.readString(Path.of(args[i]), StandardCharsets.UTF_8))));
        }
        return new ReportInput(List.copyOf(results), out);
    }
}
