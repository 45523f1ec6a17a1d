package lazycount.suite;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;

/** The matrix as Markdown (for REPORT.md) and as a self-contained HTML page whose cells link to the counter-examples. */
final class Report {

    private static final List<Tool> COLUMNS = List.of(Tool.JQWIK, Tool.LINCHECK, Tool.JCSTRESS, Tool.FRAY);

    private final List<VerifySuite.Row> rows;
    private final String runHeader;
    private final long seconds;
    private final Instant when;
    private final String note;

    /** {@code runHeader}: {@link VerifySuite#runHeader}; {@code note}: a sentence after it (a shard, a merge), or empty. */
    Report(List<VerifySuite.Row> rows, String runHeader, long seconds, Instant when, String note) {
        this.rows = rows;
        this.runHeader = runHeader;
        this.seconds = seconds;
        this.when = when;
        this.note = note;
    }

    private String header() {
        long reused = rows.stream().flatMap(r -> java.util.stream.Stream.concat(r.cells().values().stream(),
                r.beyond().values().stream())).filter(Cell::isReused).count();
        return "Run " + when.toString().substring(0, 16).replace('T', ' ') + " UTC, " + runHeader
                + "; wall time " + seconds / 60 + " min " + seconds % 60 + " s." + note
                + (reused == 0 ? "" : " " + reused + " cell(s) reused from the verdict cache, marked \"reused\"");
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(header()).append("\n\nCells: passed / caught (seconds to the tool's first failing check) / missed "
                + "(seconds the tool ran without failing) / ERROR (a check failed with an error, not a catch: it "
                + "decides nothing) / - (not run: a tool not selected, or in quick mode one the mutant does not name as a "
                + "catcher). Each row is judged under its own contract; a narrower contract than the "
                + "generic one also gets the verdict of the checks beyond it.\n\n");
        md.append("| implementation | kind | contract | jqwik | Lincheck | jcstress | Fray | verdict | beyond its contract |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (VerifySuite.Row r : rows) {
            md.append("| `").append(r.impl().name()).append("` | ").append(kind(r.impl())).append(" | ")
                    .append(r.impl().contract()).append(" | ");
            for (Tool t : COLUMNS) {
                md.append(r.cells().get(t).text()).append(" | ");
            }
            md.append(r.ok() ? "" : "**").append(r.verdict().replace("|", "\\|")).append(r.ok() ? "" : "**")
                    .append(" | ").append(r.beyondVerdict().replace("|", "\\|")).append(" |\n");
        }
        md.append("\nFirst detection per cell (check > test: what it reported):\n\n");
        for (VerifySuite.Row r : rows) {
            for (Tool t : COLUMNS) {
                Cell c = r.cells().get(t);
                if (c.failed() || c.error()) {
                    md.append("- `").append(r.impl().name()).append("`, ").append(t.title())
                            .append(c.error() ? " (ERROR)" : "").append(": ")
                            .append(c.where()).append(": ").append(VerifySuite.abbreviate(c.headline()).replace("|", "\\|"))
                            .append("\n");
                    String words = c.failed() ? inKernelWords(r.impl(), c.where()) : "";
                    if (!words.isEmpty()) {
                        md.append("  - in the kernel's words: ").append(words.replace("|", "\\|")).append("\n");
                    }
                }
            }
        }
        StringBuilder reused = new StringBuilder();
        for (VerifySuite.Row r : rows) {
            for (boolean beyond : List.of(false, true)) {
                for (Tool t : COLUMNS) {
                    Cell c = (beyond ? r.beyond() : r.cells()).get(t);
                    if (c != null && c.isReused()) {
                        reused.append("- `").append(r.impl().name()).append("`, ").append(t.title())
                                .append(beyond ? " (beyond its contract)" : "").append(": decided ")
                                .append(c.reused()).append("\n");
                    }
                }
            }
        }
        if (reused.length() > 0) {
            md.append("\nReused from the verdict cache (same key: same classes, checks, budgets, tools, JDK and "
                    + "settings; `--fresh` runs them again):\n\n").append(reused);
        }
        return md.toString();
    }

    String html(Path target) {
        StringBuilder h = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>lazycount verification matrix</title>
                <style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;
                padding:4px 8px;vertical-align:top}.passed{background:#dfd}.caught{background:#fdd}.missed{background:#ffd}.error{background:#ccc}
                .reused{font-style:italic;border-style:dashed}
                .mutant .caught{background:#dfd}.mutant .passed,.mutant .missed{background:#fdd}.bad{font-weight:bold;color:#a00}
                small{color:#555}</style></head><body><h1>lazycount verification matrix</h1>
                """);
        h.append("<p>").append(esc(header())).append("</p><p>For a correct implementation or a candidate a caught cell "
                + "is a failure (red); for a mutant it is the expected result (green). Each caught cell links to the "
                + "saved counter-example. A grey ERROR cell is a check that failed with an error, not a catch: it decides "
                + "nothing. Each row is judged under its own contract; the last column is what breaks beyond it. An italic, "
                + "dashed cell marked reused was taken from the verdict cache (its tooltip says when and where it was "
                + "decided)."
                + "</p><table><tr><th>implementation</th><th>kind</th><th>contract</th><th>jqwik</th>"
                + "<th>Lincheck</th><th>jcstress</th><th>Fray</th><th>verdict</th><th>beyond its contract</th></tr>\n");
        for (VerifySuite.Row r : rows) {
            h.append("<tr class=\"").append(kind(r.impl())).append("\"><td><code>").append(esc(r.impl().name()))
                    .append("</code><br><small>").append(esc(r.impl().description())).append("</small></td><td>")
                    .append(kind(r.impl())).append("</td><td>").append(esc(r.impl().contract().toString()))
                    .append("</td>");
            for (Tool t : COLUMNS) {
                Cell c = r.cells().get(t);
                h.append("<td class=\"").append(c.status().name().toLowerCase(java.util.Locale.ROOT))
                        .append(c.isReused() ? " reused\" title=\"reused: decided " + esc(c.reused()) : "").append("\">");
                if (c.report() != null) {
                    h.append("<a href=\"").append(esc(target.relativize(c.report().toAbsolutePath()).toString()))
                            .append("\">").append(esc(c.text())).append("</a><br><small>").append(esc(c.where()))
                            .append(": ").append(esc(VerifySuite.abbreviate(c.headline()))).append("</small>");
                } else {
                    h.append(esc(c.text()));
                }
                h.append("</td>");
            }
            h.append("<td").append(r.ok() ? "" : " class=\"bad\"").append(">").append(esc(r.verdict()))
                    .append("</td><td>").append(esc(r.beyondVerdict())).append("</td></tr>\n");
        }
        return h.append("</table></body></html>\n").toString();
    }

    /** The failing check's threads as the implementation's C call paths ({@code where} is "Check > test"). */
    private static String inKernelWords(CounterImplementation impl, String where) {
        String simpleName = where.replaceAll(" > .*", "").strip();
        for (String pkg : List.of("lazycount.linearizability.", "lazycount.properties.", "lazycount.stress.",
                "lazycount.fray.")) {
            try {
                return impl.inKernelWords(Class.forName(pkg + simpleName, false, Report.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                // not this tool's package
            }
        }
        return "";
    }

    private static String kind(CounterImplementation impl) {
        return impl.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
