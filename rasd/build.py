"""``rasd build``: wire the stages, account for every record, write the dataset atomically.

Per record, in worker processes: read → clean → date → fingerprint (pure functions). In this
process, in input order: stable ids, staging rows streamed to Parquet in bounded batches.
Then one DuckDB pass over the staged Parquet finds duplicates and writes the final tables
into a temporary directory that replaces the output only when complete.

Every input record ends in exactly one place: kept, duplicate (kept as a row with
``duplicate_of``), or quarantined with a reason.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from rasd import __version__, io, schema
from rasd.dedup import BANDS, Fingerprint, find_duplicates, fingerprint
from rasd.entities import EntityRecord, Mention, extract_mentions, gazetteer_records, near_misses
from rasd.event_clusters import cluster_table
from rasd.events import EventMention, evidence_keys, extract_events
from rasd.ingest import Article, to_article

#: Records handed to the pool at a time. Why: large enough to amortise pickling, small
#: enough that progress moves and memory stays bounded.
BATCH_SIZE = 256
#: Below this many records a process pool costs more than it saves.
MIN_RECORDS_FOR_POOL = 64
#: Rows buffered per staging table before a Parquet row group is written.
FLUSH_ROWS = 4096
#: DuckDB's working memory for the final pass; it spills to disk beyond this.
DUCKDB_MEMORY = "1GB"

_STAGE_ARTICLES = pa.schema(
    [f for f in schema.ARTICLES if not f.name.startswith("duplicate_")]
    + [pa.field("_source_file", pa.string()), pa.field("_record_no", pa.int64())]
)
_FINGERPRINTS = pa.schema(
    [
        ("article_id", pa.string()),
        ("digest", pa.string()),
        ("signature", pa.binary()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("band_keys", pa.list_(pa.int64())),
        ("_source_file", pa.string()),
        ("_record_no", pa.int64()),
    ]
)
#: Where a dataset keeps what an incremental build needs (fingerprints, input order).
STATE_DIR = "_state"
#: Staged event mentions carry the clustering keys of their evidence (computed by the
#: workers); the final events table does not.
_STAGE_EVENTS = schema.EVENTS.append(pa.field("evidence_keys", pa.list_(pa.string())))


#: Near-miss spellings listed in the manifest for a human to curate (the first this many).
MAX_NEAR_MISSES = 200


@dataclass
class Analysed:
    """Everything the workers learn about one kept record."""

    article: Article
    fingerprint: Fingerprint
    mentions: list[Mention]
    found_entities: list[EntityRecord]
    events: list[EventMention]
    event_keys: list[list[str]]


_TYPES: dict[str, str] = {}


def _entity_types() -> dict[str, str]:
    # Built once per process from the gazetteer; rule-found persons are added per article.
    if not _TYPES:
        _TYPES.update({eid: rec.type for eid, rec in gazetteer_records().items()})
    return _TYPES


@dataclass
class BuildReport:
    """What a build did: counts that add up, timings, and where it wrote."""

    out_dir: Path
    counts: dict[str, Any]
    timings: dict[str, float]
    manifest: dict[str, Any] = field(default_factory=dict)


def analyse(record: io.RawRecord, mapping: Mapping[str, str]) -> Analysed | io.Rejected:
    """The per-record stages: clean, date, fingerprint. Pure; runs in worker processes."""
    article = to_article(record, mapping)
    if isinstance(article, io.Rejected):
        return article
    mentions, found = extract_mentions(article.text)
    types = _entity_types()
    if found:
        types = {**types, **{r.entity_id: r.type for r in found}}
    # Relative dates (اليوم، أمس) resolve against the publication day only when it is known
    # to the day; a month-precise date would invent the day.
    dct = (
        article.published_at.date()
        if article.published_at is not None and article.published_precision == "day"
        else None
    )
    events = extract_events(article.text, mentions, dct=dct, entity_types=types)
    keys_of: dict[str, list[str]] = {}  # one sentence often reports several event types
    for e in events:
        if e.evidence not in keys_of:
            keys_of[e.evidence] = evidence_keys(e.evidence)
    keys = [keys_of[e.evidence] for e in events]
    return Analysed(article, fingerprint(article.text), mentions, found, events, keys)


def _analyse_packed(args: tuple[io.RawRecord, Mapping[str, str]]) -> Analysed | io.Rejected:
    return analyse(*args)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _StageWriter:
    """Buffers rows of one table and writes them as Parquet row groups."""

    def __init__(self, path: Path, table_schema: pa.Schema) -> None:
        self.path = path
        self.schema = table_schema
        self.rows: list[dict[str, Any]] = []
        self.writer = pq.ParquetWriter(path, table_schema, compression="zstd")
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.count += len(self.rows)
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def _article_id(article: Article, taken: set[str]) -> str:
    base = hashlib.sha256(article.identity.encode()).hexdigest()[:16]
    candidate, n = base, 1
    while candidate in taken:  # the same record given twice: ids stay unique and stable
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


class _Run:
    """State of one build between reading and the final pass."""

    def __init__(self, stage: Path) -> None:
        self.articles = _StageWriter(stage / "articles.parquet", _STAGE_ARTICLES)
        self.fingerprints = _StageWriter(stage / "fingerprints.parquet", _FINGERPRINTS)
        self.mentions = _StageWriter(stage / "mentions.parquet", schema.MENTIONS)
        self.events = _StageWriter(stage / "events.parquet", _STAGE_EVENTS)
        self.found_entities: dict[str, EntityRecord] = {}
        self.report: dict[str, Any] = {}
        self.quarantine: list[dict[str, str]] = []
        self.rejected = 0
        self.kept_rows = 0
        self.warnings: Counter[str] = Counter()
        self.taken: set[str] = set()

    def reject(self, item: io.Rejected) -> None:
        self.rejected += 1
        self.quarantine.append(
            {
                "source_ref": item.source_ref,
                "reason": item.reason,
                "detail": item.detail,
                "disposition": "rejected",
            }
        )

    def keep(self, result: Analysed, source_file: str, record_no: int) -> None:
        art = result.article
        article_id = _article_id(art, self.taken)
        self.kept_rows += 1
        for warning in art.warnings:
            self.warnings[warning.reason] += 1
            self.quarantine.append(
                {
                    "source_ref": art.source_ref,
                    "reason": warning.reason,
                    "detail": warning.detail,
                    "disposition": "kept",
                }
            )
        self.articles.add(
            {
                "article_id": article_id,
                "outlet_id": art.outlet_id,
                "outlet": art.outlet,
                "url": art.url,
                "title": art.title,
                "published_at": art.published_at,
                "published_precision": art.published_precision,
                "published_basis": art.published_basis,
                "published_evidence": art.published_evidence,
                "text": art.text,
                "text_norm": art.text_norm,
                "n_chars": len(art.text),
                "source_ref": art.source_ref,
                "_source_file": source_file,
                "_record_no": record_no,
            }
        )
        fp = result.fingerprint
        self.fingerprints.add(
            {
                "article_id": article_id,
                "digest": fp.digest,
                "signature": fp.signature,
                "published_at": art.published_at,
                "band_keys": list(fp.band_keys),
                "_source_file": source_file,
                "_record_no": record_no,
            }
        )
        for m in result.mentions:
            self.mentions.add(
                {
                    "article_id": article_id,
                    "entity_id": m.entity_id,
                    "start": m.start,
                    "end": m.end,
                    "surface": m.surface,
                    "sentence_idx": m.sentence_idx,
                }
            )
        for record in result.found_entities:
            self.found_entities.setdefault(record.entity_id, record)
        for index, (e, keys) in enumerate(zip(result.events, result.event_keys, strict=True)):
            event_key = f"{article_id}|{e.evidence_start}|{e.event_type}|{index}"
            self.events.add(
                {
                    "event_id": hashlib.sha256(event_key.encode()).hexdigest()[:16],
                    "article_id": article_id,
                    "cluster_id": None,
                    "event_type": e.event_type,
                    "date_start": e.date_start,
                    "date_end": e.date_end,
                    "date_precision": e.date_precision,
                    "date_basis": e.date_basis,
                    "actor_ids": list(e.actor_ids),
                    "location_id": e.location_id,
                    "evidence": e.evidence,
                    "evidence_start": e.evidence_start,
                    "evidence_end": e.evidence_end,
                    "confidence": e.confidence,
                    "evidence_keys": keys,
                }
            )

    def close(self) -> None:
        for writer in (self.articles, self.fingerprints, self.mentions, self.events):
            writer.close()


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@dataclass
class Previous:
    """An existing dataset an incremental build adds to."""

    path: Path
    manifest: dict[str, Any]

    @property
    def state(self) -> Path:
        return self.path / STATE_DIR / "fingerprints.parquet"

    @property
    def event_keys(self) -> Path:
        return self.path / STATE_DIR / "event_keys.parquet"


def _finish(stage: Path, out: Path, run: _Run, previous: Previous | None) -> dict[str, int]:
    """Find duplicates over old and new articles and write the final articles table."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET temp_directory = {_sql_path(stage / 'spill')}")
        con.execute("SET preserve_insertion_order = true")
        fingerprints = f"SELECT * FROM read_parquet({_sql_path(run.fingerprints.path)})"
        stage_cols = ", ".join(_STAGE_ARTICLES.names)
        articles = f"SELECT {stage_cols} FROM read_parquet({_sql_path(run.articles.path)})"
        if previous is not None:
            fingerprints += f" UNION ALL SELECT * FROM read_parquet({_sql_path(previous.state)})"
            old_cols = ", ".join(
                f"s.{n}" if n.startswith("_") else f"a.{n}" for n in _STAGE_ARTICLES.names
            )
            articles += (
                f" UNION ALL SELECT {old_cols} FROM read_parquet({_sql_path(previous.path / 'articles.parquet')}) a"
                f" JOIN read_parquet({_sql_path(previous.state)}) s USING (article_id)"
            )
        con.execute(f"CREATE TEMP TABLE fingerprints AS {fingerprints}")
        con.execute(
            "CREATE TEMP TABLE fp_bands AS SELECT article_id, unnest(range(len(band_keys))) AS band, "
            "unnest(band_keys) AS key FROM fingerprints"
        )
        duplicates = find_duplicates(con)
        con.execute(
            "CREATE TEMP TABLE dups (article_id VARCHAR, duplicate_of VARCHAR, duplicate_kind VARCHAR, "
            "duplicate_similarity FLOAT)"
        )
        if duplicates:
            con.executemany(
                "INSERT INTO dups VALUES (?, ?, ?, ?)",
                [(d.article_id, d.duplicate_of, d.kind, d.similarity) for d in duplicates],
            )
        columns = ", ".join(
            f"d.{name}" if name.startswith("duplicate_") else f"s.{name}"
            for name in schema.ARTICLES.names
        )
        # Rows in input order (source file, then record), whatever order inputs were given in
        # or added by incremental builds: the same corpus gives the same file.
        con.execute(
            f"""
            COPY (
                SELECT {columns} FROM ({articles}) s LEFT JOIN dups d USING (article_id)
                ORDER BY s._source_file, s._record_no
            ) TO {_sql_path(out / "articles.parquet")} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536)
            """
        )
        (out / STATE_DIR).mkdir()
        con.execute(
            f"COPY (SELECT * FROM fingerprints ORDER BY _source_file, _record_no) "
            f"TO {_sql_path(out / STATE_DIR / 'fingerprints.parquet')} (FORMAT parquet, COMPRESSION zstd)"
        )
        article_rows = int(con.execute("SELECT count(*) FROM fingerprints").fetchone()[0])  # type: ignore[index]
        run.report.update(_write_entities_and_events(con, out, run, previous))
    finally:
        con.close()
    near = sum(1 for d in duplicates if d.kind == "near")
    return {
        "duplicates": len(duplicates),
        "near": near,
        "exact": len(duplicates) - near,
        "rows": article_rows,
    }


