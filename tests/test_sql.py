"""rasd.sql: ordered Parquet writes in slices."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.sql import copy_ordered, copy_sorted, merge_sorted, string_list


def _table(con: duckdb.DuckDBPyConnection, rows: list[tuple[int, str, int]]) -> None:
    con.execute("CREATE OR REPLACE TABLE t (k BIGINT, g VARCHAR, n INTEGER)")
    if rows:
        con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["ب", "أ", "a", "z", ""]), st.integers(-5, 5)), max_size=60
    ),
    slice_rows=st.integers(1, 25),
    row_group_rows=st.integers(1, 30),
    scatter=st.booleans(),
)
def test_same_rows_in_the_same_order_as_one_sort(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, int]],
    slice_rows: int,
    row_group_rows: int,
    scatter: bool,
) -> None:
    tmp = tmp_path_factory.mktemp("sql")
    out = tmp / "t.parquet"
    con = duckdb.connect()
    # keys in an order unrelated to the sort, so slices cut across the source's order
    _table(con, [((i * 7919) % 1009, g, n) for i, (g, n) in enumerate(rows)])
    written = copy_ordered(
        con,
        "SELECT * FROM t",
        key="k",
        order_by="g, n DESC, k",
        columns="s.g, s.n, s.k",
        out=out,
        slice_rows=slice_rows,
        row_group_rows=row_group_rows,
        scratch=tmp / "scratch" if scatter else None,
    )
    expected = con.execute("SELECT g, n, k FROM t ORDER BY g, n DESC, k").fetchall()
    got = pq.read_table(out)
    assert written == len(rows)
    assert list(zip(*got.to_pydict().values(), strict=True)) == expected
    sizes = [
        pq.ParquetFile(out).metadata.row_group(i).num_rows
        for i in range(pq.ParquetFile(out).metadata.num_row_groups)
    ]
    assert all(size == row_group_rows for size in sizes[:-1])  # only the last one is short
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = '_copy_order'"
    ).fetchall() == [(0,)]
    assert not (tmp / "scratch").exists()  # the slices' files are gone


@pytest.mark.parametrize("scatter", [False, True])
def test_casts_to_the_given_schema_and_writes_an_empty_file(tmp_path: Path, scatter: bool) -> None:
    con = duckdb.connect()
    _table(con, [])
    target = pa.schema([("k", pa.int64()), ("g", pa.large_string()), ("n", pa.int64())])
    written = copy_ordered(
        con,
        "SELECT * FROM t",
        key="k",
        order_by="k",
        columns="s.k, s.g, s.n",
        out=tmp_path / "empty.parquet",
        slice_rows=10,
        row_group_rows=10,
        schema=target,
        scratch=tmp_path / "s1" if scatter else None,
    )
    assert written == 0
    assert pq.read_table(tmp_path / "empty.parquet").schema == target

    _table(con, [(2, "x", 1), (1, "y", 2)])
    copy_ordered(
        con,
        "SELECT * FROM t",
        key="k",
        order_by="k",
        columns="s.k, s.g, s.n",
        out=tmp_path / "two.parquet",
        slice_rows=1,
        row_group_rows=10,
        schema=target,
        scratch=tmp_path / "s2" if scatter else None,
    )
    table = pq.read_table(tmp_path / "two.parquet")
    assert table.schema == target
    assert table.to_pydict() == {"k": [1, 2], "g": ["y", "x"], "n": [2, 1]}


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from(["ب", "أ", "a", ""]), st.integers(-5, 5)), max_size=60),
    row_group_rows=st.integers(1, 30),
)
def test_one_sort_streamed_in_whole_row_groups(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, int]], row_group_rows: int
) -> None:
    out = tmp_path_factory.mktemp("sorted") / "t.parquet"
    con = duckdb.connect()
    _table(con, [((i * 7919) % 1009, g, n) for i, (g, n) in enumerate(rows)])
    target = pa.schema([("k", pa.int64()), ("g", pa.large_string()), ("n", pa.int64())])
    written = copy_sorted(
        con,
        "SELECT * FROM t",
        order_by="g, n DESC, k",
        out=out,
        row_group_rows=row_group_rows,
        schema=target,
    )
    got = pq.read_table(out)
    assert written == len(rows) == got.num_rows
    assert got.schema == target  # even with no row
    expected = con.execute("SELECT * FROM t ORDER BY g, n DESC, k").fetchall()
    assert list(zip(*got.to_pydict().values(), strict=True)) == expected
    meta = pq.ParquetFile(out).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert all(size == row_group_rows for size in sizes[:-1])


@settings(max_examples=40, deadline=None)
@given(
    parts=st.lists(
        st.lists(st.tuples(st.sampled_from(["ب", "أ", "a", ""]), st.integers(-3, 3)), max_size=25),
        min_size=1,
        max_size=5,
    ),
    slice_rows=st.integers(1, 20),
    part_row_group_rows=st.integers(1, 8),
)
def test_merged_parts_are_one_sort_of_their_rows(
    tmp_path_factory: pytest.TempPathFactory,
    parts: list[list[tuple[str, int]]],
    slice_rows: int,
    part_row_group_rows: int,
) -> None:
    """Parts each sorted by a total order: the merge is every row once, in that order,
    in whole row groups, however the slices cut across the parts (and row groups)."""
    folder = tmp_path_factory.mktemp("merge")
    con = duckdb.connect()
    paths, k = [], 0
    for i, rows in enumerate(parts):
        _table(con, [(k + j, g, n) for j, (g, n) in enumerate(rows)])
        k += len(rows)
        paths.append(folder / f"{i}.parquet")
        con.execute(
            f"COPY (SELECT * FROM t ORDER BY g, n DESC, k) TO '{paths[-1]}' "
            f"(FORMAT parquet, ROW_GROUP_SIZE {part_row_group_rows})"
        )
    files = "[" + ", ".join(f"'{p}'" for p in paths) + "]"
    expected = con.execute(f"SELECT * FROM read_parquet({files}) ORDER BY g, n DESC, k").fetchall()
    out = folder / "merged.parquet"
    written = merge_sorted(
        con, paths, order_by="g, n DESC, k", out=out, slice_rows=slice_rows, row_group_rows=7
    )
    got = pq.read_table(out)
    assert written == len(expected) == got.num_rows
    assert got.schema.names == ["k", "g", "n"]
    assert list(zip(*got.to_pydict().values(), strict=True)) == expected
    meta = pq.ParquetFile(out).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert all(size == 7 for size in sizes[:-1])


def test_string_list_quotes_every_value() -> None:
    con = duckdb.connect()
    values = ["a", "it's", "'; DROP TABLE x; --", "روسيا"]
    found = con.execute(f"SELECT unnest([{string_list(values)[1:-1]}])").fetchall()
    assert [v for (v,) in found] == values
    assert con.execute(f"SELECT 'it''s' IN {string_list(values)}").fetchone() == (True,)
    with pytest.raises(ValueError):
        string_list([])
