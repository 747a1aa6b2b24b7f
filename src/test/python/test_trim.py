"""Vocabulary trimming (issue 13, item 4), judged by the real `tokenizers` and transformers.

`dialtune model trim` cuts a tiny BART (byte-level BPE, the real 50,265-token vocabulary) and the two tiny
T5s (Unigram; tied head with scaled states, untied head) down to the vocabulary of two tasks' data (the
demo's excerpts). On that data (`dialtune convert` of both splits: sources with sampled wordings and without
instructions, targets, options):
- the trimmed tokenizer.json, loaded by `tokenizers` and by transformers' PreTrainedTokenizerFast, encodes
  every text to the original's ids renumbered by trim.json's `new_to_old`, and decodes them to the same text;
- the trimmed checkpoint loads in transformers without missing or unexpected weights and its logits equal
  the original's at the kept ids (same encoder input, decoder inputs renumbered).
"""
import json

import pytest
import torch
from tokenizers import Tokenizer
from transformers import AutoModelForSeq2SeqLM, PreTrainedTokenizerFast

from conftest import ROOT, TINY_STD02, dialtune, read_jsonl, with_tokenizer

DEMO_DATA = ROOT / "eval" / "demo" / "data"
T5_DIR = ROOT / "src" / "test" / "resources" / "org" / "dialtune" / "model" / "t5"
TASKS = "banking77-intent,dialogsum-summarization"


@pytest.fixture(scope="module")
def covered(work):
    """The texts of both splits as `dialtune convert` formats them (with and without instructions)."""
    texts = []
    for split in ("train", "test"):
        for instructions in ("on", "off"):
            out = work / f"trim-{split}-{instructions}.jsonl"
            dialtune("convert", "--data", DEMO_DATA, "--tasks", TASKS, "--split", split, "--instructions", instructions,
                     "--out", out)
            for ex in read_jsonl(out):
                texts += [ex["source"], ex["target"], *ex["options"]]
    return list(dict.fromkeys(texts))


def trimmed_copy(model_dir, work, tag):
    out = work / f"trimmed-{tag}"
    dialtune("model", "trim", "--model", model_dir, "--data", DEMO_DATA, "--tasks", TASKS, "--out", out)
    return out, json.loads((out / "trim.json").read_text())["new_to_old"]


def bart_original(work):
    import shutil
    orig = work / "trim-bart-original"
    if not orig.exists():
        shutil.copytree(TINY_STD02, orig, ignore=shutil.ignore_patterns("fixtures.json", "README.md"))
        with_tokenizer(orig)
    return orig


def originals(work):
    return {"bart": bart_original(work), "t5-v1_0": T5_DIR / "t5-v1_0", "t5-v1_1": T5_DIR / "t5-v1_1"}


@pytest.mark.parametrize("family", ["bart", "t5-v1_0", "t5-v1_1"])
def test_trimmed_tokenizer_and_model_agree_with_the_original_in_transformers(family, covered, work):
    orig = originals(work)[family]
    out, new_to_old = trimmed_copy(orig, work, family)
    before, after = Tokenizer.from_file(str(orig / "tokenizer.json")), Tokenizer.from_file(str(out / "tokenizer.json"))
    assert after.get_vocab_size() == len(new_to_old) < before.get_vocab_size()
    fast = PreTrainedTokenizerFast(tokenizer_file=str(out / "tokenizer.json"))
    wrong = []
    for text in covered:
        a, b = before.encode(text).ids, after.encode(text).ids
        if [new_to_old[i] for i in b] != a or fast(text)["input_ids"] != b:
            wrong.append(f"{text[:80]!r}: original {a[:12]} trimmed {b[:12]}")
        elif after.decode(b) != before.decode(a):
            wrong.append(f"{text[:80]!r}: decodes to {after.decode(b)[:80]!r}")
    assert not wrong, f"{len(wrong)} of {len(covered)} covered texts differ, e.g.\n" + "\n".join(wrong[:5])

    big, info_a = AutoModelForSeq2SeqLM.from_pretrained(str(orig), dtype=torch.float32, output_loading_info=True)
    small, info_b = AutoModelForSeq2SeqLM.from_pretrained(str(out), dtype=torch.float32, output_loading_info=True)
    assert not any(info_b[k] for k in ("missing_keys", "unexpected_keys", "mismatched_keys")), info_b
    assert small.config.vocab_size == len(new_to_old)
    sources, targets = covered[0::7][:16], covered[1::7][:16]
    pad_a, pad_b = big.config.pad_token_id, small.config.pad_token_id
    assert new_to_old[pad_b] == pad_a

    def batch(tok, texts, pad, limit):
        ids = [e.ids[:limit] for e in tok.encode_batch(texts)]
        width = max(map(len, ids))
        return torch.tensor([i + [pad] * (width - len(i)) for i in ids]), torch.tensor(
            [[1] * len(i) + [0] * (width - len(i)) for i in ids])

    src_a, mask = batch(before, sources, pad_a, 96)
    src_b, mask_b = batch(after, sources, pad_b, 96)
    tgt_a, _ = batch(before, targets, pad_a, 24)
    tgt_b, _ = batch(after, targets, pad_b, 24)
    assert torch.equal(torch.tensor(new_to_old)[src_b], src_a) and torch.equal(mask, mask_b)
    with torch.no_grad():
        la = big.eval()(input_ids=src_a, attention_mask=mask, decoder_input_ids=tgt_a).logits
        lb = small.eval()(input_ids=src_b, attention_mask=mask, decoder_input_ids=tgt_b).logits
    worst = (la[..., torch.tensor(new_to_old)] - lb).abs().max().item()
    assert worst <= 1e-5 * max(1.0, la.abs().max().item()), f"{family}: logits differ by {worst}"
