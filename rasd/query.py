"""Read side: the only way pages reach the data.

A :class:`Dataset` wraps one built directory. It checks the manifest and the schema version
when opened, then answers questions with DuckDB over the Parquet files (filters pushed down,
only the needed columns returned). Every method returns a new DataFrame, so callers can
change what they get without touching a cached value.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from rasd.aggregates import agg_articles_sql
from rasd.filters import Filters
from rasd.schema import DERIVED_TABLES, SCHEMA_VERSION, TABLES
from rasd.sql import path_literal


class DatasetError(Exception):
    """The dataset cannot be read. ``reason`` is a stable key; ``fix`` a command to run."""

    def __init__(self, reason: str, detail: str, fix: str) -> None:
        super().__init__(f"{detail} (run: {fix})")
        self.reason = reason
        self.detail = detail
        self.fix = fix


def build_command(data_dir: Path | str) -> str:
    """The command that (re)builds ``data_dir`` from the bundled corpus."""
    return f"rasd build data/raw --out {data_dir}"


# Last day an article may have been published, given its precision: a month-precise date
# covers the whole month, so a date filter must test overlap, not a point.
_PUB_END = """
CASE published_precision
    WHEN 'month' THEN last_day(CAST(published_at AS DATE))
    WHEN 'year' THEN make_date(year(published_at), 12, 31)
    ELSE CAST(published_at AS DATE)
END
"""

# The same over the ``day`` column of the aggregate tables (rasd.aggregates).
_AGG_PUB_END = """
CASE published_precision
    WHEN 'month' THEN last_day(day)
    WHEN 'year' THEN make_date(year(day), 12, 31)
    ELSE day
