package lazycount.candidate;

import lazycount.catalog.Op;
import lazycount.catalog.Verdict;
import lazycount.rss.RssDesign;

/**
 * Candidate {@value #NAME}: Mathieu Desnoyers' 2026 series, rss_stat on
 * hierarchical per-CPU counter trees ({@link lazycount.tree.PercpuCounterTree}):
 * {@code mm_init} builds the four counters eagerly, as trees on one per-CPU
 * allocation ({@code percpu_counter_tree_init_many}); {@code add_mm_counter}
 * is a tree add from any context; {@code get_mm_counter} is the approximate
 * sum (the root plus the bias), {@code get_mm_counter_sum} and {@code check_mm}
 * the precise sum; teardown is {@code percpu_counter_tree_destroy_many}. It is
 * the design {@link RssDesign#TREE} on the reference model: the mm-level checks
 * build it (unless the run names another design), and the tree checks
 * ({@code TREE_CARRY}) build the model's real tree, as they do for every
 * implementation that does not override {@code newCounterTree}. The counter-level
 * lazy and per-CPU checks see the reference's counters: the series changes
 * neither. Its read is not the percpu_counter's (the root, not the central
 * count; its bound is the tree's accuracy range), so the fidelity checks do not
 * apply. Verified by {@code ./verify-suite --impl tree} (every tool; REPORT §12).
 */
public class TreeImplementation extends CandidateImplementation {

    public static final String NAME = "tree";

    public TreeImplementation() {
        super(NAME, "rss_stat on percpu_counter_tree (Desnoyers, 2026): four trees built eagerly at mm_init on one"
                        + " per-CPU allocation; get_mm_counter the approximate sum, get_mm_counter_sum and check_mm the"
                        + " precise sum; destroy_many at teardown",
                Verdict.verified("no count is lost or doubled in the tree's carries or across the mm's life: the"
                        + " precise sum and check_mm are exact, a settled approximate sum (get_mm_counter) lies in"
                        + " [precise - under, precise + over]; carries into shared items are atomic adds"));
    }

    @Override
    public RssDesign design() {
        return RssDesign.TREE;
    }

    @Override
    public boolean kernelFaithful() {
        return false;
    }

    @Override
    public String kernelPath(Op op) {
        return switch (op) {
            case LOCAL_ADD, OTHER_ADD, PERCPU_ADD, FORK_FILL, BORROWER_ADD, VFORK_CHILD ->
                    "add_mm_counter -> percpu_counter_tree_add";
            case READ -> "get_mm_counter -> percpu_counter_tree_approximate_sum_positive";
            case SUM -> "get_mm_counter_sum -> percpu_counter_tree_precise_sum";
            case DESTROY -> "check_mm (precise sums) -> percpu_counter_tree_destroy_many";
            default -> op.kernel();
        };
    }
}
