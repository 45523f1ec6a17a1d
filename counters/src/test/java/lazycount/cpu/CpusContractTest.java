package lazycount.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a {@link Cpus} and its sections report about themselves, and where the scheduler puts a thread. */
class CpusContractTest {

    @ParameterizedTest
    @EnumSource(Cpus.Handover.class)
    void aSetOfCpusKeepsTheHandoverItWasBuiltWith(Cpus.Handover handover) {
        assertSame(handover, new Cpus(2, handover).handover());
    }

    @Test
    void withoutOptionsItIsFencedAndRefusesNonOwners() {
        assertSame(Cpus.Handover.FENCED, new Cpus(2).handover());
        assertSame(Cpus.OwnerCheck.REFUSE, new Cpus(2).ownerCheck());
        assertSame(Cpus.OwnerCheck.TRUST, new Cpus(2, Cpus.Handover.RELAXED, Cpus.OwnerCheck.TRUST).ownerCheck());
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Cpus(2, null));
        assertTrue(String.valueOf(e.getMessage()).contains("handover"), e.getMessage());
    }

    @Test
    void aSectionKnowsItsCpuAndItsSetOfCpus() {
        Cpus cpus = new Cpus(3);
        try (CpuSection s = cpus.enter(2)) {
            assertEquals(2, s.id());
            assertSame(cpus, s.cpus());
        }
    }

    @Test
    void theSchedulerScansFromTheHintedCpu() {
        Cpus cpus = new Cpus(4);
        // every CPU free: the hinted one is the first free one
        for (int hint = 0; hint < 4; hint++) {
            try (CpuSection s = cpus.enterAny(hint)) {
                assertEquals(hint, s.id(), "enterAny(" + hint + ") on four free CPUs");
            }
        }
        // the hinted CPU occupied: the next free one after it, not the lowest free one
        try (CpuSection held = cpus.enter(2); CpuSection s = cpus.enterAny(2)) {
            assertEquals(3, s.id());
        }
    }
}
