"""Checkpoints both ways (issue 11, item 2).

(a) Models written by dialtune (`model init`, and `train` for 300 steps on two real tasks) load in
transformers with from_pretrained and give the same greedy and 4-beam outputs as `dialtune generate` on
60 real sources, and option log-likelihoods within 1e-4 of `dialtune rank`.
(b) Checkpoints written by transformers' save_pretrained in float32, float16, bfloat16 and sharded
load in dialtune with the same outputs (half precision against transformers running the same rounded
weights in float32, since dialtune computes in float32).
"""
import json

import pytest
import torch

from conftest import TINY_STD02, dialtune, with_tokenizer
from hf_compare import check_model, load

TRAIN_STAGE = {
    "name": "interop", "tasks": ["dialogsum-summarization", "banking77-intent"], "steps": 300, "seed": 3,
    "batch": {"size": 8, "max_source_tokens": 128, "max_target_tokens": 32},
    "optimizer": {"lr": 1e-3}, "schedule": {"kind": "linear", "warmup_steps": 30},
}


@pytest.fixture(scope="module")
def initialised(work):
    """`dialtune model init` of tiny-bart-std0.2's config: weights N(0, 0.2), so outputs depend on the input."""
    out = work / "init"
    dialtune("model", "init", "--config", TINY_STD02 / "config.json", "--tokenizer", TINY_STD02.parent / "bart-tokenizer",
             "--seed", 7, "--out", out)
    return out


@pytest.fixture(scope="module")
def trained(work, initialised):
    stage = work / "stage.json"
    stage.write_text(json.dumps(TRAIN_STAGE))
    dialtune("train", "--model", initialised, "--stage", stage, "--out", work / "train", "--log-every", 100)
    return work / "train" / "01-interop" / "model"


def test_a_model_from_model_init_loads_in_transformers_with_the_same_outputs(initialised, real_sources,
                                                                             real_option_sources, work):
    worst = check_model(initialised, real_sources, real_option_sources, work, "init")
    print(f"model init: largest log-likelihood difference {worst:.2e}")


def test_a_model_trained_by_dialtune_loads_in_transformers_with_the_same_outputs(trained, initialised, real_sources,
                                                                                  real_option_sources, work):
    before, after = load(initialised), load(trained)
    assert not torch.equal(before.model.shared.weight, after.model.shared.weight), "training changed nothing"
    worst = check_model(trained, real_sources, real_option_sources, work, "trained")
    print(f"trained: largest log-likelihood difference {worst:.2e}")


def test_outputs_depend_on_the_input(trained, initialised, work):
    """Guards the comparisons above against a degenerate model that says the same thing to every input."""
    from conftest import read_jsonl
    for tag in ("init", "trained"):
        texts = {tuple(r["ids"]) for r in read_jsonl(work / f"{tag}-greedy.jsonl")}
        assert len(texts) >= 10, f"{tag}: only {len(texts)} different greedy outputs for 60 sources"


@pytest.fixture(scope="module")
def saved_by_transformers(work):
    """tiny-bart-std0.2 written back by save_pretrained in four forms."""
    forms = {}
    for name, dtype, shard in [("f32", torch.float32, None), ("f16", torch.float16, None),
                               ("bf16", torch.bfloat16, None), ("sharded", torch.float32, "2MB")]:
        out = work / f"hf-{name}"
        m = load(TINY_STD02).to(dtype)
        m.save_pretrained(out, **({"max_shard_size": shard} if shard else {}))
        forms[name] = with_tokenizer(out)
    assert (forms["sharded"] / "model.safetensors.index.json").is_file()
    assert len(list(forms["sharded"].glob("model-*.safetensors"))) >= 2
    return forms


@pytest.mark.parametrize("form", ["f32", "f16", "bf16", "sharded"])
def test_checkpoints_saved_by_transformers_load_in_dialtune_with_the_same_outputs(form, saved_by_transformers,
                                                                                  real_sources, real_option_sources,
                                                                                  work):
    d = saved_by_transformers[form]
    header = json.loads((d / "model.safetensors").read_bytes()[8:8 + int.from_bytes(
        (d / "model.safetensors").read_bytes()[:8], "little")]) if form != "sharded" else None
    if header is not None:
        want = {"f32": "F32", "f16": "F16", "bf16": "BF16"}[form]
        assert {v["dtype"] for k, v in header.items() if k != "__metadata__"} == {want}
    # transformers loads the same files in float32: the rounded weights, widened
    check_model(d, real_sources, real_option_sources, work, f"hf-{form}")
