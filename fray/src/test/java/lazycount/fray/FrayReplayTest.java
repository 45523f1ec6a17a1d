package lazycount.fray;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pastalab.fray.junit.plain.FrayInTestLauncher;

/**
 * Replays a saved Fray recording (a {@code recording} folder holding
 * {@code scheduler} and {@code random.json}) of one of the race bodies, against
 * the implementation selected by {@code -Dlazycount.impl}. Off unless
 * {@code -Dfray.replay=PATH} is given; {@code -Dlazycount.fray.race} names the
 * body (default: the exit/check_mm race). The test fails exactly when the
 * replayed schedule reproduces the bug. See README.md for the command.
 */
@Tag(lazycount.testkit.CheckRunner.NOT_A_CHECK)
@EnabledIfSystemProperty(named = "fray.replay", matches = ".+")
class FrayReplayTest {

    private interface Body {
        void run() throws InterruptedException;
    }

    private static final Map<String, Body> BODIES = Map.of(
            "OtherAddsUpgradeFrayTest", Races::otherAddsLocalAddsUpgrade,
            "UpgradeUpgradeFrayTest", Races::upgradeUpgradeAdds,
            "ExitCheckMmFrayTest", Races::exitRemoteUpdatersReader,
            "LifecycleFrayTest", Races::forkRemoteCloneVm,
            "HotplugTeardownManyFrayTest", Races::hotplugAgainstOneWalkTeardown,
            "CpuEntryHotplugFrayTest", Races::cpuEntryAgainstTakeDown,
            "RcuGracePeriodFrayTest", Races::rcuReadersAgainstGracePeriods,
            "VforkKilledParentFrayTest", Races::killedVforkParentAndChild,
            "RmapTeardownFrayTest", Races::rmapWalkersAgainstExit,
            "PreciseReadFrayTest", Races::preciseReadDuringClone);

    @Test
    void replay() {
        String race = System.getProperty("lazycount.fray.race", "ExitCheckMmFrayTest");
        Body body = BODIES.get(race);
        if (body == null) {
            throw new IllegalArgumentException("lazycount.fray.race must be one of " + BODIES.keySet());
        }
        FrayInTestLauncher.INSTANCE.launchFrayReplay(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, System.getProperty("fray.replay"));
    }
}
