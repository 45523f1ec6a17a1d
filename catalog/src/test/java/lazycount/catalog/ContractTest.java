package lazycount.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContractTest {

    @Checks(value = Race.LOCAL_OTHER, ops = {Op.LOCAL_ADD, Op.OTHER_ADD})
    static final class AddsOnly {
    }

    @Checks(value = Race.CLONE_VM, ops = {Op.UPGRADE_CLONE_VM, Op.LOCAL_ADD})
    @Checks(value = Race.OTHER_UPGRADE)
    static final class CloneVmAndAnExplicitUpgrade {
    }

    @Checks(value = Race.LOCAL_UPGRADE)
    static final class FrequencyTriggerByDefault {
    }

    @Test
    void theGenericContractAdmitsEveryCheck() {
        List<Class<?>> all = List.of(AddsOnly.class, CloneVmAndAnExplicitUpgrade.class, FrequencyTriggerByDefault.class);
        assertEquals(all, Contract.GENERIC.within(all));
        assertTrue(Contract.GENERIC.beyond(all).isEmpty());
        assertTrue(Contract.GENERIC.isGeneric());
    }

    @Test
    void rssStatRulesOutEveryCheckThatRunsAnUpgradeNoCallerMakes() {
        assertTrue(Contract.RSS_STAT.admits(AddsOnly.class));
        assertEquals(List.of(Op.UPGRADE), Contract.RSS_STAT.outside(CloneVmAndAnExplicitUpgrade.class),
                "a race's own operations count when a declaration names none");
        assertEquals(List.of(Op.UPGRADE_FREQUENCY), Contract.RSS_STAT.outside(FrequencyTriggerByDefault.class));
        assertFalse(Contract.RSS_STAT.isGeneric());
    }

    @Test
    void whyBeyondNamesTheCheckTheOperationAndTheReason() {
        String why = Contract.RSS_STAT.whyBeyond(CloneVmAndAnExplicitUpgrade.class);
        assertTrue(why.contains("CloneVmAndAnExplicitUpgrade") && why.contains("UPGRADE") && why.contains("copy_mm"), why);
        assertEquals("", Contract.RSS_STAT.whyBeyond(AddsOnly.class));
    }
}
