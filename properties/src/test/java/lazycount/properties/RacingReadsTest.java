package lazycount.properties;

import static lazycount.testkit.RacingReads.WITHIN_DECLARED_ACCURACY;
import static lazycount.testkit.RacingReads.judge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How jcstress's racing readers judge a read: by the read the implementation declares. */
class RacingReadsTest {

    @Test
    void aWholeAddValueIsRecordedAsItIsUnderEitherContract() {
        assertEquals(110, judge(false, 0, 110, 100, 101, 110, 111));
        assertEquals(110, judge(true, 6, 110, 100, 101, 110, 111));
    }

    @Test
    void aPartOfAnAddIsWithinContractOnlyForAReadDeclaredApproximate() {
        assertEquals(WITHIN_DECLARED_ACCURACY, judge(true, 6, 108, 100, 101, 110, 111));
        assertEquals(108, judge(false, 6, 108, 100, 101, 110, 111));
    }

    @Test
    void aReadBeyondTheDeclaredBoundIsRecordedAsItIs() {
        assertEquals(118, judge(true, 6, 118, 100, 101, 110, 111));
        assertEquals(93, judge(true, 6, 93, 100, 101, 110, 111));
        assertEquals(WITHIN_DECLARED_ACCURACY, judge(true, 6, 117, 100, 101, 110, 111));   // 111 + 6: on the bound
    }

    @Test
    void misuseIsRefusedByName() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> judge(true, 6, 5));
        assertTrue(none.getMessage().contains("whole-add value"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> judge(true, -1, 5, 5));
    }
}
