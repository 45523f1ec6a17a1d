package lazycount.catalog;

import java.util.Set;

/**
 * The verdict the suite reached on a candidate protocol, recorded in the
 * candidate's class so that the gate notices when it changes: a verified
 * candidate must keep passing every check, a refuted one must still be caught
 * by the tools that refuted it. {@link #finding()} says what refuted it, in
 * kernel terms.
 */
public record Verdict(boolean verified, Set<Tool> refutedBy, String finding) {

    public Verdict {
        refutedBy = Set.copyOf(refutedBy);
        if (verified != refutedBy.isEmpty()) {
            throw new IllegalArgumentException("a verified candidate is refuted by no tool; a refuted one by some");
        }
    }

    public static Verdict verified(String finding) {
        return new Verdict(true, Set.of(), finding);
    }

    /** Refuted by {@code tools} (deterministically: Lincheck's model checker, or jqwik with the gate's seed). */
    public static Verdict refuted(Set<Tool> tools, String finding) {
        return new Verdict(false, tools, finding);
    }
}
