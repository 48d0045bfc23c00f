"""Small helpers for the SQL the build runs in DuckDB."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
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
) -> int:
    """Write ``SELECT columns FROM (source) ORDER BY order_by`` to the Parquet file ``out``.

    DuckDB's ``COPY … ORDER BY`` sorts whole rows, and rows with article text do not sort
    within the build's memory limit at a million articles (the sort's pinned blocks fill
    it). Here only narrow columns are sorted: the rows' ``key`` (unique in ``source``) and
    the ``order_by`` columns give each row its position; the rows are then fetched, sorted
    and written ``slice_rows`` positions at a time. Each slice is one join with ``source``;
    DuckDB pushes the slice's key range into the scan, so when ``source`` is already nearly
    in order (a staged table in input order) each slice reads only its own row groups.

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
        writer: pq.ParquetWriter | None = None
        pending: list[pa.RecordBatch] = []
        pending_rows = 0

        def flush(last: bool = False) -> None:
            """Write whole row groups of the pending rows (all of them when ``last``)."""
            nonlocal pending, pending_rows
            if not pending:
                return
            assert writer is not None
            table = pa.Table.from_batches(pending)
            whole = table.num_rows if last else table.num_rows - table.num_rows % row_group_rows
            writer.write_table(table.slice(0, whole), row_group_size=row_group_rows)
            rest = table.slice(whole)
            pending, pending_rows = rest.to_batches(), rest.num_rows

        try:
            for lo in range(0, max(int(rows), 1), slice_rows):
                reader = con.sql(
                    f"SELECT {columns} FROM ({source}) s JOIN "
                    f"(SELECT _k, _pos FROM _copy_order WHERE _pos >= {lo} AND _pos < {lo + slice_rows}) o "
                    f"ON s.{key} = o._k ORDER BY o._pos"
                ).to_arrow_reader(BATCH_ROWS)
                if writer is None:
                    writer = pq.ParquetWriter(out, schema or reader.schema, compression="zstd")
                for batch in reader:
                    if schema is not None:
                        batch = batch.cast(schema)
                    pending.append(batch)
                    pending_rows += batch.num_rows
                    if pending_rows >= row_group_rows:
                        flush()
            flush(last=True)
        finally:
            if writer is not None:
                writer.close()
    finally:
        con.execute("DROP TABLE IF EXISTS _copy_order")
    return int(rows)


__all__ = [
    "BATCH_ROWS",
    "PART_ROWS",
    "ROW_GROUP_ROWS",
    "copy_ordered",
    "create_table",
    "path_literal",
    "shared_key_pairs",
    "split_by_hash",
]
