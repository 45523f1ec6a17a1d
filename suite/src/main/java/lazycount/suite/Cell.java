package lazycount.suite;

import java.nio.file.Path;
import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;

/**
 * One tool's result against one implementation. {@code reused}: empty when this
 * run decided the cell, else when and where the cached verdict was decided
 * ("2026-12-10 14:02 UTC on HOST", {@link VerdictCache}).
 */
record Cell(Tool tool, Status status, long millis, String where, String headline, Path report, Set<Race> races,
        String reused) {

    Cell(Tool tool, Status status, long millis, String where, String headline, Path report, Set<Race> races) {
        this(tool, status, millis, where, headline, report, races, "");
    }

    /** This cell as reused from the cache, decided {@code when} (date and machine). */
    Cell reusedFrom(String when, Path restoredReport) {
        return new Cell(tool, status, millis, where, headline, restoredReport, races, when);
    }

    boolean isReused() {
        return !reused.isEmpty();
    }

    /** ERROR: a check failed with an error, not a catch (lazycount.catalog.Failure): it decides nothing. */
    enum Status { PASSED, CAUGHT, MISSED, ERROR, NOT_RUN }

    static Cell notRun(Tool tool) {
        return new Cell(tool, Status.NOT_RUN, 0, "", "", null, Set.of());
    }

    boolean failed() {
        return status == Status.CAUGHT;
    }

    boolean error() {
        return status == Status.ERROR;
    }

    /** The text of the cell: "passed (12 s)", "caught (3 s)", "missed (40 s)"; "passed (12 s, reused)" from the cache. */
    String text() {
        String t = statusText();
        return isReused() && status != Status.NOT_RUN ? t.substring(0, t.length() - 1) + ", reused)" : t;
    }

    private String statusText() {
        return switch (status) {
            case PASSED -> "passed (" + seconds() + ")";
            case CAUGHT -> "caught (" + seconds() + ")";
            case MISSED -> "missed (" + seconds() + ")";
            case ERROR -> "ERROR (" + seconds() + ")";
            case NOT_RUN -> "-";
        };
    }

    private String seconds() {
        return millis < 10_000 ? String.format("%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }
}
