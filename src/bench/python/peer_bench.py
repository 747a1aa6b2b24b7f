"""The speed peers of `dialtune bench`: the same work, timed with PyTorch.

    peer_bench.py --impl transformers --config ../shared/models/bart-base-config --threads 2

Prints ONE JSON line with the measures `dialtune bench` prints under the same names, on the same shapes
(random weights with the family's own init, random ids in [4, vocab), fixed seed, no padding):

  train_tokens_per_s   batch x tgt-len target tokens per step / step time; a step is a teacher-forced
                       forward with HF's cross-entropy, backward, torch AdamW step, zero_grad; model.train()
  gen_tokens_per_s     greedy generate(), KV cache, min_length = tgt-len - 1 so no row stops early;
                       tokens after the decoder start token (tgt-len - 1 per row), encoder pass included
  beam_tokens_per_s    the same with num_beams = --beams (length_penalty 1, early_stopping False):
                       tokens of the returned best hypotheses
  score_options_per_s  rank classification as evaluation runs it: one source of src-len tokens and
                       --options short options (2..--option-max-len tokens + eos, like clinc150's 150
                       intents); the source is encoded once, the options are decoded teacher-forced in one
                       batch over the shared encoder states, log-likelihood = sum of the label tokens'
                       log-probabilities

--impl transformers: Hugging Face's AutoModelForSeq2SeqLM (BART or T5 configs) — what most users run.
--impl reference: ../shared/reference/torch_bart.py (BART only), the parity reference, on whatever torch
the interpreter has (Debian's python3-torch 1.13 in the README's measurements).
Timed parts follow --warmup untimed repetitions of the same call, so no measure includes start-up; each
rate is the work of all timed repetitions over their summed time, as `dialtune bench` computes it.
"""
import argparse
import json
import os
import platform
import sys
import time

import torch


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--impl", choices=["transformers", "reference"], required=True)
    ap.add_argument("--config", required=True, help="a directory with config.json")
    ap.add_argument("--reference-dir", default=None,
                    help="directory of torch_bart.py for --impl reference (default: ../shared/reference beside the repo)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--src-len", type=int, default=128)
    ap.add_argument("--tgt-len", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=3, help="timed training steps")
    ap.add_argument("--warmup", type=int, default=1, help="untimed repetitions before each timed measure")
    ap.add_argument("--gen-runs", type=int, default=3, help="timed calls of each generation / scoring measure")
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--options", type=int, default=150)
    ap.add_argument("--option-max-len", type=int, default=6)
    ap.add_argument("--measures", default="train,greedy,beam,score")
    ap.add_argument("--seed", type=int, default=0)
    return ap.parse_args()


def load_model(args):
    if args.impl == "transformers":
        import transformers
        cfg = transformers.AutoConfig.from_pretrained(args.config)
        model = transformers.AutoModelForSeq2SeqLM.from_config(cfg)
        with open(os.path.join(args.config, "config.json")) as f:
            untied = json.load(f).get("tie_word_embeddings") is False
        head, emb = model.get_output_embeddings(), model.get_input_embeddings()
        if untied and head.weight.data_ptr() == emb.weight.data_ptr():
            # transformers 5 always ties T5's head; T5 v1.1 / Flan-T5 checkpoints have their own lm_head
            head.weight = torch.nn.Parameter(head.weight.detach().clone())
        return model, cfg, f"transformers {transformers.__version__} attn={cfg._attn_implementation}"
    ref = args.reference_dir or os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/reference")
    sys.path.insert(0, os.path.abspath(ref))
    import torch_bart as tb
    cfg = tb.BartConfig.from_json_file(os.path.join(args.config, "config.json"))
    model = tb.BartForConditionalGeneration(cfg)
    tb.init_weights_hf(model, seed=args.seed)
    return model, cfg, "reference torch_bart.py"