def _write_entities_and_events(
    con: duckdb.DuckDBPyConnection, out: Path, run: _Run, previous: Previous | None
) -> dict[str, Any]:
    """Write mentions, entities (with counts) and events (with cross-article clusters)."""
    mentions = f"SELECT * FROM read_parquet({_sql_path(run.mentions.path)})"
    events = f"SELECT * FROM read_parquet({_sql_path(run.events.path)})"
    records = dict(gazetteer_records())
    if previous is not None:
        mentions += f" UNION ALL SELECT * FROM read_parquet({_sql_path(previous.path / 'mentions.parquet')})"
        events += (
            f" UNION ALL SELECT e.*, k.evidence_keys"
            f" FROM read_parquet({_sql_path(previous.path / 'events.parquet')}) e"
            f" JOIN read_parquet({_sql_path(previous.event_keys)}) k USING (event_id)"
        )
        old = pq.read_table(previous.path / "entities.parquet").to_pylist()
        for row in old:  # rule-found people of earlier builds keep their record
            if row["entity_id"] not in records:
                records[row["entity_id"]] = EntityRecord(
                    row["entity_id"],
                    row["name_ar"],
                    row["name_en"],
                    row["type"],
                    row["wikidata_id"],
                    tuple(row["aliases"] or ()),
                )
    for entity_id, record in run.found_entities.items():
        records.setdefault(entity_id, record)
    mention_cols = ", ".join(f'"{n}"' for n in schema.MENTIONS.names)  # "end" is reserved
    con.execute(f"CREATE TEMP TABLE all_mentions AS SELECT {mention_cols} FROM ({mentions})")
    con.execute(
        f'COPY (SELECT * FROM all_mentions ORDER BY article_id, "start", entity_id) '
        f"TO {_sql_path(out / 'mentions.parquet')} (FORMAT parquet, COMPRESSION zstd)"
    )
    counts = con.execute(
        "SELECT entity_id, count(*) AS n_mentions, count(DISTINCT article_id) AS n_articles "
        "FROM all_mentions GROUP BY entity_id ORDER BY entity_id"
    ).fetchall()
    rows = []
    for entity_id, n_mentions, n_articles in counts:
        rec = records.get(entity_id)
        if rec is None:
            raise RuntimeError(f"mention of unknown entity {entity_id}")  # an extractor bug
        rows.append(
            {
                "entity_id": entity_id,
                "name_ar": rec.name_ar,
                "name_en": rec.name_en,
                "type": rec.type,
                "wikidata_id": rec.wikidata_id,
                "aliases": list(rec.aliases),
                "n_mentions": n_mentions,
                "n_articles": n_articles,
            }
        )
    pq.write_table(
        pa.Table.from_pylist(rows, schema=schema.ENTITIES),
        out / "entities.parquet",
        compression="zstd",
    )

    # Clusters of event mentions across articles (old and new ones in an incremental build).
    con.execute(f"CREATE TEMP TABLE all_events AS {events}")
    n_events = int(con.execute("SELECT count(*) FROM all_events").fetchone()[0])  # type: ignore[index]
    n_clusters = cluster_table(con, "SELECT * FROM all_events", "clustered")
    final_cols = ", ".join(
        "c.cluster_id" if n == "cluster_id" else f'e."{n}"' for n in schema.EVENTS.names
    )
    con.execute(
        f"""
        COPY (SELECT {final_cols} FROM all_events e JOIN clustered c USING (event_id)
              ORDER BY e.article_id, e.evidence_start, e.event_id)
        TO {_sql_path(out / "events.parquet")} (FORMAT parquet, COMPRESSION zstd)
        """
    )
    con.execute(
        f"COPY (SELECT event_id, evidence_keys FROM all_events ORDER BY event_id) "
        f"TO {_sql_path(out / STATE_DIR / 'event_keys.parquet')} (FORMAT parquet, COMPRESSION zstd)"
    )
    con.execute("DROP TABLE all_events")
    con.execute("DROP TABLE clustered")
    mentioned = [records[r["entity_id"]] for r in rows]
    return {
        "entities": len(rows),
        "mentions": int(sum(r["n_mentions"] for r in rows)),
        "events": n_events,
        "event_clusters": n_clusters,
        "near_misses": near_misses(mentioned)[:MAX_NEAR_MISSES],
    }


