"""Untied heads (issue 11, item 3): `tie_word_embeddings: false` as transformers 5 runs it — the
encoder's and the decoder's token tables and the LM head are their own tensors (model.shared.weight is
kept in the checkpoint but read by nothing) — both ways between transformers and dialtune.
"""
import json

import pytest
import torch
from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig

from conftest import TINY_STD02, TOKENIZER, dialtune, with_tokenizer
from hf_compare import check_model, load

TABLES = ["model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
          "lm_head.weight"]


def untied_config(work):
    config = json.loads((TINY_STD02 / "config.json").read_text())
    config["tie_word_embeddings"] = False
    path = work / "untied-config.json"
    path.write_text(json.dumps(config))
    return path


def test_an_untied_model_made_by_transformers_runs_the_same_in_dialtune(work, real_sources, real_option_sources):
    config = BartConfig.from_pretrained(TINY_STD02)
    config.tie_word_embeddings = False
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config)  # init_std 0.2: every table drawn on its own
    model.generation_config = GenerationConfig.from_pretrained(TINY_STD02)  # forced BOS/EOS, early stopping
    sd = model.state_dict()
    for a in TABLES:
        for b in TABLES:
            assert a == b or not torch.equal(sd[a], sd[b]), f"{a} and {b} are tied"
    out = work / "hf-untied"
    model.save_pretrained(out)
    with_tokenizer(out)
    check_model(out, real_sources, real_option_sources, work, "hf-untied")


@pytest.fixture(scope="module")
def dialtune_untied(work):
    out = work / "dl-untied"
    dialtune("model", "init", "--config", untied_config(work), "--tokenizer", TOKENIZER, "--seed", 9, "--out", out)
    return out


def test_an_untied_model_written_by_dialtune_loads_in_transformers(dialtune_untied, work, real_sources,
                                                                   real_option_sources):
    model = load(dialtune_untied)  # no missing or unexpected tensors
    assert model.config.tie_word_embeddings is False
    assert not torch.equal(model.lm_head.weight, model.model.shared.weight)
    assert not torch.equal(model.model.encoder.embed_tokens.weight, model.model.decoder.embed_tokens.weight)
    check_model(dialtune_untied, real_sources, real_option_sources, work, "dl-untied", settings=("beam4",))


def test_dialtune_trains_the_untied_head_and_transformers_runs_the_result(dialtune_untied, work, real_sources,
                                                                          real_option_sources):
    stage = work / "untied-stage.json"
    stage.write_text(json.dumps({"name": "untied", "tasks": ["meld-emotion"], "steps": 20,
                                 "batch": {"size": 4, "max_source_tokens": 96, "max_target_tokens": 16},
                                 "optimizer": {"lr": 1e-3}}))
    dialtune("train", "--model", dialtune_untied, "--stage", stage, "--out", work / "untied-train")
    trained_dir = work / "untied-train" / "01-untied" / "model"
    before, after = load(dialtune_untied), load(trained_dir)
    for name in TABLES[1:]:
        assert not torch.equal(before.state_dict()[name], after.state_dict()[name]), f"{name} was not trained"
    # transformers' encoder, decoder and head never read model.shared.weight when untied: it is not trained
    assert torch.equal(before.model.shared.weight, after.model.shared.weight)
    check_model(trained_dir, real_sources, real_option_sources, work, "dl-untied-trained", settings=("greedy",))
