"""The transformers side of the comparisons: load a checkpoint, generate and score options the way
`dialtune generate` and `dialtune rank` do, and compare the two.

Both sides get the same settings explicitly (nothing rests on either side's defaults) and the same
batches: dialtune generates in consecutive batches of --batch-size (8), right-padded, so transformers
does too.
"""
import json
from pathlib import Path

import torch
from transformers import BartForConditionalGeneration, BartTokenizerFast

from conftest import TOKENIZER, dialtune, read_jsonl, write_jsonl

BATCH = 8

# transformers generate() arguments by name; the checkpoint's forced BOS/EOS and early stopping are
# added (checkpoint_generation), and must be on
SETTINGS = {
    "greedy": dict(num_beams=1, max_new_tokens=24, min_length=6, no_repeat_ngram_size=3),
    "beam4": dict(num_beams=4, max_new_tokens=24, min_length=6, no_repeat_ngram_size=2, length_penalty=1.7),
}
FROM_CHECKPOINT = {"forced_bos_token_id": None, "forced_eos_token_id": 2, "early_stopping": False}


def tokenizer():
    return BartTokenizerFast.from_pretrained(str(TOKENIZER))


def load(model_dir):
    """from_pretrained in float32 (half-precision files widened, as dialtune does); every tensor used."""
    model, info = BartForConditionalGeneration.from_pretrained(str(model_dir), dtype=torch.float32,
                                                               output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"], info
    return model.eval()


def _sources(tok, model, texts):
    return tok(texts, truncation=True, max_length=model.config.max_position_embeddings, padding=True,
               return_tensors="pt")


def checkpoint_generation(model_dir):
    """Forced BOS/EOS and early stopping as dialtune reads them from the checkpoint (generation_config.json
    over config.json; dialtune has no options for them): transformers is given the same values explicitly."""
    values = dict(FROM_CHECKPOINT)
    for name in ("config.json", "generation_config.json"):
        f = Path(model_dir) / name
        if f.is_file():
            j = json.loads(f.read_text())
            values.update({k: j[k] for k in FROM_CHECKPOINT if k in j})
    return values


def hf_generate(model, tok, sources, setting, model_dir):
    """[(ids with the decoder start token, beam score or None)] for each source."""
    args = dict(SETTINGS[setting], **checkpoint_generation(model_dir))
    beams = args["num_beams"] > 1
    out = []
    with torch.no_grad():
        for i in range(0, len(sources), BATCH):
            enc = _sources(tok, model, [s["source"] for s in sources[i:i + BATCH]])
            g = model.generate(**enc, do_sample=False, return_dict_in_generate=True, output_scores=beams,
                               decoder_start_token_id=model.config.decoder_start_token_id, **args)
            scores = g.sequences_scores.tolist() if beams else [None] * len(g.sequences)
            out += list(zip(g.sequences.tolist(), scores))
    return out


def dialtune_generate(model_dir, sources, setting, work, tag):
    """Runs `dialtune generate` with the same settings; returns its output records."""
    s = SETTINGS[setting]
    inp = write_jsonl(work / f"{tag}-sources.jsonl", sources)
    out = work / f"{tag}-{setting}.jsonl"
    args = ["generate", "--model", model_dir, "--input", inp, "--out", out, "--batch-size", BATCH,
            "--num-beams", s["num_beams"], "--max-new-tokens", s["max_new_tokens"],
            "--min-length", s["min_length"], "--no-repeat-ngram-size", s["no_repeat_ngram_size"]]
    if "length_penalty" in s:
        args += ["--length-penalty", s["length_penalty"]]
    dialtune(*args)
    return read_jsonl(out)


def assert_same_generations(dl, hf, pad_id=1, score_tol=1e-4):
    """Identical ids (transformers pads finished rows of a batch with pad), beam scores within score_tol."""
    assert len(dl) == len(hf)
    wrong = []
    for d, (ids, score) in zip(dl, hf):
        n = len(d["ids"])
        if ids[:n] != d["ids"] or any(t != pad_id for t in ids[n:]):
            wrong.append(f"{d['id']}: dialtune {d['ids']} transformers {ids}")
        elif score is not None and abs(d["score"] - score) > score_tol:
            wrong.append(f"{d['id']}: score dialtune {d['score']} transformers {score}")
    assert not wrong, f"{len(wrong)} of {len(dl)} differ, e.g.\n" + "\n".join(wrong[:5])


def hf_rank(model, tok, rows):
    """Sum of log p(option token) per option, teacher-forced like `dialtune rank`: the labels are the
    option's ids with <s> and </s>, the decoder input is the decoder start token + the labels shifted right."""
    out = []
    limit = model.config.max_position_embeddings
    with torch.no_grad():
        for r in rows:
            enc = _sources(tok, model, [r["source"]])
            labels = [tok(o, truncation=True, max_length=limit)["input_ids"] for o in r["options"]]
            width = max(map(len, labels))
            lab = torch.full((len(labels), width), -100, dtype=torch.long)
            dec = torch.full((len(labels), width), model.config.pad_token_id, dtype=torch.long)
            for i, l in enumerate(labels):
                lab[i, :len(l)] = torch.tensor(l)
                dec[i, 0] = model.config.decoder_start_token_id
                dec[i, 1:len(l)] = torch.tensor(l[:-1])
            n = len(labels)
            logits = model(input_ids=enc["input_ids"].expand(n, -1), attention_mask=enc["attention_mask"].expand(n, -1),
                           decoder_input_ids=dec).logits
            lp = torch.log_softmax(logits, -1).gather(2, lab.clamp(min=0).unsqueeze(2)).squeeze(2)
            lp = torch.where(lab >= 0, lp, torch.zeros_like(lp))
            out.append(lp.double().sum(1).tolist())
    return out


def dialtune_rank(model_dir, rows, work, tag):
    inp = write_jsonl(work / f"{tag}-options.jsonl", rows)
    out = work / f"{tag}-ranks.jsonl"
    dialtune("rank", "--model", model_dir, "--input", inp, "--out", out)
    return read_jsonl(out)


def assert_same_scores(dl, hf, tol=1e-4):
    worst = max(abs(a - b) for d, h in zip(dl, hf) for a, b in zip(d["scores"], h))
    assert all(len(d["scores"]) == len(h) for d, h in zip(dl, hf))
    assert worst <= tol, f"largest |dialtune - transformers| log-likelihood difference {worst}"
    return worst


def check_model(model_dir, sources, option_rows, work, tag, settings=("greedy", "beam4")):
    """dialtune against transformers on the same checkpoint: generation in each setting and option
    log-likelihoods. Returns the largest log-likelihood difference."""
    forced = checkpoint_generation(model_dir)
    assert forced["forced_bos_token_id"] == 0 and forced["forced_eos_token_id"] == 2, \
        f"{model_dir}: the comparison needs forced BOS/EOS on, got {forced}"
    model, tok = load(model_dir), tokenizer()
    for s in settings:
        assert_same_generations(dialtune_generate(model_dir, sources, s, work, tag), hf_generate(model, tok, sources, s, model_dir))
    if option_rows is None:
        return None
    return assert_same_scores(dialtune_rank(model_dir, option_rows, work, tag), hf_rank(model, tok, option_rows))
