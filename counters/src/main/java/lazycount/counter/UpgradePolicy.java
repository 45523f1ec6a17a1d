package lazycount.counter;

/**
 * When the generic lazy counter upgrades by itself: after a number of
 * other-path updates in lazy mode (remote updates have become frequent, so the
 * atomic is contended and per-CPU slots pay off). The rss_stat counters use
 * {@link #NEVER} and are upgraded explicitly at {@code CLONE_VM}.
 */
public final class UpgradePolicy {

    public static final UpgradePolicy NEVER = new UpgradePolicy(0);

    private final long otherUpdatesThreshold;

    private UpgradePolicy(long otherUpdatesThreshold) {
        this.otherUpdatesThreshold = otherUpdatesThreshold;
    }

    /** Upgrade on the {@code n}-th other-path update seen in lazy mode. */
    public static UpgradePolicy afterOtherUpdates(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("threshold must be >= 1, was " + n);
        }
        return new UpgradePolicy(n);
    }

    public boolean isEnabled() {
        return otherUpdatesThreshold > 0;
    }

    /** The number of other-path updates that triggers the upgrade (0: never). */
    public long threshold() {
        return otherUpdatesThreshold;
    }

    @Override
    public String toString() {
        return isEnabled() ? "afterOtherUpdates(" + otherUpdatesThreshold + ")" : "NEVER";
    }
}
