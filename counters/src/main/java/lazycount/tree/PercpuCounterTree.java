package lazycount.tree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import lazycount.counter.AddCounter;
import lazycount.counter.CounterDestroyedException;
import lazycount.cpu.CpuSection;
import lazycount.cpu.Cpus;

/**
 * A model of {@code struct percpu_counter_tree} ({@code lib/percpu_counter_tree.c}):
 * per-CPU level-0 split counters whose carries, each time a level-0 counter
 * crosses a multiple of the power-of-two batch size, propagate up a tree of
 * atomic items shaped by a {@link TreeTopology} to a root item.
 *
 * <p>Contract:
 * <ul>
 * <li>{@link #add} through a {@link CpuSection} of the tree's CPUs adds
 *     {@code inc} to the value exactly once: to the caller's level-0 counter,
 *     then as carries up the tree. Arithmetic wraps modulo 2<sup>64</sup>.
 * <li>{@link #preciseSum} (level-0 counters of every possible CPU plus the bias)
 *     is exact when no add runs concurrently.
 * <li>{@link #approximateSum} (root plus bias) of a settled tree, one with no add
 *     in progress, lies in {@code [preciseSum - under, preciseSum + over]}
 *     ({@link #accuracyRange}). An add between its level-0 increment and its last
 *     carry is not covered.
 * <li>{@link #set} makes the precise sum {@code v} (through the bias), for a settled tree.
 * <li>The compare helpers answer as the C's do, including their choice of which
 *     side of the accuracy range bounds which sign of the difference.
 * <li>CPU hotplug changes nothing: the tree registers no hotplug callback; a dead
 *     CPU's level-0 counter keeps its value and the precise sum still walks it.
 * <li>{@link #destroy} (a tree initialised alone) and {@link #destroyMany} (the
 *     whole array of one {@link #initMany}, in order) return the exact final
 *     values; every later use throws {@link CounterDestroyedException}. Any other
 *     teardown throws {@link TreeMisuseException}.
 * <li>{@link #init}/{@link #initMany} allocate the level-0 counters through
 *     {@link Cpus#allocatePercpu}: an injected failure throws
 *     {@link lazycount.cpu.PercpuAllocationException} ({@code -ENOMEM}) and builds nothing;
 *     a batch size that is not a power of two greater than 1 throws
 *     {@link IllegalArgumentException} ({@code -EINVAL}), after the allocation, as the C.
 * </ul>
 *
 * <p>Subclasses exist only to model broken variants (the mutants catalog): the
 * protected steps ({@link #carryOut}, {@link #nextLevelItems}, {@link #addToItem},
 * {@link #biasOfApproximateSum}) are where such variants differ, and
 * {@link #initMany(Cpus, TreeTopology, int, long, Maker)} builds them.
 */
public class PercpuCounterTree implements AddCounter {

