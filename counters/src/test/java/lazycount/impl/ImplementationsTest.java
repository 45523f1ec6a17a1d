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

    @Test
    void theDesignDefaultsToLazyAndAnUnknownOneIsRefused() {
        String before = System.getProperty(Implementations.DESIGN_PROPERTY);
        try {
            System.clearProperty(Implementations.DESIGN_PROPERTY);
            assertEquals(lazycount.rss.RssDesign.LAZY, Implementations.selectedDesign());
            System.setProperty(Implementations.DESIGN_PROPERTY, "CACHED_MERGED");
            assertEquals(lazycount.rss.RssDesign.CACHED_MERGED, Implementations.selectedDesign());
            System.setProperty(Implementations.DESIGN_PROPERTY, "NO_SUCH");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Implementations::selectedDesign);
            assertTrue(e.getMessage().contains("NO_SUCH") && e.getMessage().contains("EAGER"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(Implementations.DESIGN_PROPERTY);
            } else {
                System.setProperty(Implementations.DESIGN_PROPERTY, before);
            }
        }
    }
}
