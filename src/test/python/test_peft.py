"""LoRA adapters in PEFT's format, both ways (issue 13, item 2), against peft 0.21 itself.

(a) For BART and T5: an adapter trained by a dialtune LoRA stage loads with PeftModel.from_pretrained;
PEFT saving it again writes the same adapter_config.json and tensors; the adapted model gives the same
greedy and 4-beam outputs and option log-likelihoods in transformers+PEFT as `dialtune generate|rank
--adapter`; `dialtune model merge` writes PEFT's merge_and_unload weights, and the merged model gives
the unmerged one's outputs.
(b) A LoRA that PEFT initialised (random A and B), given to a dialtune stage (`"lora": {"init": DIR}`),
trains as PEFT + torch AdamW train it on the same batches: losses, gradient norms and the adapter.

peft 0.21's PeftModelForSeq2SeqLM does not construct under transformers 5.18 (it looks for the removed
_prepare_encoder_decoder_kwargs_for_generation): the adapters' config has no task_type, so PEFT builds a
plain PeftModel, which injects the same LoRA layers into the base model in place; generation runs on it.
"""
import json

import pytest
import torch
from peft import LoraConfig, PeftModel, get_peft_model
from peft.utils import get_peft_model_state_dict
from safetensors.torch import load_file

import hf_compare as bart
import test_t5 as t5
from conftest import TINY_STD02, dialtune, read_jsonl, write_jsonl
from test_training_vs_transformers import (hf_model, hf_tokenizer, init_model, optimizer, rel, schedule, tensors,
                                           tiny_config, train)
from transformers.loss.loss_utils import ForMaskedLMLoss
from transformers.models.bart.modeling_bart import shift_tokens_right

STAGE = {"steps": 40, "seed": 5, "instructions": "on",
         "batch": {"size": 8, "max_source_tokens": 128, "max_target_tokens": 32},
         "optimizer": {"lr": 1e-2}, "schedule": {"kind": "constant"}}
FAMILIES = {
    "bart": {"targets": ["q_proj", "v_proj", "out_proj", "fc1"], "compare": bart},
    "t5": {"targets": ["q", "v", "wi_0", "wo"], "compare": t5},
}


@pytest.fixture(scope="module")
def bases(work):
    """BART: `model init` of tiny-bart-std0.2's config (outputs depend on the input); T5: the v1.1 test checkpoint."""
    out = work / "peft-bart-base"
    dialtune("model", "init", "--config", TINY_STD02 / "config.json", "--tokenizer", TINY_STD02.parent / "bart-tokenizer",
             "--seed", 7, "--out", out)
    return {"bart": out, "t5": t5.T5_DIR / "t5-v1_1"}


@pytest.fixture(scope="module")
def adapters(work, bases):
    """A LoRA stage (r 4, alpha 8, dropout 0.1) of 40 steps on two real tasks, per family: its adapter directory."""
    out = {}
    for family, f in FAMILIES.items():
        stage = dict(STAGE, name=f"lora-{family}", tasks=["banking77-intent", "dialogsum-summarization"],
                     method={"kind": "lora", "lora": {"r": 4, "alpha": 8, "dropout": 0.1, "targets": f["targets"]}})
        (work / f"lora-{family}.json").write_text(json.dumps(stage))
        dialtune("train", "--model", bases[family], "--stage", work / f"lora-{family}.json", "--out",
                 work / f"lora-{family}", "--log-every", 100)
        out[family] = work / f"lora-{family}" / f"01-lora-{family}" / "adapter"
    return out


def peft_model(family, base_dir, adapter):
    """transformers' model with PEFT's LoRA layers injected from `adapter` (eval mode)."""
    base = FAMILIES[family]["compare"].load(base_dir)
    return base, PeftModel.from_pretrained(base, str(adapter)).eval()


def run_dialtune(command, family, model_dir, rows, work, tag, setting=None, adapter=None):
    """`dialtune generate` (setting) or `dialtune rank` on rows, with --adapter if given."""
    inp = write_jsonl(work / f"{tag}-in.jsonl", rows)
    out = work / f"{tag}-{setting or 'rank'}.jsonl"
    args = [command, "--model", model_dir, "--input", inp, "--out", out, *(["--adapter", adapter] if adapter else [])]
    if setting:
        s = FAMILIES[family]["compare"].SETTINGS[setting]
        args += ["--batch-size", 8, "--num-beams", s["num_beams"], "--max-new-tokens", s["max_new_tokens"],
                 "--min-length", s["min_length"], "--no-repeat-ngram-size", s["no_repeat_ngram_size"],
                 *(["--length-penalty", s["length_penalty"]] if "length_penalty" in s else [])]
    dialtune(*args)
    return read_jsonl(out)


