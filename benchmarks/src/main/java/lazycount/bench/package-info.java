/**
 * JMH benchmarks of the three rss_stat designs ({@code EAGER}, {@code LAZY},
 * {@code CACHED_MERGED}) and of the counters' hot paths. Run them with
 * {@code benchmarks/run.sh} (see benchmarks/README.md); nothing here is a test.
 *
 * <p>What a JVM model can say: relative costs of the designs' steps as this
 * model implements them (allocation and zeroing of per-CPU memory, the walks
 * over every possible CPU, atomics versus plain stores), and how they scale
 * with the number of possible CPUs. What it cannot: kernel cycle counts, the
 * per-CPU allocator's locking and chunk management, cache and NUMA effects of
 * real per-CPU memory, or the share of a real fork+exec+exit that the counters
 * take (the RFC's percentages are of whole-system time).
 */
package lazycount.bench;
