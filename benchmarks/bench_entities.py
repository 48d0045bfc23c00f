"""Throughput of entity extraction (``rasd.entities.extract_mentions``) on one core.

    .venv/bin/python benchmarks/bench_entities.py            # 10,000 articles, 3 runs
    .venv/bin/python benchmarks/bench_entities.py --n 20000 --runs 5

The corpus is synthetic and deterministic: paragraphs of the five seed articles
(``tests/golden/clean``) with every golden entity span replaced by a random surface of the
same type (gazetteer names, aliases, demonyms and invented people behind titles), stitched
to about 1,700 characters per article. Prints the median of the runs, the matcher's build
time and resident memory, and the machine's core count. Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd import entities  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
TARGET_CHARS = 1_700
INVENTED_PEOPLE = [
    "ماركوس ليندبرغ",
    "أوليفر هانسن",
    "سامي الحداد",
    "تشين وي مينغ",
    "دانييلا روسي",
    "كوفي منساه",
    "إيلينا بتروفا",
    "بارك سو يونغ",
]


def _pools() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    for record in entities.gazetteer_records().values():
        pools.setdefault(record.type, []).append(record.name_ar)
        pools[record.type].extend(record.aliases[:3])
    pools["PERSON"].extend(f"الوزير {name}" for name in INVENTED_PEOPLE)
    return pools


def make_corpus(n: int, seed: int = 7) -> list[str]:
    """``n`` synthetic articles of about 1,700 characters."""
    rng = random.Random(seed)
    golden = json.loads((GOLDEN / "entities.json").read_text(encoding="utf-8"))["articles"]
    pools = _pools()
    paragraphs: list[str] = []
    for article_id, spans in golden.items():
        text = (GOLDEN / "clean" / f"{article_id}.txt").read_text(encoding="utf-8")
        pieces, cursor = [], 0
        for span in sorted(spans, key=lambda s: s["start"]):
            pieces.append(text[cursor : span["start"]])
            pieces.append("\x00" + span["type"] + "\x00")
            cursor = span["end"]
        pieces.append(text[cursor:])
        paragraphs.extend(p for p in "".join(pieces).split("\n") if p.strip())
    corpus = []
    for _ in range(n):
        chosen: list[str] = []
        size = 0
        while size < TARGET_CHARS:
            template = rng.choice(paragraphs)
            parts = template.split("\x00")
            filled = "".join(
                rng.choice(pools[part]) if i % 2 else part for i, part in enumerate(parts)
            )
            chosen.append(filled)
            size += len(filled) + 1
        corpus.append("\n".join(chosen)[: TARGET_CHARS + 200])
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description="entity extraction throughput")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    entities.use_gazetteer(None)
    matcher = entities._matcher()
    build_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    corpus = make_corpus(args.n)
    chars = sum(len(t) for t in corpus)

    # CPU time of this process is the "one core" figure; wall time is shown too, since on
    # a shared machine other processes stretch it.
    timings: list[float] = []
    walls: list[float] = []
    n_mentions = 0
    for _ in range(args.runs):
        started, wall = time.process_time(), time.perf_counter()
        n_mentions = 0
        for text in corpus:
            n_mentions += len(entities.extract_mentions(text)[0])
        timings.append(time.process_time() - started)
        walls.append(time.perf_counter() - wall)
    median = statistics.median(timings)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"articles: {len(corpus):,} (mean {chars / len(corpus):,.0f} chars), mentions per run: {n_mentions:,}"
    )
    print(
        f"gazetteer keys: {len(matcher.automaton):,}; matcher build {build_s * 1000:.0f} ms, "
        f"max RSS growth {(rss_after - rss_before) / 1024:.1f} MiB"
    )
    print("runs, CPU s: " + ", ".join(f"{t:.2f}" for t in timings))
    print("runs, wall s: " + ", ".join(f"{t:.2f}" for t in walls))
    best = min(timings)
    print(
        f"best run: {len(corpus) / best:,.0f} articles/s, {n_mentions / best:,.0f} mentions/s "
        "per CPU-second (the least disturbed run on a shared machine)"
    )
    print(
        f"median: {len(corpus) / median:,.0f} articles/s, {n_mentions / median:,.0f} mentions/s "
        f"per CPU-second on one core (wall: {len(corpus) / statistics.median(walls):,.0f} "
        f"articles/s; machine has {cores} cores available)"
    )


if __name__ == "__main__":
    main()
