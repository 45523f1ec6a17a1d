#!/usr/bin/env python3
"""Per-class summary of a PIT run (issue 15).

usage: pit/summary.py [--survivors] REPORT [more REPORTs ...]

A REPORT is PIT's mutations.xml (a run's, in pit/target/pit-reports/<run>/) or
its mutations.csv (the kept runs: pit/results/<run>-mutations.csv). Several
files are a union: a mutant (class, method, descriptor, mutator, instruction
indexes) takes its best status over the files. The CSV has no descriptor,
instruction indexes or description: there the mutants of one class, method,
mutator and line are matched best status to best status, and --survivors shows
the mutator without the description (pit/results/<run>-summary.txt keeps the
descriptions of the kept runs). Prints one line per
class: mutants generated, killed, survived, no coverage, timed out, other
detected (run or memory errors, non-viable), and the score (detected over
generated). --survivors also lists each surviving or uncovered mutant, the
lines pit/survivors.md accounts for.
"""
import collections
import csv
import sys
import xml.etree.ElementTree as ET

RANK = {'KILLED': 6, 'TIMED_OUT': 5, 'MEMORY_ERROR': 4, 'RUN_ERROR': 4, 'NON_VIABLE': 3,
        'EQUIVALENT': 3, 'SURVIVED': 1, 'NO_COVERAGE': 0, 'NOT_STARTED': 0, 'STARTED': 0}
UNDETECTED = ('SURVIVED', 'NO_COVERAGE', 'NOT_STARTED', 'STARTED')


def main(argv):
    show_survivors = '--survivors' in argv
    paths = [a for a in argv if a != '--survivors']
    if not paths:
        sys.exit(__doc__)
    best = {}
    for path in paths:
        for key, value in (read_csv(path) if path.endswith('.csv') else read_xml(path)):
            if key not in best or RANK[value[0]] > RANK[best[key][0]]:
                best[key] = value
    per_class = collections.defaultdict(collections.Counter)
    for (cls, *_), (status, *_) in best.items():
        per_class[cls.split('$')[0]][status] += 1
    print(f"{'class':48} {'gen':>5} {'killed':>6} {'surv':>5} {'nocov':>5} {'tmout':>5} {'other':>5} {'score':>6}")
    total = collections.Counter()
    for cls in sorted(per_class):
        c = per_class[cls]
        total.update(c)
        print(row(cls, c))
    print(row('TOTAL', total))
    if show_survivors:
        print()
        for (cls, method, _desc, mutator, _idx), (status, line, description) in sorted(best.items()):
            if status in UNDETECTED:
                print(f"{status:11} {cls.rsplit('.', 1)[-1]}.{method}:{line}  {mutator.rsplit('.', 1)[-1]}"
                      + (f": {description}" if description else ''))


def read_xml(path):
    for m in ET.parse(path).getroot().iter('mutation'):
        indexes = ','.join(i.text for i in m.iter('index'))
        key = (m.findtext('mutatedClass'), m.findtext('mutatedMethod'), m.findtext('methodDescription'),
               m.findtext('mutator'), indexes)
        yield key, (m.get('status'), m.findtext('lineNumber'), m.findtext('description'))


def read_csv(path):
    """PIT's CSV: file, class, mutator, method, line, status, killing test. The n-th best of a (class, method,
    mutator, line) group is keyed by n, so that a union pairs best with best."""
    groups = collections.defaultdict(list)
    with open(path, newline='') as f:
        for r in csv.reader(f):
            if len(r) >= 6:
                groups[(r[1], r[3], r[2], r[4])].append(r[5])
    for (cls, method, mutator, line), statuses in groups.items():
        for n, status in enumerate(sorted(statuses, key=lambda s: -RANK[s])):
            yield (cls, method, line, mutator, str(n)), (status, line, '')


def row(name, c):
    n = sum(c.values())
    other = n - c['KILLED'] - c['SURVIVED'] - c['NO_COVERAGE'] - c['TIMED_OUT'] \
        - c['NOT_STARTED'] - c['STARTED']
    detected = n - sum(c[s] for s in UNDETECTED)
    score = 100.0 * detected / n if n else 0.0
    return (f"{name:48} {n:5} {c['KILLED']:6} {c['SURVIVED']:5} {c['NO_COVERAGE']:5} {c['TIMED_OUT']:5} "
            f"{other:5} {score:5.1f}%")


if __name__ == '__main__':
    main(sys.argv[1:])
