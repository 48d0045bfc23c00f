"""The corpus-scale clustering (DuckDB) against the reference :func:`cluster_events`."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from rasd import schema
from rasd.build import STATE_DIR, build
from rasd.event_clusters import cluster_table
from rasd.events import cluster_events, evidence_keys

ROOT = Path(__file__).resolve().parents[1]


def _make_corpus() -> object:
    spec = importlib.util.spec_from_file_location(
        "make_corpus", ROOT / "benchmarks" / "make_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reference(dataset: Path) -> pd.DataFrame:
    """The built events with the reference implementation's ids beside the built ones."""
    cols = ", ".join(f'"{n}"' for n in schema.EVENTS.names if n != "cluster_id")
    frame: pd.DataFrame = duckdb.execute(
        f"SELECT {cols}, cluster_id AS built FROM read_parquet('{dataset / 'events.parquet'}') "
        "ORDER BY event_id"
    ).df()
    frame["reference"] = cluster_events(frame)
    return frame


def _pairs(labels: pd.Series) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for rows in labels.groupby(labels).groups.values():
        members = sorted(rows)
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return out


def test_seed_clusters_equal_the_reference(built_dataset: Path) -> None:
    frame = _reference(built_dataset)
    assert len(frame) > 20
    assert (frame["built"] == frame["reference"]).all()


@pytest.fixture(scope="module")
def synthetic_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clusters")
    corpus = _make_corpus().corpus(600, 11)  # type: ignore[attr-defined]
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in corpus]
    (root / "corpus.jsonl").write_text("\n".join(lines), encoding="utf-8")
    return build(
        [root / "corpus.jsonl"], root / "ds", mapping={"published_at": "date_extracted"}
    ).out_dir


def test_synthetic_clusters_agree_with_the_reference(synthetic_dataset: Path) -> None:
    """Thousands of mentions with many exact ties: the same clusters, pair for pair.

    Similarities tied to the last bit may be joined in another order (the reference sums
    floats over sets, DuckDB in parallel), so this allows a sliver of disagreement.
    """
    frame = _reference(synthetic_dataset)
    assert len(frame) > 3000
    built, reference = _pairs(frame["built"]), _pairs(frame["reference"])
    assert len(built & reference) >= 0.99 * len(reference)
    assert len(built & reference) >= 0.99 * len(built)
    assert (frame["built"] == frame["reference"]).mean() >= 0.99


def test_keys_are_kept_for_incremental_builds(synthetic_dataset: Path) -> None:
    keys = pd.read_parquet(synthetic_dataset / STATE_DIR / "event_keys.parquet")
    events = pd.read_parquet(synthetic_dataset / "events.parquet", columns=["event_id", "evidence"])
    merged = events.merge(keys, on="event_id", how="left")
    assert len(merged) == len(events) and merged["evidence_keys"].notna().all()
    sample = merged.head(50)
    assert [list(k) for k in sample["evidence_keys"]] == [
        evidence_keys(e) for e in sample["evidence"]
    ]


def test_no_events_gives_no_clusters() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE e (event_id VARCHAR, article_id VARCHAR, event_type VARCHAR, date_start DATE, "
        "date_end DATE, date_precision VARCHAR, actor_ids VARCHAR[], evidence_start INT, "
        "evidence_keys VARCHAR[])"
    )
    assert cluster_table(con, "SELECT * FROM e", "out") == 0
    assert con.execute("SELECT count(*) FROM out").fetchone() == (0,)


def test_pairs_judged_in_parts_give_the_same_clusters(
    synthetic_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts on disk (as at a million articles) change nothing, and leave nothing behind."""
    from rasd import event_clusters, sql

    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE e AS SELECT v.*, k.evidence_keys "
        f"FROM read_parquet('{synthetic_dataset / 'events.parquet'}') v "
        f"JOIN read_parquet('{synthetic_dataset / STATE_DIR / 'event_keys.parquet'}') k USING (event_id)"
    )
    whole = cluster_table(con, "SELECT * FROM e", "whole")
    monkeypatch.setattr(sql, "PART_ROWS", 5_000)
    monkeypatch.setattr(event_clusters, "ID_PART_ROWS", 2_000)  # ids in several parts too
    scratch = tmp_path / "scratch"
    assert cluster_table(con, "SELECT * FROM e", "parted", scratch) == whole
    assert con.execute(
        "SELECT count(*) FROM whole w JOIN parted p USING (event_id) WHERE w.cluster_id = p.cluster_id"
    ).fetchone() == (len(con.execute("SELECT * FROM e").fetchall()),)
    # The folder is made only when pairs are split into parts: the split happened.
    assert scratch.exists() and not any(scratch.iterdir())


def test_the_union_find_runs_with_duckdb_memory_given_back(
    synthetic_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While Python joins the pairs, DuckDB's limit is the idle one (its cache given back
    for the arrays); before and after, the connection's own; the judged pairs' files are
    gone after."""
    from rasd import event_clusters

    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    con.execute("SET memory_limit = '700MB'")
    con.execute(
        f"CREATE TABLE e AS SELECT v.*, k.evidence_keys "
        f"FROM read_parquet('{synthetic_dataset / 'events.parquet'}') v "
        f"JOIN read_parquet('{synthetic_dataset / STATE_DIR / 'event_keys.parquet'}') k USING (event_id)"
    )
    seen: list[tuple[str, int]] = []
    union_find = event_clusters._union_find

    def watched(con: duckdb.DuckDBPyConnection, n: int, judged: list[tuple[str, Path]]) -> None:
        ((limit,),) = con.execute("SELECT current_setting('memory_limit')").fetchall()
        seen.append((limit, sum(1 for _, path in judged if path.is_file())))
        union_find(con, n, judged)

    monkeypatch.setattr(event_clusters, "_union_find", watched)
    scratch = tmp_path / "work" / "pairs"
    scratch.parent.mkdir()
    assert cluster_table(con, "SELECT * FROM e", "out", scratch) > 0
    ((after,),) = con.execute("SELECT current_setting('memory_limit')").fetchall()
    ((types,),) = con.execute("SELECT count(DISTINCT event_type) FROM e").fetchall()
    assert len(seen) == 1 and seen[0][1] == types  # every type judged, in a file, before
    assert seen[0][0] == _printed(event_clusters.IDLE_MEMORY)
    assert after == _printed("700MB")
    assert not any(scratch.parent.iterdir())


def _printed(limit: str) -> str:
    """A memory limit as DuckDB prints it back."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{limit}'")
    ((printed,),) = con.execute("SELECT current_setting('memory_limit')").fetchall()
    return str(printed)