    /*
     * Design notes.
     *
     * Source, one tree state: linux-mm/linux-mm at 2f1e5706062c9c6476e0335288557c6c18b71090
     * (the commit the issue names for the header), files
     *   include/linux/percpu_counter_tree.h        read at 2f1e5706 (391 lines)
     *   lib/tests/percpu_counter_tree_kunit.c      read at 2f1e5706 (the test the unit tests port)
     *   lib/percpu_counter_tree.c                  (696 lines) the index holds no copy stamped
     *       2f1e5706; its text was read from the copy stamped 23b86b4b6be96493949f862179a984eda136471d,
     *       the revision that matches this header (the inline items_size over the exported
     *       __percpu_counter_tree_items_size; the "settled counter" and "read independently"
     *       wording). The older copy c245093b5186200dac3be4a7654cdb09de3ea02d has the same code,
     *       two doc sentences fewer. Line numbers below are of that text.
     * Only reading: no C is copied here; the Java follows the C statement by statement.
     *
     * Map (Java -> C, file, lines):
     *   initMany(...)              percpu_counter_tree_init_many          .c 246-275
     *   init(...)                  percpu_counter_tree_init               .c 297-301
     *   (constructor)              __percpu_counter_tree_init             .c 196-223
     *   destroyMany(...)           percpu_counter_tree_destroy_many       .c 312-315
     *   destroy()                  percpu_counter_tree_destroy            .c 324-327
     *   carry(...)                 percpu_counter_tree_carry              .c 330-361
     *   addSlowpath(...)           percpu_counter_tree_add_slowpath       .c 368-409
     *   add(...)                   percpu_counter_tree_add                .c 420-430
     *   preciseSumUnbiased()       percpu_counter_tree_precise_sum_unbiased .c 433-442
     *   preciseSum()               percpu_counter_tree_precise_sum        .c 454-457
     *   compareDelta(...)          compare_delta                          .c 460-474
     *   approximateCompare(a, b)   percpu_counter_tree_approximate_compare .c 495-500
     *   approximateCompareValue(v) percpu_counter_tree_approximate_compare_value .c 519-524
     *   preciseCompare(a, b)       percpu_counter_tree_precise_compare    .c 544-594
     *   preciseCompareValue(v)     percpu_counter_tree_precise_compare_value .c 613-632
     *   setBias(...)               percpu_counter_tree_set_bias           .c 635-639
     *   set(v)                     percpu_counter_tree_set                .c 651-655
     *   approximateSum()           percpu_counter_tree_approximate_sum    .h 148-158
     *   accuracyRange()            percpu_counter_tree_approximate_accuracy_range .h 181-187
     *   approximateSumPositive()   percpu_counter_tree_approximate_sum_positive .h 316-321
     *   preciseSumPositive()       percpu_counter_tree_precise_sum_positive .h 332-337
     *   approximateMinMaxRange(..) percpu_counter_tree_approximate_min_max_range .h 361-367
     *   approximateMinMax()        percpu_counter_tree_approximate_min_max .h 379-389
     *   fields                     struct percpu_counter_tree             .h 72-103
     *   item layout                struct percpu_counter_tree_level_item  .h 59-64
     *   TreeTopology               per_nr_cpu_order_config, subsystem_init,
     *                              calculate_accuracy_topology, items_size (see its notes)
     *   read()/sum()/readErrorBound()  the model's Counter view: approximate sum, precise sum, under
     * The !CONFIG_SMP variant (.h 189-303, one atomic_long_t) is not modelled: a one-CPU
     * machine here runs the SMP code with nr_cpus_order = 0, as a CONFIG_SMP kernel booted on
     * one CPU does (level0_bit_mask = 0, no carries, the approximate sum reads CPU 0's level 0).
     *
     * Memory. init_many makes one per-CPU allocation for all its trees (__alloc_percpu_gfp of
     * nr_counters longs): here Cpus.allocatePercpu(nrCounters), the model's failure point, then
     * one long[] with a cache-line unit per CPU (tree i at slot i of each unit, as PercpuArea
     * lays it out). The items are the caller's memory in C (kvcalloc'd, memset by init_many),
     * not the per-CPU allocator's, so no failure is injected there; here init_many allocates
     * them (zeroed), after the per-CPU allocation so that a failure allocates nothing. Each item
     * is ____cacheline_aligned_in_smp: a stride of 8 longs. The C checks the batch size after
     * allocating and frees on -EINVAL; the model does the same (the allocation attempt is spent).
     *
     * Accesses (VarHandles; the weakest mode that is correct, and why):
     *   level 0, own CPU, in add: this_cpu_add_return. The caller's CpuSection makes it the only
     *     writer of its slot, so a plain read and an opaque write (untorn for the precise sum's
     *     concurrent readers; this_cpu_add_return is one instruction on x86).
     *   level 0, any CPU, in precise sum / set: *per_cpu_ptr, a plain load in C; opaque here.
     *   level 0 of CPU 0 as the approximate sum of a one-CPU tree: READ_ONCE -> opaque.
     *   items, in the slow path: atomic_long_add_return_relaxed. Java has no relaxed
     *     read-modify-write; getAndAddRelease is the weakest offered (the same lock xadd on x86).
     *     Atomicity is what matters: two CPUs sharing an item add to it concurrently.
     *   root: atomic_long_add (void, unordered) -> getAndAddRelease, for the same reason.
     *   root read in the approximate sum: atomic_long_read -> opaque.
     *   bias: READ_ONCE / WRITE_ONCE -> opaque read / opaque write.
     *   destroyed flag: the model's own (no C counterpart); release write, opaque check, as
     *     PercpuCounter's: use after destroy is caught on a best-effort basis.
     *
     * Preemption. The C's add is this_cpu_add_return (preempt-safe by itself) and then a slow
     * path that runs preemptible: raw_smp_processor_id() only picks which items carry the
     * value ("it does not matter through which path the carry propagates up the tree"). The
     * model takes a CpuSection the caller holds across the whole add, so another task cannot
     * add on the same CPU between the level-0 increment and the carries; tasks on other CPUs
     * can, which is the in-flight window the accuracy range excludes. A check that wants the
     * same-CPU interleaving too needs a two-step add (later work, with the tool checks).
     *
     * CPU hotplug. lib/percpu_counter_tree.c registers no cpuhp callback and its trees are on
     * no list (contrast percpu_counter_cpu_dead, which folds a dead CPU's slot). A dying CPU's
     * level-0 counter keeps its value, and its pending remainder (below the batch) stays there:
     * the precise sum walks for_each_possible_cpu, so it still counts it, and the accuracy
     * range is computed over 2^nr_cpus_order CPUs, dead ones included. So the model does
     * nothing: no DeadCpuFold, no joinHotplugList, and the precise sum walks every possible
     * CPU, not Cpus.isWalkedBySum.
     *
     * Arithmetic. unsigned long / long in C are both a Java long; unsigned comparisons
     * (compare_delta's against the unsigned accuracies, precise_compare's accuracy_b <
     * accuracy_a) use Long.compareUnsigned; abs(LONG_MIN) wraps as Math.abs does.
     *
     * Found while transliterating (pinned by a unit test, not corrected): in a settled tree
     * every remainder is the low bits of a level-0 counter or item, so approx <= precise always
     * and precise - approx can reach nearly `under`, never needing `over`. The compare helpers
     * bound a non-negative (v - approx) by `over` (compare_delta(v - approx, under, over)), so
     * when a tree's remainders exceed `over`, which happens when batch_size < 2^n_arity_order
     * of some level (batch 2 on 16 CPUs, batch 4 on 65..128 CPUs), approximate_compare_value
     * of the exact value answers 1 and precise_compare_value answers 1 without a precise sum.
     */

