#!/usr/bin/env bash
# Runs the JMH benchmarks and turns their JSON into the results section's plot and tables.
#
#   bash benchmarks/run.sh quick     # ~9 min on 2 quiet cores (82 JMH runs of ~6 s): 1 fork, 2 x 1 s warmup, 3 x 1 s measurement
#   bash benchmarks/run.sh full      # ~65 min: 3 forks, 5 x 1 s warmup, 5 x 2 s measurement
#   bash benchmarks/run.sh smoke     # ~4 min: 1 fork, 1 x 1 s + 1 x 1 s, proves the pipeline (numbers meaningless)
#   bash benchmarks/run.sh candidates  # ~5 min: every verified candidate protocol beside the reference, in one
#                                      # run (quick settings; fork+exit, parallel-true, hot paths); IMPLS=a,b,c to choose
#   bash benchmarks/run.sh fork-readers  # ~5 min: fork+exit when get_mm_counter is the approximate read or the
#                                      # precise sum (dup_mm's get_mm_rss at every fork), the reference on EAGER, LAZY
#                                      # and TREE and lazy-tree on LAZY, nrCpus 1..4096; table at the end of jmh.txt
#   bash benchmarks/run.sh borrower    # ~2 min: the two kthread_use_mm remedies (other path, upgrade at use) x
#                                      # nrCpus 1..4096 x 16 or 1024 borrower updates (REPORT.md §13)
#   bash benchmarks/run.sh designs     # ~24 min: the rival rss designs (eager, lazy, cached merged, one walk, cpu
#                                      # mask) x every mm workload (fork+exit, parallel-true, spawn-heavy, long-lived
#                                      # with 2 and 8 tasks) x nrCpus 1..4096, one run (quick settings)
#   bash benchmarks/run.sh tree        # ~6 min: the counter tree (issue #29) beside eager and lazy: fork+exit and
#                                      # parallel-true x nrCpus 1..4096; two JMH runs (the reference on EAGER, LAZY and
#                                      # TREE; lazy-tree on LAZY), 1 fork, 1 x 1 s warmup, 3 x 1 s; one table and plots, and
#                                      # read-accuracy.md (get_mm_counter's error after a workload: ReadAccuracy)
#
# Anything after the mode goes to JMH, e.g. `-p nrCpus=1,4096`. Environment:
#   BENCH=REGEX        which benchmarks (default: all of lazycount.bench), e.g. BENCH=MmLifecycle
#   RESULTS_DIR=DIR    where outputs go (default benchmarks/results; smoke: benchmarks/target/smoke-results)
#   MVN_ARGS=...       extra Maven flags for the build, e.g. -o
#   JAVA_HOME          the JDK to build and run with (default: java on PATH)
# Outputs: DIR/jmh.json (raw JMH), DIR/jmh.txt (JMH's console log), DIR/fork-exit.png,
#          DIR/parallel-true.png, DIR/results.md (tables and ratios for REPORT.md).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-quick}"
shift || true
case "$mode" in
  quick) jmh_opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s); default_dir=benchmarks/results ;;
  full)  jmh_opts=(-f 3 -wi 5 -w 1s -i 5 -r 2s); default_dir=benchmarks/results ;;
  smoke) jmh_opts=(-f 1 -wi 1 -w 1s -i 1 -r 1s); default_dir=benchmarks/target/smoke-results ;;
  candidates)
    jmh_opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s -p "impl=${IMPLS:-reference,rfc-fixed,aliasing-fixed,grace-period,tagged-word,long-adder}"
              -p design=LAZY -p nrCpus=1,256,4096)
    default_dir=benchmarks/results/candidates
    BENCH="${BENCH:-lazycount.bench.(MmLifecycleBenchmark.(forkExit|parallelTrue)|HotPathBenchmark.(lazyLocalAdd|lazyOtherAdd|upgradedLocalAdd))}" ;;
  designs)
    jmh_opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s -p impl=reference,one-walk,cpu-mask -p design=EAGER,LAZY,CACHED_MERGED)
    default_dir=benchmarks/results/designs
    BENCH="${BENCH:-lazycount.bench.MmLifecycleBenchmark}"
    # one-walk on LAZY runs the reference's code: its distance from reference/LAZY is the run's noise.
    ;;
  tree)
    jmh_opts=(-f 1 -wi 1 -w 1s -i 3 -r 1s -p nrCpus=1,8,80,256,1024,4096)
    default_dir=benchmarks/results/tree
    BENCH="${BENCH:-lazycount.bench.MmLifecycleBenchmark.(forkExit|parallelTrue)}" ;;
  fork-readers)
    jmh_opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s -p nrCpus=1,80,1024,4096 -p readers=approximate,precise)
    default_dir=benchmarks/results/fork-readers
    BENCH="${BENCH:-lazycount.bench.MmLifecycleBenchmark.forkExit}" ;;
  borrower)
    jmh_opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    default_dir=benchmarks/results/borrower
    BENCH="${BENCH:-lazycount.bench.BorrowerBenchmark}" ;;
  *) echo "usage: $0 quick|full|smoke|candidates|designs|tree|fork-readers|borrower [JMH options...]" >&2; exit 2 ;;
