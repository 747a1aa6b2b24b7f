#!/usr/bin/env python3
"""Writes eval/demo/data: small excerpts (at most 100 records per dataset) of five shared datasets,
in their original formats and paths, so the offline demo runs on a machine without the datasets.

Run from the repository root: python3 eval/demo/make_excerpts.py ../shared/datasets
Records are chosen deterministically (see each function); licenses are copied alongside.
"""
import csv, io, json, os, shutil, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else '../shared/datasets'
DST = 'eval/demo/data'


def out(path):
    p = os.path.join(DST, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def licence(dataset, *names):
    for n in names:
        shutil.copy(os.path.join(SRC, dataset, n), out(os.path.join(dataset, n)))


def rows(path):
    with open(os.path.join(SRC, path), encoding='utf-8', newline='') as f:
        return list(csv.reader(f))


def write_rows(path, table):
    with open(out(path), 'w', encoding='utf-8', newline='') as f:
        csv.writer(f, lineterminator='\n').writerows(table)


def banking77():
    # eight intents with vocabulary of their own (ATM, PIN, phone, country, age, ...), 9 training and 3 test
    # utterances each = 96 records: the demo's seen task. With the first 10 intents in file order (card
    # arrival, card delivery estimate, card linking, three exchange-rate intents, ...) and 6 utterances each
    # the tiny model memorised its training utterances and stayed near chance on the test ones
    # (eval/demo/README.md, "How the seen task was made to learn").
    train, test = rows('banking77/banking_data/train.csv'), rows('banking77/banking_data/test.csv')
    cats = ['age_limit', 'apple_pay_or_google_pay', 'atm_support', 'change_pin', 'country_support', 'exchange_rate',
            'lost_or_stolen_phone', 'terminate_account']
    pick = lambda table, n: [table[0]] + [r for c in cats for r in [x for x in table[1:] if x[1] == c][:n]]
    write_rows('banking77/banking_data/train.csv', pick(train, 9))
    write_rows('banking77/banking_data/test.csv', pick(test, 3))
    licence('banking77', 'LICENSE')


def meld():
    # whole dialogues, in file order, until the split's row budget (train 50, dev 20, test 25) is used
    for name, budget in (('train', 50), ('dev', 20), ('test', 25)):
        table = rows('meld/data/MELD/%s_sent_emo.csv' % name)
        header, body = table[0], table[1:]
        d = header.index('Dialogue_ID')
        kept, dialogue = [], []
        for r in body + [None]:
            if dialogue and (r is None or r[d] != dialogue[0][d]):
                if len(kept) + len(dialogue) > budget:
                    break
                kept += dialogue
                dialogue = []
            if r is not None:
                dialogue.append(r)
        write_rows('meld/data/MELD/%s_sent_emo.csv' % name, [header] + kept)
    licence('meld', 'LICENSE')


def dialogsum():
    # the first 60 dev and 30 test dialogues
    for name, n in (('dev', 60), ('test', 30)):
        src = os.path.join(SRC, 'dialogsum/DialogSum_Data/dialogsum.%s.jsonl' % name)
        with open(src, encoding='utf-8') as f, open(out('dialogsum/DialogSum_Data/dialogsum.%s.jsonl' % name), 'w', encoding='utf-8') as g:
            for i, line in enumerate(f):
                if i == n:
                    break
                g.write(line)
    licence('dialogsum', 'README.md')  # its license (CC BY-NC-SA 4.0) is stated in the README


def clinc150():
    # 10 intents (the first 10 of the test split): 5 train, 2 val, 3 test utterances each = 100
    with open(os.path.join(SRC, 'clinc150/data/data_full.json'), encoding='utf-8') as f:
        d = json.load(f)
    intents = []
    for _, intent in d['test']:
        if intent not in intents:
            intents.append(intent)
    intents = intents[:10]
    take = lambda part, n: [x for i in intents for x in [y for y in d[part] if y[1] == i][:n]]
    small = {'train': take('train', 5), 'val': take('val', 2), 'test': take('test', 3),
             'oos_train': [], 'oos_val': [], 'oos_test': []}
    with open(out('clinc150/data/data_full.json'), 'w', encoding='utf-8') as f:
        json.dump(small, f, ensure_ascii=False)
    licence('clinc150', 'LICENSE')


def persona_chat():
    # the first 60 validation and 30 test conversations
    for name, n in (('valid', 60), ('test', 30)):
        table = rows('synthetic-persona-chat/data/Synthetic-Persona-Chat_%s.csv' % name)
        write_rows('synthetic-persona-chat/data/Synthetic-Persona-Chat_%s.csv' % name, table[:n + 1])
    licence('synthetic-persona-chat', 'README.md')  # CC BY 4.0, stated in the README


if __name__ == '__main__':
    for f in (banking77, meld, dialogsum, clinc150, persona_chat):
        f()
    print('wrote', DST)
