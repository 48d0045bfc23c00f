"""Small helpers for the SQL the build runs in DuckDB."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

#: (pair, shared key) rows counted in one step of :func:`shared_key_pairs`: each step's
#: hash tables stay well inside the build's DuckDB memory limit whatever the corpus size.
PART_ROWS = 4_000_000

#: Parquet row group size of the tables written in DuckDB's way (its own default).
ROW_GROUP_ROWS = 122_880

#: Rows read per Arrow batch when :func:`copy_ordered` streams a slice out of DuckDB.
BATCH_ROWS = 8192


def string_literal(value: str) -> str:
    """``value`` as a single-quoted SQL string literal (quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def path_literal(path: Path) -> str:
    """``path`` as a single-quoted SQL string literal (quotes doubled)."""
    return string_literal(str(path))


def string_list(values: Sequence[str]) -> str:
    """``values`` as a parenthesised SQL list of string literals (quotes doubled), for an
    ``IN``: DuckDB prunes Parquet row groups by a list of constants, not by a subquery's.
    ``values`` must not be empty."""
    if not values:
        raise ValueError("an SQL list needs at least one value")
    return "(" + ", ".join(string_literal(str(v)) for v in values) + ")"


def create_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """``CREATE OR REPLACE TABLE name`` with the rows of the Arrow ``table``, in one bulk
    copy (``executemany`` inserts a row at a time: minutes for a million duplicates)."""
    view = f"_arrow_{name}"
    con.register(view, table)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)


def split_by_hash(
    con: duckdb.DuckDBPyConnection, query: str, key: str, parts: int, folder: Path
) -> list[str | None]:
    """Write the rows of ``query`` under ``folder`` in ``parts`` parts by ``hash(key) %
    parts``, in one pass (``COPY … PARTITION_BY``); what reads each part (a
    ``read_parquet`` of its files, with the columns of ``query``), or None where no row
    fell. ``folder`` is replaced; the caller deletes it."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT *, hash({key}) % {int(parts)} AS _part FROM ({query})) "
        f"TO {path_literal(folder)} (FORMAT parquet, PARTITION_BY (_part))"
    )
    readers: list[str | None] = []
    for part in range(parts):
        files = folder / f"_part={part}"
        readers.append(
            f"read_parquet({path_literal(files / '*.parquet')}, hive_partitioning = false)"
            if any(files.glob("*.parquet"))
            else None
        )
    return readers


def shared_key_pairs(
    con: duckdb.DuckDBPyConnection,
    postings: str,
    out_table: str,
    scratch: Path | None,
    *,
    having: str,
) -> Iterator[None]:
    """Pairs of items that share keys, in parts of bounded size.

    ``postings`` is a table ``(key, i, …)``: item ``i`` has key ``key``. Every pair
    ``i < j`` sharing a key gives one row, with the first item's other columns under their
    own names; the pairs whose rows meet ``having`` (an aggregate condition such as
    ``count(*) >= 2``) are put in ``out_table(i, j)``, one part at a time: the generator
    yields once per part, after replacing ``out_table`` with that part's pairs.

    One key shared by n items gives n(n-1)/2 rows, so a corpus ten times larger can give a
    hundred times more. The rows are therefore written once to Parquet under ``scratch``,
    split by the pair's first item, and each part is counted alone (about ``PART_ROWS``
    rows); slicing the self-join instead would re-read every posting per slice. Without
    ``scratch`` a temporary directory is used; either way the parts are deleted after use.
    """
    (rows,) = con.execute(
        f"SELECT coalesce(sum(n * (n - 1) // 2), 0) "
        f"FROM (SELECT count(*) AS n FROM {postings} GROUP BY key)"
    ).fetchone()  # type: ignore[misc]
    parts = max(1, -(-int(rows) // PART_ROWS))
    shared = f"""
        SELECT a.i, b.i AS j, a.* EXCLUDE (key, i)
        FROM {postings} a JOIN {postings} b ON a.key = b.key AND a.i < b.i
    """
    count = f"CREATE OR REPLACE TABLE {out_table} AS SELECT i, j FROM {{source}} GROUP BY i, j HAVING {having}"
    if parts == 1:
        con.execute(count.format(source=f"({shared})"))
        yield
        return
    with contextlib.ExitStack() as stack:
        if scratch is None:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rasd-pairs-")))
        folder = scratch / f"shared-{out_table}"
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        for source in split_by_hash(con, shared, "i", parts, folder):
            if source is None:
                continue  # no pair has its first item in this part
            con.execute(count.format(source=source))
            yield


class _RowGroupWriter:
    """Record batches to a Parquet file in whole row groups of ``row_group_rows`` (the last
    one short), whatever the batches' sizes; cast to ``schema`` when one is given."""

    def __init__(self, out: Path, row_group_rows: int, schema: pa.Schema | None) -> None:
        self.out, self.row_group_rows, self.schema = out, row_group_rows, schema
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[pa.RecordBatch] = []
        self.pending_rows = 0
        self.rows = 0  # written or pending

    def add(self, reader: pa.RecordBatchReader) -> None:
        if self.writer is None:
            self.writer = pq.ParquetWriter(
                self.out, self.schema or reader.schema, compression="zstd"
            )
        for batch in reader:
            if self.schema is not None:
                batch = batch.cast(self.schema)
            self.pending.append(batch)
            self.pending_rows += batch.num_rows
            self.rows += batch.num_rows
            if self.pending_rows >= self.row_group_rows:
                self._flush()

    def _flush(self, last: bool = False) -> None:
        """Write whole row groups of the pending rows (all of them when ``last``)."""
        if not self.pending:
            return
        assert self.writer is not None
        table = pa.Table.from_batches(self.pending)
        size = self.row_group_rows
        whole = table.num_rows if last else table.num_rows - table.num_rows % size
        self.writer.write_table(table.slice(0, whole), row_group_size=size)
        rest = table.slice(whole)
        self.pending, self.pending_rows = rest.to_batches(), rest.num_rows

    def close(self) -> None:
        if self.writer is not None:
            self._flush(last=True)
            self.writer.close()


