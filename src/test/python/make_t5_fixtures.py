"""Makes the T5 parity fixtures (issue 12): two tiny random T5 checkpoints written by transformers itself,
a small T5-style Unigram tokenizer.json, and each model's golden fixtures.json.

    flock /tmp/dialtune-mvn.lock ~/.cache/dialtune/hfenv/bin/python src/test/python/make_t5_fixtures.py

(run from the repository root; torch 2.13 CPU, transformers 5.18, tokenizers 0.23; `--check` recomputes
everything in a temporary folder and compares the numbers with the committed files instead of writing).
Output: src/test/resources/org/dialtune/model/t5/{t5-v1_0,t5-v1_1}/ with config.json,
generation_config.json, model.safetensors, tokenizer.json and fixtures.json; README.md there describes
the fields. Deterministic given SEED: the tokenizer is trained single-threaded on fixed text, the models
are drawn from torch's seeded generator.

Choices, and why:
- 2 encoder and 3 decoder layers (num_decoder_layers != num_layers), 3 heads of d_kv 8 (inner 24 != d_model
  32), 8 relative buckets with max distance 20, so that a 40-token source and 16-token targets reach the
  logarithmic buckets and the clamp at max_distance in both directions.
- transformers' own initialisation (T5's _init_weights) with initializer_factor 3.0 for v1.0 (config.json
  says so; at 1.0 the tied v1.0 model says the same thing to most inputs) and 1.0 for v1.1; then every
  RMS-norm weight drawn as 1 + N(0, 0.1) so that each norm is observable.
- v1.0: ReLU feed-forward, head tied to `shared` and fed d_model^-0.5-scaled states.
  v1.1: gated-GELU (gelu_new), its own lm_head, no rescale. transformers 5 always ties T5's head (config
  `tie_word_embeddings: false` only switches the rescale off), so the v1.1 head is untied by hand
  (N(0, factor) as _init_weights draws an untied head) before saving; save_pretrained then writes
  `tie_word_embeddings: true, scale_decoder_outputs: false` and both tensors, as it does for any untied
  T5 it saves. That is the transformers-written form dialtune must read.
- dropout_rate 0.0 so the training-mode forward/backward is deterministic; eager attention (the formula
  itself; sdpa differs by float32 rounding only).
- transformers 5.18's generate() sizes its KV cache by `num_layers` (the encoder's count), so a decoder
  with more layers fails with IndexError in cache.update; generation here passes its own unsized
  EncoderDecoderCache (same outputs as use_cache=False, checked below).
"""
import argparse
import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # the Unigram trainer's result must not depend on threads

import torch  # noqa: E402
import tokenizers  # noqa: E402
import transformers  # noqa: E402
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers  # noqa: E402
from transformers import T5Config, T5ForConditionalGeneration  # noqa: E402
from transformers.cache_utils import DynamicCache, EncoderDecoderCache  # noqa: E402
from transformers.models.t5.modeling_t5 import T5Attention  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "src" / "test" / "resources" / "org" / "dialtune" / "model" / "t5"
SHARED = Path(os.environ.get("DIALTUNE_SHARED", ROOT.parent / "shared")).resolve()
SEED = 20261207
TOKENIZER_VOCAB = 250          # Unigram pieces incl. <pad> </s> <unk>; 4 <extra_id_N> follow
VOCAB_SIZE = 256               # the model's rows: more than the tokenizer's, as in every T5 checkpoint
SAMPLES = 16                   # values sampled per tensor (gradients, parameters after the AdamW step)

COMMON = dict(vocab_size=VOCAB_SIZE, d_model=32, d_kv=8, num_heads=3, d_ff=40, num_layers=2, num_decoder_layers=3,
              relative_attention_num_buckets=8, relative_attention_max_distance=20, dropout_rate=0.0,
              layer_norm_epsilon=1e-6, decoder_start_token_id=0, pad_token_id=0,
              eos_token_id=1)
VARIANTS = {
    "t5-v1_0": dict(feed_forward_proj="relu", initializer_factor=3.0),
    "t5-v1_1": dict(feed_forward_proj="gated-gelu", tie_word_embeddings=False, initializer_factor=1.0),
}

