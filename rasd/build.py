"""``rasd build``: wire the stages, account for every record, write the dataset atomically.

Per record, in worker processes: read → clean → date → fingerprint (pure functions). In this
process, in input order: stable ids, staging rows streamed to Parquet in bounded batches.
Then one DuckDB pass over the staged Parquet finds duplicates and writes the final tables
into a temporary directory that replaces the output only when complete.

Every input record ends in exactly one place: kept, duplicate (kept as a row with
``duplicate_of``), or quarantined with a reason.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from rasd import __version__, io, schema
from rasd.aggregates import write_aggregates
from rasd.dedup import BANDS, Fingerprint, find_duplicates, fingerprint
from rasd.entities import EntityRecord, Mention, extract_mentions, gazetteer_records, near_misses
from rasd.event_clusters import cluster_table
from rasd.events import EventMention, evidence_keys, extract_events
from rasd.ingest import Article, to_article
from rasd.sql import copy_ordered, copy_sorted, create_table
from rasd.sql import path_literal as _sql_path

#: Records per worker task. Why: large enough to amortise the task's overhead, small
#: enough that progress moves and memory stays bounded.
CHUNK_RECORDS = 128
#: Tasks queued per worker: keeps every worker busy while bounding memory.
IN_FLIGHT_PER_WORKER = 3
#: Below this many records a process pool costs more than it saves.
MIN_RECORDS_FOR_POOL = 64
#: Rows buffered per staging table before a Parquet row group is written.
FLUSH_ROWS = 4096
#: Set to "1" to keep a failed build's working directory (staged tables and the final
#: pass's database file) for diagnosis; by default nothing of a failed build is left.
KEEP_FAILED_ENV = "RASD_KEEP_FAILED_BUILD"
#: DuckDB's working memory for the final pass; it spills to disk beyond this. Its resident
#: memory runs ~0.3-0.4 GB above the limit (1.46 GB measured at this limit, judging a part
#: of event pairs at a million articles); the worker processes have exited by then, but
#: this process's own few hundred MB come on top: at a million articles the build's
#: largest process reaches ~2.1 GB (measured 2.09-2.10 GB). (At a million articles 1000MB
#: ran out of memory during event clustering, and so did 1200MB once with DuckDB's
#: allocator told to return freed memory sooner: this limit has little slack there.)
DUCKDB_MEMORY = "1200MB"
#: Rows sorted at a time when the articles and their fingerprints are written in order
#: (rasd.sql.copy_ordered): articles carry their text twice (~7 kB a row uncompressed,
#: ~350 MB a slice); a fingerprint is ~0.5 kB. Events (~0.2 kB) are sorted whole
#: (rasd.sql.copy_sorted).
ARTICLE_SLICE_ROWS = 50_000
STATE_SLICE_ROWS = 250_000
#: Parquet row groups of the written tables: small, so a look-up of a few articles reads
#: little text, and the reports of one event cluster (events are sorted by cluster) are
#: one or two row groups: DuckDB decompresses every column of a row group it reads.
ARTICLE_ROW_GROUP_ROWS = 16_384
EVENT_ROW_GROUP_ROWS = 16_384
#: The order of articles.parquet: by publication, then input order (source file, record).
#: The articles of a few days are then a few row groups: the newest sentences naming an
#: entity read one or two row groups of text, not every one (at a million articles in
#: input order, ~40 articles' bodies decompressed all 61 row groups' text: 0.3-0.4 s),
#: and a date range skips the row groups outside it.
ARTICLE_ORDER = "published_at NULLS LAST, _source_file, _record_no, _row"
#: The order of events.parquet: by cluster, so the Timeline's evidence of one event and the
#: coverage matrix's stories read a few row groups, not every report's sentence.
EVENT_ORDER = "cluster_id NULLS LAST, article_id, evidence_start, event_id"

_STRING, _INT = pa.string(), pa.int64()
#: The duplicates found in the final pass, joined onto the articles.
_DUPS = pa.schema(
    [
        ("article_id", _STRING),
        ("duplicate_of", _STRING),
        ("duplicate_kind", _STRING),
        ("duplicate_similarity", pa.float32()),
    ]
)
#: What workers return per chunk of records, one Arrow table each. Rows carry ``_local`` (the
#: kept record's index in its chunk); this process turns it into ``_seq`` (its index in the
#: whole build) and writes the tables as they are. Article and event ids are assigned in the
#: final pass (from ``_base_id`` and ``_seq``), so no row ever goes back through Python here.
_WORKER_TABLES: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            f
            for f in schema.ARTICLES
            if f.name != "article_id" and not f.name.startswith("duplicate_")
        ]
        + [("_base_id", _STRING), ("_source_file", _STRING), ("_record_no", _INT), ("_local", _INT)]
    ),
    "fingerprints": pa.schema(
        [
            ("digest", _STRING),
            ("signature", pa.binary()),
            ("published_at", pa.timestamp("us", tz="UTC")),
            ("band_keys", pa.list_(_INT)),
            ("_local", _INT),
        ]
    ),
    "mentions": pa.schema(
        [f for f in schema.MENTIONS if f.name != "article_id"] + [("_local", _INT)]
    ),
    "events": pa.schema(
        [f for f in schema.EVENTS if f.name not in ("event_id", "article_id", "cluster_id")]
        + [("evidence_keys", pa.list_(_STRING)), ("_index", _INT), ("_local", _INT)]
    ),
}
#: The staged tables: the worker tables with ``_seq`` for ``_local``.
_STAGED_TABLES = {
    name: pa.schema([f for f in table if f.name != "_local"] + [("_seq", _INT)])
    for name, table in _WORKER_TABLES.items()
}
#: Columns of the articles table before duplicates are known, plus the input position.
_STAGE_ARTICLES = pa.schema(
    [f for f in schema.ARTICLES if not f.name.startswith("duplicate_")]
    + [pa.field("_source_file", _STRING), pa.field("_record_no", _INT)]
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


@dataclass
class Chunk:
    """What the workers learn about a run of records, ready to be written as it is."""

    tables: dict[str, pa.Table]  # see _WORKER_TABLES
    quarantine: list[dict[str, str]]  # rejected records and kept ones' warnings, in order
    last_record: dict[str, int]  # the highest record number seen per input file
    found_entities: dict[str, EntityRecord]
    kept: int = 0


Item = tuple[str, int, "io.RawRecord | io.Rejected"]


def _quarantine_row(source_ref: str, reason: str, detail: str, disposition: str) -> dict[str, str]:
    return {
        "source_ref": source_ref,
        "reason": reason,
        "detail": detail,
        "disposition": disposition,
    }


def analyse_chunk(items: list[Item], mapping: Mapping[str, str]) -> Chunk:
    """:func:`analyse` over ``(source file, record number, record)`` items, as Arrow tables.

    Runs in worker processes (or Dask tasks). Returning columns instead of Python objects
    keeps the process that writes the staging files almost idle: measured, unpickling
    per-record objects and turning them into rows cost that process ~2.6 ms a record, more
    than a worker spends on cleaning, entities and dates together.
    """
    columns: dict[str, dict[str, list[Any]]] = {
        name: {f.name: [] for f in table} for name, table in _WORKER_TABLES.items()
    }

    def append(table: str, **values: Any) -> None:
        for name, value in values.items():
            columns[table][name].append(value)

    chunk = Chunk({}, [], {}, {})
    for source_file, record_no, item in items:
        chunk.last_record[source_file] = max(chunk.last_record.get(source_file, 0), record_no)
        result = item if isinstance(item, io.Rejected) else analyse(item, mapping)
        if isinstance(result, io.Rejected):
            chunk.quarantine.append(
                _quarantine_row(result.source_ref, result.reason, result.detail, "rejected")
            )
            continue
        local, chunk.kept = chunk.kept, chunk.kept + 1
        art = result.article
        for warning in art.warnings:
            chunk.quarantine.append(
                _quarantine_row(art.source_ref, warning.reason, warning.detail, "kept")
            )
        append(
            "articles",
            outlet_id=art.outlet_id,
            outlet=art.outlet,
            url=art.url,
            title=art.title,
            published_at=art.published_at,
            published_precision=art.published_precision,
            published_basis=art.published_basis,
            published_evidence=art.published_evidence,
            text=art.text,
            text_norm=art.text_norm,
            n_chars=len(art.text),
            source_ref=art.source_ref,
            _base_id=hashlib.sha256(art.identity.encode()).hexdigest()[:16],
            _source_file=source_file,
            _record_no=record_no,
            _local=local,
        )
        fp = result.fingerprint
        append(
            "fingerprints",
            digest=fp.digest,
            signature=fp.signature,
            published_at=art.published_at,
            band_keys=list(fp.band_keys),
            _local=local,
        )
        for m in result.mentions:
            append(
                "mentions",
                entity_id=m.entity_id,
                start=m.start,
                end=m.end,
                surface=m.surface,
                sentence_idx=m.sentence_idx,
                _local=local,
            )
        for record in result.found_entities:
            chunk.found_entities.setdefault(record.entity_id, record)
        for index, (e, keys) in enumerate(zip(result.events, result.event_keys, strict=True)):
            append(
                "events",
                event_type=e.event_type,
                date_start=e.date_start,
                date_end=e.date_end,
                date_precision=e.date_precision,
                date_basis=e.date_basis,
                actor_ids=list(e.actor_ids),
                location_id=e.location_id,
                evidence=e.evidence,
                evidence_start=e.evidence_start,
                evidence_end=e.evidence_end,
                confidence=e.confidence,
                evidence_keys=keys,
                _index=index,
                _local=local,
            )
    chunk.tables = {
        name: pa.table(columns[name], schema=table) for name, table in _WORKER_TABLES.items()
    }
    return chunk


def _release_memory() -> None:
    """Hand freed heap memory back to the system before the final pass.

    The staging writers leave Arrow's allocator and the C heap holding memory they no longer
    use (~0.15 GB at a million articles); the final pass then adds DuckDB's working memory
    on top, so what this process keeps counts against the build's peak.
    """
    pa.default_memory_pool().release_unused()
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:  # glibc: give back the free pages of every arena
        trim(0)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _StageWriter:
    """Writes one staged table as Parquet, buffering small chunks into larger row groups."""

    def __init__(self, path: Path, table_schema: pa.Schema) -> None:
        self.path = path
        self.schema = table_schema
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.writer = pq.ParquetWriter(path, table_schema, compression="zstd")

    def add(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.pending_rows += table.num_rows
        if self.pending_rows >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.writer.write_table(pa.concat_tables(self.pending))
            self.pending, self.pending_rows = [], 0

    def close(self) -> None:
        self.flush()
        self.writer.close()


class _Run:
    """State of one build between reading and the final pass."""

    def __init__(self, stage: Path) -> None:
        self.writers = {
            name: _StageWriter(stage / f"{name}.parquet", table)
            for name, table in _STAGED_TABLES.items()
        }
        self.found_entities: dict[str, EntityRecord] = {}
        self.report: dict[str, Any] = {}
        self.quarantine: list[dict[str, str]] = []
        self.kept_rows = 0
        self.last_record: Counter[str] = Counter()
        self.aggregates: dict[str, int] = {}
        self.aggregate_seconds: dict[str, float] = {}
        self.timings: dict[str, float] = {}

    def path(self, name: str) -> Path:
        return self.writers[name].path

    def reject(self, item: io.Rejected) -> None:
        self.quarantine.append(
            _quarantine_row(item.source_ref, item.reason, item.detail, "rejected")
        )

    def add(self, chunk: Chunk) -> None:
        """Write a chunk's tables, numbering its rows after those already written."""
        for name, table in chunk.tables.items():
            seq = pc.add(table["_local"], pa.scalar(self.kept_rows, _INT))
            self.writers[name].add(table.drop_columns(["_local"]).append_column("_seq", seq))
        self.kept_rows += chunk.kept
        self.quarantine.extend(chunk.quarantine)
        for source_file, last in chunk.last_record.items():
            self.last_record[source_file] = max(self.last_record[source_file], last)
        for entity_id, record in chunk.found_entities.items():
            self.found_entities.setdefault(entity_id, record)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


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


