#!/usr/bin/env python3
"""The Lincheck pass over a PIT run's surviving mutants (pit/README.md).

PIT offers a mutant only to the tests its coverage phase saw reach the mutated
code, and it does not see the code a Lincheck check runs inside the model
checker. So after a PIT run, this runs every Lincheck check, in a JVM of its
own per mutant, against each mutant PIT left SURVIVED or NO_COVERAGE (its class
file from the run's export/, ahead of the real classes on the classpath), and
stops at the first check that fails.

    python3 pit/lincheck_pass.py [REPORT_DIR] [--jobs 2] [--timeout 300] [--factor 0.25] [--only REGEX]

REPORT_DIR defaults to pit/target/pit-reports/all (the pom's pit.reports).
Needs the reactor built (mvn -B install -DskipTests) and the run's
mutations.xml and export/ (PIT's XML output and +EXPORT feature). Writes
REPORT_DIR/lincheck-pass.tsv, the failing check's whole report per detected
mutant in REPORT_DIR/lincheck-pass/, and prints one line per mutant and a
summary. --only 'Cpus.enter:181' reruns some. All of it is under target/: to
keep a pass, copy its TSV to pit/results/<run>-lincheck-pass.tsv beside the
run's mutations.csv.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNDETECTED = ("SURVIVED", "NO_COVERAGE")
# Logged by Lincheck's agent when its transformer throws on a class (3.7: "[ERROR] Jump edge must be ...").
LINCHECK_REFUSED = re.compile(r"\[ERROR\] (.*)\n(?:.*\n){0,3}?.*at org\.jetbrains\.lincheck\.jvm\.agent\.")


def mutant_key(clazz, method, desc, indexes, mutator):
    return (clazz, method, desc, tuple(int(i) for i in indexes), mutator)


def exported_mutants(report):
    """key -> the exported mutant's class file, from export/**/mutants/N/details.txt."""
    found = {}
    detail = re.compile(r"clazz=([^,]+), method=([^,]+), methodDesc=([^\]]+)\], indexes=\[([^\]]*)\], "
                        r"mutator=([^\]]+)\]")
    for dirpath, _, files in os.walk(os.path.join(report, "export")):
        if "details.txt" not in files:
            continue
        m = detail.search(open(os.path.join(dirpath, "details.txt")).read())
        if not m:
            continue
        clazz, method, desc, indexes, mutator = m.groups()
        classfile = [f for f in files if f.endswith(".class")]
        if classfile:
            key = mutant_key(clazz, method, desc, [i for i in indexes.split(", ") if i], mutator)
            found[key] = os.path.join(dirpath, classfile[0])
    return found


def undetected(report, only):
    for m in ET.parse(os.path.join(report, "mutations.xml")).getroot():
        if m.get("status") not in UNDETECTED:
            continue
        clazz = m.findtext("mutatedClass")
        where = "%s.%s:%s" % (clazz.split(".")[-1], m.findtext("mutatedMethod"), m.findtext("lineNumber"))
        if only and not re.search(only, where + " " + m.findtext("description")):
            continue
        yield {
            "key": mutant_key(clazz, m.findtext("mutatedMethod"), m.findtext("methodDescription"),
                              [i.text for i in m.findall("indexes/index")], m.findtext("mutator")),
            "status": m.get("status"),
            "where": where,
            "what": m.findtext("description"),
        }


def classpath():
    out = os.path.join(tempfile.gettempdir(), "lazycount-lincheck-pass.cp")
    subprocess.run(["mvn", "-B", "-q", "-pl", "linearizability", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + out, "-Dmdep.includeScope=test"], cwd=ROOT, check=True)
    jars = [p for p in open(out).read().strip().split(os.pathsep) if "/lazycount/" not in p]
    # counters' test-classes: its test-jar's thread helpers (lazycount.testing) that the checks use.
    own = [os.path.join(ROOT, d) for d in ("linearizability/target/test-classes", "counters/target/classes",
                                           "counters/target/test-classes", "catalog/target/classes",
                                           "candidates/target/classes", "testkit/target/classes",
                                           "mutants/target/classes")]
    for d in own:
        if not os.path.isdir(d):
            sys.exit("%s is missing: run 'mvn -B install -DskipTests' first" % d)
    return own + jars