BATCHES = [
    ("batch_1", "two pairs of different lengths: source and label padding",
     ["#Person1#: Hello, how are you doing today?", "Where is my card? It has not arrived yet."],
     ["I am fine, thanks.", "It is on the way."]),
    ("batch_2", "one 40+-token source and a 16+-token target: relative distances past max_distance",
     ["#Person1#: I have been having trouble breathing lately, and I just have a heavy feeling in my chest "
      "when I try to breathe. #Person2#: Do you have any allergies that you know of?"],
     ["Person1 has trouble breathing and will see a specialist about it soon."]),
    ("batch_3", "two more pairs, one with characters outside the vocabulary (<unk>) and an extra id",
     ["summarize: The meeting moved to Friday  because the room was booked.", "Das Büro ist zu € <extra_id_0>"],
     ["The meeting is on Friday.", "closed <extra_id_0>"]),
]
TOKENIZER_TEXTS = ["Hello, how are you doing today?", "  two  spaces and trailing ", "Ünïcödé ﬁ café",
                   "line one\nline two", "€ and 中文 are unknown", "<extra_id_0> masks <extra_id_1>", ""]
ADAMW = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
GENERATION = {
    "greedy": [dict(batch=b, kwargs=dict(num_beams=1, max_new_tokens=12)) for b in ("batch_1", "batch_2", "batch_3")],
    "beam": [dict(batch="batch_1", kwargs=dict(num_beams=4, max_new_tokens=12)),
             dict(batch="batch_3", kwargs=dict(num_beams=4, max_new_tokens=12, early_stopping=True,
                                               length_penalty=1.5))],
}


def corpus():
    """Dialogue text the tokenizer learns from: DialogSum dev dialogues and summaries, banking77 queries."""
    texts = []
    with open(SHARED / "datasets" / "dialogsum" / "DialogSum_Data" / "dialogsum.dev.jsonl", encoding="utf-8") as f:
        for line in list(f)[:300]:
            r = json.loads(line)
            texts += r["dialogue"].split("\n") + [r["summary"]]
    with open(SHARED / "datasets" / "banking77" / "banking_data" / "train.csv", encoding="utf-8") as f:
        texts += [line.rsplit(",", 1)[0].strip('"') for line in list(f)[1:1500]]
    return texts


def train_tokenizer():
    """A T5-style Unigram tokenizer.json: <pad> 0, </s> 1, <unk> 2, `$A </s>` (no BOS), Metaspace."""
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)])
    trainer = trainers.UnigramTrainer(vocab_size=TOKENIZER_VOCAB, special_tokens=["<pad>", "</s>", "<unk>"],
                                      unk_token="<unk>", max_piece_length=8, show_progress=False)
    tok.train_from_iterator(corpus(), trainer)
    tok.add_special_tokens([f"<extra_id_{i}>" for i in (3, 2, 1, 0)])  # T5 numbers them from the end
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                       special_tokens=[("</s>", 1)])
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    # the trainer's scores vary in their last bits from run to run, and rare characters get scores 1e-4 apart
    # in hash order: rounded to 0.01 and sorted by score and piece (the three special pieces stay first), the
    # file is reproducible
    j = json.loads(tok.to_str())
    vocab = [[piece, round(score, 2)] for piece, score in j["model"]["vocab"]]
    j["model"]["vocab"] = vocab[:3] + sorted(vocab[3:], key=lambda e: (-e[1], e[0]))
    tok = Tokenizer.from_str(json.dumps(j))
    for piece, want in (("<pad>", 0), ("</s>", 1), ("<unk>", 2)):
        assert tok.token_to_id(piece) == want, (piece, tok.token_to_id(piece))
    assert tok.get_vocab_size() <= VOCAB_SIZE
    return tok


def build(name, seed):
    torch.manual_seed(seed)
    config = T5Config(**COMMON, **VARIANTS[name])
    model = T5ForConditionalGeneration(config)
    if name == "t5-v1_1":
        assert model.lm_head.weight is model.shared.weight, "transformers 5 ties T5's head: untie it by hand"
        model.lm_head.weight = torch.nn.Parameter(config.initializer_factor * torch.randn(VOCAB_SIZE, config.d_model))
    with torch.no_grad():
        for n, p in sorted(model.named_parameters()):
            if "layer_norm" in n:
                p.copy_(1 + 0.1 * torch.randn(p.shape))
    return model.eval()


