"""Small helpers for the SQL the build runs in DuckDB."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb

#: (pair, shared key) rows counted in one step of :func:`count_shared_keys`: each step's
#: hash tables stay well inside the build's DuckDB memory limit whatever the corpus size.
PART_ROWS = 4_000_000


def path_literal(path: Path) -> str:
    """``path`` as a single-quoted SQL string literal (quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"


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
        SELECT hash(a.i) % {parts} AS part, a.i, b.i AS j, a.* EXCLUDE (key, i)
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
        scratch.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        con.execute(
            f"COPY ({shared}) TO {path_literal(folder)} (FORMAT parquet, PARTITION_BY (part))"
        )
        for part in range(parts):
            files = folder / f"part={part}"
            if not any(files.glob("*.parquet")):
                continue  # no pair has its first item in this part
            con.execute(count.format(source=f"read_parquet({path_literal(files / '*.parquet')})"))
            yield


__all__ = ["PART_ROWS", "path_literal", "shared_key_pairs"]