def random_ids(g, rows, length, cfg):
    ids = torch.randint(4, cfg.vocab_size, (rows, length), generator=g)
    if getattr(cfg, "bos_token_id", None) is not None and getattr(cfg, "model_type", "bart") != "t5":
        ids[:, 0] = cfg.bos_token_id
    ids[:, -1] = cfg.eos_token_id
    return ids


def timed(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model, cfg, impl = load_model(args)
    measures = set(args.measures.split(","))
    g = torch.Generator().manual_seed(args.seed)
    B, S, T = args.batch, args.src_len, args.tgt_len
    src = random_ids(g, B, S, cfg)
    mask = torch.ones_like(src)
    labels = random_ids(g, B, T, cfg)
    out = {"impl": impl, "config": os.path.basename(os.path.normpath(args.config)),
           "params": sum(p.numel() for p in model.parameters()), "batch": B, "src_len": S, "tgt_len": T,
           "threads": torch.get_num_threads(), "torch": torch.__version__, "python": platform.python_version()}

    if "train" in measures:
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
        model.train()

        def step():
            loss = model(input_ids=src, attention_mask=mask, labels=labels)["loss"]
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)

        times = timed(step, args.warmup, args.steps)
        out["train_tokens_per_s"] = round(B * T * len(times) / sum(times), 2)
        out["step_ms_all"] = [round(t * 1000, 1) for t in times]
        del opt

    model.eval()
    eos = cfg.eos_token_id
    with torch.no_grad():
        for name, beams in (("greedy", 1), ("beam", args.beams)):
            if name not in measures:
                continue
            kw = dict(num_beams=beams, max_length=T, min_length=T - 1, no_repeat_ngram_size=0)
            if beams > 1:
                kw.update(length_penalty=1.0, early_stopping=False)
            tokens = []

            def generate():
                seqs = model.generate(input_ids=src, attention_mask=mask, **kw)
                n = 0
                for row in seqs.tolist():
                    gen = row[1:]
                    n += gen.index(eos) + 1 if eos in gen else len(gen)
                tokens.append(n)

            times = timed(generate, args.warmup, args.gen_runs)
            key = "gen" if name == "greedy" else "beam"
            out[f"{key}_tokens_per_s"] = round(sum(tokens[args.warmup:]) / sum(times), 2)
            out[f"{key}_ms_all"] = [round(t * 1000, 1) for t in times]

        if "score" in measures:
            source = src[:1]
            lengths = torch.randint(2, args.option_max_len + 1, (args.options,), generator=g).tolist()
            width = max(lengths) + 1
            pad = cfg.pad_token_id
            start = cfg.decoder_start_token_id
            opt_labels = torch.full((args.options, width), pad, dtype=torch.long)
            for i, n in enumerate(lengths):
                opt_labels[i, :n] = torch.randint(4, cfg.vocab_size, (n,), generator=g)
                opt_labels[i, n] = eos
            dec_in = torch.full_like(opt_labels, pad)
            dec_in[:, 0] = start
            dec_in[:, 1:] = opt_labels[:, :-1]
            dec_in[dec_in == eos] = pad  # nothing after a row's eos is read: its label is pad
            label_mask = opt_labels != pad

            def score():
                if args.impl == "transformers":
                    enc = model.get_encoder()(input_ids=source, attention_mask=mask[:1]).last_hidden_state
                    enc_out = (enc.expand(args.options, -1, -1),)
                else:
                    enc_out = model.model.encoder(source, mask[:1]).expand(args.options, -1, -1)
                logits = model(encoder_outputs=enc_out, attention_mask=mask[:1].expand(args.options, -1),
                               decoder_input_ids=dec_in)["logits"]
                lp = logits.log_softmax(-1).gather(2, opt_labels.clamp(min=0).unsqueeze(2)).squeeze(2)
                return (lp * label_mask).sum(1)

            times = timed(score, args.warmup, args.gen_runs)
            out["score_options_per_s"] = round(args.options * len(times) / sum(times), 2)
            out["score_ms_all"] = [round(t * 1000, 1) for t in times]
            out["options"] = args.options
    print(json.dumps(out))


if __name__ == "__main__":
    main()
