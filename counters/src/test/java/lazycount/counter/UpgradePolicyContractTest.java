package lazycount.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link UpgradePolicy}'s getters and text, which PIT found untested (pit/survivors.md). */
class UpgradePolicyContractTest {

    @Test
    void neverIsDisabledWithAThresholdOfZero() {
        // the rss_stat policy: only CLONE_VM upgrades
        assertFalse(UpgradePolicy.NEVER.isEnabled());
        assertEquals(0, UpgradePolicy.NEVER.threshold());
    }

    @Test
    void aThresholdOfOneOrMoreEnablesTheUpgrade() {
        UpgradePolicy first = UpgradePolicy.afterOtherUpdates(1);
        assertTrue(first.isEnabled());
        assertEquals(1, first.threshold());
    }

    @Test
    void aThresholdBelowOneIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UpgradePolicy.afterOtherUpdates(0));
        assertEquals("threshold must be >= 1, was 0", e.getMessage());
    }

    @Test
    void aPolicyNamesItselfAsItWasBuilt() {
        assertEquals("NEVER", UpgradePolicy.NEVER.toString());
        assertEquals("afterOtherUpdates(3)", UpgradePolicy.afterOtherUpdates(3).toString());
    }
}
