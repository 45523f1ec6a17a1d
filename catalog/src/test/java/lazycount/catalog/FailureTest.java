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

    static final class SleepInAtomicException extends IllegalStateException {
        SleepInAtomicException() {
            super("BUG: sleeping function called from invalid context: synchronize_rcu() by thread 'T' holding"
                    + " spinlock fbc->lock (raw_spin_lock_irqsave)");
        }
    }

    static final class WrongContextException extends IllegalStateException {
    }

    @Test
    void aSleepInAtomicContextIsAKernelBugSignalAndSaysWhich() {
        SleepInAtomicException splat = new SleepInAtomicException();
        assertEquals("", Failure.whyError(splat));
        assertEquals("", Failure.whyError(new AssertionError("upgrade()", splat)));
        assertEquals("", Failure.whyError("lazycount.cpu.SleepInAtomicException: " + splat.getMessage()));
        assertTrue(splat.getMessage().contains("synchronize_rcu()") && splat.getMessage().contains("fbc->lock"));
    }

    @Test
    void theModelsMisuseOfItsAtomicContextIsAnError() {
        assertTrue(Failure.whyError(new WrongContextException()).startsWith("WrongContextException"));
        assertTrue(Failure.whyError("lazycount.cpu.AtomicContext$WrongContextException: left twice")
                .startsWith("WrongContextException"));
    }

    @Test
    void jcstressExceptionLinesAreClassifiedByTheThrownClass() {
        assertTrue(Failure.whyError("lazycount.cpu.CpuOccupiedException: CPU 1 is occupied").startsWith("Cpu"));
        assertEquals("", Failure.whyError("lazycount.candidate.RfcLazyCounter$KernelBugException: BUG_ON"));
        assertEquals("", Failure.whyError("java.lang.AssertionError: expected CloneFailedException"));
    }
}
