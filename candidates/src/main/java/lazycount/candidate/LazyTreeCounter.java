package lazycount.candidate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import lazycount.counter.LazyPercpuCounter;
import lazycount.counter.PercpuFactory;
import lazycount.counter.UpgradePolicy;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;
import lazycount.rss.CounterFactory;
import lazycount.tree.PercpuCounterTree;

/**
 * The lazy counter rebased onto the counter tree (candidate {@code lazy-tree}):
 * lazy mode is the reference lazy counter's ({@link LazyPercpuCounter}: the
 * owner's plain local word, the atomic remote word, the owner check, the
 * upgrade policy, all inherited and unchanged); the upgrade publishes a
 * {@link PercpuCounterTree} ({@code percpu_counter_tree_init} /
 * {@code _init_many}) where the reference publishes a {@code percpu_counter}.
 * What this class overrides is that upgrade target and nothing else: which
 * object the upgrade allocates and publishes, and, once it is published, the
 * per-CPU add ({@code percpu_counter_tree_add}), the read (the lazy words plus
 * the tree's approximate sum), the sum (plus its precise sum), the read bound
 * (the tree's accuracy range) and the teardown. Every lazy-mode path is
 * {@code super}'s: the reference's own {@code percpu} pointer stays null for
 * ever, so its lazy branches are the ones that run.
 *
 * <p>The protocol is the reference's "the remainder stays in the sum": the
 * lazy words are never folded, so the value is
 * {@code local + remote + (tree == null ? 0 : tree's precise sum)}; an add that
 * read a null pointer lands in a lazy word, which stays in the sum however
 * late it lands; the upgrade only publishes the pointer (one CAS: exactly one
 * tree is published, the loser's is released unused). So no add is lost or
 * doubled for the reasons {@link LazyPercpuCounter}'s notes give, race by race,
 * with a tree in place of the per-CPU counter.
 *
 * <p>Memory ordering: the pointer is published by
 * {@code compareAndExchangeRelease} ({@code cmpxchg_release}, as the
 * reference's {@code percpu}) and read opaque ({@code READ_ONCE}); the
 * published record and the tree's fields are final and its words zero from
 * construction, so the final-field guarantee covers what a reader needs.
 *
 * <p>Teardown: trees of one {@code init_many} are freed together
 * ({@code percpu_counter_tree_destroy_many}). An mm's four, upgraded together,
 * go in one {@link #destroyAll} (one precise sum per tree, as the tree design's
 * teardown). A counter torn down alone ({@link #destroy()}) takes its tree's
 * precise sum and releases its tree, and the last release of an allocation (a
 * tree left unused by a lost race is released at once) destroys the whole
 * array, as the RFC-fixed counter's last user frees a shared per-CPU
 * allocation by its base.
 *
 * <p>CPU hotplug: nothing to do, as for the tree itself (it registers no
 * callback; a dead CPU's level 0 stays and the precise sum walks every
 * possible CPU); the lazy words are not per-CPU.
 */
public final class LazyTreeCounter extends LazyPercpuCounter {

    private static final VarHandle UPGRADED;

