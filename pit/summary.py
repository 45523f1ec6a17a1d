#!/usr/bin/env python3
"""Per-class summary of a PIT run (issue 15).

usage: pit/summary.py [--survivors] mutations.xml [more mutations.xml ...]

Several files are a union: a mutant (class, method, descriptor, mutator,
instruction indexes) takes its best status over the files. Prints one line per
class: mutants generated, killed, survived, no coverage, timed out, other
detected (run or memory errors, non-viable), and the score (detected over
generated). --survivors also lists each surviving or uncovered mutant, the
lines pit/survivors.md accounts for.
"""
import collections
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
        for m in ET.parse(path).getroot().iter('mutation'):
            indexes = ','.join(i.text for i in m.iter('index'))
            key = (m.findtext('mutatedClass'), m.findtext('mutatedMethod'), m.findtext('methodDescription'),
                   m.findtext('mutator'), indexes)
            status = m.get('status')
            if key not in best or RANK[status] > RANK[best[key][0]]:
                best[key] = (status, m.findtext('lineNumber'), m.findtext('description'))
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
                print(f"{status:11} {cls.rsplit('.', 1)[-1]}.{method}:{line}  {mutator.rsplit('.', 1)[-1]}: {description}")


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
