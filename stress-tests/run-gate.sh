#!/usr/bin/env bash
# The jcstress gate: runs every lazycount.stress test against one counter
# implementation and fails (exit 1) on any FORBIDDEN outcome, error, timeout or
# missing result. Builds nothing: run `mvn -B -o -pl stress-tests -am package`
# (or the full reactor package) first, which makes stress-tests/target/jcstress.jar.
#
# usage: stress-tests/run-gate.sh [IMPL] [TEST_REGEX]
#   IMPL        counter implementation (default: LAZYCOUNT_IMPL, else "reference"; "-" too);
#               a mutant's name runs the same tests against that mutant
#   TEST_REGEX  jcstress -t selector, default: every test of lazycount.stress
#
# environment:
#   JCSTRESS_MODE  "gate" (default): -m quick, 3 x 200 ms per fork, one JVM
#                  flag set, unified compilation: 40-70 s for all tests on 2 cores.
#                  "sanity", "quick", "default", "tough", "stress": that jcstress
#                  preset with every auto-detected JVM configuration (C2 stress
#                  randomizers, split per-actor compilation). Estimated from the
#                  presets on 2 cores (68 resp. 680 forks x 5 resp. 10 s per test):
#                  "default" about 6 min per test (~70 min: nightly), "tough"
#                  about 2 h per test (~20 h: a dedicated machine, or add
#                  JCSTRESS_OPTS="-time 200" to cut it about fivefold).
#   JCSTRESS_OPTS  extra jcstress options, appended (e.g. "-time 500 -iters 10").
#   LAZYCOUNT_*    the run's settings (lazycount.impl.Setting; `java -cp JAR lazycount.impl.Setting`
#                  prints the table), handed to every jcstress fork as -D arguments the table
#                  writes (--jvm-args). IMPL, when given, sets LAZYCOUNT_IMPL.
#   JAVA           java binary of jcstress and its forks. Default: the machine's JDK 25 (found as
#                  the Fray module finds it: JDK25_HOME, else /usr/lib/jvm/*25*), else java on
#                  PATH. On JDK 17 jcstress 0.16 runs every test twice, with biased locking on and
#                  off (it adds that pair to any -jvmArgs configuration while the VM accepts
#                  -XX:+UseBiasedLocking; JDK 18 removed it). Biased locking changes how a Java
#                  monitor (the model's fbc->lock) is taken, not what it orders, so the second
#                  fork per test doubles the stage's time and tests the JVM, not the counters.
#
# Output: one [PASS]/[FAIL] line per test; jcstress's HTML report and its full
# console (text) report are kept in stress-tests/target/jcstress-results/IMPL/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/jcstress.jar"
if [[ $# -ge 1 && "$1" != - ]]; then export LAZYCOUNT_IMPL="$1"; fi
impl="${LAZYCOUNT_IMPL:-reference}"
filter="${2:-lazycount\.stress\.}"
mode="${JCSTRESS_MODE:-gate}"
if [[ -z "${JAVA:-}" ]] && jdk25="$("$here/../fray/jdk25-link/bin/jdk25-home" 2>/dev/null)"; then
    JAVA="$jdk25/bin/java"
fi
java="${JAVA:-java}"

if [[ ! -f "$jar" ]]; then
    echo "[FAIL] $jar is missing: run 'mvn -B -o -pl stress-tests -am package' first" >&2
    exit 2
fi
"$java" -cp "$jar" lazycount.stress.GateSummary --describe-impl "$impl" || exit 2

settings="$("$java" -cp "$jar" lazycount.impl.Setting --label)" || exit 2
vm_props="$("$java" -cp "$jar" lazycount.impl.Setting --jvm-args)" || exit 2
out="$here/target/jcstress-results/$impl${settings:+-$settings}"
rm -rf "$out"
mkdir -p "$out"

case "$mode" in
    gate)
        # One JVM configuration (no flag auto-detection), unified compilation,
        # 3 iterations of 200 ms per fork: about 0.5M samples per test.
        # Any -jvmArgs turns jcstress's flag auto-detection off. The settings go to every fork
        # from the one table (lazycount.impl.Setting), as this shell's environment resolves them.
        run_opts=(-m quick -iters 3 -time 200 -sc false -jvmArgs "$vm_props")
        ;;
    sanity|quick|default|tough|stress)
        run_opts=(-m "$mode" -jvmArgsPrepend "$vm_props")
        ;;
    *)
        echo "[FAIL] unknown JCSTRESS_MODE '$mode' (gate, sanity, quick, default, tough, stress)" >&2
        exit 2
        ;;
esac
# shellcheck disable=SC2206 # JCSTRESS_OPTS is a list of options on purpose
extra=(${JCSTRESS_OPTS:-})
# An option JCSTRESS_OPTS gives replaces the mode's own (jcstress refuses an option given twice):
# every option of run_opts takes one value.
kept=()
for ((i = 0; i < ${#run_opts[@]}; i += 2)); do
    [[ " ${extra[*]} " == *" ${run_opts[i]} "* ]] || kept+=("${run_opts[i]}" "${run_opts[i + 1]}")
done
run_opts=("${kept[@]}")

echo "jcstress $mode run of '$filter' against '$impl' (${settings:-default settings}); reports in $out"
start=$(date +%s)
status=0
# jcstress writes its binary result blob into the working directory: keep it with the reports.
(cd "$out" && "$java" -jar "$jar" "${run_opts[@]}" -c 2 -t "$filter" -r "$out/html" -v "${extra[@]}" \
    > "$out/console.log" 2>&1) || status=$?
elapsed=$(( $(date +%s) - start ))

summary_status=0
"$java" -cp "$jar" lazycount.stress.GateSummary "$out/console.log" "$filter" | tee "$out/summary.txt" \
    || summary_status=${PIPESTATUS[0]}
echo "wall time: ${elapsed}s; HTML report: $out/html/index.html; text report: $out/console.log"
if (( summary_status == 0 && status != 0 )); then
    echo "[FAIL] every test reported OK but jcstress exited with status $status (see $out/console.log)"
    exit 1
fi
exit "$summary_status"
