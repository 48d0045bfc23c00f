"""End-to-end builds in tmp_path: the seeds, a folder of broken inputs, atomic replacement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from rasd import io
from rasd.build import build
from rasd.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
GOLDEN = Path(__file__).resolve().parent / "golden"
BODY = (GOLDEN / "clean" / "004_d99eb047aeee1334.txt").read_text(encoding="utf-8")


def test_seed_build_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    report = build([RAW], out, workers=1)
    assert report.counts["read"] == 5 and report.counts["kept"] == 5
    for table, schema in TABLES.items():
        assert pd.read_parquet(out / f"{table}.parquet").columns.tolist() == schema.names
    articles = pd.read_parquet(out / "articles.parquet")
    golden = json.loads((GOLDEN / "seeds.json").read_text(encoding="utf-8"))
    for row in articles.itertuples():
        name = Path(row.source_ref).name
        assert row.text == (GOLDEN / "clean" / name).read_text(encoding="utf-8").rstrip("\n")
        assert row.outlet == golden[name]["outlet"]
        assert row.published_basis == golden[name]["published_basis"]
    assert articles["article_id"].is_unique
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == 1 and len(manifest["dataset_id"]) == 12
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert manifest["aggregate_timings"].keys() == manifest["aggregates"].keys()


def test_article_ids_are_stable_across_builds(tmp_path: Path) -> None:
    build([RAW], tmp_path / "a", workers=1)
    build([RAW], tmp_path / "b", workers=2)
    ids = [pd.read_parquet(tmp_path / d / "articles.parquet")["article_id"].tolist() for d in "ab"]
    assert ids[0] == ids[1]


def make_bad_corpus(root: Path) -> None:
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "blob.txt").write_bytes(b"\x00\x01binary\x00")
    (root / "latin.txt").write_bytes("Ceci est un résumé élégant, déjà noté.".encode("latin-1"))
    (root / "notes.docx").write_bytes(b"PK\x03\x04")
    shutil.copy(RAW / "001_d4c75918ac5c958f.txt", root / "copy.txt")
    shutil.copy(RAW / "001_d4c75918ac5c958f.txt", root / "copy2.txt")
    rows = [
        json.dumps(
            {"content": BODY, "source": "وكالة", "date_extracted": "2024-02-30"}, ensure_ascii=False
        ),
        '{"content": "broken',
        json.dumps([1, 2]),
        json.dumps({"title": "no text"}),
        json.dumps({"content": "قصير."}, ensure_ascii=False),
        json.dumps(
            {"content": BODY.replace("الأربعاء", "الخميس"), "source": "أخرى"}, ensure_ascii=False
        ),
        "",
    ]
    (root / "feed.jsonl").write_text("\n".join(rows), encoding="utf-8")
    (root / "table.csv").write_text(
        'body,site,date\n"' + BODY.replace('"', '""') + '",موقع,2024-11\n', encoding="utf-8"
    )


def test_bad_inputs_are_all_accounted_for(tmp_path: Path) -> None:
    corpus = tmp_path / "bad"
    make_bad_corpus(corpus)
    out = tmp_path / "ds"
    report = build(
        [corpus],
        out,
        mapping={"text": "content", "outlet": "source", "published_at": "date_extracted"},
        workers=1,
    )
    counts = report.counts
    assert counts["read"] == counts["kept"] + counts["duplicates"] + counts["quarantined"]
    assert counts["quarantined_by_reason"] == {
        "binary": 1,
        "empty": 1,
        "malformed_json": 2,
        "no_text": 1,
        "not_decodable": 1,
        "too_short": 1,
        "unsupported_file": 1,
    }
    assert counts["kept_with_warnings_by_reason"] == {"impossible_date": 1}
    assert (counts["kept"], counts["duplicates"]) == (2, 3)
    quarantine = pd.read_parquet(out / "quarantine.parquet")
    assert (quarantine["disposition"] == "rejected").sum() == counts["quarantined"]
    assert quarantine["detail"].str.len().min() > 5
    articles = pd.read_parquet(out / "articles.parquet")
    assert len(articles) == counts["kept"] + counts["duplicates"]
    dup = articles[articles["duplicate_of"].notna()]
    assert set(dup["duplicate_of"]) <= set(
        articles.loc[articles["duplicate_of"].isna(), "article_id"]
    )
    kept_bad_date = articles[articles["source_ref"].str.endswith("#L1")].iloc[0]
    assert pd.isna(kept_bad_date["published_at"]) and kept_bad_date["published_basis"] == "unknown"


def test_failed_build_leaves_previous_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ds"
    build([RAW], out, workers=1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(io, "write_manifest", explode)
    with pytest.raises(OSError):
        build([RAW], out, workers=1)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]  # no temporary left behind


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    lines = [
        json.dumps(
            {
                "text": f"{BODY}\nفقرة رقم {i} تضيف تفصيلا مختلفا لكل خبر في هذا الاختبار الطويل بما يكفي.",
                "outlet": f"outlet {i % 3}",
                "url": f"https://example.org/{i}",
            },
            ensure_ascii=False,
        )
        for i in range(150)
    ]
    (corpus / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    build([corpus], tmp_path / "serial", workers=1)
    build([corpus], tmp_path / "parallel", workers=2)
    a = pd.read_parquet(tmp_path / "serial" / "articles.parquet")
    b = pd.read_parquet(tmp_path / "parallel" / "articles.parquet")
    pd.testing.assert_frame_equal(a, b)


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(path / f"{t}.parquet") for t in TABLES}


def test_incremental_equals_full(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_bad_corpus(corpus)
    for name in ("000_c168bb8e8ae2a459.txt", "002_c049f791414bdfc0.txt"):
        shutil.copy(RAW / name, corpus / name)
    mapping = {"text": "content", "outlet": "source", "published_at": "date_extracted"}
    all_files = sorted(corpus.iterdir())
    first, later = all_files[::2], all_files[1::2]
    build(first, tmp_path / "inc", mapping=mapping, workers=1)
    report = build(all_files, tmp_path / "inc", mapping=mapping, workers=1, incremental=True)
    readable_later = [f for f in later if f.suffix != ".docx"]  # notes.docx is not an input kind
    assert report.manifest["incremental"] == {"added_files": len(readable_later)}
    full = build([corpus], tmp_path / "full", mapping=mapping, workers=1)
    inc_tables, full_tables = _tables(tmp_path / "inc"), _tables(tmp_path / "full")
    for table in TABLES:
        a = (
            inc_tables[table]
            .sort_values(list(inc_tables[table].columns[:2]))
            .reset_index(drop=True)
        )
        b = (
            full_tables[table]
            .sort_values(list(full_tables[table].columns[:2]))
            .reset_index(drop=True)
        )
        pd.testing.assert_frame_equal(a, b, check_like=True, obj=table)
    assert report.counts == full.counts


def test_incremental_refuses_a_changed_input(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(RAW / "001_d4c75918ac5c958f.txt", corpus / "a.txt")
    build([corpus], tmp_path / "ds", workers=1)
    (corpus / "a.txt").write_text(BODY, encoding="utf-8")
    with pytest.raises(io.InputError, match="changed since the last build"):
        build([corpus], tmp_path / "ds", workers=1, incremental=True)


def test_articles_are_written_in_publication_order(tmp_path: Path) -> None:
    """articles.parquet by publication (undated last), then input order (file, record);
    an incremental build writes the same file as a full one."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    days = ["2024-03-05", "", "2023-11-20", "2024-03-05", "2024-01-02", "", "2023-11-20"]
    for part in ("a", "b"):
        lines = [
            json.dumps(
                {
                    "text": f"{BODY}\nفقرة {part} رقم {i} تضيف تفصيلا مختلفا لكل خبر في هذا الاختبار.",
                    "outlet": f"outlet {i % 2}",
                    "date": day,
                },
                ensure_ascii=False,
            )
            for i, day in enumerate(days if part == "a" else days[::-1])
        ]
        (corpus / f"{part}.jsonl").write_text("\n".join(lines), encoding="utf-8")
    mapping = {"published_at": "date"}
    build([corpus], tmp_path / "full", mapping=mapping, workers=1)
    build([corpus / "b.jsonl"], tmp_path / "inc", mapping=mapping, workers=1)
    build([corpus], tmp_path / "inc", mapping=mapping, workers=1, incremental=True)
    full = pd.read_parquet(tmp_path / "full" / "articles.parquet")
    dated = full["published_at"].notna()
    assert dated.sum() == 10 and not dated.iloc[:10].eq(False).any()  # undated last
    assert full["published_at"].iloc[:10].is_monotonic_increasing
    # within one time: file, then record number
    place = full["source_ref"].str.extract(r"([ab])\.jsonl.*?(\d+)$")
    when = [(0, t.value) if pd.notna(t) else (1, 0) for t in full["published_at"]]
    key = list(zip(when, place[0], place[1].astype(int), strict=True))
    assert key == sorted(key) and len(set(key)) == len(key)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "inc" / "articles.parquet"), full)
