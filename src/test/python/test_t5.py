"""T5 checkpoints both ways (issue 12, item 3).

(a) T5 v1.0 and v1.1 models written by dialtune (`model init` from the test checkpoints' configs) load in
transformers and give the same greedy and 4-beam outputs as `dialtune generate` on real sources, and option
log-likelihoods within 1e-4 (or 1e-5 relative) of `dialtune rank`.
(b) The T5 checkpoints transformers wrote (src/test/resources/org/dialtune/model/t5, float32, and float16
as save_pretrained writes it) give the same outputs in dialtune as in transformers.

transformers 5.18's generate() sizes its KV cache by the encoder's layer count, and these models have one
more decoder block: each call gets its own unsized cache (README of the fixtures).
"""
import json

import pytest
import torch
from transformers import PreTrainedTokenizerFast, T5ForConditionalGeneration
from transformers.cache_utils import DynamicCache, EncoderDecoderCache

from conftest import ROOT, dialtune, read_jsonl, write_jsonl

T5_DIR = ROOT / "src" / "test" / "resources" / "org" / "dialtune" / "model" / "t5"
BATCH = 8
SETTINGS = {
    "greedy": dict(num_beams=1, max_new_tokens=16, min_length=4, no_repeat_ngram_size=3),
    "beam4": dict(num_beams=4, max_new_tokens=16, min_length=4, no_repeat_ngram_size=2, length_penalty=1.7),
}


def load(model_dir):
    model, info = T5ForConditionalGeneration.from_pretrained(str(model_dir), dtype=torch.float32,
                                                             output_loading_info=True)
    assert not info["missing_keys"] and not info["mismatched_keys"], info
    return model.eval()


def tokenizer(model_dir):
    return PreTrainedTokenizerFast(tokenizer_file=str(model_dir / "tokenizer.json"), pad_token="<pad>",
                                   eos_token="</s>", unk_token="<unk>")


def hf_generate(model, tok, sources, setting):
    """[(ids with the decoder start token, beam score or None)] for each source, in batches of BATCH."""
    args = SETTINGS[setting]
    beams = args["num_beams"] > 1
    out = []
    with torch.no_grad():
        for i in range(0, len(sources), BATCH):
            enc = tok([s["source"] for s in sources[i:i + BATCH]], padding=True, return_tensors="pt")
            g = model.generate(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], do_sample=False,
                               return_dict_in_generate=True, output_scores=beams,
                               past_key_values=EncoderDecoderCache(DynamicCache(), DynamicCache()), **args)
            scores = g.sequences_scores.tolist() if beams else [None] * len(g.sequences)
            out += list(zip(g.sequences.tolist(), scores))
    return out


def dialtune_generate(model_dir, sources, setting, work, tag):
    s = SETTINGS[setting]
    inp = write_jsonl(work / f"{tag}-sources.jsonl", sources)
    out = work / f"{tag}-{setting}.jsonl"
    dialtune("generate", "--model", model_dir, "--input", inp, "--out", out, "--batch-size", BATCH,
             "--num-beams", s["num_beams"], "--max-new-tokens", s["max_new_tokens"], "--min-length", s["min_length"],
             "--no-repeat-ngram-size", s["no_repeat_ngram_size"],
             *(["--length-penalty", s["length_penalty"]] if "length_penalty" in s else []))
    return read_jsonl(out)


def assert_same_generations(dl, hf, score_tol=1e-4):
    """Identical ids (transformers pads finished rows with pad 0), beam scores within score_tol."""
    assert len(dl) == len(hf)
    wrong = []
    for d, (ids, score) in zip(dl, hf):
        n = len(d["ids"])
        if ids[:n] != d["ids"] or any(t != 0 for t in ids[n:]):
            wrong.append(f"{d['id']}: dialtune {d['ids']} transformers {ids}")
        elif score is not None and abs(d["score"] - score) > score_tol:
            wrong.append(f"{d['id']}: score dialtune {d['score']} transformers {score}")
    assert not wrong, f"{len(wrong)} of {len(dl)} differ, e.g.\n" + "\n".join(wrong[:5])