def g8(x):
    return float(f"{float(x.detach() if torch.is_tensor(x) else x):.8g}")


def values(t):
    return [g8(v) for v in t.detach().double().flatten().tolist()]


def nested(t):
    return json.loads(json.dumps(t.detach().double().tolist()), parse_float=g8)


def sample_indices(n):
    return sorted({round(i * (n - 1) / (SAMPLES - 1)) for i in range(SAMPLES)}) if n > 1 else [0]


def samples(t):
    flat = t.detach().flatten()
    return [g8(flat[i]) for i in sample_indices(flat.numel())]


def checksums(t):
    d = t.detach().double()
    return dict(sum=g8(d.sum()), abs_sum=g8(d.abs().sum()), sq_sum=g8((d * d).sum()), min=g8(d.min()),
                max=g8(d.max()))


def encode_batch(tok, srcs, tgts):
    src = [tok.encode(s).ids for s in srcs]
    tgt = [tok.encode(t).ids for t in tgts]
    s_len, t_len = max(map(len, src)), max(map(len, tgt))
    input_ids = torch.tensor([r + [0] * (s_len - len(r)) for r in src])
    mask = torch.tensor([[1] * len(r) + [0] * (s_len - len(r)) for r in src])
    labels = torch.tensor([r + [-100] * (t_len - len(r)) for r in tgt])
    return input_ids, mask, labels


def forward(model, input_ids, mask, labels):
    """The model's outputs, and the decoder's last hidden state (after its final layer norm, before any rescale)."""
    out = model(input_ids=input_ids, attention_mask=mask, labels=labels)
    dec = model.decoder(input_ids=model._shift_right(labels), encoder_hidden_states=out.encoder_last_hidden_state,
                        encoder_attention_mask=mask).last_hidden_state
    return out, dec


def batch_fixture(model, model64, tok, name, description, srcs, tgts):
    input_ids, mask, labels = encode_batch(tok, srcs, tgts)
    with torch.no_grad():
        out, dec = forward(model, input_ids, mask, labels)
        out64, dec64 = forward(model64, input_ids, mask, labels)
    logits = out.logits
    valid = labels != -100
    logp = torch.log_softmax(logits.double(), -1)
    nll = -logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)[valid].sum()
    at_labels = [[g8(logits[b, t, labels[b, t]]) if valid[b, t] else None for t in range(labels.shape[1])]
                 for b in range(labels.shape[0])]
    expected = dict(
        loss=g8(out.loss), nll_sum=g8(nll), num_label_tokens=int(valid.sum()),
        encoder_last_hidden_state=dict(shape=list(out.encoder_last_hidden_state.shape),
                                       values=nested(out.encoder_last_hidden_state)),
        decoder_last_hidden_state=dict(shape=list(dec.shape), values=nested(dec)),
        logits=dict(shape=list(logits.shape), checksums=checksums(logits), at_label_ids=at_labels,
                    per_position_logsumexp=nested(torch.logsumexp(logits.double(), -1)),
                    per_position_max=nested(logits.max(-1).values),
                    per_position_argmax=logits.argmax(-1).tolist(),
                    every_8th_vocab=nested(logits[..., ::8])))
    deviation = dict(encoder_states=g8((out.encoder_last_hidden_state.double() - out64.encoder_last_hidden_state)
                                       .abs().max()),
                     logits=g8((logits.double() - out64.logits).abs().max()),
                     loss=g8(abs(out.loss.double() - out64.loss)))
    return dict(name=name, description=description, src_texts=srcs, tgt_texts=tgts,
                input_ids=input_ids.tolist(), attention_mask=mask.tolist(), labels=labels.tolist(),
                decoder_input_ids=model._shift_right(labels).tolist(), decoder_attention_mask=None,
                expected=expected, float64_deviation=deviation)


def no_decay(name):
    """T5 has no biases; its RMS-norm weights (`layer_norm`, `final_layer_norm`) are not decayed."""
    return "layer_norm" in name


