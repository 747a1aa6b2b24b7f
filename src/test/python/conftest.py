"""Shared fixtures of the interop suite: where bin/dialtune, the data and the shared checkpoints are,
how to run dialtune, JSONL in and out, and the real sources every test file draws on.

Run the suite with src/test/python/run-interop (it builds the Python environment); see README.md,
"Interoperability with transformers". The expensive artefacts (converted sources, small checkpoints)
are session fixtures, made once and shared by the test files.
"""
import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DIALTUNE = ROOT / "bin" / "dialtune"
SHARED = Path(os.environ.get("DIALTUNE_SHARED", ROOT.parent / "shared")).resolve()
DATA = Path(os.environ.get("DIALTUNE_DATA", SHARED / "datasets")).resolve()
TOKENIZER = SHARED / "models" / "bart-tokenizer"
TINY = SHARED / "models" / "tiny-bart"
TINY_STD02 = SHARED / "models" / "tiny-bart-std0.2"


def dialtune(*args, timeout=600):
    """Runs bin/dialtune; returns its stderr, or fails the test with the command and its stderr."""
    cmd = [str(DIALTUNE), *map(str, args)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr[-4000:]}", pytrace=False)
    return r.stderr


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def with_tokenizer(model_dir):
    """Copies the shared BART tokenizer.json into a checkpoint directory (dialtune reads it from there)."""
    shutil.copy(TOKENIZER / "tokenizer.json", Path(model_dir) / "tokenizer.json")
    return Path(model_dir)


@pytest.fixture(scope="session", autouse=True)
def _prerequisites():
    if not (ROOT / "target" / "dialtune.jar").is_file():
        pytest.fail("bin/dialtune is not built: run 'mvn -B -q package -DskipTests' first", pytrace=False)
    for p in (TOKENIZER, TINY_STD02, DATA):
        if not p.exists():
            pytest.skip(f"shared material missing: {p} (set DIALTUNE_SHARED / DIALTUNE_DATA)")


@pytest.fixture(scope="session")
def work(tmp_path_factory):
    """A scratch directory for the whole session."""
    return tmp_path_factory.mktemp("interop")


@pytest.fixture(scope="session")
def converted(work):
    """Every task's test split as `dialtune convert` writes it (instructions on, seed 0): ~45k examples."""
    out = work / "all-test.jsonl"
    dialtune("convert", "--data", DATA, "--tasks", "all", "--split", "test", "--out", out)
    return read_jsonl(out)


@pytest.fixture(scope="session")
def real_sources(converted):
    """60 real sources, two from each of 30 tasks drawn with a fixed seed, as generate input."""
    by_task = {}
    for ex in converted:
        by_task.setdefault(ex["task"], []).append(ex)
    rnd = random.Random(11)
    tasks = sorted(by_task)
    rnd.shuffle(tasks)
    picked = []
    for t in sorted(tasks[:30]):
        picked += rnd.sample(by_task[t], 2)
    return [{"id": f"{ex['task']}/{ex['id']}", "source": ex["source"]} for ex in picked]


@pytest.fixture(scope="session")
def real_option_sources(converted):
    """60 real classification sources with their options (at most 12 options each), for rank."""
    rows = [ex for ex in converted if ex.get("options") and len(ex["options"]) <= 12]
    rnd = random.Random(12)
    picked = rnd.sample(rows, 60)
    return [{"id": f"{ex['task']}/{ex['id']}", "source": ex["source"], "options": ex["options"]} for ex in picked]
