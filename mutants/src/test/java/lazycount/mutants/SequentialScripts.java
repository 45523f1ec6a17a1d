package lazycount.mutants;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import lazycount.impl.UnderTest;
import lazycount.counter.BatchedCounter;
import lazycount.counter.RssCounter;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.impl.CounterImplementation;
import lazycount.rss.Mm;
import lazycount.rss.RssDesign;
import lazycount.rss.RssMember;
import lazycount.testing.Threads;

/**
 * Deterministic single-threaded scenarios (one context at a time, handed over
 * by thread start and join) that record every value a caller can observe. Two
 * implementations agree on a script exactly when the script cannot tell them
 * apart; a concurrency-only mutant must agree with the reference on all of them.
 */
final class SequentialScripts {

    private static final int CPUS = 4;
    private static final int BATCH = 8;

    private SequentialScripts() {
    }

    /** Every script's observations, in order, labelled so that a mismatch says where. */
    static List<String> observe(CounterImplementation impl) {
        List<String> seen = new ArrayList<>();
        percpuCounter(impl, seen);
        lazyCounter(impl, seen, false);
        lazyCounter(impl, seen, true);
        frequencyUpgrade(impl, seen);
        counterTree(impl, seen);
        for (RssDesign design : new RssDesign[] {RssDesign.LAZY, RssDesign.EAGER, RssDesign.TREE}) {
            mmLifecycle(impl, design, seen);
        }
        return seen;
    }

    /** Adds of both signs on every CPU, many of them folding; sum and read after each. */
    static void percpuCounter(CounterImplementation impl, List<String> seen) {
        Cpus cpus = impl.newCpus(CPUS, Cpus.Handover.FENCED, Cpus.OwnerCheck.REFUSE);
        BatchedCounter c = impl.newPercpuCounter(cpus, BATCH);
        SplittableRandom random = new SplittableRandom(42);
        for (int step = 0; step < 200; step++) {
            try (CpuSection cpu = cpus.enter(random.nextInt(CPUS))) {
                c.add(cpu, random.nextLong(-2 * BATCH, 2 * BATCH + 1));
            }
            seen.add("percpu step " + step + ": sum=" + c.sum() + " read=" + c.read());
        }
        seen.add("percpu destroy=" + c.destroy());
    }

    /** A counter tree of three levels (8 CPUs, batch 2): adds of both signs on every CPU, a set; both sums after each. */
    static void counterTree(CounterImplementation impl, List<String> seen) {
        Cpus cpus = new Cpus(8);
        lazycount.tree.PercpuCounterTree t = impl.newCounterTrees(cpus, 1, 2)[0];
        SplittableRandom random = new SplittableRandom(42);
        for (int step = 0; step < 200; step++) {
            if (step == 100) {
                t.set(1000);
            }
            try (CpuSection cpu = cpus.enter(random.nextInt(8))) {
                t.add(cpu, random.nextLong(-3, 9));
            }
            seen.add("tree step " + step + ": precise=" + t.preciseSum() + " approximate=" + t.approximateSum());
        }
        seen.add("tree destroy=" + t.destroy());
    }

    /** Owner and other-path adds, an upgrade (by the owner or by another thread), more adds, teardown. */
    static void lazyCounter(CounterImplementation impl, List<String> seen, boolean otherThreadUpgrades) {
        String label = "lazy(upgrade by " + (otherThreadUpgrades ? "other" : "owner") + ")";
        Cpus cpus = impl.newCpus(CPUS, Cpus.Handover.FENCED, Cpus.OwnerCheck.REFUSE);
        RssCounter c = impl.newLazyCounter(cpus, BATCH, UpgradePolicy.NEVER);
        c.bindOwner();
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 6; round++) {
            if (round == 3) {
                if (otherThreadUpgrades) {
                    Threads.runOnNewThread("upgrader", c::upgrade);
                } else {
                    c.upgrade();
                }
            }
            long local = random.nextLong(-20, 21);
            long other = random.nextLong(-20, 21);
            int cpu = random.nextInt(CPUS);
            try (CpuSection s = cpus.enter(cpu)) {
                c.addLocal(s, local);
            }
            Threads.runOnNewThread("other", () -> {
                try (CpuSection s = cpus.enter((cpu + 1) % CPUS)) {
                    c.addOther(s, other);
                }
            });
            seen.add(label + " round " + round + ": sum=" + c.sum() + " read=" + c.read()
                    + " perCpu=" + c.isPerCpu());
        }
        seen.add(label + " destroy=" + c.destroy());
    }

    /** The generic counter's own upgrade after 5 other-path updates, made by a non-owner. */
    static void frequencyUpgrade(CounterImplementation impl, List<String> seen) {
        Cpus cpus = impl.newCpus(CPUS, Cpus.Handover.FENCED, Cpus.OwnerCheck.REFUSE);
        RssCounter c = impl.newLazyCounter(cpus, BATCH, UpgradePolicy.afterOtherUpdates(5));
        c.bindOwner();
        for (int round = 0; round < 8; round++) {
            try (CpuSection s = cpus.enter(0)) {
                c.addLocal(s, 3);
            }
            Threads.runOnNewThread("remote", () -> {
                try (CpuSection s = cpus.enter(1)) {
                    c.addOther(s, 2);
                }
            });
            seen.add("frequency round " + round + ": sum=" + c.sum() + " perCpu=" + c.isPerCpu());
        }
        seen.add("frequency destroy=" + c.destroy());
    }

    /** exec, adds, a remote reference, fork and the child's life, CLONE_VM and the thread's life, exit. */
    static void mmLifecycle(CounterImplementation impl, RssDesign design, List<String> seen) {
        String label = "mm " + design;
        Cpus cpus = impl.newCpus(CPUS, Cpus.Handover.FENCED, Cpus.OwnerCheck.REFUSE);
        Mm mm = Mm.exec(impl, cpus, design, UnderTest.policy());
        try (CpuSection s = cpus.enter(0)) {
            mm.add(s, RssMember.ANONPAGES, 40);
            mm.add(s, RssMember.FILEPAGES, 7);
        }
        Threads.runOnNewThread("khugepaged", () -> {
            if (mm.mmgetNotZero()) {
                try (CpuSection s = cpus.enter(1)) {
                    mm.addRemote(s, RssMember.ANONPAGES, -12);
                    mm.mmput(s);
                }
            }
        });
        Mm child;
        try (CpuSection s = cpus.enter(0)) {
            child = mm.fork(s);
        }
        Threads.runOnNewThread("child", () -> {
            child.attachTask();
            try (CpuSection s = cpus.enter(2)) {
                child.add(s, RssMember.ANONPAGES, 5);
                seen.add(label + " child: anon=" + child.sum(RssMember.ANONPAGES)
                        + " file=" + child.sum(RssMember.FILEPAGES));
                child.exit(s);
            }
        });
        seen.add(label + " child report=" + child.checkMmReport());
        Thread second = new Thread(() -> {
            try (CpuSection s = cpus.enter(3)) {
                mm.add(s, RssMember.SHMEMPAGES, 9);
                mm.exit(s);
            }
        }, "second-task");
        mm.cloneVm(second);
        second.start();
        Threads.join(second);
        try (CpuSection s = cpus.enter(0)) {
            mm.add(s, RssMember.ANONPAGES, 1);
            for (RssMember m : RssMember.values()) {
                seen.add(label + " " + m + ": sum=" + mm.sum(m) + " mapped=" + mm.mappedPages(m));
            }
            seen.add(label + " torn down at last exit=" + mm.exit(s));
        }
        seen.add(label + " report=" + mm.checkMmReport());
    }
}