def _assign_ids(con: duckdb.DuckDBPyConnection, run: _Run, previous: Previous | None) -> None:
    """Views of the staged tables and ``ids(_seq, article_id, _source_file, _record_no)``.

    An article id is a hash of the article's identity (outlet and URL, or outlet, file name
    and text); the same identity given again gets ``-2``, ``-3``… in input order, after
    those an earlier build already gave out.
    """
    for name in _STAGED_TABLES:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW staged_{name} AS "
            f"SELECT * FROM read_parquet({_sql_path(run.path(name))})"
        )
    taken = "SELECT NULL::VARCHAR AS _base_id, 0 AS n WHERE false"
    if previous is not None:
        taken = (
            "SELECT split_part(article_id, '-', 1) AS _base_id, count(*) AS n "
            f"FROM read_parquet({_sql_path(previous.path / 'articles.parquet')}) GROUP BY 1"
        )
    con.execute(
        f"""
        CREATE TABLE ids AS
        SELECT _seq, _source_file, _record_no,
               _base_id || CASE WHEN k > 1 THEN '-' || k ELSE '' END AS article_id
        FROM (
            SELECT a._seq, a._source_file, a._record_no, a._base_id,
                   row_number() OVER (PARTITION BY a._base_id ORDER BY a._seq) + coalesce(t.n, 0) AS k
            FROM staged_articles a LEFT JOIN ({taken}) t USING (_base_id)
        )
        """
    )


