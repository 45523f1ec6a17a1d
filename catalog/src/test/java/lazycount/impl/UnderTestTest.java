package lazycount.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import lazycount.cpu.Cpus;
import lazycount.rss.KernelPolicy;
import lazycount.rss.RssDesign;
import org.junit.jupiter.api.Test;

class UnderTestTest {

    @Test
    void theReferenceIsFoundAndIsTheDefault() {
        assertEquals("reference", Implementations.byName("reference").name());
        assertTrue(Implementations.all().get(0).isCorrect());
        if (Setting.IMPL.isDefault()) {
            assertEquals("reference", UnderTest.implementation().name());
        }
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Implementations.byName("no-such-counter"));
        assertTrue(e.getMessage().contains("no-such-counter") && e.getMessage().contains("reference"), e.getMessage());
    }

    @Test
    void withSwitchesTheImplementationAndRestoresIt() {
        CounterImplementation before = UnderTest.implementation();
        CounterImplementation other = new CounterImplementation() {
            @Override
            public String name() {
                return "other";
            }
        };
        assertSame(other, UnderTest.with(other, (Supplier<CounterImplementation>) UnderTest::implementation));
        assertEquals(before.name(), UnderTest.implementation().name());
    }

    @Test
    void eachSettingIsReadFromItsPropertyAndAnUnknownValueNamesBothSpellings() {
        withProperty(Setting.DESIGN, null, () -> assertEquals(RssDesign.LAZY, UnderTest.design()));
        withProperty(Setting.DESIGN, "cached_merged", () -> assertEquals(RssDesign.CACHED_MERGED, UnderTest.design()));
        withProperty(Setting.CPU_HANDOVER, "relaxed",
                () -> assertEquals(Cpus.Handover.RELAXED, UnderTest.cpus(2).handover()));
        withProperty(Setting.OWNER_CHECK, "trust",
                () -> assertEquals(Cpus.OwnerCheck.TRUST, UnderTest.cpus(2).ownerCheck()));
        withProperty(Setting.BORROWER, "local-path",
                () -> assertEquals(KernelPolicy.BorrowerPath.LOCAL_PATH, UnderTest.policy().borrowerPath()));
        withProperty(Setting.CLONE_UPGRADE, "not-at-vfork",
                () -> assertEquals(KernelPolicy.CloneUpgrade.NOT_AT_VFORK, UnderTest.policy().cloneUpgrade()));
        withProperty(Setting.KILLED_VFORK_PARENT, "other-path", () -> assertEquals(
                KernelPolicy.KilledVforkParent.OTHER_PATH, UnderTest.policy().killedVforkParent()));
        withProperty(Setting.READERS, "precise",
                () -> assertEquals(KernelPolicy.Readers.PRECISE, UnderTest.policy().readers()));
        withProperty(Setting.DESIGN, "NO_SUCH", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, UnderTest::design);
            for (String part : new String[] {"lazycount.design", "LAZYCOUNT_DESIGN", "NO_SUCH", "eager"}) {
                assertTrue(e.getMessage().contains(part), part + " missing from: " + e.getMessage());
            }
        });
    }

    @Test
    void theTableNamesEverySettingOnceWithItsEnvironmentVariable() {
        assertEquals("LAZYCOUNT_CPU_HANDOVER", Setting.CPU_HANDOVER.environmentVariable());
        assertEquals(8, java.util.Arrays.stream(Setting.values()).map(Setting::property).distinct().count());
        withProperty(Setting.BORROWER, "local-path", () -> {
            assertTrue(Setting.changed().contains("lazycount.borrower=local-path"), Setting.changed().toString());
            assertTrue(Setting.jvmArguments().contains("-Dlazycount.borrower=local-path"), Setting.jvmArguments().toString());
            java.util.Map<String, String> childEnvironment = new java.util.HashMap<>();
            Setting.exportTo(childEnvironment);
            assertEquals("local-path", childEnvironment.get("LAZYCOUNT_BORROWER"));
        });
        withProperty(Setting.BORROWER, null, () -> {
            assertTrue(Setting.jvmArguments().stream().noneMatch(a -> a.startsWith("-Dlazycount.borrower=")),
                    "a setting not given is not handed on, so the child keeps each implementation's own policy: "
                            + Setting.jvmArguments());
            java.util.Map<String, String> childEnvironment = new java.util.HashMap<>(
                    java.util.Map.of("LAZYCOUNT_BORROWER", "stale"));
            Setting.exportTo(childEnvironment);
            assertTrue(!childEnvironment.containsKey("LAZYCOUNT_BORROWER"), childEnvironment.toString());
        });
        assertTrue(Setting.jvmArguments().get(0).startsWith("-Dlazycount.impl="), Setting.jvmArguments().toString());
    }

    private static void withProperty(Setting setting, String value, Runnable body) {
        String before = System.getProperty(setting.property());
        try {
            if (value == null) {
                System.clearProperty(setting.property());
            } else {
                System.setProperty(setting.property(), value);
            }
            if (value != null || System.getenv(setting.environmentVariable()) == null) {
                body.run();
            }
        } finally {
            if (before == null) {
                System.clearProperty(setting.property());
            } else {
                System.setProperty(setting.property(), before);
            }
        }
    }

    @lazycount.catalog.Checks(value = lazycount.catalog.Race.OTHER_UPGRADE,
            ops = {lazycount.catalog.Op.OTHER_ADD, lazycount.catalog.Op.UPGRADE_CLONE_VM})
    static final class OtherAddAgainstCloneVm {
    }

    @Test
    void aCounterExampleIsSaidAsTheThreadsKernelPathsSideBySide() {
        String words = Implementations.byName("reference").inKernelWords(OtherAddAgainstCloneVm.class);
        assertTrue(words.startsWith("CPU0: " + lazycount.catalog.Op.OTHER_ADD.kernel()) && words.contains(" \u2016 CPU1: "
                + lazycount.catalog.Op.UPGRADE_CLONE_VM.kernel()), words);
    }

    @Test
    void thePolicyIsTheImplementationsOwnUnlessTheRunSetsIt() {
        KernelPolicy borrowersLocal = new KernelPolicy(KernelPolicy.CloneUpgrade.EVERY_CLONE_VM,
                KernelPolicy.BorrowerPath.LOCAL_PATH);
        CounterImplementation ownPolicy = new CounterImplementation() {
            @Override
            public String name() {
                return "own-policy";
            }

            @Override
            public KernelPolicy kernelPolicy() {
                return borrowersLocal;
            }
        };
        withProperty(Setting.BORROWER, null, () -> withProperty(Setting.CLONE_UPGRADE, null,
                () -> assertEquals(borrowersLocal, UnderTest.with(ownPolicy, (Supplier<KernelPolicy>) UnderTest::policy))));
        withProperty(Setting.BORROWER, "other-path", () -> assertEquals(KernelPolicy.BorrowerPath.OTHER_PATH,
                UnderTest.with(ownPolicy, (Supplier<KernelPolicy>) UnderTest::policy).borrowerPath()));
    }
}
