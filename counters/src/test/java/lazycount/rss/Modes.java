package lazycount.rss;

import java.util.Arrays;

/** The modes of an mm's four counters, as the clone and borrower tests look at them. */
final class Modes {

    private Modes() {
    }

    static boolean anyPerCpu(Mm mm) {
        return Arrays.stream(RssMember.values()).anyMatch(m -> mm.counter(m).isPerCpu());
    }

    static boolean allPerCpu(Mm mm) {
        return Arrays.stream(RssMember.values()).allMatch(m -> mm.counter(m).isPerCpu());
    }
}