def hf_generate(family, model, tok, rows, setting, base_dir):
    if family == "bart":
        return bart.hf_generate(model, tok, rows, setting, base_dir)
    # with PEFT's layers in, transformers fills the finished rows of a batch with </s> (1) rather than pad (0):
    # the same outputs, padded otherwise; test_t5's comparison expects pad
    out = []
    for ids, score in t5.hf_generate(model, tok, rows, setting):
        end = ids.index(1, 1) + 1 if 1 in ids[1:] else len(ids)
        assert all(t in (0, 1) for t in ids[end:]), ids
        out.append((ids[:end] + [0] * (len(ids) - end), score))
    return out


def inputs(family, real_sources, real_option_sources):
    """24 real sources and option rows (cut to 400 characters for the T5 checkpoint, as test_t5 does)."""
    cut = 400 if family == "t5" else None
    return ([dict(s, source=s["source"][:cut]) for s in real_sources[:24]],
            [dict(r, source=r["source"][:cut]) for r in real_option_sources[:24]])


@pytest.mark.parametrize("family", ["bart", "t5"])
def test_a_dialtune_adapter_is_peft_s_format_with_peft_s_outputs(family, bases, adapters, real_sources,
                                                                  real_option_sources, work):
    base_dir, adapter = bases[family], adapters[family]
    config = json.loads((adapter / "adapter_config.json").read_text())
    assert config["r"] == 4 and config["lora_alpha"] == 8 and config["task_type"] is None, config
    base, pm = peft_model(family, base_dir, adapter)
    ours = load_file(adapter / "adapter_model.safetensors")
    theirs = get_peft_model_state_dict(pm)
    assert sorted(ours) == sorted(theirs) and len(ours) >= 8, (sorted(ours)[:4], sorted(theirs)[:4])
    assert all(torch.equal(ours[k], theirs[k]) for k in ours), "PEFT loaded other values"
    assert any(float(ours[k].abs().max()) > 1e-3 for k in ours if "lora_B" in k), "training left B at zero"
    # PEFT writing the loaded adapter again gives our files: every config field, every tensor
    pm.save_pretrained(work / f"resaved-{family}")
    again = json.loads((work / f"resaved-{family}" / "adapter_config.json").read_text())
    again["target_modules"] = sorted(again["target_modules"])  # a set in PEFT: its order varies by process
    assert again == config
    resaved = load_file(work / f"resaved-{family}" / "adapter_model.safetensors")
    assert sorted(resaved) == sorted(ours) and all(torch.equal(resaved[k], ours[k]) for k in ours)

    sources, option_rows = inputs(family, real_sources, real_option_sources)
    compare = FAMILIES[family]["compare"]
    tok = compare.tokenizer() if family == "bart" else t5.tokenizer(base_dir)
    for setting in ("greedy", "beam4"):
        dl = run_dialtune("generate", family, base_dir, sources, work, f"peft-{family}", setting, adapter)
        compare.assert_same_generations(dl, hf_generate(family, base, tok, sources, setting, base_dir))
    plain = run_dialtune("generate", family, base_dir, sources, work, f"base-{family}", "greedy")
    adapted = read_jsonl(work / f"peft-{family}-greedy.jsonl")
    changed = sum(a["ids"] != p["ids"] for a, p in zip(adapted, plain))
    assert changed >= 4, f"the adapter changed only {changed} of {len(plain)} greedy outputs: the comparison proves little"
    dl = run_dialtune("rank", family, base_dir, option_rows, work, f"peft-{family}", adapter=adapter)
    hf = compare.hf_rank(base, tok, option_rows)
    worst = max(abs(a - b) / max(1.0, abs(b) / 10) for d, h in zip(dl, hf) for a, b in zip(d["scores"], h))
    assert worst <= 1e-4, f"largest log-likelihood difference {worst} (scaled as test_t5)"

    # merged = unmerged: PEFT's merge_and_unload weights, and the unmerged model's outputs
    merged = work / f"merged-{family}"
    dialtune("model", "merge", "--model", base_dir, "--adapter", adapter, "--out", merged)
    peft_merged = pm.merge_and_unload().state_dict()
    ours_merged = load_file(merged / "model.safetensors")
    for name, w in ours_merged.items():
        assert float((w - peft_merged[name]).abs().max()) <= 1e-6, name
    for setting in ("greedy", "beam4"):
        m = run_dialtune("generate", family, merged, sources, work, f"merged-{family}", setting)
        u = read_jsonl(work / f"peft-{family}-{setting}.jsonl")
        assert [r["ids"] for r in m] == [r["ids"] for r in u], f"{setting}: merged and unmerged outputs differ"
    m = run_dialtune("rank", family, merged, option_rows, work, f"merged-{family}")
    assert max(abs(a - b) for x, y in zip(m, dl) for a, b in zip(x["scores"], y["scores"])) <= 1e-4
    print(f"{family}: {changed} of {len(plain)} greedy outputs changed by the adapter; log-likelihoods within {worst:.1e}")


