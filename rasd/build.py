"""``rasd build``: wire the stages, account for every record, write the dataset atomically.

Stages are pure functions (:func:`rasd.ingest.to_article` does read → clean → date); this
module owns ordering, parallelism, progress, duplicate detection (which needs to see every
article) and the manifest. Every input record ends in exactly one place: kept, duplicate
(kept as a row with ``duplicate_of``), or quarantined with a reason.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from rasd import __version__, io, schema
from rasd.dedup import DuplicateIndex
from rasd.ingest import Article, to_article

#: Records handed to a worker at a time. Why: large enough to amortise pickling, small
#: enough that progress moves and memory stays bounded.
BATCH_SIZE = 256
#: Below this many records a process pool costs more than it saves.
MIN_RECORDS_FOR_POOL = 64


@dataclass
class BuildReport:
    """What a build did: counts that add up, timings, and where it wrote."""

    out_dir: Path
    counts: dict[str, Any]
    timings: dict[str, float]
    manifest: dict[str, Any] = field(default_factory=dict)


def _process(args: tuple[io.RawRecord, Mapping[str, str]]) -> Article | io.Rejected:
    record, mapping = args
    return to_article(record, mapping)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _article_id(article: Article, taken: set[str]) -> str:
    base = hashlib.sha256(article.identity.encode()).hexdigest()[:16]
    candidate, n = base, 1
    while candidate in taken:  # the same record given twice: ids stay unique and stable
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def build(
    inputs: list[Path],
    out_dir: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    workers: int | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> BuildReport:
    """Build a dataset from ``inputs`` into ``out_dir``.

    Args:
        inputs: files or directories (txt, jsonl/json, csv, parquet, html).
        out_dir: dataset directory, replaced atomically when the build succeeds.
        mapping: ``{field: column}`` overrides for input columns.
        workers: processes for cleaning (default: all cores).
        progress: wraps the record stream (e.g. a tqdm bar); identity by default.

    Raises:
        rasd.io.InputError: an input does not exist.
    """
    mapping = dict(mapping or {})
    timings: dict[str, float] = {}
    started = time.perf_counter()

    files, file_rejects = io.discover(inputs)
    timings["discover_s"] = time.perf_counter() - started

    rejected: list[io.Rejected] = []
    quarantine: list[dict[str, str]] = []

    def reject(item: io.Rejected) -> None:
        rejected.append(item)
        quarantine.append(
            {
                "source_ref": item.source_ref,
                "reason": item.reason,
                "detail": item.detail,
                "disposition": "rejected",
            }
        )

    for item in file_rejects:
        reject(item)
    records_per_file: Counter[str] = Counter()

    def records() -> Iterator[io.RawRecord]:
        for file in files:
            for item in io.read_records(file):
                records_per_file[str(file.path)] += 1
                if isinstance(item, io.Rejected):
                    reject(item)
                else:
                    yield item

    n_workers = max(1, workers or os.cpu_count() or 1)
    t0 = time.perf_counter()
    stream: Iterable[io.RawRecord] = records()
    if progress is not None:
        stream = progress(stream)

    rows: list[dict[str, Any]] = []
    index = DuplicateIndex()
    taken: set[str] = set()
    warnings: Counter[str] = Counter()
    dedup_s = 0.0

    def consume(results: Iterable[Article | io.Rejected]) -> None:
        nonlocal dedup_s
        for result in results:
            if isinstance(result, io.Rejected):
                reject(result)
                continue
            article_id = _article_id(result, taken)
            d0 = time.perf_counter()
            match = index.check(article_id, result.text)
            dedup_s += time.perf_counter() - d0
            for warning in result.warnings:
                warnings[warning.reason] += 1
                quarantine.append(
                    {
                        "source_ref": result.source_ref,
                        "reason": warning.reason,
                        "detail": warning.detail,
                        "disposition": "kept",
                    }
                )
            rows.append(
                {
                    "article_id": article_id,
                    "outlet_id": result.outlet_id,
                    "outlet": result.outlet,
                    "url": result.url,
                    "title": result.title,
                    "published_at": result.published_at,
                    "published_precision": result.published_precision,
                    "published_basis": result.published_basis,
                    "published_evidence": result.published_evidence,
                    "text": result.text,
                    "text_norm": result.text_norm,
                    "n_chars": len(result.text),
                    "duplicate_of": match.original_id if match else None,
                    "duplicate_kind": match.kind if match else None,
                    "duplicate_similarity": match.similarity if match else None,
                    "source_ref": result.source_ref,
                }
            )

    # Records are read lazily; a pool only pays off once there are enough of them.
    head = list(islice(stream, MIN_RECORDS_FOR_POOL))
    if n_workers == 1 or len(head) < MIN_RECORDS_FOR_POOL:
        consume(to_article(r, mapping) for r in head)
        consume(to_article(r, mapping) for r in stream)
    else:
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            consume(pool.map(_process, ((r, mapping) for r in head), chunksize=8))
            for batch in _batched(stream, BATCH_SIZE * n_workers):
                consume(
                    pool.map(_process, ((r, mapping) for r in batch), chunksize=BATCH_SIZE // 4)
                )
    timings["clean_s"] = time.perf_counter() - t0 - dedup_s
    timings["dedup_s"] = dedup_s

    file_level = {r.source_ref for r in file_rejects}
    by_reason = Counter(q["reason"] for q in quarantine if q["disposition"] == "rejected")
    duplicates = sum(1 for row in rows if row["duplicate_of"])
    counts: dict[str, Any] = {
        "read": len(rows) + len(rejected),
        "kept": len(rows) - duplicates,
        "duplicates": duplicates,
        "quarantined": len(rejected),
        "quarantined_by_reason": dict(sorted(by_reason.items())),
        "kept_with_warnings_by_reason": dict(sorted(warnings.items())),
        "article_rows": len(rows),
    }
    assert counts["read"] == counts["kept"] + counts["duplicates"] + counts["quarantined"]

    t1 = time.perf_counter()
    tables = {
        "articles": pa.Table.from_pylist(rows, schema=schema.ARTICLES),
        "entities": schema.ENTITIES.empty_table(),
        "mentions": schema.MENTIONS.empty_table(),
        "events": schema.EVENTS.empty_table(),
        "quarantine": pa.Table.from_pylist(quarantine, schema=schema.QUARANTINE),
    }
    dataset_hash = hashlib.sha256()
    dataset_hash.update(str(schema.SCHEMA_VERSION).encode())
    for row in rows:
        dataset_hash.update(
            f"{row['article_id']}|{row['duplicate_of']}|{row['published_at']}".encode()
        )
    for file in files:
        dataset_hash.update(file.sha256.encode())
    manifest: dict[str, Any] = {
        "schema_version": schema.SCHEMA_VERSION,
        "dataset_id": dataset_hash.hexdigest()[:12],
        "rasd_version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": [
            {
                "path": str(file.path),
                "kind": file.kind,
                "bytes": file.bytes,
                "sha256": file.sha256,
                "records": records_per_file.get(str(file.path), 0),
            }
            for file in files
        ]
        + [{"path": ref, "kind": "unsupported", "records": 1} for ref in sorted(file_level)],
        "options": {"map": mapping, "workers": n_workers},
        "counts": counts,
        "stages": {
            "clean": "built",
            "dedup": "built",
            "entities": "not built yet (entities.parquet and mentions.parquet are empty)",
            "events": "not built yet (events.parquet is empty)",
        },
        "timings": {},
    }
    timings["write_s"] = time.perf_counter() - t1
    timings["total_s"] = time.perf_counter() - started
    manifest["timings"] = {k: round(v, 4) for k, v in timings.items()}
    io.write_dataset(out_dir, tables, manifest)
    return BuildReport(out_dir=out_dir, counts=counts, timings=timings, manifest=manifest)


def default_progress(quiet: bool) -> Callable[[Iterable[Any]], Iterable[Any]] | None:
    """A tqdm bar on an interactive terminal, nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda it: tqdm(it, unit=" records", desc="rasd build", file=sys.stderr)
