package lazycount.mutants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import lazycount.impl.CounterImplementation;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered mutant declares the race it breaks and either the tools
 * expected to catch it or why none can; names are unique and kebab-case.
 */
class CatalogTest {

    static List<CounterImplementation> mutants() {
        return Implementations.all().stream().filter(i -> i.kind() == CounterImplementation.Kind.MUTANT).toList();
    }

    @ParameterizedTest
    @MethodSource("mutants")
    void declaresItsRaceAndWhoCatchesIt(CounterImplementation mutant) {
        assertNotNull(mutant.race(), mutant.name() + " names no race");
        assertTrue(mutant.expectedCatchers().isEmpty() != mutant.unobservableBecause().isEmpty(),
                mutant.name() + ": names the tools that catch it, or says why none can, not both");
        assertTrue(mutant.name().matches("[a-z]+(-[a-z]+)*"), mutant.name() + " is not kebab-case");
        assertEquals(mutant.getClass(), Implementations.byName(mutant.name()).getClass());
    }

    @Test
    void namesAreUniqueAndTheCatalogIsNotEmpty() {
        List<String> names = mutants().stream().map(CounterImplementation::name).collect(Collectors.toList());
        assertTrue(names.size() >= 10, "the catalog shrank to " + names);
        assertEquals(names.stream().distinct().count(), names.size(), "duplicate names: " + names);
    }
}
