package lazycount.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every mutant the project names is registered, is a mutant, and says which catalog race it breaks. */
class CatalogTest {

    static final List<String> NAMES = List.of(
            "local-rmw-on-remote-word", "no-owner-check", "other-path-plain-rmw",
            "upgrade-fold-then-publish", "upgrade-counts-inflight-twice", "upgrade-check-then-set",
            "frequency-upgrade-folds-local", "mode-flag-opaque", "fold-subtracts-wrong-amount",
            "fold-outside-lock", "sum-skips-central", "sum-skips-last-cpu", "sum-without-lock",
            "teardown-ignores-remote-refs", "clone-vm-without-upgrade", "fork-fills-on-local-path",
            "destroy-forgets-lazy-residue");

    static List<String> names() {
        return NAMES;
    }

    @ParameterizedTest
    @MethodSource("names")
    void foundByNameAndIsAMutantNamingItsRace(String name) {
        CounterImplementation impl = Implementations.byName(name);
        assertEquals(name, impl.name());
        assertFalse(impl.isCorrect(), name + " claims to be correct");
        assertTrue(impl.breaks().matches("race [1-7][:/].*"),
                name + ": breaks() must start with the catalog race (\"race N: ...\"), was: " + impl.breaks());
    }

    @Test
    void registeredMutantsAreExactlyTheCatalog() {
        Set<String> registered = Implementations.all().stream().filter(i -> !i.isCorrect())
                .map(CounterImplementation::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(NAMES), registered);
    }

    @Test
    void namesAreKebabCase() {
        for (String name : NAMES) {
            assertTrue(name.matches("[a-z]+(-[a-z]+)*"), name);
        }
    }
}
