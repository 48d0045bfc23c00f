"""The events read side, on a small dataset written here with pyarrow from rasd.schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rasd.filters import Filters
from rasd.normalize import normalize_for_search
from rasd.query import Dataset, open_dataset
from rasd.query_events import (
    article_volume,
    cluster_evidence,
    event_type_counts,
    timeline_clusters,
    undated_clusters,
)
from rasd.schema import SCHEMA_VERSION, TABLES


def _ts(*parts: int) -> pd.Timestamp:
    """Dates come back from DuckDB as pandas timestamps (midnight)."""
    return pd.Timestamp(date(*parts))


TEXTS = {
    "n1": "وقع بوتين وكيم معاهدة الشراكة اليوم. وخلال الحرب الكورية 1950-1953 قدمت موسكو العون.",
    "n2": "المعاهدة التي وقعها بوتين مع كيم في يونيو تلزم البلدين بالدفاع المتبادل.",
    "n3": "وتعد معاهدة بوتين التي تم التوصل إليها مع كيم أكبر اتفاق.",
    "n4": "أطلقت كوريا الشمالية صواريخ باليستية يوم الثلاثاء.",
}


def _article(
    aid: str, outlet_id: str, outlet: str, published: datetime | None, precision: str, **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {name: None for name in TABLES["articles"].names}
    text = TEXTS[aid]
    row.update(
        article_id=aid,
        outlet_id=outlet_id,
        outlet=outlet,
        url=f"https://{outlet_id}.example/{aid}",
        title=f"عنوان {aid}",
        published_at=published,
        published_precision=precision,
        published_basis="metadata" if published else "unknown",
        text=text,
        text_norm=normalize_for_search(text),
        n_chars=len(text),
        source_ref=f"raw/{aid}.txt",
    )
    row.update(extra)
    return row


def _event(
    eid: str,
    aid: str,
    cluster: str,
    etype: str,
    start: date | None,
    end: date | None,
    precision: str,
    basis: str,
    actors: list[str],
    evidence: str,
    confidence: float,
    location: str | None = None,
) -> dict[str, Any]:
    text = TEXTS[aid]
    pos = text.index(evidence)
    return {
        "event_id": eid,
        "article_id": aid,
        "cluster_id": cluster,
        "event_type": etype,
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
        "date_basis": basis,
        "actor_ids": actors,
        "location_id": location,
        "evidence": evidence,
        "evidence_start": pos,
        "evidence_end": pos + len(evidence),
        "confidence": confidence,
    }


def write_events_dataset(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    articles = [
        _article("n1", "nysn", "نيسان", datetime(2024, 6, 19, 14, 49, tzinfo=UTC), "day"),
        _article("n2", "arabiya", "العربية الآن", datetime(2024, 11, 6, tzinfo=UTC), "day"),
        _article("n3", "bawaba", "البوابة نيوز", None, "unknown"),
        _article(
            "n4",
            "arabiya",
            "العربية الآن",
            datetime(2024, 11, 6, tzinfo=UTC),
            "day",
            duplicate_of=None,
        ),
    ]
    entities = [
        {
            "entity_id": "Q7747",
            "name_ar": "فلاديمير بوتين",
            "name_en": "Vladimir Putin",
            "type": "PERSON",
            "wikidata_id": "Q7747",
            "aliases": ["بوتين"],
            "n_mentions": 3,
            "n_articles": 3,
        },
        {
            "entity_id": "Q56226",
            "name_ar": "كيم جونغ أون",
            "name_en": "Kim Jong Un",
            "type": "PERSON",
            "wikidata_id": "Q56226",
            "aliases": ["كيم"],
            "n_mentions": 3,
            "n_articles": 3,
        },
        {
            "entity_id": "Q423",
            "name_ar": "كوريا الشمالية",
            "name_en": "North Korea",
            "type": "GPE",
            "wikidata_id": "Q423",
            "aliases": [],
            "n_mentions": 1,
            "n_articles": 1,
        },
    ]
    mentions = [
        {
            "article_id": "n4",
            "entity_id": "Q423",
            "start": 6,
            "end": 20,
            "surface": "كوريا الشمالية",
            "sentence_idx": 0,
        },
    ]
    s1 = "وقع بوتين وكيم معاهدة الشراكة اليوم."
    s2 = "وخلال الحرب الكورية 1950-1953 قدمت موسكو العون."
    events = [
        _event(
            "e1",
            "n1",
            "c-treaty",
            "agreement_signed",
            date(2024, 6, 19),
            date(2024, 6, 19),
            "day",
            "relative",
            ["Q7747", "Q56226"],
            s1,
            0.9,
        ),
        _event(
            "e2",
            "n2",
            "c-treaty",
            "agreement_signed",
            date(2024, 6, 1),
            date(2024, 6, 30),
            "month",
            "inferred",
            ["Q56226", "Q7747"],
            TEXTS["n2"],
            0.8,
        ),
        _event(
            "e3",
            "n3",
            "c-treaty",
            "agreement_signed",
            None,
            None,
            "unknown",
            "unknown",
            ["Q7747"],
            TEXTS["n3"],
            0.7,
        ),
        _event(
            "e4",
            "n1",
            "c-war",
            "armed_conflict",
            date(1950, 1, 1),
            date(1953, 12, 31),
            "year",
            "explicit",
            [],
            s2,
            0.6,
        ),
        _event(
            "e5",
            "n4",
            "c-missile",
            "missile_test",
            None,
            None,
            "unknown",
            "unknown",
            [],
            TEXTS["n4"],
            0.3,
        ),
    ]
    tables = {
        "articles": pa.Table.from_pylist(articles, schema=TABLES["articles"]),
        "entities": pa.Table.from_pylist(entities, schema=TABLES["entities"]),
        "mentions": pa.Table.from_pylist(mentions, schema=TABLES["mentions"]),
        "events": pa.Table.from_pylist(events, schema=TABLES["events"]),
        "quarantine": TABLES["quarantine"].empty_table(),
    }
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet")
    manifest = {"schema_version": SCHEMA_VERSION, "dataset_id": "events-test", "counts": {}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return open_dataset(write_events_dataset(tmp_path_factory.mktemp("events")))


def test_one_row_per_cluster_with_honest_dates(ds: Dataset) -> None:
    frame = timeline_clusters(ds, Filters())
    assert list(frame["cluster_id"]) == ["c-war", "c-treaty", "c-missile"]
    treaty = frame.set_index("cluster_id").loc["c-treaty"]
    # Dated by its most precise report (the day), with the worst basis of its dated reports.
    assert (treaty["date_start"], treaty["date_end"]) == (_ts(2024, 6, 19), _ts(2024, 6, 19))
    assert treaty["date_precision"] == "day"
    assert treaty["date_basis"] == "inferred"
    assert (treaty["n_reports"], treaty["n_articles"], treaty["n_outlets"]) == (3, 3, 3)
    assert sorted(treaty["outlet_ids"]) == ["arabiya", "bawaba", "nysn"]
    assert treaty["first_outlet_id"] == "nysn" and treaty["first_article_id"] == "n1"
    assert list(treaty["actor_ids"]) == ["Q7747", "Q56226"]
    assert list(treaty["actors_en"]) == ["Vladimir Putin", "Kim Jong Un"]
    war = frame.set_index("cluster_id").loc["c-war"]
    assert (war["date_start"], war["date_end"], war["date_precision"]) == (
        _ts(1950, 1, 1),
        _ts(1953, 12, 31),
        "year",
    )
    missile = frame.set_index("cluster_id").loc["c-missile"]
    assert missile["date_precision"] == "unknown" and missile["date_basis"] == "unknown"
    assert missile["first_outlet_id"] == "arabiya"


def test_filters_apply(ds: Dataset) -> None:
    by_outlet = timeline_clusters(ds, Filters(outlets=("bawaba",)))
    assert list(by_outlet["cluster_id"]) == ["c-treaty"]
    row = by_outlet.iloc[0]
    assert row["n_outlets"] == 1 and row["date_precision"] == "unknown"
    assert row["first_outlet"] is None  # no report with a known publication date
    assert list(timeline_clusters(ds, Filters(types=("armed_conflict",)))["cluster_id"]) == [
        "c-war"
    ]
    # Event time, not publication time: 1950–1953 is found from an article of 2024.
    window = Filters(date_from=date(1951, 1, 1), date_to=date(1951, 12, 31))
    assert list(timeline_clusters(ds, window)["cluster_id"]) == ["c-war"]
    june = Filters(date_from=date(2024, 6, 1), date_to=date(2024, 6, 30))
    assert list(timeline_clusters(ds, june)["cluster_id"]) == ["c-treaty"]
    assert undated_clusters(ds, june) == 1
    # Entity: an actor of a report, or a mention inside its evidence sentence.
    assert list(timeline_clusters(ds, Filters(entities=("Q56226",)))["cluster_id"]) == ["c-treaty"]
    assert list(timeline_clusters(ds, Filters(entities=("Q423",)))["cluster_id"]) == ["c-missile"]
    assert list(timeline_clusters(ds, Filters(q="الكورية"))["cluster_id"]) == ["c-war", "c-treaty"]
    assert timeline_clusters(ds, Filters(), min_confidence=0.5)["cluster_id"].tolist() == [
        "c-war",
        "c-treaty",
    ]


def test_evidence_of_a_cluster(ds: Dataset) -> None:
    frame = cluster_evidence(ds, Filters(), "c-treaty")
    assert list(frame["article_id"]) == ["n1", "n2", "n3"]  # earliest publication first
    text = TEXTS["n1"]
    first = frame.iloc[0]
    assert text[first["evidence_start"] : first["evidence_end"]] == first["evidence"]
    assert first["url"] == "https://nysn.example/n1"
    assert cluster_evidence(ds, Filters(), "nope").empty


def test_volume_and_type_counts(ds: Dataset) -> None:
    volume = article_volume(ds, Filters())
    assert list(zip(volume["day"], volume["n"], strict=True)) == [
        (_ts(2024, 6, 19), 1),
        (_ts(2024, 11, 6), 2),
    ]
    per_outlet = article_volume(ds, Filters(), by_outlet=True)
    assert set(per_outlet["outlet_id"]) == {"nysn", "arabiya"}
    ranged = article_volume(ds, Filters(date_from=date(2024, 11, 1)))
    assert list(ranged["n"]) == [2]
    counts = event_type_counts(ds, Filters(types=("missile_test",)))
    assert dict(zip(counts["event_type"], counts["n_clusters"], strict=True)) == {
        "agreement_signed": 1,
        "armed_conflict": 1,
        "missile_test": 1,
    }


def test_results_are_new_frames(ds: Dataset) -> None:
    first = timeline_clusters(ds, Filters())
    first.loc[:, "event_type"] = "changed"
    assert "changed" not in set(timeline_clusters(ds, Filters())["event_type"])
