"""The labelled corpus of bench/textcheck/corpus meets the targets of issue 20 (timing stays in bench/)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_textcheck", ROOT / "bench" / "textcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_is_large_enough_and_reproducible(bench):
    records = bench.load()
    assert len(records) >= 300
    assert sum(1 for r in records if r["id"].startswith("hw-")) >= 40
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "textcheck_corpus.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_spans_are_valid(bench):
    from learning.textcheck.analyzer import TYPES

    for record in bench.load():
        for span in record["spans"]:
            assert span["type"] in TYPES, record["id"]
            assert 0 <= span["start"] < span["end"] <= len(record["text"]), record["id"]
            assert record["text"][span["start"]:span["end"]].strip(), record["id"]


def test_targets_are_met(bench):
    stats = bench.evaluate(bench.load())["stats"]
    assert bench.shortfalls(stats) == []


def test_shortfalls_reports_a_missed_target(bench):
    # the check itself can fail: a corpus whose phone spans are all missed
    records = [{"id": "x", "genre": "zalo", "text": "abc 123", "spans": [{"type": "phone", "start": 0, "end": 3}]}]
    assert any(s.startswith("recall phone") for s in bench.shortfalls(bench.evaluate(records)["stats"]))
