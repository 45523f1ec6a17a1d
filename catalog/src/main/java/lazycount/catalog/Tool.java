package lazycount.catalog;

/** The tools that decide an implementation, one column each of the verification matrix. */
public enum Tool {
    /** Sequential unit tests of the API contract (JUnit, in {@code counters/} and {@code mutants/}). */
    UNIT("unit"),
    /** Real races on real hardware ({@code stress-tests/}). */
    JCSTRESS("jcstress"),
    /** Linearizability: model checking with a printed interleaving, and stress ({@code linearizability/}). */
    LINCHECK("Lincheck"),
    /** Stateful and property-based tests, generated concurrent schedules ({@code properties/}). */
    JQWIK("jqwik"),
    /** Controlled concurrency: real threads, any number, under Fray's PCT/POS scheduler ({@code fray/}, JDK 25). */
    FRAY("Fray");

    private final String title;

    Tool(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
