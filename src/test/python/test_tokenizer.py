"""Tokenizer (issue 11, item 4): `dialtune tokenize` gives the ids of transformers' BartTokenizerFast on
5,231 texts from the real datasets (every task's test split as converted): every text with emoji, a
seeded sample of the other non-ASCII ones (accents, typographic punctuation) and of the plain ones, the
same texts with runs of spaces, tabs, newlines and decomposed accents, with emoji sequences and CJK
attached, and very long concatenations; in full and truncated, with and without the prefix cut that
training batches use.
"""
import random
import re
import unicodedata

import pytest

from conftest import TOKENIZER, dialtune, read_jsonl, write_jsonl
from hf_compare import tokenizer

EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF]")
CJK = re.compile("[\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]")


def whitespace_variant(text, rnd):
    words = text.split(" ")
    seps = [rnd.choice([" ", "  ", "   ", "\t", "\n", "\n\n", " \n ", "\r\n", "\u00a0"]) for _ in words[1:]]
    out = words[0] + "".join(s + w for s, w in zip(seps, words[1:]))
    return rnd.choice(["", " ", "  ", "\n"]) + out + rnd.choice(["", " ", "   ", "\n", "\n\n"])


@pytest.fixture(scope="module")
def texts(converted):
    rnd = random.Random(5)
    pool = sorted({t for ex in converted for t in [ex["source"], ex["target"], *(ex.get("options") or [])]})
    special = [t for t in pool if any(ord(c) > 127 for c in t)]
    plain = [t for t in pool if all(ord(c) < 128 for c in t)]
    emoji = [t for t in special if EMOJI.search(t)]
    others = [t for t in special if not EMOJI.search(t)]
    chosen = emoji + rnd.sample(others, 2500 - len(emoji)) + rnd.sample(plain, 1500)
    variants = [whitespace_variant(t, rnd) for t in rnd.sample(chosen, 800)]
    accented = [t for t in special if unicodedata.normalize("NFD", t) != t]
    variants += [unicodedata.normalize("NFD", t) for t in accented[:200]]
    # what the test splits have too little of (ZWJ and skin-tone emoji, flags, CJK: none), attached to real texts
    extras = ["👨‍👩‍👧 ", "👍🏽", "🇫🇷", "我们明天见。", "こんにちは、世界", "안녕하세요", "Ça coûte 5 €", "naïve café"]
    variants += [rnd.choice(extras) + " " + t + rnd.choice(extras) for t in rnd.sample(plain, 200)]
    long = [" ".join(rnd.sample(chosen, 40)) for _ in range(100)]
    all_texts = chosen + variants + long
    assert len(all_texts) >= 5000
    assert len(emoji) >= 500, "too few real texts with emoji"
    assert sum(bool(CJK.search(t)) for t in all_texts) >= 50
    assert len(accented) >= 100
    return all_texts


@pytest.fixture(scope="module")
def hf_tok():
    return tokenizer()


@pytest.mark.parametrize("max_length,prefix_cut", [(None, False), (64, False), (64, True), (1024, True)])
def test_dialtune_ids_equal_bart_tokenizer_fast(texts, hf_tok, work, max_length, prefix_cut):
    inp = write_jsonl(work / "tok-texts.jsonl", [{"id": i, "text": t} for i, t in enumerate(texts)])
    out = work / f"tok-{max_length}-{prefix_cut}.jsonl"
    args = ["tokenize", "--tokenizer", TOKENIZER, "--input", inp, "--out", out]
    if max_length:
        args += ["--max-length", max_length]
    if prefix_cut:
        args.append("--prefix-cut")
    err = dialtune(*args)
    ours = [r["ids"] for r in read_jsonl(out)]
    kw = dict(truncation=True, max_length=max_length) if max_length else {}
    theirs = hf_tok(texts, **kw)["input_ids"]
    wrong = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    assert len(ours) == len(theirs) == len(texts)
    assert not wrong, f"{len(wrong)} of {len(texts)} differ, e.g. {texts[wrong[0]][:200]!r}: " \
                      f"dialtune {ours[wrong[0]][:40]} transformers {theirs[wrong[0]][:40]}"
    if max_length:
        cut = sum(len(hf_tok(t)["input_ids"]) > max_length for t in texts)
        assert cut > 0
        assert f"tokenize: {cut} of {len(texts)} texts were longer than {max_length} tokens" in err
    else:
        assert max(map(len, ours)) > 4000, "the long texts are not long"