def hf_rank(model, tok, rows):
    """Sum of log p(option token) per option: labels are the option's ids with </s>, the decoder input is
    the decoder start token (pad) + the labels shifted right."""
    out = []
    with torch.no_grad():
        for r in rows:
            enc = tok([r["source"]], return_tensors="pt")
            labels = [tok(o)["input_ids"] for o in r["options"]]
            width = max(map(len, labels))
            lab = torch.full((len(labels), width), -100, dtype=torch.long)
            for i, l in enumerate(labels):
                lab[i, :len(l)] = torch.tensor(l)
            n = len(labels)
            logits = model(input_ids=enc["input_ids"].expand(n, -1), attention_mask=enc["attention_mask"].expand(n, -1),
                           decoder_input_ids=model._shift_right(lab)).logits
            lp = torch.log_softmax(logits, -1).gather(2, lab.clamp(min=0).unsqueeze(2)).squeeze(2)
            out.append(torch.where(lab >= 0, lp, torch.zeros_like(lp)).double().sum(1).tolist())
    return out


def check_model(model_dir, sources, option_rows, work, tag):
    model, tok = load(model_dir), tokenizer(model_dir)
    for s in SETTINGS:
        assert_same_generations(dialtune_generate(model_dir, sources, s, work, tag), hf_generate(model, tok, sources, s))
    inp = write_jsonl(work / f"{tag}-options.jsonl", option_rows)
    out = work / f"{tag}-ranks.jsonl"
    dialtune("rank", "--model", model_dir, "--input", inp, "--out", out)
    dl, hf = read_jsonl(out), hf_rank(model, tok, option_rows)
    assert all(len(d["scores"]) == len(h) for d, h in zip(dl, hf))
    # 1e-4, or 1e-5 relative for the v1.0 checkpoint's large log-likelihoods (about -10 per token)
    worst = max(abs(a - b) / max(1.0, abs(b) / 10) for d, h in zip(dl, hf) for a, b in zip(d["scores"], h))
    assert worst <= 1e-4, f"{tag}: largest |dialtune - transformers| log-likelihood difference {worst} (scaled)"
    texts = {tuple(d["ids"]) for d in read_jsonl(work / f"{tag}-greedy.jsonl")}
    assert len(texts) >= 4, f"{tag}: only {len(texts)} different greedy outputs: the comparison proves little"
    return worst


@pytest.fixture(scope="module")
def sources(real_sources):
    """24 real sources, cut to their first 400 characters: the test checkpoints' small Unigram vocabulary
    makes a text about one token per 2-3 characters, and the v1.0 checkpoint's large weights (initializer
    factor 3) make its unscaled attention scores large, so float32 rounding in sums over very long
    sources would reach the 1e-4 tolerance of the beam scores."""
    return [dict(s, source=s["source"][:400]) for s in real_sources[:24]]


@pytest.fixture(scope="module")
def option_rows(real_option_sources):
    return [dict(r, source=r["source"][:400]) for r in real_option_sources[:24]]


@pytest.mark.parametrize("variant", ["t5-v1_0", "t5-v1_1"])
def test_a_t5_model_from_model_init_loads_in_transformers_with_the_same_outputs(variant, sources, option_rows, work):
    config = json.loads((T5_DIR / variant / "config.json").read_text())
    config["initializer_factor"] = 1.0  # transformers' default
    (work / f"{variant}-config.json").write_text(json.dumps(config))
    out = work / f"init-{variant}"
    dialtune("model", "init", "--config", work / f"{variant}-config.json", "--tokenizer", T5_DIR / variant,
             "--seed", 7, "--out", out)
    worst = check_model(out, sources, option_rows, work, f"init-{variant}")
    print(f"{variant} model init: largest log-likelihood difference {worst:.2e}")


@pytest.mark.parametrize("variant", ["t5-v1_0", "t5-v1_1"])
def test_t5_checkpoints_saved_by_transformers_give_the_same_outputs_in_dialtune(variant, sources, option_rows, work):
    worst = check_model(T5_DIR / variant, sources, option_rows, work, f"hf-{variant}")
    print(f"{variant} (transformers' files): largest log-likelihood difference {worst:.2e}")


def test_a_float16_t5_checkpoint_from_transformers_loads_in_dialtune(sources, option_rows, work):
    """save_pretrained in float16 (wo stays float32 there: _keep_in_fp32_modules); compared with transformers
    running the same rounded weights in float32, as dialtune computes in float32."""
    out = work / "hf-t5-f16"
    load(T5_DIR / "t5-v1_1").to(torch.float16).save_pretrained(out)
    (out / "tokenizer.json").write_bytes((T5_DIR / "t5-v1_1" / "tokenizer.json").read_bytes())
    check_model(out, sources, option_rows, work, "hf-t5-f16")