def _previous(out_dir: Path, files: list[io.InputFile]) -> tuple[Previous, list[io.InputFile]]:
    """The existing dataset and the input files it has not seen yet."""
    from rasd.query import DatasetError, open_dataset

    try:
        dataset = open_dataset(out_dir)
    except DatasetError as exc:
        raise io.InputError(
            f"--incremental needs an existing dataset at {out_dir}: {exc.detail}"
        ) from exc
    previous = Previous(out_dir, dataset.manifest)
    if not (previous.state.is_file() and previous.event_keys.is_file()):
        raise io.InputError(
            f"{out_dir} has no {STATE_DIR}/ (built by an older Rasd); run a full build"
        )
    seen = {i["path"]: i.get("sha256") for i in dataset.manifest.get("inputs", [])}
    new: list[io.InputFile] = []
    for file in files:
        key = str(file.path)
        if key not in seen:
            new.append(file)
        elif seen[key] != file.sha256:
            raise io.InputError(
                f"{key} changed since the last build; run a full build without --incremental"
            )
    return previous, new


Partition = list[tuple[int, "Analysed | io.Rejected"]]


def _analyse_file(file: io.InputFile, mapping: Mapping[str, str]) -> Partition:
    """One input file through the per-record stages (a Dask task: one partition)."""
    out: Partition = []
    for record_no, item in enumerate(io.read_records(file), start=1):
        out.append((record_no, item if isinstance(item, io.Rejected) else analyse(item, mapping)))
    return out