def training_fixture(model, model64, tok):
    input_ids, mask, labels = encode_batch(tok, BATCHES[0][2], BATCHES[0][3])
    params = dict(model.named_parameters())  # unique parameters: tied aliases appear once
    model.train()
    loss = model(input_ids=input_ids, attention_mask=mask, labels=labels).loss
    loss.backward()
    model64.train()
    model64(input_ids=input_ids, attention_mask=mask, labels=labels).loss.backward()
    grads64 = {n: p.grad for n, p in model64.named_parameters()}
    grads = {}
    for n, p in params.items():
        g = p.grad
        grads[n] = dict(shape=list(g.shape), l2_norm=g8(g.double().norm()), abs_sum=g8(g.double().abs().sum()),
                        sum=g8(g.double().sum()), sample_indices=sample_indices(g.numel()), samples=samples(g),
                        float64_deviation_rel=g8((g.double() - grads64[n]).norm() / max(grads64[n].norm(), 1e-30)))
    global_norm = math.sqrt(sum(float(p.grad.double().pow(2).sum()) for p in params.values()))
    decay = [p for n, p in params.items() if not no_decay(n)]
    keep = [p for n, p in params.items() if no_decay(n)]
    opt = torch.optim.AdamW([dict(params=decay), dict(params=keep, weight_decay=0.0)], **ADAMW)
    opt.step()
    after = {n: dict(sum=g8(p.detach().double().sum()), samples=samples(p)) for n, p in params.items()}
    model.eval()
    with torch.no_grad():
        out = model(input_ids=input_ids, attention_mask=mask, labels=labels)
    return dict(batch="batch_1", mode="model.train() (dropout_rate 0), one backward of the batch's loss",
                loss=g8(loss), grads=grads, global_grad_l2_norm=g8(global_norm),
                num_trainable_tensors=len(params), num_trainable_parameters=sum(p.numel() for p in params.values()),
                optimizer=dict(kind="torch.optim.AdamW", lr=ADAMW["lr"], betas=list(ADAMW["betas"]), eps=ADAMW["eps"],
                               weight_decay=ADAMW["weight_decay"],
                               no_decay="parameters whose name contains 'layer_norm' (weight_decay 0.0)"),
                params_after_one_adamw_step=after, loss_after_one_adamw_step=g8(out.loss),
                logits_after_one_adamw_step_checksums=checksums(out.logits))


def generation_fixture(model, batches):
    by_name = {b["name"]: b for b in batches}
    result = {}
    for kind, cases in GENERATION.items():
        result[kind] = []
        for case in cases:
            b = by_name[case["batch"]]
            ids, mask = torch.tensor(b["input_ids"]), torch.tensor(b["attention_mask"])
            kwargs = dict(case["kwargs"], do_sample=False)
            with torch.no_grad():
                out = model.generate(ids, attention_mask=mask, output_scores=True, return_dict_in_generate=True,
                                     past_key_values=EncoderDecoderCache(DynamicCache(), DynamicCache()), **kwargs)
                plain = model.generate(ids, attention_mask=mask, use_cache=False, **kwargs)
            assert torch.equal(out.sequences, plain), "the KV cache changed generate()'s output"
            entry = dict(batch=case["batch"], kwargs=case["kwargs"], max_length=1 + case["kwargs"]["max_new_tokens"],
                         sequences=out.sequences.tolist())
            if kind == "greedy":
                margins = []
                for step, scores in enumerate(out.scores):
                    top = scores.topk(2, -1).values
                    for row in range(scores.shape[0]):
                        if 1 not in out.sequences[row, 1:step + 1].tolist():  # the row is still running
                            margins.append(float(top[row, 0] - top[row, 1]))
                entry["min_top1_top2_logit_margin"] = g8(min(margins))
            else:
                entry["sequence_scores"] = values(out.sequences_scores)
            result[kind].append(entry)
    distinct = {tuple(r) for e in result["greedy"] for r in e["sequences"]}
    assert len(distinct) >= 4, f"greedy outputs barely depend on the input: {distinct}"
    result["semantics"] = (
        "transformers 5.18 generate() for T5: sequences start with decoder_start_token_id 0 (= pad), no forced "
        "BOS/EOS, stop at eos 1, finished rows padded with 0; max_length = 1 + max_new_tokens; beam search with "
        "the kwargs given (defaults: early_stopping False, length_penalty 1.0); run with an unsized "
        "EncoderDecoderCache (identical to use_cache=False)")
    return result