def run_one(mutant, classfile, cp, args):
    """Runs the checks with the mutant's class file (none: the real classes) ahead of the real ones."""
    work = tempfile.mkdtemp(prefix="lincheck-pass-")
    try:
        if classfile:
            target = os.path.join(work, *mutant["key"][0].split(".")) + ".class"
            os.makedirs(os.path.dirname(target))
            shutil.copy(classfile, target)
        java = os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        cmd = [java, "-Xmx1g", "-Djdk.attach.allowAttachSelf=true", "-Dlazycount.lincheck.minimize=false",
               "-Dlazycount.lincheck.factor=%s" % args.factor,
               "-cp", os.pathsep.join([work] + cp), os.path.join(ROOT, "pit", "LincheckPass.java")]
        start = time.time()
        try:
            done = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=args.timeout)
            lines = [l for l in done.stdout.splitlines() if l.startswith(("KILLED", "SURVIVED"))]
            verdict = lines[0] if lines else "ERROR exit %d: %s" % (done.returncode, done.stderr.strip()[-300:])
            refused = LINCHECK_REFUSED.search(done.stderr)
            if refused:
                # Lincheck's agent could not instrument PIT's bytecode, so the model checker ran the class
                # uninstrumented (its monitors unmodelled): a hang it then reports is the tool's failure, not a
                # kill, and a pass says nothing either.
                verdict = "UNDECIDED: Lincheck could not instrument the mutant (%s); %s" % (
                    refused.group(1).strip(), verdict)
            if args.reports and not verdict.startswith("SURVIVED"):   # KILLED, UNDECIDED or ERROR
                name = re.sub(r"[^\w.:-]+", "_", "%s %s" % (mutant["where"], mutant["key"][4].split(".")[-1]))
                with open(os.path.join(args.reports, name + ".txt"), "w") as out:
                    out.write(done.stdout + "\n--- stderr ---\n" + done.stderr)
        except subprocess.TimeoutExpired:
            verdict = "TIMED_OUT after %d s" % args.timeout
        return verdict, time.time() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("report", nargs="?", default=os.path.join(ROOT, "pit", "target", "pit-reports", "all"))
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=300, help="seconds per mutant; a spin counts as detected")
    p.add_argument("--factor", default="0.25", help="Lincheck scenarios, as -Dlazycount.lincheck.factor")
    p.add_argument("--only", help="regex on the mutant, as Class.method:line description")
    p.add_argument("--unmutated", action="store_true", help="run the checks once on the real classes and exit")
    args = p.parse_args()
    cp = classpath()
    if args.unmutated:
        args.reports = None
        verdict, secs = run_one(None, None, cp, args)
        print("%s (%.0f s)" % (verdict, secs))
        return 0 if verdict == "SURVIVED" else 1
    args.reports = os.path.join(args.report, "lincheck-pass")
    os.makedirs(args.reports, exist_ok=True)
    exported = exported_mutants(args.report)
    todo = list(undetected(args.report, args.only))
    missing = [m for m in todo if m["key"] not in exported]
    if missing:
        sys.exit("no exported class file for %d mutant(s), e.g. %s (was the run made with +EXPORT?)"
                 % (len(missing), missing[0]["where"]))
    print("Lincheck pass: %d undetected mutant(s) of %s, %d at a time, factor %s, timeout %d s"
          % (len(todo), args.report, args.jobs, args.factor, args.timeout), flush=True)
    rows, start = [], time.time()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_one, m, exported[m["key"]], cp, args): m for m in todo}
        for n, f in enumerate(concurrent.futures.as_completed(futures), 1):
            m = futures[f]
            verdict, secs = f.result()
            rows.append((m, verdict, secs))
            print("[%d/%d %s] %-11s %-45s %-60s -> %s (%.0f s)" % (
                n, len(todo), time.strftime("%M:%S", time.gmtime(time.time() - start)), m["status"], m["where"],
                m["what"][:60], verdict[:160], secs), flush=True)
    rows.sort(key=lambda r: r[0]["where"])
    tsv = os.path.join(args.report, "lincheck-pass%s.tsv" % ("-only" if args.only else ""))
    with open(tsv, "w") as out:
        out.write("pit_status\tmutant\tdescription\tlincheck_pass\tseconds\n")
        for m, verdict, secs in rows:
            out.write("%s\t%s\t%s\t%s\t%.0f\n" % (m["status"], m["where"], m["what"], verdict, secs))
    killed = sum(1 for _, v, _ in rows if v.startswith(("KILLED", "TIMED_OUT")))
    errors = sum(1 for _, v, _ in rows if v.startswith("ERROR"))
    undecided = sum(1 for _, v, _ in rows if v.startswith("UNDECIDED"))
    print("Lincheck pass: %d of %d detected (killed or timed out), %d undecided (not instrumentable), %d errors;"
          " %s; wall %s"
          % (killed, len(rows), undecided, errors, tsv,
             time.strftime("%M min %S s", time.gmtime(time.time() - start))))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
