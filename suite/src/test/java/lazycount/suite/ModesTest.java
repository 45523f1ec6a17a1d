package lazycount.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import lazycount.catalog.Tool;
import lazycount.impl.CounterImplementation;
import lazycount.impl.CounterImplementation.Kind;
import lazycount.impl.Implementations;
import org.junit.jupiter.api.Test;

/**
 * The three modes of {@code ./verify-suite}: quick (the default) runs
 * Lincheck at quick mode's budget, the other tools at the gate's, and a
 * mutant with the tools it names only; full the gate's budgets with every
 * tool on every row; deep the nightly budgets. Each keys its cells by its
 * budgets, and only full and deep record verdicts.
 */
class ModesTest {

    @Test
    void quickIsTheDefaultAndEachFlagSelectsItsMode() {
        assertEquals(VerifySuite.Mode.QUICK, VerifySuite.Options.parse(new String[0]).mode);
        assertEquals(VerifySuite.Mode.QUICK, VerifySuite.Options.parse(new String[] {"--quick"}).mode);
        assertEquals(VerifySuite.Mode.FULL, VerifySuite.Options.parse(new String[] {"--full"}).mode);
        assertEquals(VerifySuite.Mode.DEEP, VerifySuite.Options.parse(new String[] {"--deep"}).mode);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VerifySuite.Options.parse(new String[] {"--fast"}));
        assertTrue(e.getMessage().contains("--fast"), e.getMessage());
    }

    @Test
    void eachModeSaysItsBudgetsAndKeysItsCellsByThem() {
        assertEquals("gate", VerifySuite.Mode.FULL.budgets());
        assertTrue(VerifySuite.budgets(VerifySuite.Mode.FULL).startsWith("full mode (the gate's budgets"));
        String quick = VerifySuite.budgets(VerifySuite.Mode.QUICK);
        assertTrue(quick.startsWith("quick mode (Lincheck at half the scenarios"), quick);
        assertTrue(quick.contains("the tools it names only") && quick.contains("no counter-example at quick budgets"), quick);
        assertEquals(3, EnumSet.allOf(VerifySuite.Mode.class).stream().map(VerifySuite.Mode::budgets).distinct().count(),
                "a cell decided at one mode's budgets is never reused for another's");
        assertEquals("1", VerifySuite.Mode.QUICK.triesFactor());
        assertEquals("1", VerifySuite.Mode.FULL.triesFactor());
        assertEquals("20", VerifySuite.Mode.DEEP.triesFactor());
    }

    @Test
    void onlyAFullOrDeepRunOfEveryToolAndRaceRecordsVerdicts() {
        assertFalse(VerifySuite.recordsVerdicts(VerifySuite.Options.parse(new String[0])), "quick");
        assertTrue(VerifySuite.recordsVerdicts(VerifySuite.Options.parse(new String[] {"--full"})));
        assertTrue(VerifySuite.recordsVerdicts(VerifySuite.Options.parse(new String[] {"--deep"})));
        assertFalse(VerifySuite.recordsVerdicts(VerifySuite.Options.parse(new String[] {"--full", "--tool", "jqwik"})));
        assertFalse(VerifySuite.recordsVerdicts(VerifySuite.Options.parse(new String[] {"--full", "--race", "FORK"})));
    }

    @Test
    void quickRunsAMutantWithTheToolsItNamesOnlyAndEveryOtherRowWithEveryTool() {
        VerifySuite.Options quick = VerifySuite.Options.parse(new String[0]);
        VerifySuite.Options full = VerifySuite.Options.parse(new String[] {"--full"});
        VerifySuite.Options allChecks = VerifySuite.Options.parse(new String[] {"--all-checks"});
        boolean sawAnUnnamedTool = false;
        for (CounterImplementation impl : Implementations.all()) {
            for (Tool tool : VerifySuite.MATRIX_TOOLS) {
                boolean named = impl.expectedCatchers().contains(tool);
                assertEquals(impl.kind() != Kind.MUTANT || named, VerifySuite.runs(quick, impl, tool),
                        impl.name() + " x " + tool);
                assertTrue(VerifySuite.runs(full, impl, tool), impl.name() + " x " + tool + " in full mode");
                assertTrue(VerifySuite.runs(allChecks, impl, tool), impl.name() + " x " + tool + " with --all-checks");
                sawAnUnnamedTool |= impl.kind() == Kind.MUTANT && !named;
            }
        }
        assertTrue(sawAnUnnamedTool, "some mutant names fewer than every tool, or this test shows nothing");
        VerifySuite.Options onlyJqwik = VerifySuite.Options.parse(new String[] {"--full", "--tool", "jqwik"});
        Set<Tool> ran = EnumSet.noneOf(Tool.class);
        VerifySuite.MATRIX_TOOLS.stream().filter(t -> VerifySuite.runs(onlyJqwik, Implementations.byName("reference"), t))
                .forEach(ran::add);
        assertEquals(EnumSet.of(Tool.JQWIK), ran, "--tool still selects");
    }

    @Test
    void aQuickRowCostsItsNamedToolsAndLessLincheckAndShardsAreCutByIt() {
        for (CounterImplementation impl : Implementations.all()) {
            long quick = Progress.rowPrior(impl, VerifySuite.Mode.QUICK);
            long full = Progress.rowPrior(impl, VerifySuite.Mode.FULL);
            boolean runsLincheck = VerifySuite.Mode.QUICK.runs(impl, Tool.LINCHECK);
            boolean namesEveryTool = impl.expectedCatchers().containsAll(VerifySuite.MATRIX_TOOLS);
            if (runsLincheck || (impl.kind() == Kind.MUTANT && !namesEveryTool)) {
                assertTrue(quick < full, impl.name() + ": quick " + quick + " s, full " + full + " s");
            } else {
                assertEquals(full, quick, impl.name());
            }
            assertTrue(Progress.rowPrior(impl, VerifySuite.Mode.DEEP) > full, impl.name());
        }
    }
}