    static {
        try {
            UPGRADED = MethodHandles.lookup().findVarHandle(LazyTreeCounter.class, "upgraded", Upgraded.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The reference's per-CPU counters never come from a lazy-tree counter: the
     * inherited {@code LazyPercpuCounter.upgradeAll} is not this counter's upgrade.
     */
    private static final PercpuFactory NO_PERCPU_COUNTER = (area, slot, batch) -> {
        throw new IllegalStateException("a lazy-tree counter upgrades to a percpu_counter_tree, never to a"
                + " percpu_counter: upgrade it with upgrade() or LazyTreeCounter.upgradeAll, not"
                + " LazyPercpuCounter.upgradeAll");
    };

    /** The trees of one {@code init_many}, freed together by the last of their counters to release one. */
    static final class Allocation {
        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Allocation.class, "released", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final PercpuCounterTree[] trees;
        @SuppressWarnings("unused") private int released;

        Allocation(PercpuCounterTree[] trees) {
            this.trees = trees;
        }

        /** One tree done with; the last one destroys the whole init_many ({@code percpu_counter_tree_destroy_many}). */
        void release() {
            if ((int) RELEASED.getAndAdd(this, 1) + 1 == trees.length) {   // atomic_inc_return
                PercpuCounterTree.destroyMany(trees);
            }
        }
    }

    /** The published upgrade target: tree {@code tree} of {@code allocation}. */
    record Upgraded(PercpuCounterTree tree, Allocation allocation) {
    }

    private final long treeBatch;
    private final CounterFactory trees;

    @SuppressWarnings("unused") private Upgraded upgraded;   // null in lazy mode

    /**
     * A lazy counter with no owner yet whose upgrade builds a tree of batch size
     * {@code treeBatch} (a power of two greater than 1) through {@code trees}'
     * {@link CounterFactory#newCounterTrees} (so a broken tree reaches it).
     * {@code batch} is the lazy counter's own, unused once upgraded.
     */
    public LazyTreeCounter(Cpus cpus, int batch, long treeBatch, UpgradePolicy policy, CounterFactory trees) {
        super(cpus, batch, policy, NO_PERCPU_COUNTER);
        if (treeBatch <= 1 || (treeBatch & (treeBatch - 1)) != 0) {
            throw new IllegalArgumentException("tree batch size must be a power of 2 greater than 1, was " + treeBatch);
        }
        this.treeBatch = treeBatch;
        this.trees = trees;
    }

    /** The smallest power of two, at least 2, not below {@code batch}: the tree batch of a counter of batch {@code batch}. */
    public static long treeBatchFor(int batch) {
        long b = Math.max(2, batch);
        return Long.highestOneBit(b - 1) << 1;
    }

    /** The published tree, null in lazy mode. */
    PercpuCounterTree tree() {
        Upgraded u = upgradedTarget();
        return u == null ? null : u.tree();
    }

    private Upgraded upgradedTarget() {
        return (Upgraded) UPGRADED.getOpaque(this);               // READ_ONCE(c->tree)
    }

    @Override
    public void addLocal(CpuSection cpu, long delta) {
        Upgraded u = upgradedTarget();
        if (u != null) {
            checkAlive("addLocal");
            u.tree().add(cpu, delta);                             // percpu_counter_tree_add
            return;
        }
        super.addLocal(cpu, delta);                               // lazy: the owner's local word
    }

    @Override
    public void addOther(CpuSection cpu, long delta) {
        Upgraded u = upgradedTarget();
        if (u != null) {
            checkAlive("addOther");
            u.tree().add(cpu, delta);                             // percpu_counter_tree_add
            return;
        }
        super.addOther(cpu, delta);                               // lazy: the remote word (and the policy)
    }

    /** {@code lazy_percpu_counter_upgrade}: {@code percpu_counter_tree_init} (O(nrCpus)), then publish. */
    @Override
    public boolean upgrade() {
        checkAlive("upgrade");
        if (upgradedTarget() != null) {
            return false;
        }
        Allocation fresh = new Allocation(trees.newCounterTrees(cpus(), 1, treeBatch));   // -ENOMEM: nothing changed
        return publishOrRelease(fresh, 0);
    }

    /**
     * Upgrades several counters onto one {@code percpu_counter_tree_init_many}
     * at {@code CLONE_VM}, one tree each; a counter already upgraded keeps its
     * tree and its tree of the new allocation is released unused.
     */
    public static void upgradeAll(LazyTreeCounter[] counters) {
        if (counters.length == 0) {
            return;
        }
        Cpus cpus = checkUpgradeAll(counters);
        boolean anyLazy = false;
        for (LazyTreeCounter c : counters) {
            anyLazy |= c.upgradedTarget() == null;
            if (c.treeBatch != counters[0].treeBatch) {
                throw new IllegalArgumentException("upgradeAll() over trees of batch sizes " + counters[0].treeBatch
                        + " and " + c.treeBatch + ": one init_many has one batch size");
            }
        }
        if (!anyLazy) {
            return;                                               // a later CLONE_VM: nothing to allocate
        }
        Allocation fresh = new Allocation(counters[0].trees.newCounterTrees(cpus, counters.length,
                counters[0].treeBatch));
        for (int i = 0; i < counters.length; i++) {
            counters[i].publishOrRelease(fresh, i);
        }
    }

    /** Publishes tree {@code index} of {@code fresh}, or, having lost (or come late), releases it unused. */
    private boolean publishOrRelease(Allocation fresh, int index) {
        Upgraded target = new Upgraded(fresh.trees[index], fresh);
        // cmpxchg_release(&c->tree, NULL, fresh): one winner.
        if (UPGRADED.compareAndExchangeRelease(this, null, target) == null) {
            return true;
        }
        fresh.release();
        return false;
    }

    @Override
    public boolean isPerCpu() {
        return upgradedTarget() != null;
    }

    /** {@code get_mm_counter}: the lazy words, plus the tree's approximate sum once upgraded. */
    @Override
    public long read() {
        checkAlive("read");
        Upgraded u = upgradedTarget();
        long residue = lazyWords();
        return u == null ? residue : residue + u.tree().approximateSum();
    }

    /** {@code get_mm_counter_sum}: the lazy words, plus the tree's precise sum once upgraded. */
    @Override
    public long sum() {
        checkAlive("sum");
        Upgraded u = upgradedTarget();
        long residue = lazyWords();
        return u == null ? residue : residue + u.tree().preciseSum();
    }

    /** Exact in lazy mode; the tree's bound ({@code under}) once upgraded: the lazy words are exact. */
    @Override
    public long readErrorBound() {
        Upgraded u = upgradedTarget();
        return u == null ? 0 : u.tree().readErrorBound();
    }

    /** The exact final value (lazy words plus the tree's precise sum); releases the tree. */
    @Override
    public long destroy() {
        markDestroyed();
        Upgraded u = upgradedTarget();
        long residue = lazyWords();
        if (u == null) {
            return residue;
        }
        long value = residue + u.tree().preciseSum();
        u.allocation().release();
        return value;
    }

    /**
     * {@code check_mm} and the teardown of an mm's four counters: when all four
     * were upgraded onto one {@code init_many}, in order, one
     * {@code percpu_counter_tree_destroy_many} (one precise sum per tree) plus
     * each counter's lazy words, as the tree design's teardown; otherwise each
     * counter's {@link #destroy()}.
     */
    public static long[] destroyAll(LazyTreeCounter[] counters) {
        Upgraded first = counters.length == 0 ? null : counters[0].upgradedTarget();
        boolean oneInitMany = first != null && first.allocation().trees.length == counters.length;
        for (int i = 0; oneInitMany && i < counters.length; i++) {
            Upgraded u = counters[i].upgradedTarget();
            oneInitMany = u != null && u.allocation() == first.allocation() && u.tree() == first.allocation().trees[i];
        }
        long[] values = new long[counters.length];
        if (!oneInitMany) {
            for (int i = 0; i < counters.length; i++) {
                values[i] = counters[i].destroy();
            }
            return values;
        }
        for (LazyTreeCounter c : counters) {
            c.markDestroyed();
        }
        long[] trees = PercpuCounterTree.destroyMany(first.allocation().trees);   // the allocation's only release
        for (int i = 0; i < counters.length; i++) {
            values[i] = counters[i].lazyWords() + trees[i];
        }
        return values;
    }

    @Override
    public String toString() {
        Upgraded u = upgradedTarget();
        return "LazyTreeCounter[nrCpus=" + cpus().nrPossible() + ", treeBatch=" + treeBatch
                + ", mode=" + (u == null ? "lazy" : "tree") + "]";
    }
}