def bucket_tables(config):
    """T5Attention._relative_position_bucket for relative positions (key - query) -300..300."""
    rel = torch.arange(-300, 301)
    tables = []
    for buckets, distance in ((32, 128), (config.relative_attention_num_buckets, config.relative_attention_max_distance)):
        for bidirectional in (True, False):
            b = T5Attention._relative_position_bucket(rel, bidirectional=bidirectional, num_buckets=buckets,
                                                      max_distance=distance)
            tables.append(dict(num_buckets=buckets, max_distance=distance, bidirectional=bidirectional,
                               first_relative_position=-300, buckets=b.tolist()))
    return tables


def make(out_dir):
    tok = train_tokenizer()
    for i, name in enumerate(VARIANTS):
        d = out_dir / name
        if d.exists():
            shutil.rmtree(d)
        model = build(name, SEED + i)
        model.save_pretrained(d)
        tok.save(str(d / "tokenizer.json"))
        reloaded, info = T5ForConditionalGeneration.from_pretrained(d, output_loading_info=True,
                                                                    attn_implementation="eager")
        assert not any(info[k] for k in ("missing_keys", "unexpected_keys", "mismatched_keys")), info
        for n, p in model.state_dict().items():
            assert torch.equal(p, reloaded.state_dict()[n]), f"{n} changed in the save/load round trip"
        model = reloaded.eval()
        model64 = T5ForConditionalGeneration.from_pretrained(d, attn_implementation="eager", dtype=torch.float64).eval()
        batches = [batch_fixture(model, model64, tok, *b) for b in BATCHES]
        fixtures = dict(
            format_version=1,
            description=f"{name}: tiny random T5 written by transformers {transformers.__version__} save_pretrained; "
                        "golden outputs of T5ForConditionalGeneration (float32, eager attention). "
                        "See ../README.md for every field.",
            generator=dict(script="src/test/python/make_t5_fixtures.py", seed=SEED + i, torch=torch.__version__,
                           transformers=transformers.__version__, tokenizers=tokenizers.__version__,
                           init=f"transformers T5 _init_weights (initializer_factor {model.config.initializer_factor}), then "
                                 "layer-norm weights 1 + N(0, 0.1)"
                                 + ("; lm_head untied by hand, N(0, factor)" if name == "t5-v1_1" else "")),
            config=dict(scale_decoder_outputs=model.config.scale_decoder_outputs,
                        head_tied_to_shared=model.lm_head.weight is model.shared.weight),
            tokenizer_cases=[dict(text=t, ids=tok.encode(t).ids) for t in TOKENIZER_TEXTS],
            relative_position_buckets=bucket_tables(model.config),
            batches=batches,
            generation=generation_fixture(model, batches),
        )
        fixtures["training"] = training_fixture(model, model64, tok)
        with open(d / "fixtures.json", "w", encoding="utf-8") as f:
            json.dump(fixtures, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        print(f"{name}: {sum(p.stat().st_size for p in d.iterdir()) // 1024} KB in {d}", file=sys.stderr)


def compare(a, b, path="", tol=1e-6):
    """Numbers within tol (relative, absolute below 1), everything else equal."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            compare(a[k], b[k], f"{path}.{k}", tol)
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{i}]", tol)
    elif isinstance(a, float) and isinstance(b, (int, float)):
        assert abs(a - b) <= tol * max(1.0, abs(a)), f"{path}: {a} != {b}"
    else:
        assert a == b or path.endswith(("torch", "transformers", "tokenizers")), f"{path}: {a!r} != {b!r}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="recompute and compare with the committed files")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if not args.check:
        make(OUT)
        return
    with tempfile.TemporaryDirectory() as tmp:
        make(Path(tmp))
        for name in VARIANTS:
            for f in ("config.json", "tokenizer.json", "fixtures.json"):
                want = json.loads((OUT / name / f).read_text(encoding="utf-8"))
                got = json.loads((Path(tmp) / name / f).read_text(encoding="utf-8"))
                compare(want, got, f"{name}/{f}", tol=1e-5 if f == "fixtures.json" else 0)
        print("fixtures reproduce", file=sys.stderr)


if __name__ == "__main__":
    main()