def peft_replay(init, adapter, steps, stage):
    """PEFT + torch: the BART from `init` with the adapter PEFT wrote, trained on dialtune's recorded batches
    with torch.optim.AdamW (Trainer's decay groups), the stage's schedule and clipping. Returns (model, history)."""
    base = hf_model(init)
    pm = PeftModel.from_pretrained(base, str(adapter), is_trainable=True)
    pm.train()
    tok, cfg = hf_tokenizer(init), base.config
    opt, history = optimizer(pm, stage), []
    sched = schedule(opt, stage)
    for micro_batches in steps:
        (ids, mask, labels), = [tensors(tok, m, stage) for m in micro_batches]
        dec = shift_tokens_right(labels, cfg.pad_token_id, cfg.decoder_start_token_id)
        loss = ForMaskedLMLoss(base(input_ids=ids, attention_mask=mask, decoder_input_ids=dec).logits, labels,
                               cfg.vocab_size, num_items_in_batch=int((labels != -100).sum()))
        loss.backward()
        trainable = [p for p in pm.parameters() if p.requires_grad]
        grad_norm = float(torch.nn.utils.clip_grad_norm_(trainable, stage["optimizer"]["clip_norm"]))
        history.append((loss.item(), grad_norm))
        opt.step()
        sched.step()
        opt.zero_grad()
    return pm, history


def test_a_peft_initialised_lora_trains_in_dialtune_as_in_peft(tmp_path):
    init = init_model(tmp_path, tiny_config(0.0))
    torch.manual_seed(4)
    # init_lora_weights=False: A and B both random (B is zero by default, and A then gets no gradient at first)
    pm = get_peft_model(hf_model(init), LoraConfig(r=4, lora_alpha=16, lora_dropout=0.0, init_lora_weights=False,
                                                   target_modules=["q_proj", "v_proj", "fc2"]))
    pm.save_pretrained(tmp_path / "peft-init")
    stage = {"name": "peft", "tasks": ["dialogsum-summarization"], "steps": 3, "seed": 3,
             "batch": {"size": 4, "max_source_tokens": 64, "max_target_tokens": 24},
             "optimizer": {"lr": 3e-3, "weight_decay": 0.1, "clip_norm": 1.0},
             "schedule": {"kind": "constant", "warmup_steps": 0},
             "method": {"kind": "lora", "lora": {"init": str(tmp_path / "peft-init")}}}
    (log, steps, stage_dir), = train(tmp_path, init, stage).values()
    assert [r["global_step"] for r in log] == [1, 2, 3]
    model, history = peft_replay(init, tmp_path / "peft-init", steps, stage)
    for r, (loss, gn) in zip(log, history):
        assert rel(r["loss"], loss) <= 1e-4 and rel(r["grad_norm"], gn) <= 1e-4, (r, loss, gn)
    ours = load_file(stage_dir / "adapter" / "adapter_model.safetensors")
    theirs = get_peft_model_state_dict(model)
    start = load_file(tmp_path / "peft-init" / "adapter_model.safetensors")
    # A and B of q, v, fc2 in 2 encoder layers and of q, v (self and cross), fc2 in 2 decoder layers
    assert sorted(ours) == sorted(theirs) and len(ours) == 2 * (2 * 3 + 2 * 5)
    worst = max(float((ours[k] - theirs[k]).abs().max() / theirs[k].abs().max()) for k in ours)
    moved = min(float((theirs[k] - start[k]).abs().max()) for k in ours)
    print(f"\nPEFT-initialised LoRA, 3 steps: losses {[round(h[0], 4) for h in history]}, largest relative adapter "
          f"difference {worst:.2e}, smallest change from the start {moved:.2e}")
    assert moved > 1e-4, "every adapter tensor should have moved"
    assert worst <= 1e-4
