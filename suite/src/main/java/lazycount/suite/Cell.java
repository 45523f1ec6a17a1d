package lazycount.suite;

import java.nio.file.Path;
import java.util.Set;
import lazycount.catalog.Race;
import lazycount.catalog.Tool;

/** One tool's result against one implementation. */
record Cell(Tool tool, Status status, long millis, String where, String headline, Path report, Set<Race> races) {

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

    /** The text of the cell: "passed (12 s)", "caught (3 s)", "missed (40 s)". */
    String text() {
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