def _run_dask(
    files: list[io.InputFile], mapping: Mapping[str, str], scheduler: str, window: int
) -> Iterator[tuple[io.InputFile, Partition]]:
    """Partitions analysed on a Dask cluster, yielded in input order, a bounded number in flight."""
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        pending: list[tuple[io.InputFile, Any]] = []
        for file in files:
            pending.append((file, client.submit(_analyse_file, file, dict(mapping), pure=False)))
            if len(pending) >= window:
                done_file, future = pending.pop(0)
                yield done_file, future.result()
        for done_file, future in pending:
            yield done_file, future.result()


def build(
    inputs: list[Path],
    out_dir: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    workers: int | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    incremental: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> BuildReport:
    """Build a dataset from ``inputs`` into ``out_dir``.

    Args:
        inputs: files or directories (txt, jsonl/json, csv, parquet, html).
        out_dir: dataset directory, replaced atomically when the build succeeds.
        mapping: ``{field: column}`` overrides for input columns.
        workers: processes for the per-record stages (default: all cores; local engine).
        progress: wraps the record stream (e.g. a tqdm bar); identity by default.
        incremental: add only input files the dataset in ``out_dir`` has not seen; the
            result equals a full build over all inputs.
        engine: ``local`` (a process pool) or ``dask`` (a Dask cluster at ``scheduler``,
            one task per input file).
        scheduler: Dask scheduler address, e.g. ``tcp://127.0.0.1:8786``.

    Raises:
        rasd.io.InputError: an input does not exist, or an incremental build cannot proceed.
    """
    mapping = dict(mapping or {})
    if engine not in ("local", "dask"):
        raise io.InputError(f"unknown engine {engine!r} (use local or dask)")
    if engine == "dask" and not scheduler:
        raise io.InputError("--engine dask needs --scheduler ADDRESS")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    files, file_rejects = io.discover(inputs)
    out_dir = out_dir.resolve()
    previous: Previous | None = None
    if incremental:
        previous, files = _previous(out_dir, files)
        known = {i["path"] for i in previous.manifest.get("inputs", [])}
        file_rejects = [r for r in file_rejects if r.source_ref not in known]
    timings["discover_s"] = time.perf_counter() - started

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        stage = work / "_stage"
        stage.mkdir()
        run = _Run(stage)
        if previous is not None:
            old_ids = pq.read_table(previous.path / "articles.parquet", columns=["article_id"])
            run.taken.update(old_ids["article_id"].to_pylist())
        for item in file_rejects:
            run.reject(item)
        records_per_file: Counter[str] = Counter()
        n_workers = max(1, workers or os.cpu_count() or 1)
        t0 = time.perf_counter()

        def consume(file: io.InputFile, record_no: int, result: Analysed | io.Rejected) -> None:
            records_per_file[str(file.path)] = max(records_per_file[str(file.path)], record_no)
            if isinstance(result, io.Rejected):
                run.reject(result)
            else:
                run.keep(result, str(file.path), record_no)

        if engine == "dask":
            assert scheduler is not None
            for file, partition in _run_dask(files, mapping, scheduler, window=2 * n_workers):
                for record_no, result in partition:
                    consume(file, record_no, result)
        else:
            _run_local(files, mapping, n_workers, progress, consume)
        run.close()
        timings["analyse_s"] = time.perf_counter() - t0

        out_tmp = work / "dataset"
        out_tmp.mkdir()
        t1 = time.perf_counter()
        dup_counts = _finish(stage, out_tmp, run, previous)
        timings["dedup_write_s"] = time.perf_counter() - t1

        quarantine = pa.Table.from_pylist(run.quarantine, schema=schema.QUARANTINE)
        if previous is not None:
            old = pq.read_table(previous.path / "quarantine.parquet", schema=schema.QUARANTINE)
            quarantine = pa.concat_tables([old, quarantine])
        pq.write_table(quarantine, out_tmp / "quarantine.parquet")

        rejected = quarantine.filter(pc.equal(quarantine["disposition"], "rejected"))
        kept_warn = quarantine.filter(pc.equal(quarantine["disposition"], "kept"))
        by_reason = Counter(rejected["reason"].to_pylist())
        counts: dict[str, Any] = {
            "read": dup_counts["rows"] + rejected.num_rows,
            "kept": dup_counts["rows"] - dup_counts["duplicates"],
            "duplicates": dup_counts["duplicates"],
            "duplicates_by_kind": {"exact": dup_counts["exact"], "near": dup_counts["near"]},
            "quarantined": rejected.num_rows,
            "quarantined_by_reason": dict(sorted(by_reason.items())),
            "kept_with_warnings_by_reason": dict(
                sorted(Counter(kept_warn["reason"].to_pylist()).items())
            ),
            "article_rows": dup_counts["rows"],
        }
        if counts["read"] != counts["kept"] + counts["duplicates"] + counts["quarantined"]:
            raise RuntimeError(f"counts do not add up: {counts}")  # a bug, never bad input

        inputs_seen = _input_entries(files, file_rejects, records_per_file)
        if previous is not None:
            inputs_seen = sorted(
                [*previous.manifest.get("inputs", []), *inputs_seen],
                key=lambda entry: str(entry["path"]),
            )
        manifest = _manifest(inputs_seen, out_tmp, mapping, n_workers, counts, engine)
        manifest["extraction"] = {k: v for k, v in run.report.items() if k != "near_misses"}
        manifest["near_misses"] = run.report.get("near_misses", [])
        timings["total_s"] = time.perf_counter() - started
        manifest["timings"] = {k: round(v, 4) for k, v in timings.items()}
        manifest["incremental"] = {"added_files": len(files)} if previous is not None else None
        io.write_manifest(out_tmp, manifest)
        io.replace_dir(out_tmp, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildReport(out_dir=out_dir, counts=counts, timings=timings, manifest=manifest)


def _run_local(
    files: list[io.InputFile],
    mapping: Mapping[str, str],
    n_workers: int,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None,
    consume: Callable[[io.InputFile, int, Analysed | io.Rejected], None],
) -> None:
    """Stream records through a local process pool (or this process for small inputs)."""

    def records() -> Iterator[tuple[io.InputFile, int, io.RawRecord | io.Rejected]]:
        for file in files:
            for record_no, item in enumerate(io.read_records(file), start=1):
                yield file, record_no, item

    stream: Iterable[tuple[io.InputFile, int, io.RawRecord | io.Rejected]] = records()
    if progress is not None:
        stream = progress(stream)

    def handle(
        batch: list[tuple[io.InputFile, int, io.RawRecord | io.Rejected]], results: Iterable[Any]
    ) -> None:
        todo = iter(results)
        for file, record_no, item in batch:
            consume(file, record_no, item if isinstance(item, io.Rejected) else next(todo))

    head = list(islice(stream, MIN_RECORDS_FOR_POOL))
    if n_workers == 1 or len(head) < MIN_RECORDS_FOR_POOL:
        for batch in (head, *_batched(stream, BATCH_SIZE)):
            handle(
                batch,
                [
                    analyse(item, mapping)
                    for _, _, item in batch
                    if not isinstance(item, io.Rejected)
                ],
            )
        return
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        for batch in (head, *_batched(stream, BATCH_SIZE * n_workers)):
            args = [(item, mapping) for _, _, item in batch if not isinstance(item, io.Rejected)]
            chunk = max(1, len(args) // (4 * n_workers))
            handle(batch, pool.map(_analyse_packed, args, chunksize=chunk))


def _input_entries(
    files: list[io.InputFile], file_rejects: list[io.Rejected], records_per_file: Mapping[str, int]
) -> list[dict[str, Any]]:
    return [
        {
            "path": str(file.path),
            "kind": file.kind,
            "bytes": file.bytes,
            "sha256": file.sha256,
            "records": records_per_file.get(str(file.path), 0),
        }
        for file in files
    ] + [{"path": r.source_ref, "kind": "unsupported", "records": 1} for r in file_rejects]


def _manifest(
    inputs: list[dict[str, Any]],
    out: Path,
    mapping: Mapping[str, str],
    n_workers: int,
    counts: dict[str, Any],
    engine: str,
) -> dict[str, Any]:
    # The dataset id changes whenever what a reader sees changes: inputs, options, schema.
    dataset_hash = hashlib.sha256(
        f"{schema.SCHEMA_VERSION}|{__version__}|{sorted(mapping.items())}".encode()
    )
    for entry in sorted(inputs, key=lambda e: str(e["path"])):
        dataset_hash.update(f"{entry['path']}|{entry.get('sha256', '')}".encode())
    return {
        "schema_version": schema.SCHEMA_VERSION,
        "dataset_id": dataset_hash.hexdigest()[:12],
        "rasd_version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": inputs,
        "options": {"map": dict(mapping), "workers": n_workers, "engine": engine},
        "counts": counts,
        "stages": {"clean": "built", "dedup": "built", "entities": "built", "events": "built"},
        "tables": {p.stem: pq.read_metadata(p).num_rows for p in sorted(out.glob("*.parquet"))},
    }


def default_progress(quiet: bool) -> Callable[[Iterable[Any]], Iterable[Any]] | None:
    """A tqdm bar on an interactive terminal, nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda it: tqdm(it, unit=" records", desc="rasd build", file=sys.stderr)


__all__ = ["BANDS", "BuildReport", "analyse", "build", "default_progress"]
