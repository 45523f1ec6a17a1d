package lazycount.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureTest {

    static final class CpuOccupiedException extends IllegalStateException {
        CpuOccupiedException() {
            super("CPU 0 is occupied");
        }
    }

    static final class KernelBugException extends IllegalStateException {
        KernelBugException() {
            super("BUG_ON");
        }
    }

    @Test
    void theMachinerysExceptionIsAnErrorWhereverItIsInTheChain() {
        assertTrue(Failure.whyError(new CpuOccupiedException()).startsWith("CpuOccupiedException"));
        assertTrue(Failure.whyError(new RuntimeException("wrapped", new CpuOccupiedException()))
                .startsWith("CpuOccupiedException"));
    }

    @Test
    void aKernelBugSignalOrABrokenInvariantIsACatch() {
        assertEquals("", Failure.whyError(new KernelBugException()));
        assertEquals("", Failure.whyError(new AssertionError("expected: <5> but was: <3>")));
    }

    @Test
    void anExpectationThatNamesAnErrorIsStillACatch() {
        assertEquals("", Failure.whyError(new AssertionError("clone succeeded; expected CloneFailedException")));
    }

    @Test
    void aModelCheckersResultThatIsTheMachinerysIsAnError() {
        String report = "= Invalid execution results =\n| addOther(1): lazycount.cpu.CpuOccupiedException #1 | sum(): 3 |";
        assertTrue(Failure.whyError(new AssertionError(report)).startsWith("CpuOccupiedException"));
        assertEquals("", Failure.whyError(new AssertionError("| upgrade(): true | sum(): 3 |")));
    }

    @Test
    void aModelRefusalAsAResultAfterARealCatchDecidesNothing() {
        String report = "= Validation function quiescentState has failed =\n| kthreadFaultsPage(1): NotOwnerException #1 |"
                + " kthreadFaultsPage(2): MmMisuseException #3 |";
        assertEquals("", Failure.whyError(new AssertionError(report)));
    }

    @Test
    void anInjectedErrorCodeAsAResultDecidesNothingButOneThatEscapesIsAnError() {
        String report = "= Validation function quiescentState has failed =\n| cloneVmWhileAllocationFails(): "
                + "PercpuAllocationException | quiescentState(): IllegalStateException |";
        assertEquals("", Failure.whyError(new AssertionError(report)));
        assertTrue(Failure.whyError(new RuntimeException("clone", new PercpuAllocationException()))
                .startsWith("PercpuAllocationException"));
    }

    static final class PercpuAllocationException extends RuntimeException {
    }

    static final class MmMisuseException extends IllegalStateException {
        MmMisuseException() {
            super("addRemote() on mm#19 after its teardown");
        }
    }

    @Test
    void aUseAfterTheTeardownIsACatch() {
        assertEquals("", Failure.whyError(new AssertionError("exitRemotesAndReader()", new MmMisuseException())));
    }

    @Test
    void jcstressExceptionLinesAreClassifiedByTheThrownClass() {
        assertTrue(Failure.whyError("lazycount.cpu.CpuOccupiedException: CPU 1 is occupied").startsWith("Cpu"));
        assertEquals("", Failure.whyError("lazycount.candidate.RfcLazyCounter$KernelBugException: BUG_ON"));
        assertEquals("", Failure.whyError("java.lang.AssertionError: expected CloneFailedException"));
    }
}
