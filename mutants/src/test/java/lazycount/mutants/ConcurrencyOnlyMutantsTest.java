package lazycount.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import lazycount.impl.Implementations;
import lazycount.impl.ReferenceImplementation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutants whose bug needs two contexts at once behave exactly as the reference
 * on every sequential script: only the concurrent tools (jcstress, Lincheck)
 * can catch them. The sequential mutants must differ somewhere.
 */
class ConcurrencyOnlyMutantsTest {

    static List<String> concurrencyOnly() {
        return List.of("local-rmw-on-remote-word", "no-owner-check", "other-path-plain-rmw",
                "upgrade-check-then-set", "upgrade-syncs-local", "upgrade-loser-claims-win",
                "fold-outside-lock", "sum-without-lock",
                "clone-vm-without-upgrade", "fork-fills-on-local-path", "teardown-ignores-remote-refs",
                "mm-users-lost-cmpxchg", "destroy-many-without-locks", "cpu-down-claims-after-check", "rcu-forgets-idle-readers", "tree-item-plain-rmw");
    }

    static List<String> sequential() {
        // upgrade-counts-inflight-twice also shows alone: the add that trips the frequency upgrade is re-added.
        return List.of("fold-subtracts-wrong-amount", "sum-skips-central", "sum-skips-last-cpu",
                "destroy-forgets-lazy-residue", "upgrade-counts-inflight-twice",
                "tree-lost-carry", "tree-carry-wrong-level", "tree-approximate-misses-bias");
    }

    private static Object reference() {
        return SequentialScripts.observe(Implementations.byName(ReferenceImplementation.NAME));
    }

    @ParameterizedTest
    @MethodSource("concurrencyOnly")
    void agreesWithTheReferenceSingleThreaded(String name) {
        assertEquals(reference(), SequentialScripts.observe(Implementations.byName(name)), name);
    }

    /** A mutant of a candidate agrees with that candidate, not with the reference, when nothing runs concurrently. */
    @org.junit.jupiter.api.Test
    void foldPlainReadOnAliasedCountAgreesWithItsCandidateSingleThreaded() {
        assertEquals(SequentialScripts.observe(Implementations.byName("aliasing-fixed")),
                SequentialScripts.observe(Implementations.byName("fold-plain-read-on-aliased-count")));
    }

    @ParameterizedTest
    @MethodSource("sequential")
    void sequentialBugShowsInTheScripts(String name) {
        assertNotEquals(reference(), SequentialScripts.observe(Implementations.byName(name)), name);
    }
}
