"""Make a large dataset by replicating a built one K times, for scale tests of the dashboard.

    .venv/bin/python benchmarks/scale_dataset.py /tmp/b10k /tmp/scaled-1m --copies 100

Every replica ``k`` gets fresh ids (``article_id``, ``duplicate_of``, ``event_id``,
``cluster_id`` and ``source_ref`` suffixed with ``~k``), its publication and event dates
shifted by ``k mod 28`` days (so replicas do not stack on exactly the same days), and,
with ``--outlet-groups G``, its outlets renamed into one of G groups (``outlet_id~g``), so
the outlet count can grow too. Entities are shared (their counts multiplied by K).

Everything runs in DuckDB as streaming ``COPY ... TO`` with a memory limit, so a
million-article dataset needs no more memory than the source. ``rasd.aggregates`` then
writes the ``agg_*`` tables, as ``rasd build`` does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasd.aggregates import write_aggregates  # noqa: E402
from rasd.schema import TABLES  # noqa: E402

SHIFT_CYCLE_DAYS = 28


def _lit(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _suffix(column: str) -> str:
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE {column} || '~' || k END"


def scale(
    src: Path,
    out: Path,
    copies: int,
    *,
    outlet_groups: int = 1,
    memory_limit: str = "1500MB",
    threads: int = 2,
    aggregates: bool = True,
) -> dict[str, int]:
    """Write ``copies`` replicas of the dataset at ``src`` into ``out``; rows per table."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = {_lit(out.parent / f'.{out.name}.spill')}")
    con.execute("SET enable_progress_bar = false")
    # One SELECT per replica, concatenated: replicas of an article land far apart in the
    # file, as distinct articles would (a cross join would put them side by side, and the
    # Parquet writer would then compress or dictionary-encode the copies away).
    reps = "({k})"
    shift = f"(k % {SHIFT_CYCLE_DAYS})"
    group = f"(k % {max(1, int(outlet_groups))})"
    outlet_id = "outlet_id" if outlet_groups <= 1 else f"outlet_id || '~' || {group}"
    outlet = "outlet" if outlet_groups <= 1 else f"outlet || ' ' || {group}"
    selects = {
        "articles": f"""
            SELECT * REPLACE (
                {_suffix("article_id")} AS article_id,
                {outlet_id} AS outlet_id, {outlet} AS outlet,
                {_suffix("url")} AS url,
                published_at + to_days(CAST({shift} AS INTEGER)) AS published_at,
                {_suffix("duplicate_of")} AS duplicate_of,
                {_suffix("source_ref")} AS source_ref)
            FROM {reps}, read_parquet({_lit(src / "articles.parquet")})
        """,
        "mentions": f"""
            SELECT * REPLACE ({_suffix("article_id")} AS article_id)
            FROM {reps}, read_parquet({_lit(src / "mentions.parquet")})
        """,
        "events": f"""
            SELECT * REPLACE (
                {_suffix("event_id")} AS event_id, {_suffix("article_id")} AS article_id,
                {_suffix("cluster_id")} AS cluster_id,
                date_start + CAST({shift} AS INTEGER) AS date_start,
                date_end + CAST({shift} AS INTEGER) AS date_end)
            FROM {reps}, read_parquet({_lit(src / "events.parquet")})
        """,
        "entities": f"""
            SELECT * REPLACE (
                CAST(n_mentions * {int(copies)} AS INTEGER) AS n_mentions,
                CAST(n_articles * {int(copies)} AS INTEGER) AS n_articles)
            FROM read_parquet({_lit(src / "entities.parquet")})
        """,
        "quarantine": f"""
            SELECT * REPLACE ({_suffix("source_ref")} AS source_ref)
            FROM {reps}, read_parquet({_lit(src / "quarantine.parquet")})
        """,
    }
    counts: dict[str, int] = {}
    for table in TABLES:
        started = time.perf_counter()
        columns = ", ".join(f'"{c}"' for c in TABLES[table].names)
        target = out / f"{table}.parquet"
        if table == "entities":
            body = selects[table]
        else:
            body = " UNION ALL ".join(
                selects[table].replace("{k}", f"(SELECT {k} AS k)") for k in range(copies)
            )
        con.execute(
            f"COPY (SELECT {columns} FROM ({body})) TO {_lit(target)} "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536)"
        )
        row = con.execute(f"SELECT count(*) FROM read_parquet({_lit(target)})").fetchone()
        counts[table] = int(row[0]) if row else 0
        print(f"{table}: {counts[table]:,} rows in {time.perf_counter() - started:.1f} s")
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    manifest["dataset_id"] = hashlib.sha256(
        f"{manifest.get('dataset_id')}|{copies}|{outlet_groups}".encode()
    ).hexdigest()[:12]
    manifest["tables"] = counts
    manifest["scaled_from"] = {"path": str(src), "copies": copies, "outlet_groups": outlet_groups}
    if aggregates:
        started = time.perf_counter()
        agg = write_aggregates(con, out)
        print(f"aggregates: {agg} in {time.perf_counter() - started:.1f} s")
        counts.update(agg)
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="a built dataset directory")
    parser.add_argument("out", type=Path, help="where to write (replaced)")
    parser.add_argument("--copies", "-k", type=int, required=True)
    parser.add_argument("--outlet-groups", type=int, default=1)
    parser.add_argument("--memory-limit", default="1500MB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-aggregates", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scale(
        args.src,
        args.out,
        args.copies,
        outlet_groups=args.outlet_groups,
        memory_limit=args.memory_limit,
        threads=args.threads,
        aggregates=not args.no_aggregates,
    )
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
