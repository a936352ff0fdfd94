"""Precision and recall per type of learning/textcheck over the labelled corpus, and the time of a 10 kB text.

    .venv/bin/python bench/textcheck.py [--runs 50] [--misses TYPE]

Prints Markdown tables. A gold span is found when a finding of the same type overlaps it ("overlap"), or
has exactly its start and end ("exact"); a finding is correct when it overlaps a gold span of its type.
The targets are those of issue 20; tests/textcheck/test_corpus_quality.py fails when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from learning.textcheck.analyzer import TYPES, analyze  # noqa: E402

CORPUS = ROOT / "bench" / "textcheck" / "corpus"
RECALL_TARGETS = {"cccd": 0.95, "phone": 0.95, "email": 0.95, "bank_account": 0.95, "card": 0.95,
                  "person_name": 0.85, "address": 0.85}
PRECISION_TARGET = 0.90
TIME_TARGET_MS = 50.0


def load() -> list[dict]:
    records = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return records


def overlaps(a: dict, b: dict) -> bool:
    return a["type"] == b["type"] and a["start"] < b["end"] and b["start"] < a["end"]


def evaluate(records: list[dict]) -> dict:
    """Counts per type: gold, found (overlap), exact, predicted, correct; and the misses for reading."""
    stats = {t: Counter() for t in TYPES}
    misses: list[tuple[str, str, str, str]] = []  # (kind, type, record id, text)
    for record in records:
        text = record["text"]
        predicted = [f.as_dict() for f in analyze(text).findings]
        for gold in record["spans"]:
            s = stats[gold["type"]]
            s["gold"] += 1
            hit = [p for p in predicted if overlaps(p, gold)]
            s["found"] += bool(hit)
            s["exact"] += any(p["start"] == gold["start"] and p["end"] == gold["end"] for p in hit)
            if not hit:
                misses.append(("missed", gold["type"], record["id"], text[gold["start"]:gold["end"]]))
            elif not any(p["start"] == gold["start"] and p["end"] == gold["end"] for p in hit):
                misses.append(("boundary", gold["type"], record["id"],
                               f"{text[gold['start']:gold['end']]!r} ≠ {hit[0]['text']!r}"))
        for p in predicted:
            s = stats[p["type"]]
            s["predicted"] += 1
            if any(overlaps(p, gold) for gold in record["spans"]):
                s["correct"] += 1
            else:
                misses.append(("false", p["type"], record["id"], p["text"]))
    return {"stats": stats, "misses": misses}


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def shortfalls(stats: dict) -> list[str]:
    """The targets the corpus run misses, as sentences (empty when all are met)."""
    out = []
    for kind, target in RECALL_TARGETS.items():
        recall = ratio(stats[kind]["found"], stats[kind]["gold"])
        if recall is None or recall < target:
            out.append(f"recall {kind} = {recall} < {target}")
    total = sum(stats.values(), Counter())
    precision = ratio(total["correct"], total["predicted"])
    if precision is None or precision < PRECISION_TARGET:
        out.append(f"precision overall = {precision} < {PRECISION_TARGET}")
    return out


def ten_kb_text(records: list[dict]) -> str:
    pieces, size = [], 0
    for record in records[::7]:
        pieces.append(record["text"])
        size += len(record["text"].encode()) + 2
        if size >= 10_240:
            break
    text = "\n\n".join(pieces)
    return text.encode()[:10_240].decode(errors="ignore")


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(stats: dict) -> str:
    lines = ["| type | gold | found | recall (overlap) | recall (exact) | predicted | precision | target |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for kind in TYPES:
        s = stats[kind]
        target = f"recall ≥ {RECALL_TARGETS[kind]}" if kind in RECALL_TARGETS else ""
        lines.append(f"| {kind} | {s['gold']} | {s['found']} | {fmt(ratio(s['found'], s['gold']))} | "
                     f"{fmt(ratio(s['exact'], s['gold']))} | {s['predicted']} | "
                     f"{fmt(ratio(s['correct'], s['predicted']))} | {target} |")
    total = sum(stats.values(), Counter())
    lines.append(f"| **all** | {total['gold']} | {total['found']} | {fmt(ratio(total['found'], total['gold']))} | "
                 f"{fmt(ratio(total['exact'], total['gold']))} | {total['predicted']} | "
                 f"{fmt(ratio(total['correct'], total['predicted']))} | precision ≥ {PRECISION_TARGET} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="runs of the 10 kB text (median)")
    parser.add_argument("--misses", nargs="*", metavar="TYPE", help="list misses/false findings (of TYPEs)")
    args = parser.parse_args()
    records = load()
    result = evaluate(records)
    genres = Counter(r["genre"] for r in records)
    print(f"**Date**: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · **machine**: {os.cpu_count()} cores, "
          f"Python {platform.python_version()} · load average {os.getloadavg()[0]:.2f}\n")
    print(f"Corpus: {len(records)} texts ({', '.join(f'{g} {n}' for g, n in sorted(genres.items()))}); "
          f"{sum(1 for r in records if r['id'].startswith('hw-'))} hand-written.\n")
    print(table(result["stats"]))
    hand = [r for r in records if r["id"].startswith("hw-")]
    print(f"\nThe {len(hand)} hand-written texts alone (written apart from the templates; fewer spans per type):\n")
    print(table(evaluate(hand)["stats"]))
    text = ten_kb_text(records)
    analyze(text)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        analyze(text)
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    print(f"\n| timing | value | target |\n|---|---:|---|\n| 10 kB text ({len(text.encode()):,} bytes, "
          f"{len(text):,} characters), median of {args.runs} | {median:.1f} ms | ≤ {TIME_TARGET_MS:.0f} ms |\n"
          f"| the same, slowest run | {max(times):.1f} ms | |")
    missed = shortfalls(result["stats"]) + ([f"10 kB median {median:.1f} ms"] if median > TIME_TARGET_MS else [])
    print("\nTargets: " + ("all met." if not missed else "MISSED: " + "; ".join(missed)))
    if args.misses is not None:
        print()
        for kind, type_, ident, what in result["misses"]:
            if not args.misses or type_ in args.misses:
                print(f"- {kind} {type_} {ident}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