def copy_ordered(
    con: duckdb.DuckDBPyConnection,
    source: str,
    *,
    key: str,
    order_by: str,
    out: Path,
    slice_rows: int,
    row_group_rows: int,
    columns: str = "*",
    schema: pa.Schema | None = None,
    scratch: Path | None = None,
) -> int:
    """Write ``SELECT columns FROM (source) ORDER BY order_by`` to the Parquet file ``out``.

    DuckDB's ``COPY … ORDER BY`` sorts whole rows, and rows with article text do not sort
    within the build's memory limit at a million articles (the sort's pinned blocks fill
    it). Here only narrow columns are sorted: the rows' ``key`` (unique in ``source``) and
    the ``order_by`` columns give each row its position; the rows are then put in order
    ``slice_rows`` positions at a time, one way or the other:

    * without ``scratch``, each slice is one join with ``source``; DuckDB pushes the
      slice's key range into the scan, so when ``source`` is already nearly in order (a
      staged table in input order) each slice reads only its own row groups;
    * with ``scratch`` (a directory to create), ``source`` is read once and each row is
      appended to its slice's file there; then each slice's file is read, sorted and
      written. For an order unrelated to the source's, where every slice's join would read
      the whole source (at a million articles, ~20 reads of ~7 GB of text).

    ``order_by`` must make the order total (end it with ``key`` if need be), so that the
    file is the same from run to run. Batches are cast to ``schema`` when one is given.
    Returns the number of rows written.
    """
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _copy_order AS SELECT {key} AS _k, "
        f"(row_number() OVER (ORDER BY {order_by}) - 1)::BIGINT AS _pos FROM ({source})"
    )
    try:
        ((rows,),) = con.execute("SELECT count(*) FROM _copy_order").fetchall()
        sink = _RowGroupWriter(out, row_group_rows, schema)
        try:
            if scratch is not None:
                _scatter_sorted(con, source, key, columns, slice_rows, scratch, sink)
            else:
                for lo in range(0, max(int(rows), 1), slice_rows):
                    sink.add(
                        con.sql(
                            f"SELECT {columns} FROM ({source}) s JOIN "
                            f"(SELECT _k, _pos FROM _copy_order WHERE _pos >= {lo} AND _pos < {lo + slice_rows}) o "
                            f"ON s.{key} = o._k ORDER BY o._pos"
                        ).to_arrow_reader(BATCH_ROWS)
                    )
        finally:
            sink.close()
    finally:
        con.execute("DROP TABLE IF EXISTS _copy_order")
    return int(rows)


def _scatter_sorted(
    con: duckdb.DuckDBPyConnection,
    source: str,
    key: str,
    columns: str,
    slice_rows: int,
    scratch: Path,
    sink: _RowGroupWriter,
) -> None:
    """:func:`copy_ordered` with a scratch directory: one pass over ``source`` into a file
    per slice of positions (``_copy_order``), then each slice sorted by DuckDB into ``sink``.
    Python holds one batch at a time."""
    scratch.mkdir(parents=True)
    writers: dict[int, pq.ParquetWriter] = {}
    try:
        reader = con.sql(
            f"SELECT {columns}, o._pos AS _pos FROM ({source}) s "
            f"JOIN _copy_order o ON s.{key} = o._k"
        ).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            part = pc.divide(batch.column("_pos"), pa.scalar(slice_rows, pa.int64()))
            for number in pc.unique(part).to_pylist():
                if number not in writers:
                    writers[number] = pq.ParquetWriter(
                        scratch / f"{number}.parquet", batch.schema, compression="lz4"
                    )
                writers[number].write_batch(batch.filter(pc.equal(part, number)))
        if not writers:  # no row: the file still gets the columns
            empty = pa.schema([f for f in reader.schema if f.name != "_pos"])
            sink.add(pa.RecordBatchReader.from_batches(empty, []))
        for writer in writers.values():
            writer.close()
        for number in sorted(writers):
            # sorted by DuckDB within its memory limit, as a slice is without scratch
            path = scratch / f"{number}.parquet"
            sink.add(
                con.sql(
                    f"SELECT * EXCLUDE (_pos) FROM read_parquet({path_literal(path)}) ORDER BY _pos"
                ).to_arrow_reader(BATCH_ROWS)
            )
            path.unlink()
    finally:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(scratch, ignore_errors=True)