    private static final VarHandle LEVEL0 = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ITEM = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle BIAS;
    private static final VarHandle DESTROYED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BIAS = l.findVarHandle(PercpuCounterTree.class, "bias", long.class);
            DESTROYED = l.findVarHandle(PercpuCounterTree.class, "destroyed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int LONGS_PER_CACHE_LINE = 8;

    /** One init_many: its per-CPU allocation, its items, its trees in order. */
    private static final class Allocation {
        final Cpus cpus;
        final long[] level0;     // nrPossible units of `unit` longs
        final int unit;
        final long[] items;      // nrCounters x nrItems items, one cache line each
        final PercpuCounterTree[] members;

        Allocation(Cpus cpus, int nrCounters, int nrItems) {
            this.cpus = cpus;
            this.unit = (nrCounters + LONGS_PER_CACHE_LINE - 1) / LONGS_PER_CACHE_LINE * LONGS_PER_CACHE_LINE;
            this.level0 = new long[Math.multiplyExact(cpus.nrPossible(), unit)];
            this.items = new long[Math.multiplyExact(Math.multiplyExact(nrCounters, Math.max(nrItems, 1)),
                    LONGS_PER_CACHE_LINE)];
            this.members = new PercpuCounterTree[nrCounters];
        }
    }

    /**
     * Where one tree of an {@link #initMany} lives: its CPUs, topology, batch size
     * and its place in the shared per-CPU allocation. Opaque: only a {@link Maker}
     * passes it on to the constructor.
     */
    public static final class Place {
        private final Cpus cpus;
        private final TreeTopology topology;
        private final Allocation allocation;
        private final int index;
        private final long batchSize;

        private Place(Cpus cpus, TreeTopology topology, Allocation allocation, int index, long batchSize) {
            this.cpus = cpus;
            this.topology = topology;
            this.allocation = allocation;
            this.index = index;
            this.batchSize = batchSize;
        }
    }

    /** Builds the tree at a {@link Place}: {@code PercpuCounterTree::new}, or a broken variant of it. */
    @FunctionalInterface
    public interface Maker {
        PercpuCounterTree create(Place place);
    }

    /** The real tree. */
    public static final Maker REAL = PercpuCounterTree::new;

    private final Cpus cpus;
    private final TreeTopology topology;
    private final Allocation allocation;
    private final int index;                // this tree's place in its init_many
    private final long[] level0;            // counter->level0 (shared with the other trees of the allocation)
    private final long[] items;             // counter->items
    private final int itemBase;             // index in items of this tree's item 0
    private final long batchSize;           // counter->batch_size
    private final long level0BitMask;       // counter->level0_bit_mask
    private final long under;               // counter->approx_accuracy_range.under (unsigned)
    private final long over;                // counter->approx_accuracy_range.over (unsigned)

    @SuppressWarnings("unused") // through BIAS
    private long bias;                      // counter->bias
    @SuppressWarnings("unused") // through DESTROYED
    private boolean destroyed;

    /** {@code __percpu_counter_tree_init}, the batch size already checked (through {@link #initMany}). */
    protected PercpuCounterTree(Place place) {
        Cpus cpus = place.cpus;
        TreeTopology topology = place.topology;
        Allocation allocation = place.allocation;
        int index = place.index;
        long batchSize = place.batchSize;
        this.cpus = cpus;
        this.topology = topology;
        this.allocation = allocation;
        this.index = index;
        this.level0 = allocation.level0;
        this.items = allocation.items;
        this.itemBase = index * topology.nrItems() * LONGS_PER_CACHE_LINE;
        this.batchSize = batchSize;
        // counter->bias = 0: the field's default.
        if (topology.nrCpusOrder() == 0) {
            this.level0BitMask = 0;                               // approx_sum.i = per_cpu_ptr(level0, 0)
        } else {
            // 1UL << get_count_order(batch_size), which is batch_size itself (a power of 2);
            // approx_sum.a = &items[nr_items - 1] (rootIndex()).
            this.level0BitMask = batchSize;
        }
        this.under = batchSize * topology.accuracyMultiplier();
        this.over = (batchSize - 1) * topology.accuracyMultiplier();
    }

    /** {@code percpu_counter_tree_init} with the kernel's topology for {@code cpus}. */
    public static PercpuCounterTree init(Cpus cpus, long batchSize) {
        return initMany(cpus, 1, batchSize)[0];
    }

    /** {@code percpu_counter_tree_init} on a given topology. */
    public static PercpuCounterTree init(Cpus cpus, TreeTopology topology, long batchSize) {
        return initMany(cpus, topology, 1, batchSize)[0];
    }

    /** {@code percpu_counter_tree_init_many} with the kernel's topology for {@code cpus}. */
    public static PercpuCounterTree[] initMany(Cpus cpus, int nrCounters, long batchSize) {
        return initMany(cpus, TreeTopology.forCpus(cpus), nrCounters, batchSize);
    }

    /**
     * {@code percpu_counter_tree_init_many}: {@code nrCounters} trees on one
     * per-CPU allocation, each with its own items.
     *
     * @throws lazycount.cpu.PercpuAllocationException if the allocation fails (-ENOMEM); nothing is built
     * @throws IllegalArgumentException if the batch size is not a power of two greater than 1 (-EINVAL),
     *         or {@code nrCounters < 1}
     * @throws TreeMisuseException if {@code topology} is not of the order of {@code cpus}' possible CPUs
     */
    public static PercpuCounterTree[] initMany(Cpus cpus, TreeTopology topology, int nrCounters, long batchSize) {
        return initMany(cpus, topology, nrCounters, batchSize, PercpuCounterTree::new);
    }

    /** {@link #initMany(Cpus, TreeTopology, int, long)} with each tree built by {@code maker}. */
    public static PercpuCounterTree[] initMany(Cpus cpus, TreeTopology topology, int nrCounters, long batchSize,
            Maker maker) {
        Objects.requireNonNull(maker, "maker");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(topology, "topology");
        if (nrCounters < 1) {
            throw new IllegalArgumentException("percpu_counter_tree_init_many of " + nrCounters
                    + " counters: needs at least 1 (a zero-sized alloc_percpu fails)");
        }
        if (!topology.fits(cpus.nrPossible())) {
            throw new TreeMisuseException("percpu_counter_tree_init_many on " + cpus + " with " + topology
                    + ": the topology must be of order get_count_order(nr_cpu_ids) = "
                    + TreeTopology.getCountOrder(cpus.nrPossible()));
        }
        cpus.allocatePercpu(nrCounters);                          // __alloc_percpu_gfp: may fail, -ENOMEM
        Allocation allocation = new Allocation(cpus, nrCounters, topology.nrItems());   // zeroed: memset(items, 0, ...)
        // __percpu_counter_tree_init: WARN_ON(batch_size <= 1 || not a power of 2) -> free_percpu, -EINVAL.
        if (batchSize <= 1 && batchSize >= 0 || (batchSize & (batchSize - 1)) != 0) {
            throw new IllegalArgumentException("percpu_counter_tree_init_many: batch_size must be greater than 1"
                    + " and a power of 2, was " + Long.toUnsignedString(batchSize) + " (-EINVAL)");
        }
        for (int i = 0; i < nrCounters; i++) {
            allocation.members[i] = Objects.requireNonNull(maker.create(new Place(cpus, topology, allocation, i,
                    batchSize)), "maker");
        }
        return allocation.members.clone();
    }

    /** {@code percpu_counter_tree_carry}: what of {@code inc} carries past {@code bitMask}, given the word went {@code orig -> res}. */
    static long carry(long orig, long res, long inc, long bitMask) {
        if (inc < 0) {
            inc = -(-inc & ~(bitMask - 1));
            if (((inc ^ orig ^ res) & bitMask) != 0) {            // xor bit_mask: underflow
                inc -= bitMask;
            }
        } else {
            inc &= ~(bitMask - 1);
            if (((inc ^ orig ^ res) & bitMask) != 0) {            // xor bit_mask: overflow
                inc += bitMask;
            }
        }
        return inc;
    }

    /**
     * {@code percpu_counter_tree_add}: adds {@code inc} on the caller's CPU and
     * propagates any carry up the tree.
     *
     * @throws lazycount.cpu.WrongCpuSectionException if {@code cpu} is not an open section of this thread on these CPUs
     * @throws CounterDestroyedException after teardown
     */
    @Override
    public void add(CpuSection cpu, long inc) {
        checkAlive("add");
        cpu.checkUsableOn(cpus);
        long bitMask = level0BitMask;
        int slot = level0Index(cpu.id());
        // this_cpu_add_return: the section makes this thread the slot's only writer, so a plain
        // read of its own slot; opaque write so a concurrent precise sum never reads it torn.
        long res = (long) LEVEL0.get(level0, slot) + inc;
        LEVEL0.setOpaque(level0, slot, res);
        long orig = res - inc;
        inc = carryOut(orig, res, inc, bitMask);
        if (inc == 0) {
            return;
        }
        addSlowpath(cpu.id(), inc);
    }

    /** {@code percpu_counter_tree_add_slowpath}: carries {@code inc} from level 1 up to the root. */
    private void addSlowpath(int cpu, long inc) {
        int nrLevels = topology.nrLevels();
        int nrCpusOrder = topology.nrCpusOrder();
        if (nrCpusOrder == 0) {                                   // WARN_ON_ONCE(!nr_cpus_order): never for 1 CPU
            throw new IllegalStateException("percpu_counter_tree_add_slowpath on a one-CPU tree (level0_bit_mask is 0)");
        }
        int item = 0;                                             // item = counter->items
        int nArityOrder = topology.arityOrder(0);
        long bitMask = level0BitMask << nArityOrder;
        int levelItems = 1 << (nrCpusOrder - nArityOrder);
        for (int level = 1; level < nrLevels; level++) {
            if ((Math.abs(inc) & (bitMask - 1)) != 0) {
                int count = itemIndex(item + (cpu & (levelItems - 1)));
                long res = addToItem(count, inc);                 // atomic_long_add_return_relaxed
                long orig = res - inc;
                inc = carryOut(orig, res, inc, bitMask);
                if (inc == 0) {
                    return;
                }
            }
            item = nextLevelItems(item, levelItems);              // item += level_items
            nArityOrder = topology.arityOrder(level);
            levelItems >>= nArityOrder;
            bitMask <<= nArityOrder;
        }
        addToItem(rootIndex(), inc);                              // atomic_long_add(inc, approx_sum.a)
    }

    /**
     * Step: {@code percpu_counter_tree_carry} as the add and its slow path call it
     * at every level.
     */
    protected long carryOut(long orig, long res, long inc, long bitMask) {
        return carry(orig, res, inc, bitMask);
    }

    /** Step: the index of the first item of the next level ({@code item += level_items}). */
    protected int nextLevelItems(int levelStart, int levelItems) {
        return levelStart + levelItems;
    }

    /**
     * Step: adds {@code inc} to the item at {@code index} of the items array (an
     * interior item or the root) and returns its new value:
     * {@code atomic_long_add_return_relaxed} (the root's {@code atomic_long_add}
     * ignores it). CPUs sharing an item race on it, so it must be one atomic
     * read-modify-write; Java has no relaxed one, getAndAddRelease is the weakest
     * mode offered (the same lock xadd on x86).
     */
    protected long addToItem(int index, long inc) {
        return (long) ITEM.getAndAddRelease(items, index, inc) + inc;
    }

    /** Plain view of the item at array {@code index}, for a broken variant's read-modify-write. */
    protected final long itemAt(int index) {
        return (long) ITEM.getOpaque(items, index);
    }

    /** Plain store to the item at array {@code index}, for a broken variant's read-modify-write. */
    protected final void storeItem(int index, long value) {
        ITEM.setOpaque(items, index, value);
    }

    /** Step: the bias the approximate sum adds to the root ({@code READ_ONCE(counter->bias)}). */
    protected long biasOfApproximateSum() {
        return (long) BIAS.getOpaque(this);
    }

    /** {@code percpu_counter_tree_precise_sum_unbiased}: every possible CPU's level-0 counter. */
    private long preciseSumUnbiased() {
        long sum = 0;
        for (int cpu = 0; cpu < cpus.nrPossible(); cpu++) {       // for_each_possible_cpu: dead CPUs too
            sum += (long) LEVEL0.getOpaque(level0, level0Index(cpu));   // *per_cpu_ptr: plain in C, opaque here
        }
        return sum;
    }

    /** {@code percpu_counter_tree_precise_sum}: exact when no add runs concurrently; O(nrCpus). */
    public long preciseSum() {
        checkAlive("preciseSum");
        return preciseSumUnbiased() + (long) BIAS.getOpaque(this);   // READ_ONCE(counter->bias)
    }

    /** {@code percpu_counter_tree_approximate_sum}: root plus bias; O(1). */
    public long approximateSum() {
        checkAlive("approximateSum");
        long v;
        if (level0BitMask == 0) {
            v = (long) LEVEL0.getOpaque(level0, level0Index(0));  // READ_ONCE(*approx_sum.i): CPU 0's level 0
        } else {
            v = (long) ITEM.getOpaque(items, rootIndex());        // atomic_long_read(approx_sum.a)
        }
        return v + biasOfApproximateSum();                        // READ_ONCE(counter->bias)
    }

    /** The accuracy range of a settled tree (both unsigned in C): {@code precise - under <= approx <= precise + over}. */
    public record AccuracyRange(long under, long over) {
    }

    /** {@code percpu_counter_tree_approximate_accuracy_range}: invariant for a tree. */
    public AccuracyRange accuracyRange() {
        return new AccuracyRange(under, over);
    }

    /** The bounds on the precise sum given an approximate one. */
    public record PreciseRange(long preciseMin, long preciseMax) {
    }

    /** An approximate sum and the bounds it puts on the precise sum. */
    public record ApproximateMinMax(long approxSum, long preciseMin, long preciseMax) {
    }

    /** {@code percpu_counter_tree_approximate_min_max_range}: {@code [approx - over, approx + under]}. */
    public static PreciseRange approximateMinMaxRange(long approxSum, long under, long over) {
        return new PreciseRange(approxSum - over, approxSum + under);
    }

    /** {@code percpu_counter_tree_approximate_min_max}. */
    public ApproximateMinMax approximateMinMax() {
        long v = approximateSum();
        PreciseRange r = approximateMinMaxRange(v, under, over);
        return new ApproximateMinMax(v, r.preciseMin(), r.preciseMax());
    }

    /** {@code percpu_counter_tree_approximate_sum_positive}. */
    public long approximateSumPositive() {
        long v = approximateSum();
        return v > 0 ? v : 0;
    }

    /** {@code percpu_counter_tree_precise_sum_positive}. */
    public long preciseSumPositive() {
        long v = preciseSum();
        return v > 0 ? v : 0;
    }

    /** {@code compare_delta}: 0 if {@code delta} is within {@code [-accuracyNeg, accuracyPos]} (unsigned bounds), else its sign. */
    static int compareDelta(long delta, long accuracyNeg, long accuracyPos) {
        if (delta >= 0) {
            return Long.compareUnsigned(delta, accuracyPos) <= 0 ? 0 : 1;
        } else {
            return Long.compareUnsigned(-delta, accuracyNeg) <= 0 ? 0 : -1;
        }
    }

    /**
     * {@code percpu_counter_tree_approximate_compare}: -1 or 1 when the
     * approximate sums are further apart than both accuracy ranges allow, else 0.
     * The two trees are read one after the other, not as a snapshot.
     */
    public static int approximateCompare(PercpuCounterTree a, PercpuCounterTree b) {
        return compareDelta(a.approximateSum() - b.approximateSum(),
                a.over + b.under,
                a.under + b.over);
    }

    /** {@code percpu_counter_tree_approximate_compare_value}: the sign of {@code v - approx} beyond the range, else 0. */
    public int approximateCompareValue(long v) {
        return compareDelta(v - approximateSum(), under, over);
    }

    /**
     * {@code percpu_counter_tree_precise_compare}: the sign of {@code a - b},
     * summing precisely only when the approximations cannot decide.
     */
    public static int preciseCompare(PercpuCounterTree a, PercpuCounterTree b) {
        long countA = a.approximateSum();
        long countB = b.approximateSum();
        long delta = countA - countB;
        int res = compareDelta(delta, a.over + b.under, a.under + b.over);
        if (res != 0) {
            return res;                                           // far enough apart for the approximations
        }
        long accuracyA;
        long accuracyB;
        if (delta >= 0) {
            accuracyA = a.under;
            accuracyB = b.over;
        } else {
            accuracyA = a.over;
            accuracyB = b.under;
        }
        if (Long.compareUnsigned(accuracyB, accuracyA) < 0) {
            countA = a.preciseSum();
            res = compareDelta(countA - countB, b.under, b.over);
            if (res != 0) {
                return res;
            }
            countB = b.preciseSum();                              // precise sum of the second counter
        } else {
            countB = b.preciseSum();
            res = compareDelta(countA - countB, a.over, a.under);
            if (res != 0) {
                return res;
            }
            countA = a.preciseSum();
        }
        if (countA - countB < 0) {
            return -1;
        }
        if (countA - countB > 0) {
            return 1;
        }
        return 0;
    }

    /** {@code percpu_counter_tree_precise_compare_value}: the sign of {@code v - value}, summing precisely only when needed. */
    public int preciseCompareValue(long v) {
        long count = approximateSum();
        int res = compareDelta(v - count, under, over);
        if (res != 0) {
            return res;                                           // far enough apart for the approximation
        }
        count = preciseSum();
        if (v - count < 0) {
            return -1;
        }
        if (v - count > 0) {
            return 1;
        }
        return 0;
    }

    /** {@code percpu_counter_tree_set_bias}. */
    private void setBias(long newBias) {
        BIAS.setOpaque(this, newBias);                            // WRITE_ONCE(counter->bias, bias)
    }

    /**
     * {@code percpu_counter_tree_set}: the precise sum becomes {@code v} (the
     * bias absorbs the level-0 total); the approximate sum moves by the same
     * amount, so it is anywhere in the accuracy range around {@code v}.
     */
    public void set(long v) {
        checkAlive("set");
        setBias(v - preciseSumUnbiased());
    }

    /**
     * {@code percpu_counter_tree_destroy} of a tree initialised alone, after the
     * precise sum a teardown reads: returns the exact final value.
     *
     * @throws TreeMisuseException if the tree came from an {@link #initMany} of more than one
     *         (free_percpu would free the others' level 0, or an interior pointer)
     * @throws CounterDestroyedException if already destroyed
     */
    @Override
    public long destroy() {
        checkAlive("destroy");
        if (allocation.members.length != 1) {
            throw new TreeMisuseException("percpu_counter_tree_destroy of tree " + index + " of an init_many of "
                    + allocation.members.length + ": free_percpu(counter->level0) would free "
                    + (index == 0 ? "the level 0 of the other trees too" : "a pointer inside another allocation")
                    + "; use destroyMany on the whole array");
        }
        return destroyMany(allocation.members.clone())[0];
    }

    /**
     * {@code percpu_counter_tree_destroy_many}: tears down the whole array of
     * one {@link #initMany}, in order, and returns each tree's exact final value.
     *
     * @throws TreeMisuseException unless {@code trees} is exactly that array, in order
     * @throws CounterDestroyedException if any of them is already destroyed
     */
    public static long[] destroyMany(PercpuCounterTree[] trees) {
        if (trees.length == 0) {
            throw new TreeMisuseException("percpu_counter_tree_destroy_many of no tree: free_percpu(counters->level0)"
                    + " reads past the array");
        }
        Allocation allocation = trees[0].allocation;
        PercpuCounterTree[] members = allocation.members;
        if (trees.length != members.length) {
            throw new TreeMisuseException("percpu_counter_tree_destroy_many of " + trees.length + " trees, but their"
                    + " init_many made " + members.length + ": free_percpu frees the level 0 of all of them");
        }
        for (int i = 0; i < trees.length; i++) {
            if (trees[i] != members[i]) {
                throw new TreeMisuseException("percpu_counter_tree_destroy_many: tree " + i + " is not tree " + i
                        + " of the init_many of the first (free_percpu(counters->level0) needs the array it made)");
            }
        }
        long[] finals = new long[trees.length];
        for (int i = 0; i < trees.length; i++) {
            trees[i].checkAlive("destroy");
            finals[i] = trees[i].preciseSum();
        }
        for (PercpuCounterTree t : trees) {
            DESTROYED.setRelease(t, true);                        // free_percpu(counters->level0)
        }
        return finals;
    }

    /** Whether this tree was torn down. */
    @Override
    public boolean isDestroyed() {
        return (boolean) DESTROYED.getAcquire(this);
    }

    /** The model's fast read: {@link #approximateSum}. */
    @Override
    public long read() {
        return approximateSum();
    }

    /** The model's precise read: {@link #preciseSum}. */
    @Override
    public long sum() {
        return preciseSum();
    }

    /**
     * Bound on {@code |read() - sum()|} for a settled tree: the larger side of
     * the accuracy range, {@code under} (unsigned; it fits a long for every
     * batch size a test uses).
     */
    @Override
    public long readErrorBound() {
        return Long.compareUnsigned(under, over) >= 0 ? under : over;
    }

    /** {@code counter->batch_size}. */
    public long batchSize() {
        return batchSize;
    }

    public TreeTopology topology() {
        return topology;
    }

    public Cpus cpus() {
        return cpus;
    }

    /** What {@code cpu}'s level-0 counter holds now (a test's view; opaque, as the precise sum reads it). */
    long level0Of(int cpu) {
        cpus.checkCpuId(cpu);
        return (long) LEVEL0.getOpaque(level0, level0Index(cpu));
    }

    /** What tree item {@code item} (0 .. nr_items-1, root last) holds now (a test's view). */
    long itemOf(int item) {
        Objects.checkIndex(item, topology.nrItems());
        return (long) ITEM.getOpaque(items, itemIndex(item));
    }

    private int level0Index(int cpu) {
        return cpu * allocation.unit + index;
    }

    private int itemIndex(int item) {
        return itemBase + item * LONGS_PER_CACHE_LINE;
    }

    private int rootIndex() {
        return itemIndex(topology.nrItems() - 1);
    }

    private void checkAlive(String operation) {
        // The model's own flag, READ_ONCE-like: only a misuse races with the teardown that sets it.
        if ((boolean) DESTROYED.getOpaque(this)) {
            throw new CounterDestroyedException(operation, this);
        }
    }

    @Override
    public String toString() {
        return "PercpuCounterTree[nrCpus=" + cpus.nrPossible() + ", batch=" + Long.toUnsignedString(batchSize)
                + ", order=" + topology.nrCpusOrder() + (allocation.members.length > 1
                        ? ", tree " + index + " of " + allocation.members.length : "") + "]";
    }
}
