package lazycount.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import lazycount.cpu.Cpus;

/**
 * A per-mm mask of the CPUs whose slots an mm's counters have written (a
 * {@code cpumask} beside {@code mm_struct}'s per-CPU counters): the
 * counter-proposal "walk only the CPUs the mm ran on" (Guzik, on the RFC's
 * thread). A slot write marks its CPU first ({@link #mark}); the sum and the
 * exit walk visit only marked CPUs ({@link #nextMarked}). Bits are never
 * cleared while the mm lives: a CPU whose slot was written keeps its bit even
 * after the mm stops running there, because the slot may still hold a count.
 *
 * <p>Memory ordering. The mark is tested with an opaque load of the word
 * ({@code cpumask_test_cpu}: {@code test_bit}, a plain load) and set, if clear,
 * by {@link Setting}:
 * <ul>
 * <li>{@link Setting#ATOMIC}: a {@code weakCompareAndSetPlain} loop OR-ing the
 *     bit in ({@code cpumask_set_cpu}: {@code set_bit}, an atomic RMW with no
 *     ordering, LOCK OR on x86). Atomicity is what matters: 64 CPUs share a
 *     word, and two CPUs marking themselves at once must both stay marked.
 *     Ordering does not: a sum or the exit walk that must see a completed add
 *     is ordered after it by whatever made it "completed" (the lock of a
 *     fold, {@code mmput}'s atomic decrement for the exit walk), and the mark
 *     precedes the slot write in program order.
 * <li>{@link Setting#NON_ATOMIC}: an opaque store of the word read
 *     ({@code __cpumask_set_cpu}: {@code __set_bit}, a plain RMW), the
 *     tempting shortcut "each CPU sets only its own bit". Two CPUs of one
 *     word marking themselves at once can lose a bit, and then a walk skips a
 *     slot that holds a count.
 * </ul>
 * Words are read opaque by the walk ({@code for_each_cpu}: {@code find_next_bit},
 * plain loads, modelled untorn and coherent).
 */
public final class RanOnMask {

    /** How a clear bit is set. */
    public enum Setting {
        /** {@code cpumask_set_cpu}: atomic {@code set_bit}. */
        ATOMIC,
        /** {@code __cpumask_set_cpu}: non-atomic {@code __set_bit}. */
        NON_ATOMIC
    }

    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final Cpus cpus;
    private final Setting setting;
    private final long[] words;

    public RanOnMask(Cpus cpus, Setting setting) {
        this.cpus = cpus;
        this.setting = setting;
        this.words = new long[(cpus.nrPossible() + Long.SIZE - 1) / Long.SIZE];
    }

    public Setting setting() {
        return setting;
    }

    /** Marks {@code cpu} as one whose slots may hold counts; a no-op if it is marked. */
    public void mark(int cpu) {
        cpus.checkCpuId(cpu);
        int w = cpu >>> 6;
        long bit = 1L << cpu;                                     // Java shifts by cpu mod 64
        long word = (long) WORD.getOpaque(words, w);              // cpumask_test_cpu
        if ((word & bit) != 0) {
            return;
        }
        if (setting == Setting.NON_ATOMIC) {
            WORD.setOpaque(words, w, word | bit);                 // __cpumask_set_cpu: plain read-modify-write
            return;
        }
        while (!WORD.weakCompareAndSetPlain(words, w, word, word | bit)) {   // cpumask_set_cpu: set_bit
            word = (long) WORD.getOpaque(words, w);
        }
    }

    /** The first marked CPU at or after {@code from}, or -1 ({@code cpumask_next}). */
    public int nextMarked(int from) {
        int nr = cpus.nrPossible();
        if (from >= nr) {
            return -1;
        }
        int w = from >>> 6;
        long word = (long) WORD.getOpaque(words, w) & (-1L << from);
        while (true) {
            if (word != 0) {
                int cpu = w * Long.SIZE + Long.numberOfTrailingZeros(word);
                return cpu < nr ? cpu : -1;
            }
            if (++w == words.length) {
                return -1;
            }
            word = (long) WORD.getOpaque(words, w);
        }
    }

    public boolean isMarked(int cpu) {
        cpus.checkCpuId(cpu);
        return ((long) WORD.getOpaque(words, cpu >>> 6) & (1L << cpu)) != 0;
    }

    /** How many CPUs are marked ({@code cpumask_weight}). */
    public int weight() {
        int n = 0;
        for (int w = 0; w < words.length; w++) {
            n += Long.bitCount((long) WORD.getOpaque(words, w));
        }
        return n;
    }

    /** Unmarks every CPU; only when no counter of the mask can be updated or summed (block reuse). */
    void clear() {
        Arrays.fill(words, 0L);
    }

    @Override
    public String toString() {
        return "RanOnMask[" + setting + ", " + weight() + " of " + cpus.nrPossible() + " CPUs]";
    }
}
