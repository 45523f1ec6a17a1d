package lazycount.stress;

import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.Mm;
import lazycount.rss.RssMember;

/**
 * The start of a vfork between a parent actor and a child actor, as the vfork
 * races begin it: the parent maps 1 page alone and vforks the child, which
 * names its thread first (a task is named before it runs) and runs only once
 * the parent lets it. What each side does after that is its race's.
 */
final class VforkHandshake {

    private volatile Thread child;
    private volatile boolean vforked;

    /** The parent: attaches to {@code mm}, maps 1 anon page on CPU 0, waits for the child's thread and vforks it. */
    void parentMapsAPageAndVforks(Cpus cpus, Mm mm) {
        mm.attachTask();
        try (CpuSection cpu = cpus.enter(0)) {
            mm.add(cpu, RssMember.ANONPAGES, 1);
        }
        Thread c;
        while ((c = child) == null) {
            Thread.onSpinWait();
        }
        mm.vfork(c);
    }

    /** The parent lets the vforked child run. */
    void letTheChildRun() {
        vforked = true;
    }

    /** The child: names its thread, then waits until the parent has vforked it and let it run. */
    void childWaitsToRun() {
        child = Thread.currentThread();
        while (!vforked) {
            Thread.onSpinWait();
        }
    }
}