def copy_sorted(
    con: duckdb.DuckDBPyConnection,
    source: str,
    *,
    order_by: str,
    out: Path,
    row_group_rows: int,
    schema: pa.Schema | None = None,
) -> int:
    """Write ``SELECT * FROM (source) ORDER BY order_by`` to ``out`` by one DuckDB sort,
    streamed to Parquet in row groups of ``row_group_rows`` (cast to ``schema``).

    For rows narrow enough for DuckDB's sort to spill within its memory limit (the event
    mentions of a million articles: 13M rows with their sentences sorted within 1.2 GB),
    where :func:`copy_ordered` would read ``source`` once per slice: at that size 113 s
    against 62 s, the same file. Wider rows (article text) need :func:`copy_ordered`.
    Returns the number of rows written."""
    sink = _RowGroupWriter(out, row_group_rows, schema)
    try:
        sink.add(
            con.sql(f"SELECT * FROM ({source}) ORDER BY {order_by}").to_arrow_reader(BATCH_ROWS)
        )
    finally:
        sink.close()
    return sink.rows


def merge_sorted(
    con: duckdb.DuckDBPyConnection,
    parts: Sequence[Path],
    *,
    order_by: str,
    out: Path,
    slice_rows: int,
    row_group_rows: int,
    schema: pa.Schema | None = None,
) -> int:
    """Merge Parquet files each sorted by ``order_by`` (a total order) into ``out``.

    Only the ``order_by`` columns are sorted whole, to cut the merged order into slices of
    ``slice_rows`` rows. Since every part is in that order, a slice's rows are one run of
    row numbers in each part: a slice reads those runs (DuckDB skips the row groups
    outside them) and sorts them. Each row is read once, not once per slice as a join on
    a key would (:func:`copy_ordered`). Returns the number of rows written.
    """

    def scan(i: int, path: Path) -> str:
        return (
            f"SELECT {i} AS _part, file_row_number AS _r, * EXCLUDE (file_row_number) "
            f"FROM read_parquet({path_literal(path)}, file_row_number = true)"
        )

    union = " UNION ALL ".join(scan(i, p) for i, p in enumerate(parts))
    runs = con.execute(
        f"""
        SELECT _pos // {int(slice_rows)} AS _slice, _part, min(_r), max(_r) FROM (
            SELECT _part, _r,
                   row_number() OVER (ORDER BY {order_by}, _part, _r) - 1 AS _pos
            FROM ({union})
        ) GROUP BY ALL ORDER BY _slice, _part
        """
    ).fetchall()
    by_slice: dict[int, list[tuple[int, int, int]]] = {}
    for slice_no, part, first, last in runs:
        by_slice.setdefault(int(slice_no), []).append((int(part), int(first), int(last)))
    sink = _RowGroupWriter(out, row_group_rows, schema)
    try:
        if not by_slice:  # no row: an empty file with the parts' columns
            sink.add(
                con.sql(f"SELECT * EXCLUDE (_part, _r) FROM ({union}) LIMIT 0").to_arrow_reader()
            )
        for slice_no in sorted(by_slice):
            reads = " UNION ALL ".join(
                f"SELECT * FROM ({scan(part, parts[part])}) WHERE _r BETWEEN {first} AND {last}"
                for part, first, last in by_slice[slice_no]
            )
            sink.add(
                con.sql(
                    f"SELECT * EXCLUDE (_part, _r) FROM ({reads}) ORDER BY {order_by}, _part, _r"
                ).to_arrow_reader(BATCH_ROWS)
            )
    finally:
        sink.close()
    return sum(last - first + 1 for runs_ in by_slice.values() for _, first, last in runs_)


__all__ = [
    "BATCH_ROWS",
    "PART_ROWS",
    "ROW_GROUP_ROWS",
    "copy_ordered",
    "copy_sorted",
    "create_table",
    "merge_sorted",
    "path_literal",
    "shared_key_pairs",
    "split_by_hash",
]
