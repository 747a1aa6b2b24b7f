#!/usr/bin/env python3
"""CI: the demo must show learning (issue #11: the seen task clearly above chance). Every seen-task row after
in-domain training (one per seed; the task was trained on, and is scored on its test split, which training
never saw) must reach at least 3x chance in rank accuracy, where chance is the majority-class rate of the
examples that row scored (never below 1 / number of options). Usage: check-demo-learns.py RUN_DIR"""
import collections, csv, json, pathlib, re, sys

run = pathlib.Path(sys.argv[1])
rows = list(csv.DictReader(open(run / 'results.csv', encoding='utf-8')))
seen = [r for r in rows if r.get('task_role') == 'seen' and r['stages'] != 'none' and r['shots'] == '0']
if not seen:
    sys.exit('check-demo-learns: no seen-task row after in-domain training in %s' % (run / 'results.csv'))
failed = False
for r in seen:
    if r['metric'] != 'rank_accuracy':
        sys.exit('check-demo-learns: %s (seed %s) is scored by %s; the check needs rank_accuracy ("scoring": "rank")'
                 % (r['task'], r['seed'], r['metric']))
    cell = re.sub(r'[^A-Za-z0-9._-]', '_', r['cell'])  # the runner's cell directory name
    preds = run / 'cells' / cell / (r['task'] + '-seen') / 'predictions' / (r['task'] + '.jsonl')
    targets = [json.loads(l)['target'] for l in open(preds, encoding='utf-8') if l.strip()]
    chance = max(collections.Counter(targets).values()) / len(targets)
    ok = float(r['value']) >= 3 * chance
    failed |= not ok
    print('check-demo-learns: %s (%s, seen, seed %s, %d test examples) after %s MTL: %s = %.4f, chance %.4f, %.1fx chance: %s'
          % (r['task'], r['split'], r['seed'], len(targets), r['stages'], r['metric'], float(r['value']), chance,
             float(r['value']) / chance, 'ok' if ok else 'FAILED (needs 3x)'))
sys.exit(1 if failed else 0)
