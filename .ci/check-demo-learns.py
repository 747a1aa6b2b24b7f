#!/usr/bin/env python3
"""CI: the demo must show learning. Its seen task (trained on by in-domain MTL, scored on examples not
trained on) must reach at least 3x chance after in-domain training, where chance is the majority-class
rate of the scored examples (never below 1 / number of options). Usage: check-demo-learns.py RUN_DIR"""
import collections, csv, json, pathlib, sys

run = pathlib.Path(sys.argv[1])
rows = list(csv.DictReader(open(run / 'results.csv', encoding='utf-8')))
seen = [r for r in rows if r.get('task_role') == 'seen' and r['stages'] != 'none' and r['shots'] == '0']
if not seen:
    sys.exit('check-demo-learns: no seen-task row after in-domain training in %s' % (run / 'results.csv'))
failed = False
for r in seen:
    preds = next(run.glob('cells/*/%s-seen/predictions/%s.jsonl' % (r['task'], r['task'])))
    targets = [json.loads(l)['target'] for l in open(preds, encoding='utf-8') if l.strip()]
    chance = max(collections.Counter(targets).values()) / len(targets)
    ok = float(r['value']) >= 3 * chance
    failed |= not ok
    print('check-demo-learns: %s (%s, seen) after %s MTL: %s = %.4f, chance %.4f, %.1fx chance: %s'
          % (r['task'], r['split'], r['stages'], r['metric'], float(r['value']), chance, float(r['value']) / chance,
             'ok' if ok else 'FAILED (needs 3x)'))
sys.exit(1 if failed else 0)