esac
results_dir="${RESULTS_DIR:-$default_dir}"
bench="${BENCH:-lazycount\.bench\.}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

start=$(date +%s)
echo "== building benchmarks/target/benchmarks.jar"
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests

mkdir -p "$results_dir"
echo "== running JMH ($mode: ${jmh_opts[*]} -prof gc) on '$bench'; log in $results_dir/jmh.txt"
jsons=("$results_dir/jmh.json")
if [[ "$mode" == tree || "$mode" == fork-readers ]]; then
    # Two runs, not one cross product: lazy-tree differs from the reference on LAZY only.
    "$java_bin" -jar benchmarks/target/benchmarks.jar "$bench" "${jmh_opts[@]}" -p impl=reference \
        -p design=EAGER,LAZY,TREE -prof gc -rf json -rff "$results_dir/jmh.json" "$@" 2>&1 | tee "$results_dir/jmh.txt"
    "$java_bin" -jar benchmarks/target/benchmarks.jar "$bench" "${jmh_opts[@]}" -p impl=lazy-tree \
        -p design=LAZY -prof gc -rf json -rff "$results_dir/jmh-lazy-tree.json" "$@" 2>&1 | tee -a "$results_dir/jmh.txt"
    jsons+=("$results_dir/jmh-lazy-tree.json")
else
"$java_bin" -jar benchmarks/target/benchmarks.jar "$bench" "${jmh_opts[@]}" -prof gc \
    -rf json -rff "$results_dir/jmh.json" "$@" 2>&1 | tee "$results_dir/jmh.txt"
fi

if [[ "$mode" == borrower || "$mode" == fork-readers ]]; then
    echo "Done in $(( $(date +%s) - start )) s: $results_dir/jmh.txt (table at its end) and jmh.json (REPORT.md §13)."
    exit 0
fi
echo "== plotting and tabulating"
report=lazycount.bench.report.BenchReport
[[ "$mode" == candidates ]] && report=lazycount.bench.report.CandidatesReport
[[ "$mode" == designs || "$mode" == tree ]] && report=lazycount.bench.report.DesignsReport
"$java_bin" -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar \
    "$report" "${jsons[@]}" "$results_dir"
if [[ "$mode" == tree ]]; then
    # Not a timing: get_mm_counter's error after a workload, per design and nrCpus (seeded, seconds).
    "$java_bin" -cp benchmarks/target/benchmarks.jar lazycount.bench.report.ReadAccuracy "$results_dir"
fi

elapsed=$(( $(date +%s) - start ))
echo
echo "Done in $((elapsed / 60)) min $((elapsed % 60)) s. Outputs in $results_dir/:"
ls -1 "$results_dir" | sed 's/^/  /'
echo "Paste $results_dir/results.md into REPORT.md; the plot is $results_dir/fork-exit.png."