END
"""
#: Kept tables of distinct selections (free text, entities, event types): their article
#: ids or their ``agg_articles``, or what a page counts under them (:meth:`Dataset.kept`),
#: the most recently used ones.
_SELECTION_CACHE = 16
#: Fewer of the kinds that can be large: a Timeline's cluster counts under free text that
#: most articles match are millions of rows, as are the co-occurrence windows of an
#: event-type selection; a selection's entity pairs can be in a corpus of many entities.
_KIND_CACHE = {"counts": 4, "windows": 2, "pairs": 4}
#: How many made selections can be made again after being dropped (their SQL is kept).
_RECIPES = 1024
#: Kinds of kept table no filter changes (the vocabulary sample's article rows): made once
#: per process and kept, neither dropped for newer selections nor by
#: :meth:`Dataset.forget_selections`.
_LASTING_KINDS = frozenset({"sample"})
_SELECTION_NAME = re.compile(r"Table with name (selection_[a-z]+_\d+) does not exist")

_LIST_COLUMNS = (
    "article_id, outlet_id, outlet, url, title, published_at, published_precision, "
    "published_basis, duplicate_of, duplicate_kind, n_chars"
)


@dataclass(frozen=True)
class Where:
    """A SQL condition and its parameters, over ``table``: the ``articles`` view for
    :meth:`Dataset.where`, an aggregate table for :meth:`Dataset.agg_where` and
    :meth:`Dataset.articles_agg`."""

    sql: str
    params: list[Any]
    table: str = "articles"


#: Largest LIMIT for which DuckDB fetches the other columns after choosing the rows: the
#: Timeline's limit (5,000 events).
LATE_MATERIALIZATION = 5_000
#: DuckDB's memory for one app process's queries; with Python, Streamlit and the cached
#: answers the process stays under 3 GB (one Timeline question over the base tables of a
#: million articles reached 6.1 GB unbounded).
QUERY_MEMORY = "2GB"


_Fact = TypeVar("_Fact")


def _per_dataset(method: Callable[[Dataset], _Fact]) -> Callable[[Dataset], _Fact]:
    """Keep a method's answer on the dataset (:meth:`Dataset.remember`): for what no filter
    changes (the outlets, the entity ids, the event types, the first and last days, the
    table sizes). Each caller gets a copy (of a frame: a deep one), so changing it changes
    no other answer."""
    name = method.__name__

    @wraps(method)
    def kept(self: Dataset) -> _Fact:
        return copy.copy(self.remember(name, lambda: method(self)))

    return kept


class Dataset:
    """One built dataset directory, opened read-only."""

    def __init__(self, path: Path, *, use_aggregates: bool = True) -> None:
        self.path = path
        self.manifest = _read_manifest(path)
        self._con = duckdb.connect(":memory:")
        # Dates of UTC timestamps must not depend on the server's zone (a CAST to DATE uses it).
        self._con.execute("SET GLOBAL TimeZone = 'UTC'")  # cursors are sessions of their own
        # Top-N questions (the Timeline's most-covered events, then the first LIMIT in time)
        # read their wide columns (lists, evidence) only for the rows kept, not for every
        # row of a table of millions of clusters (DuckDB's default stops at LIMIT 50).
        self._con.execute(f"SET GLOBAL late_materialization_max_rows = {LATE_MATERIALIZATION}")
        # Each question reads a file's footer: at a million articles a table has ~1,000 row
        # groups, and parsing their metadata again cost every look-up ~20 ms of its ~45.
        # DuckDB checks the file's modification time before using what it kept.
        self._con.execute("SET GLOBAL parquet_metadata_cache = true")
        # Bounded memory for the app process (DuckDB's default is 80% of the machine): large
        # joins and sorts over a million articles spill to a temporary folder instead.
        spill = tempfile.mkdtemp(prefix="rasd-query-")
        weakref.finalize(self, shutil.rmtree, spill, ignore_errors=True)
        self._con.execute(f"SET GLOBAL memory_limit = '{QUERY_MEMORY}'")
        self._con.execute(f"SET GLOBAL temp_directory = {path_literal(Path(spill))}")
        self._lock = threading.Lock()
        self._facts: dict[Hashable, Any] = {}
        for table in TABLES:
            file = path / f"{table}.parquet"
            if not file.is_file():
                raise DatasetError(
                    "missing_table",
                    f"{file.name} is missing from {path}",
                    build_command(path),
                )
            # Paths are ours (a fixed set of names inside the checked directory), but quote
            # them as SQL literals all the same.
            literal = str(file).replace("'", "''")
            # The articles with their row numbers (file_row_number): a selection by free
            # text, entities or types is kept as row numbers, and an integer semi-join
            # reads no id column (Dataset.where).
            rows = ", file_row_number = true" if table == "articles" else ""
            try:
                self._con.execute(
                    f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{literal}'{rows})"
                )
                self._con.execute(f"SELECT * FROM {table} LIMIT 0")
            except duckdb.Error as exc:
                raise DatasetError(
                    "unreadable_table",
                    f"{file.name} cannot be read ({type(exc).__name__})",
                    build_command(path),
                ) from exc
        self._check_columns()
        self._aggs: set[str] = set()
        if use_aggregates:
            self._open_aggregates()
        self._selections: dict[tuple[str, ...], str] = {}
        #: How each recent selection table was made (SQL, parameters): one dropped while
        #: another session's question still names it is made again (:meth:`_df`).
        self._recipes: dict[str, tuple[str, list[Any]]] = {}
        self._serial = 0

    def _open_aggregates(self) -> None:
        """Views over the optional ``agg_*.parquet`` files that are present and complete."""
        for table, schema in DERIVED_TABLES.items():
            file = self.path / f"{table}.parquet"
            if not file.is_file():
                continue
            literal = str(file).replace("'", "''")
            try:
                self._con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{literal}')")
                present = {row[0] for row in self._con.execute(f"DESCRIBE {table}").fetchall()}
            except duckdb.Error:
                self._con.execute(f"DROP VIEW IF EXISTS {table}")
                continue  # a broken derived file is ignored: the base tables answer
            if all(name in present for name in schema.names):
                self._aggs.add(table)
            else:
                self._con.execute(f"DROP VIEW {table}")

    def fetch_sql(
        self,
        table: str,
        columns: str,
        key: str,
        keys: Sequence[Any],
        where: str = "TRUE",
        params: Sequence[Any] = (),
    ) -> tuple[str, list[Any]]:
        """The SELECT (and its parameters) of ``columns`` of the rows of ``table`` (a base
        or derived table's file) whose ``key`` is one of ``keys`` and that meet ``where``,
        in no particular order.

        For a few rows of a wide column (article bodies, sentences): their row numbers are
        found on the narrow key column first, then only those rows are read. A filter on a
        list of keys would decompress the wide column of every row group (DuckDB applies an
        IN list after the read); one on row numbers reads the row groups that hold them.
        The rows' numbers are found now; the SELECT can be run or read by a larger query."""
        if not keys:
            return self.rows_sql(table, columns, [])
        found = self._df(
            f"SELECT file_row_number AS n FROM {self.file_sql(table)} "
            f"WHERE {where} AND {key} IN ({', '.join('?' * len(keys))})",
            [*params, *keys],
        )
        return self.rows_sql(table, columns, [int(n) for n in found["n"]])

    def file_sql(self, table: str) -> str:
        """The file of ``table`` (base or derived) as a source with its row numbers
        (``file_row_number``), which :meth:`rows_sql` reads rows by."""
        file = path_literal(self.path / f"{table}.parquet")
        return f"read_parquet({file}, file_row_number = true)"

    def rows_sql(self, table: str, columns: str, rows: Sequence[int]) -> tuple[str, list[Any]]:
        """The SELECT (and its parameters) of ``columns`` of the rows numbered ``rows``
        of ``table``'s file (:meth:`file_sql`), in no particular order."""
        source = self.file_sql(table)
        if not rows:
            return f"SELECT {columns} FROM {source} LIMIT 0", []
        return (
            f"SELECT {columns} FROM {source} "
            f"WHERE file_row_number IN ({', '.join('?' * len(rows))})",
            [int(n) for n in rows],
        )

    def has_agg(self, table: str) -> bool:
        """Whether the derived table ``table`` (``agg_*``) can be read."""
        return table in self._aggs

    def agg_where(
        self, filters: Filters, *, include_duplicates: bool = True, table: str = "agg_articles"
    ) -> Where | None:
        """The condition for ``filters`` over an aggregate table keyed by ``outlet_id, day,
        published_precision, is_duplicate``, or None when the filters need the base tables
        (free text, entities, event types) or ``table`` is absent."""
        if table not in self._aggs or _selects(filters):
            return None
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if not include_duplicates:
            clauses.append("NOT is_duplicate")
        if filters.outlets:
            clauses.append("list_contains(?, outlet_id)")
            params.append(list(filters.outlets))
        if filters.has_date_range:
            clauses.append("day IS NOT NULL")
            if filters.date_from:
                # the first clause implies the second, which a reader can prune row groups
                # by (tables sorted by day)
                clauses.append(f"({_AGG_PUB_END}) >= ? AND day >= date_trunc('year', ?::DATE)")
                params.extend([filters.date_from, filters.date_from])
            if filters.date_to:
                clauses.append("day <= ?")
                params.append(filters.date_to)
        return Where(" AND ".join(clauses), params, table)

    def agg_left_out(
        self, filters: Filters, *, include_duplicates: bool = True, table: str = "agg_articles"
    ) -> list[Where] | None:
        """The dated rows of an aggregate table (as :meth:`agg_where`) that the date range
        of ``filters`` leaves out, as disjoint conditions each on a range of days (a
        table sorted by day reads only their row groups): before the start (the period of
        the row's date ends before it) and after the end. None where :meth:`agg_where` is,
        or without a date range."""
        if not filters.has_date_range:
            return None
        plain = self.agg_where(
            filters.with_(date_from=None, date_to=None),
            include_duplicates=include_duplicates,
            table=table,
        )
        if plain is None:
            return None
        parts: list[Where] = []
        if filters.date_from:
            # (the end of a period is on or after its day: day < start is implied)
            parts.append(
                Where(
                    f"{plain.sql} AND day < ? AND ({_AGG_PUB_END}) < ?",
                    [*plain.params, filters.date_from, filters.date_from],
                    table,
                )
            )
        if filters.date_to:
            # (needed only by a reversed range, where a row can lie both before the start
            # and after the end; otherwise day > end implies it)
            low = f" AND ({_AGG_PUB_END}) >= ?" if filters.date_from else ""
            parts.append(
                Where(
                    f"{plain.sql} AND day > ?{low}",
                    [*plain.params, filters.date_to]
                    + ([filters.date_from] if filters.date_from else []),
                    table,
                )
            )
        return parts

    def articles_agg(self, filters: Filters, *, include_duplicates: bool = True) -> Where | None:
        """The condition for ``filters`` over an ``agg_articles``-shaped table (its name in
        ``.table``), or None when the dataset has no ``agg_articles``.

        Outlet and date filters select rows of ``agg_articles`` itself. A selection by free
        text, entities or event types has its own ``agg_articles``, computed once and kept
        (:meth:`_selected`), so every chart of the page reads a small table.
        """
        if "agg_articles" not in self._aggs:
            return None
        plain = filters.with_(q="", entities=(), types=())
        where = self.agg_where(plain, include_duplicates=include_duplicates)
        if where is None or not _selects(filters):
            return where
        return Where(where.sql, where.params, self._selected(filters, "agg"))

    def selected_ids(self, filters: Filters) -> str | None:
        """The kept table (``article_row``: the article's row in articles.parquet) of the
        articles the free-text, entity and event-type part of ``filters`` selects, or None
        when it selects by none."""
        return self._selected(filters, "ids") if _selects(filters) else None

    def _selected(self, filters: Filters, kind: str) -> str:
        """A kept table for the free-text, entity and event-type part of ``filters``: the
        ids of the articles that contain every token of ``q``, mention one of the entities
        and report one of the types (``kind`` "ids"), or those articles' ``agg_articles``
        (``kind`` "agg").

        Each is made once per distinct selection and kept (the last ``_SELECTION_CACHE``):
        searching the text reads every article's body, and the entity and type conditions
        read the mention and event tables, so the other questions a page asks under the
        same selection join a small id list or read a small aggregate. One entity or one
        type alone is read from its rows of ``agg_entities`` or ``agg_event_types``, which
        the build wrote for this. Tables are made on a cursor of their own, outside the
        lock, so other sessions' queries do not wait for them.
        """
        q_norm = " ".join(filters.q_norm.split())
        return self._selection(
            kind, q_norm, sorted(set(filters.entities)), sorted(set(filters.types))
        )

    def _selection(self, kind: str, q_norm: str, entities: list[str], types: list[str]) -> str:
        key = (kind, q_norm, *entities, "|", *types)
        return self.kept(kind, key, lambda: self._selection_sql(kind, q_norm, entities, types))

    def _selection_sql(
        self, kind: str, q_norm: str, entities: list[str], types: list[str]
    ) -> tuple[str, list[Any]]:
        """The SQL (and parameters) of a selection table (:meth:`_selected`)."""
        params: list[Any] = []
        if kind == "agg":
            one = None if q_norm else _one_item(entities, types)
            if one is not None and one[0] in self._aggs:
                table, column, value = one
                sql = (
                    "SELECT outlet_id, outlet, day, published_precision, published_basis, "
                    "is_duplicate, n_articles AS n, min_published_at, max_published_at "
                    f"FROM {table} WHERE {column} = ?"
                )
                params = [value]
            else:
                ids = self._selection("ids", q_norm, entities, types)
                sql = agg_articles_sql(
                    "(SELECT * FROM articles "
                    f"WHERE file_row_number IN (SELECT article_row FROM {ids}))"
                )
        else:
            # Each part is a set of article_row: the article's row in articles.parquet, which
            # the questions select by (Dataset.where). No ids: at 1M, making the table of a
            # type, an entity or a word in half the articles took 50-80 ms more with them.
            parts = []
            rows_of = f"SELECT file_row_number AS article_row FROM {self.file_sql('articles')}"
            if q_norm:
                tokens = q_norm.split()
                if self.has_agg("agg_text_index"):
                    # The articles of the index's words that contain each query word (a
                    # query word holds no space, so it occurs inside one word of a text;
                    # an article is listed under each of its words that do).
                    rows = " INTERSECT ".join(
                        "SELECT unnest(article_rows) AS article_row FROM agg_text_index "
                        "WHERE contains(token, ?)"
                        for _ in tokens
                    )
                    parts.append(f"SELECT DISTINCT article_row FROM ({rows})")
                else:
                    parts.append(
                        f"{rows_of} WHERE " + " AND ".join("contains(text_norm, ?)" for _ in tokens)
                    )
                params.extend(tokens)
            if entities:
                if self.has_agg("agg_entity_sentences"):
                    # an entity's rows are a few row groups of each year's part
                    parts.append(
                        "SELECT article_row FROM agg_entity_sentences "
                        "WHERE list_contains(?, entity_id)"
                    )
                else:
                    parts.append(
                        f"{rows_of} WHERE article_id IN "
                        "(SELECT article_id FROM mentions WHERE list_contains(?, entity_id))"
                    )
                params.append(entities)
            once = False  # whether the one part lists each article once already
            if types:
                if self.has_agg("agg_type_articles"):
                    # a type's articles are a few row groups of agg_type_articles, each
                    # article once per type (1M, one type in 853k articles: no DISTINCT,
                    # 65 -> 14 ms)
                    parts.append(
                        "SELECT article_row FROM agg_type_articles "
                        "WHERE list_contains(?, event_type)"
                    )
                    once = len(types) == 1
                else:
                    parts.append(
                        f"{rows_of} WHERE article_id IN "
                        "(SELECT article_id FROM events WHERE list_contains(?, event_type))"
                    )
                params.append(types)
            # Each article once (set semantics), so every join with the table is with the
            # fewest rows (1M, one entity: 552k mentions, 439k articles).
            if len(parts) == 1 and (once or not (entities or types)):
                sql = parts[0]  # free text or one type alone: articles' rows, each once
            elif len(parts) == 1:
                sql = f"SELECT DISTINCT article_row FROM ({parts[0]})"
            else:
                sql = " INTERSECT ".join(parts)
        return sql, params

    def kept(
        self, kind: str, key: tuple[Any, ...], make: Callable[[], tuple[str, list[Any]]]
    ) -> str:
        """The name of a table kept under ``key``, made from ``make()`` (SQL, parameters)
        the first time it is asked for: what several questions of a page (and the next
        filter change) read instead of computing it each time. The last
        ``_SELECTION_CACHE`` are kept; ``kind`` (lowercase letters) goes into the name."""
        with self._lock:
            hit = self._selections.pop(key, None)
            if hit is not None:
                self._selections[key] = hit  # most recently used last
                return hit
            self._serial += 1
            name = f"selection_{kind}_{self._serial}"
        sql, params = make()
        self._make_selection(name, sql, params, key)
        return name

    def remember(self, key: Hashable, make: Callable[[], _Fact]) -> _Fact:
        """``make()``, asked once per dataset under ``key``: for what no filter changes,
        read from files the dataset never sees change (a rebuild opens a new one). The
        value itself is returned, shared by every caller: copy what may be changed."""
        with self._lock:
            if key in self._facts:
                known: _Fact = self._facts[key]
                return known
        value = make()
        with self._lock:
            kept: _Fact = self._facts.setdefault(key, value)
        return kept

    def forget_selections(self) -> None:
        """Drop every kept table (:meth:`kept`) that a filter chose, as if no filter had
        been asked yet: the files and their cached metadata stay open, and so does what no
        filter changes (the lasting kinds, the answers of ``_per_dataset`` methods), which
        a server makes once, for the first page it shows. ``benchmarks/bench_dashboard.py``
        calls it between repeats, so each filter change is timed as first asked."""
        with self._lock:
            for key, name in list(self._selections.items()):
                if _kind(name) not in _LASTING_KINDS:
                    del self._selections[key]
                    self._recipes.pop(name, None)
                    self._con.execute(f"DROP TABLE IF EXISTS {name}")

    def _make_selection(
        self,
        name: str,
        sql: str,
        params: list[Any],
        key: tuple[str, ...],
        pinned: set[str] | None = None,
    ) -> None:
        """Create the kept table ``name`` and keep it under ``key``; drop the oldest, but
        not those ``pinned`` (tables made again for a question that reads them all)."""
        pinned = set() if pinned is None else pinned
        with self._lock:
            cursor = self._con.cursor()
        try:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {name} AS {sql}", params)
        except duckdb.CatalogException as exc:
            # an agg selection reads its ids table, which may have been dropped meanwhile
            # (made again and pinned with ``name``: the question may read all of them)
            pinned.add(name)
            if not self._revive(exc, pinned):
                raise
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {name} AS {sql}", params)
        finally:
            cursor.close()
        with self._lock:
            self._selections[key] = name
            self._recipes[name] = (sql, params)
            kind = _kind(name)
            droppable = [
                k
                for k, v in self._selections.items()
                if v not in pinned and v != name and _kind(v) not in _LASTING_KINDS
            ]
            same_kind = [k for k in droppable if _kind(self._selections[k]) == kind]
            stale = same_kind[
                : max(0, len(same_kind) + 1 - _KIND_CACHE.get(kind, _SELECTION_CACHE))
            ]
            for old_key in stale:
                self._con.execute(f"DROP TABLE IF EXISTS {self._selections.pop(old_key)}")
                droppable.remove(old_key)
            lasting = sum(_kind(v) in _LASTING_KINDS for v in self._selections.values())
            excess = len(self._selections) - lasting - _SELECTION_CACHE
            for old_key in droppable[: max(0, excess)]:
                self._con.execute(f"DROP TABLE IF EXISTS {self._selections.pop(old_key)}")
            while len(self._recipes) > _RECIPES:
                self._recipes.pop(next(iter(self._recipes)))

    def _revive(self, error: duckdb.Error, pinned: set[str]) -> bool:
        """Make again the selection tables ``error`` says are missing (dropped for newer
        ones between a question's SQL being written and run); whether any was. Each is
        added to ``pinned``: a question that reads two kept tables, both dropped, has the
        first made again kept while the second is."""
        revived = False
        for name in dict.fromkeys(_SELECTION_NAME.findall(str(error))):
            with self._lock:
                recipe = self._recipes.get(name)
            if recipe is not None:
                pinned.add(name)
                # under a key of its own: the selection's key may name a newer table now
                self._make_selection(name, *recipe, ("revived", name), pinned)
                revived = True
        return revived

    # -- plumbing -------------------------------------------------------------------------

    def _check_columns(self) -> None:
        for table, schema in TABLES.items():
            present = {row[0] for row in self._con.execute(f"DESCRIBE {table}").fetchall()}
            missing = [name for name in schema.names if name not in present]
            if missing:
                raise DatasetError(
                    "schema_mismatch",
                    f"{table}.parquet lacks columns {', '.join(missing)}",
                    build_command(self.path),
                )

    def _df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        # One connection per dataset, one cursor per query: DuckDB cursors are safe to use
        # from the threads Streamlit runs sessions in.
        pinned: set[str] = set()
        for attempt in range(4):
            with self._lock:
                cursor = self._con.cursor()
            try:
                return cursor.execute(sql, list(params)).df()
            except duckdb.CatalogException as exc:
                if attempt == 3 or not self._revive(exc, pinned):
                    raise
            finally:
                cursor.close()
        raise AssertionError("unreachable")

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        frame = self._df(sql, params)
        return None if frame.empty else frame.iat[0, 0]

    @property
    def dataset_id(self) -> str:
        """Short id of this build (changes whenever the data changes)."""
        return str(self.manifest.get("dataset_id", ""))

    def where(self, filters: Filters, *, include_duplicates: bool = True) -> Where:
        """The SQL condition for ``filters`` over the ``articles`` view, or over any table
        with the articles' filter columns and their row in articles.parquet as
        ``file_row_number``."""
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if not include_duplicates:
            clauses.append("duplicate_of IS NULL")
        if filters.outlets:
            clauses.append("list_contains(?, outlet_id)")
            params.append(list(filters.outlets))
        if filters.has_date_range:
            # On the time itself (UTC, as the day is), which the row groups' statistics
            # prune in articles.parquet (written in publication order): at 1M, one week
            # 80 -> 11 ms, one year 69 -> 14 ms a count, where a cast of every row's time to
            # its day read them all
            clauses.append("published_at IS NOT NULL")
            if filters.date_from:
                # the period of the date ends on or after the start: it begins in that
                # year or later (the exact test then reads only those rows)
                clauses.append(f"published_at >= ? AND ({_PUB_END}) >= ?")
                params += [_utc_midnight(date(filters.date_from.year, 1, 1)), filters.date_from]
            if filters.date_to:
                if filters.date_to < date.max:
                    clauses.append("published_at < ?")
                    params.append(_utc_midnight(filters.date_to + timedelta(days=1)))
                else:
                    clauses.append("CAST(published_at AS DATE) <= ?")
                    params.append(filters.date_to)
        if _selects(filters):
            # by row number: an integer semi-join that reads no id column (at 1M, half the
            # articles selected: ~0.2 s a question by id)
            ids = self._selected(filters, "ids")
            clauses.append(f"file_row_number IN (SELECT article_row FROM {ids})")
        if filters.article:
            pass  # selecting an article opens it; it does not narrow the list
        return Where(" AND ".join(clauses), params)

    # -- questions the pages ask ------------------------------------------------------------

    @_per_dataset
    def outlets(self) -> pd.DataFrame:
        """Every outlet: ``outlet_id, outlet, n_articles, n_unique``, largest first."""
        if self.has_agg("agg_articles"):
            return self._df(
                """
                SELECT outlet_id, any_value(outlet) AS outlet,
                       CAST(sum(n) AS BIGINT) AS n_articles,
                       CAST(coalesce(sum(n) FILTER (WHERE NOT is_duplicate), 0) AS BIGINT)
                           AS n_unique
                FROM agg_articles GROUP BY outlet_id ORDER BY n_articles DESC, outlet_id
                """
            )
        return self._df(
            """
            SELECT outlet_id, any_value(outlet) AS outlet, count(*) AS n_articles,
                   count(*) FILTER (WHERE duplicate_of IS NULL) AS n_unique
            FROM articles GROUP BY outlet_id ORDER BY n_articles DESC, outlet_id
            """
        )

    @_per_dataset
    def entity_ids(self) -> list[str]:
        """Every entity id (for validating URL parameters)."""
        return [str(v) for v in self._df("SELECT entity_id FROM entities")["entity_id"]]

    def entity_names(self, entity_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Entity id → (Arabic name, English name) for the ids that exist."""
        frame = self._df(
            "SELECT entity_id, name_ar, name_en FROM entities WHERE list_contains(?, entity_id)",
            [list(entity_ids)],
        )
        return {
            str(i): (str(ar), str(en) if isinstance(en, str) and en else str(ar))
            for i, ar, en in frame.itertuples(index=False)
        }

    @_per_dataset
    def event_types(self) -> list[str]:
        """Every event type present."""
        frame = self._df("SELECT DISTINCT event_type FROM events ORDER BY 1")
        return [str(v) for v in frame["event_type"]]

    @_per_dataset
    def date_bounds(self) -> tuple[date | None, date | None]:
        """First and last known publication day in the whole dataset."""
        if self.has_agg("agg_articles"):
            frame = self._df("SELECT min(day) AS lo, max(day) AS hi FROM agg_articles")
        else:
            frame = self._df(
                "SELECT min(CAST(published_at AS DATE)) AS lo, "
                "max(CAST(published_at AS DATE)) AS hi FROM articles"
            )
        lo, hi = frame.iat[0, 0], frame.iat[0, 1]
        return (_as_date(lo), _as_date(hi))

    def headline(self, filters: Filters) -> dict[str, int | date | None]:
        """Headline figures for the current filters.

        Returns ``articles`` (unique), ``copies`` (rows that duplicate another), ``outlets``,
        ``undated`` (unique articles without a publication date), ``first`` and ``last``
        publication days, and ``quarantined`` (whole dataset; filters do not apply).
        """
        agg = self.articles_agg(filters)
        if agg is not None:
            frame = self._df(
                f"""
                SELECT coalesce(sum(n) FILTER (WHERE NOT is_duplicate), 0) AS articles,
                       coalesce(sum(n) FILTER (WHERE is_duplicate), 0) AS copies,
                       count(DISTINCT outlet_id) AS outlets,
                       coalesce(sum(n) FILTER (WHERE NOT is_duplicate AND day IS NULL), 0)
                           AS undated,
                       min(day) AS first, max(day) AS last
                FROM {agg.table} WHERE {agg.sql}
                """,
                agg.params,
            )
        else:
            frame = self._headline_base(filters)
        row = frame.iloc[0]
        quarantined = self._scalar("SELECT count(*) FROM quarantine WHERE disposition = 'rejected'")
        return {
            "articles": int(row["articles"]),
            "copies": int(row["copies"]),
            "outlets": int(row["outlets"]),
            "undated": int(row["undated"]),
            "first": _as_date(row["first"]),
            "last": _as_date(row["last"]),
            "quarantined": int(quarantined or 0),
        }

    def _headline_base(self, filters: Filters) -> pd.DataFrame:
        where = self.where(filters)
        return self._df(
            f"""
            SELECT count(*) FILTER (WHERE duplicate_of IS NULL) AS articles,
                   count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS copies,
                   count(DISTINCT outlet_id) AS outlets,
                   count(*) FILTER (WHERE duplicate_of IS NULL AND published_at IS NULL)
                       AS undated,
                   min(CAST(published_at AS DATE)) AS first,
                   max(CAST(published_at AS DATE)) AS last
            FROM articles WHERE {where.sql}
            """,
            where.params,
        )

    def count_articles(self, filters: Filters, *, include_duplicates: bool = True) -> int:
        """Number of article rows matching ``filters``."""
        agg = self.articles_agg(filters, include_duplicates=include_duplicates)
        if agg is not None:
            sql = f"SELECT coalesce(sum(n), 0) FROM {agg.table} WHERE {agg.sql}"
            return int(self._scalar(sql, agg.params))
        where = self.where(filters, include_duplicates=include_duplicates)
        return int(self._scalar(f"SELECT count(*) FROM articles WHERE {where.sql}", where.params))

    def undated_excluded(self, filters: Filters) -> int:
        """Articles the date range hides only because their date is unknown."""
        if not filters.has_date_range:
            return 0
        undated = filters.with_(date_from=None, date_to=None)
        agg = self.articles_agg(undated, include_duplicates=False)
        if agg is not None:
            sql = f"SELECT coalesce(sum(n), 0) FROM {agg.table} WHERE {agg.sql} AND day IS NULL"
            return int(self._scalar(sql, agg.params))
        where = self.where(undated, include_duplicates=False)
        return int(
            self._scalar(
                f"SELECT count(*) FROM articles WHERE {where.sql} AND published_at IS NULL",
                where.params,
            )
        )

    def articles(
        self,
        filters: Filters,
        *,
        include_duplicates: bool = True,
        limit: int = 500,
        offset: int = 0,
    ) -> pd.DataFrame:
        """The filtered article list, newest first, undated last (no body text)."""
        where = self.where(filters, include_duplicates=include_duplicates)
        return self._df(
            f"""
            SELECT {_LIST_COLUMNS} FROM articles WHERE {where.sql}
            ORDER BY published_at DESC NULLS LAST, outlet_id, article_id
            LIMIT ? OFFSET ?
            """,
            [*where.params, int(limit), int(offset)],
        )

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its clean text and provenance, or None."""
        frame = self._df(
            "SELECT * EXCLUDE (text_norm, file_row_number) FROM articles WHERE article_id = ?",
            [article_id],
        )
        if frame.empty:
            return None
        record = frame.iloc[0].to_dict()
        return {str(k): (None if _is_missing(v) else v) for k, v in record.items()}

    def counts_by_outlet_period(
        self, filters: Filters, *, period: str = "day", include_duplicates: bool = False
    ) -> pd.DataFrame:
        """Articles per outlet and period: ``period_start, outlet_id, outlet, n``.

        Only articles whose date is at least as precise as ``period`` (day, week, month or
        year) are counted; the rest cannot be placed honestly (see ``undated_excluded`` and
        ``imprecise_excluded``).
        """
        if period not in {"day", "week", "month", "year"}:
            raise ValueError(f"unknown period {period!r}")
        agg = self.articles_agg(filters, include_duplicates=include_duplicates)
        if agg is not None:
            return self._df(
                f"""
                SELECT CAST(date_trunc('{period}', day) AS DATE) AS period_start,
                       outlet_id, any_value(outlet) AS outlet, CAST(sum(n) AS BIGINT) AS n
                FROM {agg.table}
                WHERE {agg.sql} AND day IS NOT NULL AND {_precise_enough(period)}
                GROUP BY ALL ORDER BY period_start, outlet_id
                """,
                agg.params,
            )
        where = self.where(filters, include_duplicates=include_duplicates)
        return self._df(
            f"""
            SELECT CAST(date_trunc('{period}', published_at) AS DATE) AS period_start,
                   outlet_id, any_value(outlet) AS outlet, count(*) AS n
            FROM articles
            WHERE {where.sql} AND published_at IS NOT NULL
              AND {_precise_enough(period)}
            GROUP BY ALL ORDER BY period_start, outlet_id
            """,
            where.params,
        )

    def imprecise_excluded(self, filters: Filters, *, period: str = "day") -> int:
        """Dated articles too coarse to place in ``period`` buckets."""
        agg = self.articles_agg(filters, include_duplicates=False)
        if agg is not None:
            return int(
                self._scalar(
                    f"SELECT coalesce(sum(n), 0) FROM {agg.table} WHERE {agg.sql} "
                    f"AND day IS NOT NULL AND NOT ({_precise_enough(period)})",
                    agg.params,
                )
            )
        where = self.where(filters, include_duplicates=False)
        return int(
            self._scalar(
                f"SELECT count(*) FROM articles WHERE {where.sql} AND published_at IS NOT NULL "
                f"AND NOT ({_precise_enough(period)})",
                where.params,
            )
        )

    def counts_by_outlet(self, filters: Filters) -> pd.DataFrame:
        """Per outlet under ``filters``: ``outlet_id, outlet, articles, copies, undated``."""
        agg = self.articles_agg(filters)
        if agg is not None:
            return self._df(
                f"""
                SELECT outlet_id, any_value(outlet) AS outlet,
                       {_agg_sum("NOT is_duplicate")} AS articles,
                       {_agg_sum("is_duplicate")} AS copies,
                       {_agg_sum("NOT is_duplicate AND day IS NULL")} AS undated
                FROM {agg.table} WHERE {agg.sql}
                GROUP BY outlet_id ORDER BY articles DESC, outlet_id
                """,
                agg.params,
            )
        where = self.where(filters)
        return self._df(
            f"""
            SELECT outlet_id, any_value(outlet) AS outlet,
                   count(*) FILTER (WHERE duplicate_of IS NULL) AS articles,
                   count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS copies,
                   count(*) FILTER (WHERE duplicate_of IS NULL AND published_at IS NULL)
                       AS undated
            FROM articles WHERE {where.sql}
            GROUP BY outlet_id ORDER BY articles DESC, outlet_id
            """,
            where.params,
        )

    def date_basis_counts(self, filters: Filters) -> pd.DataFrame:
        """How publication dates were obtained: ``published_basis, published_precision, n``."""
        agg = self.articles_agg(filters, include_duplicates=False)
        if agg is not None:
            return self._df(
                f"""
                SELECT published_basis, published_precision, CAST(sum(n) AS BIGINT) AS n
                FROM {agg.table} WHERE {agg.sql} GROUP BY ALL ORDER BY n DESC
                """,
                agg.params,
            )
        where = self.where(filters, include_duplicates=False)
        return self._df(
            f"""
            SELECT published_basis, published_precision, count(*) AS n
            FROM articles WHERE {where.sql} GROUP BY ALL ORDER BY n DESC
            """,
            where.params,
        )

    def quarantine(self) -> pd.DataFrame:
        """Every rejected or flagged input record: ``source_ref, reason, detail, disposition``."""
        return self._df("SELECT * FROM quarantine ORDER BY disposition DESC, reason, source_ref")

    def duplicates(self, filters: Filters, *, limit: int | None = None) -> pd.DataFrame:
        """Copies and their originals, for rows matching ``filters`` (most similar first;
        at most ``limit`` rows)."""
        where = self.where(filters)
        return self._df(
            f"""
            SELECT d.article_id, d.outlet_id, d.outlet, d.title, d.published_at,
                   d.duplicate_kind, d.duplicate_similarity, d.source_ref,
                   o.article_id AS original_id, o.outlet_id AS original_outlet_id,
                   o.outlet AS original_outlet, o.title AS original_title,
                   o.published_at AS original_published_at
            FROM (SELECT * FROM articles WHERE {where.sql}) AS d
            JOIN articles AS o ON o.article_id = d.duplicate_of
            ORDER BY d.duplicate_similarity DESC, d.article_id
            {"" if limit is None else "LIMIT ?"}
            """,
            [*where.params, *([] if limit is None else [int(limit)])],
        )

    # -- added for the dashboard pages (UI helper) ------------------------------------------

    @_per_dataset
    def table_sizes(self) -> pd.DataFrame:
        """Rows per table: ``table, n_rows`` (empty entities/events mean a stage not built)."""
        union = " UNION ALL ".join(
            f"SELECT '{table}' AS \"table\", count(*) AS n_rows FROM {table}" for table in TABLES
        )
        return self._df(union)

    def date_span(self, filters: Filters) -> pd.DataFrame:
        """First and last publication of unique articles, each with its precision.

        One row: ``first, first_precision, last, last_precision`` (nulls when nothing is
        dated), so a month-precise first article is shown as a month, not as its first day.
        """
        agg = self.articles_agg(filters, include_duplicates=False)
        if agg is not None:
            return self._df(
                f"""
                SELECT min(day) AS first,
                       arg_min(published_precision, min_published_at) AS first_precision,
                       max(day) AS last,
                       arg_max(published_precision, max_published_at) AS last_precision
                FROM {agg.table} WHERE {agg.sql} AND day IS NOT NULL
                """,
                agg.params,
            )
        where = self.where(filters, include_duplicates=False)
        return self._df(
            f"""
            SELECT CAST(min(published_at) AS DATE) AS first,
                   arg_min(published_precision, published_at) AS first_precision,
                   CAST(max(published_at) AS DATE) AS last,
                   arg_max(published_precision, published_at) AS last_precision
            FROM articles WHERE {where.sql} AND published_at IS NOT NULL
            """,
            where.params,
        )

    def outlet_summary(self, filters: Filters) -> pd.DataFrame:
        """Per outlet under ``filters``, with the span of its publication dates.

        Columns: ``outlet_id, outlet, articles, copies, undated, imprecise`` (unique articles
        dated only to a month or year), ``first, first_precision, last, last_precision``.
        """
        agg = self.articles_agg(filters)
        if agg is not None:
            return self._df(
                f"""
                SELECT outlet_id, any_value(outlet) AS outlet,
                       {_agg_sum("NOT is_duplicate")} AS articles,
                       {_agg_sum("is_duplicate")} AS copies,
                       {_agg_sum("NOT is_duplicate AND day IS NULL")} AS undated,
                       {
                    _agg_sum(
                        "NOT is_duplicate AND day IS NOT NULL "
                        "AND published_precision IN ('month', 'year')"
                    )
                } AS imprecise,
                       min(day) AS first,
                       arg_min(published_precision, min_published_at) AS first_precision,
                       max(day) AS last,
                       arg_max(published_precision, max_published_at) AS last_precision
                FROM {agg.table} WHERE {agg.sql}
                GROUP BY outlet_id ORDER BY articles DESC, outlet_id
                """,
                agg.params,
            )
        where = self.where(filters)
        return self._df(
            f"""
            SELECT outlet_id, any_value(outlet) AS outlet,
                   count(*) FILTER (WHERE duplicate_of IS NULL) AS articles,
                   count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS copies,
                   count(*) FILTER (WHERE duplicate_of IS NULL AND published_at IS NULL)
                       AS undated,
                   count(*) FILTER (
                       WHERE duplicate_of IS NULL AND published_at IS NOT NULL
                         AND published_precision IN ('month', 'year')
                   ) AS imprecise,
                   CAST(min(published_at) AS DATE) AS first,
                   arg_min(published_precision, published_at) AS first_precision,
                   CAST(max(published_at) AS DATE) AS last,
                   arg_max(published_precision, published_at) AS last_precision
            FROM articles WHERE {where.sql}
            GROUP BY outlet_id ORDER BY articles DESC, outlet_id
            """,
            where.params,
        )

    def top_entities(self, filters: Filters, *, limit: int = 100) -> pd.DataFrame:
        """Entities mentioned in articles matching ``filters``, most widely covered first.

        Columns: ``entity_id, name_ar, name_en, type, wikidata_id, n_mentions, n_articles``.
        """
        agg = self.agg_where(filters, table="agg_entities")
        if agg is not None:
            return self._df(
                f"""
                SELECT e.entity_id, e.name_ar, e.name_en, e.type, e.wikidata_id,
                       CAST(sum(g.n_mentions) AS BIGINT) AS n_mentions,
                       CAST(sum(g.n_articles) AS BIGINT) AS n_articles
                FROM (SELECT * FROM agg_entities WHERE {agg.sql}) AS g
                JOIN entities AS e ON e.entity_id = g.entity_id
                GROUP BY ALL ORDER BY n_articles DESC, n_mentions DESC, e.entity_id
                LIMIT ?
                """,
                [*agg.params, int(limit)],
            )
        where = self.where(filters)
        return self._df(
            f"""
            SELECT e.entity_id, e.name_ar, e.name_en, e.type, e.wikidata_id,
                   count(*) AS n_mentions, count(DISTINCT m.article_id) AS n_articles
            FROM mentions AS m JOIN entities AS e ON e.entity_id = m.entity_id
            WHERE m.article_id IN (SELECT article_id FROM articles WHERE {where.sql})
            GROUP BY ALL ORDER BY n_articles DESC, n_mentions DESC, e.entity_id
            LIMIT ?
            """,
            [*where.params, int(limit)],
        )

    def events_list(self, filters: Filters, *, limit: int = 500) -> pd.DataFrame:
        """Event mentions in articles matching ``filters``, earliest first, undated last.

        Columns: ``event_id, article_id, cluster_id, event_type, date_start, date_end,
        date_precision, date_basis, evidence, confidence``.
        """
        where = self.where(filters)
        return self._df(
            f"""
            SELECT event_id, article_id, cluster_id, event_type, date_start, date_end,
                   date_precision, date_basis, evidence, confidence
            FROM events
            WHERE article_id IN (SELECT article_id FROM articles WHERE {where.sql})
            ORDER BY date_start NULLS LAST, event_id
            LIMIT ?
            """,
            [*where.params, int(limit)],
        )


def _utc_midnight(day: date) -> datetime:
    """The first instant of ``day`` in UTC, the zone publication days are taken in."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _kind(name: str) -> str:
    """The kind of a kept table, from its name (``selection_<kind>_<serial>``)."""
    return name.split("_")[1]


def _selects(filters: Filters) -> bool:
    """Whether ``filters`` select by free text, entities or event types (what only the base
    tables, or a kept selection made from them, can answer)."""
    return bool(filters.q_norm.split() or filters.entities or filters.types)


def _one_item(entities: list[str], types: list[str]) -> tuple[str, str, str] | None:
    """``(table, column, value)`` when the selection is one entity or one event type alone."""
    if len(entities) == 1 and not types:
        return "agg_entities", "entity_id", entities[0]
    if len(types) == 1 and not entities:
        return "agg_event_types", "event_type", types[0]
    return None


def _agg_sum(condition: str) -> str:
    """``sum(n)`` over the aggregate rows meeting ``condition``, as a BIGINT (0 if none)."""
    return f"CAST(coalesce(sum(n) FILTER (WHERE {condition}), 0) AS BIGINT)"


def _precise_enough(period: str) -> str:
    allowed = {
        "day": "('minute', 'day')",
        "week": "('minute', 'day')",
        "month": "('minute', 'day', 'month')",
        "year": "('minute', 'day', 'month', 'year')",
    }[period]
    return f"published_precision IN {allowed}"


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_date(value: Any) -> date | None:
    if value is None or _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_dir():
        raise DatasetError("missing_dir", f"no dataset at {path}", build_command(path))
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file():
        raise DatasetError("missing_manifest", f"{path} has no manifest.json", build_command(path))
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(
            "bad_manifest", f"manifest.json is unreadable ({exc})", build_command(path)
        ) from exc
    if not isinstance(manifest, dict):
        raise DatasetError("bad_manifest", "manifest.json is not an object", build_command(path))
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DatasetError(
            "schema_version",
            f"the dataset has schema version {version!r}; this Rasd reads {SCHEMA_VERSION}",
            build_command(path),
        )
    return manifest


def open_dataset(path: Path | str) -> Dataset:
    """Open a built dataset directory; raises :class:`DatasetError` with the fix."""
    return Dataset(Path(path))
