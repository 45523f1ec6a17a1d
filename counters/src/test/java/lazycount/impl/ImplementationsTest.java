package lazycount.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImplementationsTest {

    @Test
    void theReferenceIsFoundAndIsTheDefault() {
        assertEquals("reference", Implementations.byName("reference").name());
        assertTrue(Implementations.all().get(0).isCorrect());
        if (System.getProperty(Implementations.PROPERTY) == null
                || System.getProperty(Implementations.PROPERTY).equals("reference")) {
            assertEquals("reference", Implementations.selected().name());
        }
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Implementations.byName("no-such-counter"));
        assertTrue(e.getMessage().contains("no-such-counter") && e.getMessage().contains("reference"), e.getMessage());
    }
}