def _finish(stage: Path, out: Path, run: _Run, previous: Previous | None) -> dict[str, int]:
    """Find duplicates over old and new articles and write the final articles table."""
    # A database file, not ":memory:": the working tables of a million-article build (events
    # with their evidence, clustering keys, candidate pairs) are several gigabytes; in a file
    # DuckDB pages them to disk and keeps within DUCKDB_MEMORY.
    con = duckdb.connect(str(stage / "final.duckdb"))
    try:
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        # DuckDB draws a bar on stderr for each statement over 2 s, even under --quiet (at a
        # million articles, dozens of "~20 seconds remaining" within a 20-minute pass).
        con.execute("SET enable_progress_bar = false")
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET temp_directory = {_sql_path(stage / 'spill')}")
        # Every table written is put in order explicitly (ORDER BY, copy_ordered/sorted); keeping
        # insertion order would only cost memory in joins and aggregates.
        con.execute("SET preserve_insertion_order = false")
        _assign_ids(con, run, previous)
        fingerprints = (
            "SELECT i.article_id, f.digest, f.signature, f.published_at, f.band_keys, "
            "i._source_file, i._record_no FROM staged_fingerprints f JOIN ids i USING (_seq)"
        )
        stage_cols = ", ".join(
            "i.article_id" if n == "article_id" else f"a.{n}" for n in _STAGE_ARTICLES.names
        )
        # _row: a row's place in the file it is read from (staged rows first), the key the
        # articles are written in order by.
        articles = (
            f"SELECT {stage_cols}, a._seq AS _row FROM staged_articles a JOIN ids i USING (_seq)"
        )
        if previous is not None:
            fingerprints += f" UNION ALL SELECT * FROM read_parquet({_sql_path(previous.state)})"
            old_cols = ", ".join(
                f"s.{n}" if n.startswith("_") else f"a.{n}" for n in _STAGE_ARTICLES.names
            )
            ((staged_rows,),) = con.execute("SELECT count(*) FROM ids").fetchall()
            articles += (
                f" UNION ALL SELECT {old_cols}, {int(staged_rows)} + a.file_row_number AS _row"
                f" FROM read_parquet({_sql_path(previous.path / 'articles.parquet')}, file_row_number = true) a"
                f" JOIN read_parquet({_sql_path(previous.state)}) s USING (article_id)"
            )
        con.execute(f"CREATE TABLE fingerprints AS {fingerprints}")
        con.execute(
            "CREATE TABLE fp_bands AS SELECT article_id, unnest(range(len(band_keys))) AS band, "
            "unnest(band_keys) AS key FROM fingerprints"
        )
        started = time.perf_counter()
        duplicates = find_duplicates(con, scratch=stage / "pairs")
        run.timings["duplicates_s"] = time.perf_counter() - started
        create_table(
            con,
            "dups",
            pa.table(
                {
                    "article_id": [d.article_id for d in duplicates],
                    "duplicate_of": [d.duplicate_of for d in duplicates],
                    "duplicate_kind": [d.kind for d in duplicates],
                    "duplicate_similarity": [d.similarity for d in duplicates],
                },
                schema=_DUPS,
            ),
        )
        columns = ", ".join(
            f"d.{name}" if name.startswith("duplicate_") else f"a.{name}"
            for name in schema.ARTICLES.names
        )
        started = time.perf_counter()
        # Rows in publication order (see ARTICLE_ORDER), whatever order inputs were given in
        # or added by incremental builds: the same corpus gives the same file.
        copy_ordered(
            con,
            f"SELECT {columns}, a._source_file, a._record_no, a._row "
            f"FROM ({articles}) a LEFT JOIN dups d USING (article_id)",
            key="_row",
            order_by=ARTICLE_ORDER,
            columns=", ".join(f"s.{name}" for name in schema.ARTICLES.names),
            out=out / "articles.parquet",
            slice_rows=ARTICLE_SLICE_ROWS,
            row_group_rows=ARTICLE_ROW_GROUP_ROWS,
            schema=schema.ARTICLES,
            scratch=stage / "articles_in_order",
        )
        run.timings["articles_s"] = time.perf_counter() - started
        (out / STATE_DIR).mkdir()
        article_rows = copy_ordered(
            con,
            "SELECT *, rowid AS _row FROM fingerprints",
            key="_row",
            order_by="_source_file, _record_no, _row",
            columns="s.* EXCLUDE (_row)",
            out=out / STATE_DIR / "fingerprints.parquet",
            slice_rows=STATE_SLICE_ROWS,
            row_group_rows=ARTICLE_ROW_GROUP_ROWS,
        )
        run.report.update(_write_entities_and_events(con, out, run, previous, stage / "pairs"))
        started = time.perf_counter()
        run.aggregates = write_aggregates(con, out, seconds=run.aggregate_seconds)
        run.timings["aggregates_s"] = time.perf_counter() - started
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
    con: duckdb.DuckDBPyConnection,
    out: Path,
    run: _Run,
    previous: Previous | None,
    scratch: Path,
) -> dict[str, Any]:
    """Write mentions, entities (with counts) and events (with cross-article clusters)."""
    mention_cols = ", ".join(
        "i.article_id" if n == "article_id" else f'm."{n}"' for n in schema.MENTIONS.names
    )
    mentions = f"SELECT {mention_cols} FROM staged_mentions m JOIN ids i USING (_seq)"
    # Event ids as before: a hash of the article id, the evidence offset, the type and the
    # mention's index in its article.
    event_id = (
        "left(sha256(i.article_id || '|' || CAST(e.evidence_start AS VARCHAR) || '|' || "
        "e.event_type || '|' || CAST(e._index AS VARCHAR)), 16)"
    )
    event_cols = ", ".join(
        {"event_id": f"{event_id} AS event_id", "article_id": "i.article_id"}.get(
            n, "CAST(NULL AS VARCHAR) AS cluster_id" if n == "cluster_id" else f'e."{n}"'
        )
        for n in _STAGE_EVENTS.names
    )
    events = f"SELECT {event_cols} FROM staged_events e JOIN ids i USING (_seq)"
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
    con.execute(f"CREATE TABLE all_mentions AS SELECT {mention_cols} FROM ({mentions})")
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
    con.execute(f"CREATE TABLE all_events AS {events}")
    ((n_events,),) = con.execute("SELECT count(*) FROM all_events").fetchall()
    started = time.perf_counter()
    n_clusters = cluster_table(con, "SELECT * FROM all_events", "clustered", scratch)
    run.timings["event_clusters_s"] = time.perf_counter() - started
    final_cols = ", ".join(
        "c.cluster_id" if n == "cluster_id" else f'e."{n}"' for n in schema.EVENTS.names
    )
    copy_sorted(
        con,
        f"SELECT {final_cols} FROM all_events e JOIN clustered c USING (event_id)",
        order_by=EVENT_ORDER,
        out=out / "events.parquet",
        row_group_rows=EVENT_ROW_GROUP_ROWS,
        schema=schema.EVENTS,
    )
    copy_sorted(
        con,
        "SELECT event_id, evidence_keys FROM all_events",
        order_by="event_id",
        out=out / STATE_DIR / "event_keys.parquet",
        row_group_rows=EVENT_ROW_GROUP_ROWS,
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


def _items(file: io.InputFile) -> Iterator[Item]:
    for record_no, item in enumerate(io.read_records(file), start=1):
        yield str(file.path), record_no, item


def _analyse_file(file: io.InputFile, mapping: Mapping[str, str]) -> Chunk:
    """One input file through the per-record stages (a Dask task: one partition)."""
    return analyse_chunk(list(_items(file)), mapping)


def _run_dask(
    files: list[io.InputFile], mapping: Mapping[str, str], scheduler: str, window: int
) -> Iterator[Chunk]:
    """Partitions analysed on a Dask cluster, yielded in input order, a bounded number in flight."""
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        pending: deque[Any] = deque()
        for file in files:
            pending.append(client.submit(_analyse_file, file, dict(mapping), pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


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
        for item in file_rejects:
            run.reject(item)
        n_workers = max(1, workers or os.cpu_count() or 1)
        t0 = time.perf_counter()
        if engine == "dask":
            assert scheduler is not None
            for chunk in _run_dask(files, mapping, scheduler, window=2 * n_workers):
                run.add(chunk)
        else:
            for chunk in _run_local(files, mapping, n_workers, progress):
                run.add(chunk)
        run.close()
        timings["analyse_s"] = time.perf_counter() - t0
        _release_memory()

        out_tmp = work / "dataset"
        out_tmp.mkdir()
        t1 = time.perf_counter()
        dup_counts = _finish(stage, out_tmp, run, previous)
        timings["dedup_write_s"] = time.perf_counter() - t1
        timings.update(run.timings)

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

        inputs_seen = _input_entries(files, file_rejects, run.last_record)
        if previous is not None:
            inputs_seen = sorted(
                [*previous.manifest.get("inputs", []), *inputs_seen],
                key=lambda entry: str(entry["path"]),
            )
        manifest = _manifest(inputs_seen, out_tmp, mapping, n_workers, counts, engine)
        manifest["extraction"] = {k: v for k, v in run.report.items() if k != "near_misses"}
        manifest["near_misses"] = run.report.get("near_misses", [])
        manifest["aggregates"] = run.aggregates
        timings["total_s"] = time.perf_counter() - started
        manifest["timings"] = {k: round(v, 4) for k, v in timings.items()}
        manifest["aggregate_timings"] = {k: round(v, 3) for k, v in run.aggregate_seconds.items()}
        manifest["incremental"] = {"added_files": len(files)} if previous is not None else None
        io.write_manifest(out_tmp, manifest)
        io.replace_dir(out_tmp, out_dir)
    except BaseException:
        if os.environ.get(KEEP_FAILED_ENV) == "1":
            print(f"rasd build: {KEEP_FAILED_ENV}=1, work kept in {work}", file=sys.stderr)
            raise
        shutil.rmtree(work, ignore_errors=True)
        raise
    shutil.rmtree(work, ignore_errors=True)
    return BuildReport(out_dir=out_dir, counts=counts, timings=timings, manifest=manifest)


def _run_local(
    files: list[io.InputFile],
    mapping: Mapping[str, str],
    n_workers: int,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None,
) -> Iterator[Chunk]:
    """Chunks of records through a local process pool (or this process for small inputs),
    yielded in input order with a bounded number in flight."""
    stream: Iterable[Item] = (item for file in files for item in _items(file))
    if progress is not None:
        stream = progress(stream)
    head = list(islice(stream, MIN_RECORDS_FOR_POOL))
    if n_workers == 1 or len(head) < MIN_RECORDS_FOR_POOL:
        for batch in (head, *_batched(stream, CHUNK_RECORDS)):
            yield analyse_chunk(batch, mapping)
        return
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        pending: deque[Any] = deque()
        for batch in _batched(chain(head, stream), CHUNK_RECORDS):
            pending.append(pool.submit(analyse_chunk, batch, mapping))
            if len(pending) >= IN_FLIGHT_PER_WORKER * n_workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


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
        "stages": {
            "clean": "built",
            "dedup": "built",
            "entities": "built",
            "events": "built",
            "aggregates": "built",
        },
        "tables": {p.stem: pq.read_metadata(p).num_rows for p in sorted(out.glob("*.parquet"))},
    }


def default_progress(quiet: bool) -> Callable[[Iterable[Any]], Iterable[Any]] | None:
    """A tqdm bar on an interactive terminal, nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda it: tqdm(it, unit=" records", desc="rasd build", file=sys.stderr)


__all__ = ["BANDS", "BuildReport", "analyse", "build", "default_progress"]
