"""rasd/query_sources.py on a hand-made dataset, and on the real build of the seeds.

The hand-made dataset (written with pyarrow and the rasd.schema schemas) has three outlets,
one of them named in Latin and Arabic; copies within and across outlets; articles dated to
the minute, the day, the month and not at all; entity mentions; and three event clusters.
Every expected number below is worked out from the rows in ``ARTICLES``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rasd import query_sources as qs
from rasd import vocabulary
from rasd.aggregates import write_aggregates
from rasd.build import build
from rasd.filters import Filters
from rasd.normalize import normalize_for_search
from rasd.query import Dataset, open_dataset
from rasd.schema import SCHEMA_VERSION, TABLES
from tests.factories import record_sql

ROOT = Path(__file__).resolve().parents[1]
ALL = Filters()


def _ts(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


TRAINS = "قطارات الركاب تعود بين موسكو وبيونغ يانغ. القطارات تنطلق من فلاديفوستوك."
MISSILES = "صواريخ باليستية وذخائر. الصواريخ الروسية والصواريخ الكورية في الميدان."
TREATY = "المعاهدة تنص على الدفاع المشترك. وقع الزعيمان المعاهدة في بيونغ يانغ."

# outlets: alef (وكالة ألف), rasd ("Rasd News رصد", Latin + Arabic), jeem (الجيم)
ARTICLES: list[dict[str, Any]] = [
    # alef
    dict(article_id="a1", outlet_id="alef", outlet="وكالة ألف", title="بوتين في بيونغ يانغ",
         published_at=_ts(2024, 6, 19, 8, 30), published_precision="minute", text=TRAINS),
    dict(article_id="a2", outlet_id="alef", outlet="وكالة ألف", title="توقيع المعاهدة",
         published_at=_ts(2024, 6, 20), published_precision="day", text=TRAINS + " " + TREATY),
    dict(article_id="a3", outlet_id="alef", outlet="وكالة ألف", title="زيارة",
         published_at=None, published_precision="unknown", text=TRAINS),
    dict(article_id="a4", outlet_id="alef", outlet="وكالة ألف", title="توقيع المعاهدة",
         published_at=_ts(2024, 6, 20), published_precision="day", text=TRAINS + " " + TREATY,
         duplicate_of="a2", duplicate_kind="exact", duplicate_similarity=1.0),
    # rasd
    dict(article_id="b1", outlet_id="rasd", outlet="Rasd News رصد", title="بوتين في بيونغ يانغ",
         published_at=_ts(2024, 6, 19, 10, 0), published_precision="minute", text=TRAINS,
         duplicate_of="a1", duplicate_kind="near", duplicate_similarity=0.92),
    dict(article_id="b2", outlet_id="rasd", outlet="Rasd News رصد", title="الصواريخ",
         published_at=_ts(2024, 6, 20), published_precision="day", text=MISSILES),
    dict(article_id="b3", outlet_id="rasd", outlet="Rasd News رصد", title="الصواريخ",
         published_at=_ts(2024, 6, 1), published_precision="month", text=MISSILES),
    # jeem
    dict(article_id="c1", outlet_id="jeem", outlet="الجيم", title="المعاهدة",
         published_at=_ts(2024, 6, 19, 12, 0), published_precision="minute", text=TREATY),
    dict(article_id="c2", outlet_id="jeem", outlet="الجيم", title="صواريخ",
         published_at=None, published_precision="unknown", text=MISSILES,
         duplicate_of="b2", duplicate_kind="exact", duplicate_similarity=1.0),
    dict(article_id="c3", outlet_id="jeem", outlet="الجيم", title="المعاهدة",
         published_at=_ts(2024, 7, 2, 9, 0), published_precision="minute", text=TREATY),
    dict(article_id="c4", outlet_id="jeem", outlet="الجيم", title="المعاهدة",
         published_at=_ts(2024, 6, 22), published_precision="day", text=TREATY),
]  # fmt: skip

ENTITIES = [
    dict(entity_id="putin", name_ar="فلاديمير بوتين", name_en="Vladimir Putin", type="PERSON"),
    dict(entity_id="kim", name_ar="كيم جونغ أون", name_en="Kim Jong Un", type="PERSON"),
    dict(entity_id="russia", name_ar="روسيا", name_en="Russia", type="GPE"),
]
# (article, entity): putin in a1, a2, b1; kim in a1, a3, c1; russia in b2, c1
MENTIONS = [
    ("a1", "putin"),
    ("a1", "putin"),
    ("a1", "kim"),
    ("a2", "putin"),
    ("a3", "kim"),
    ("b1", "putin"),
    ("b2", "russia"),
    ("c1", "kim"),
    ("c1", "russia"),
]
# K1 (visit): a1, c1 (b1 reports it as a copy of a1); K2 (treaty): a2, b2, b3, c4;
# K3 (launch): c3, a3 (undated)
EVENTS = [
    ("e1", "a1", "K1", "meeting_visit", date(2024, 6, 19)),
    ("e2", "c1", "K1", "meeting_visit", date(2024, 6, 19)),
    ("e3", "a2", "K2", "agreement_signed", date(2024, 6, 19)),
    ("e4", "b2", "K2", "agreement_signed", date(2024, 6, 19)),
    ("e5", "b3", "K2", "agreement_signed", date(2024, 6, 19)),
    ("e6", "c4", "K2", "agreement_signed", date(2024, 6, 19)),
    ("e7", "c3", "K3", "missile_test", date(2024, 7, 1)),
    ("e8", "a3", "K3", "missile_test", date(2024, 7, 1)),
]


def write_sources_dataset(out: Path, extra_events: Sequence[tuple[Any, ...]] = ()) -> Path:
    """The dataset above (with ``extra_events``, as ``EVENTS``) as Parquet files plus a
    manifest."""
    out.mkdir(parents=True, exist_ok=True)
    articles = []
    for fields in ARTICLES:
        row: dict[str, Any] = {name: None for name in TABLES["articles"].names}
        row.update(fields)
        row["published_basis"] = "unknown" if row["published_at"] is None else "metadata"
        row["text_norm"] = normalize_for_search(f"{row['title'] or ''} {row['text']}")
        row["n_chars"] = len(row["text"])
        row["source_ref"] = f"raw/{row['outlet_id']}.jsonl:{row['article_id']}"
        articles.append(row)
    entities = [
        {**e, "wikidata_id": None, "aliases": [e["name_ar"]], "n_mentions": 0, "n_articles": 0}
        for e in ENTITIES
    ]
    mentions = [
        {"article_id": a, "entity_id": e, "start": i, "end": i + 1, "surface": e, "sentence_idx": 0}
        for i, (a, e) in enumerate(MENTIONS)
    ]
    events = [
        {
            "event_id": eid,
            "article_id": aid,
            "cluster_id": cid,
            "event_type": etype,
            "date_start": day,
            "date_end": day,
            "date_precision": "day",
            "date_basis": "explicit",
            "actor_ids": [],
            "location_id": None,
            "evidence": f"<b>{etype}</b> في {aid}",
            "evidence_start": 0,
            "evidence_end": 5,
            "confidence": 0.9,
        }
        for eid, aid, cid, etype, day in [*EVENTS, *extra_events]
    ]
    tables = {
        "articles": articles,
        "entities": entities,
        "mentions": mentions,
        "events": events,
        "quarantine": [],
    }
    for name, rows in tables.items():
        pq.write_table(pa.Table.from_pylist(rows, schema=TABLES[name]), out / f"{name}.parquet")
    manifest = {"schema_version": SCHEMA_VERSION, "dataset_id": "test", "counts": {}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return open_dataset(write_sources_dataset(tmp_path_factory.mktemp("sources") / "data"))


def day(year: int, month: int, dom: int) -> pd.Timestamp:
    """A DuckDB DATE as pandas returns it."""
    return pd.Timestamp(year, month, dom)


def _rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


# -- (1) volume -----------------------------------------------------------------------------


def test_volume_counts_copies_once_and_only_places_precise_dates(ds: Dataset) -> None:
    frame = qs.volume(ds, ALL, period="day")
    assert _rows(frame, "period_start", "outlet_id", "n", "share") == [
        (day(2024, 6, 19), "alef", 1, 0.5),
        (day(2024, 6, 19), "jeem", 1, pytest.approx(1 / 3)),
        (day(2024, 6, 20), "alef", 1, 0.5),
        (day(2024, 6, 20), "rasd", 1, 1.0),
        (day(2024, 6, 22), "jeem", 1, pytest.approx(1 / 3)),
        (day(2024, 7, 2), "jeem", 1, pytest.approx(1 / 3)),
    ]
    # each outlet's shares sum to 1: a share of its own output
    assert frame.groupby("outlet_id")["share"].sum().tolist() == pytest.approx([1, 1, 1])


def test_volume_with_copies_and_by_month(ds: Dataset) -> None:
    with_copies = qs.volume(ds, ALL, period="day", include_duplicates=True)
    rasd = with_copies[with_copies["outlet_id"] == "rasd"]
    assert _rows(rasd, "period_start", "n") == [(day(2024, 6, 19), 1), (day(2024, 6, 20), 1)]
    monthly = qs.volume(ds, ALL, period="month")
    assert _rows(monthly, "period_start", "outlet_id", "n") == [
        (day(2024, 6, 1), "alef", 2),
        (day(2024, 6, 1), "jeem", 2),
        (day(2024, 6, 1), "rasd", 2),  # the month-precise b3 counts in a month bucket
        (day(2024, 7, 1), "jeem", 1),
    ]


def test_volume_left_out_reports_undated_and_imprecise(ds: Dataset) -> None:
    frame = qs.volume_left_out(ds, ALL, period="day").set_index("outlet_id")
    assert frame.loc["alef", ["articles", "placed", "undated", "imprecise"]].tolist() == [
        3,
        2,
        1,
        0,
    ]
    assert frame.loc["rasd", ["articles", "placed", "undated", "imprecise"]].tolist() == [
        2,
        1,
        0,
        1,
    ]
    assert frame.loc["jeem", ["articles", "placed", "undated", "imprecise"]].tolist() == [
        3,
        3,
        0,
        0,
    ]
    by_month = qs.volume_left_out(ds, ALL, period="month").set_index("outlet_id")
    assert by_month.loc["rasd", "imprecise"] == 0


def test_volume_honours_filters(ds: Dataset) -> None:
    frame = qs.volume(ds, Filters(outlets=("jeem",), date_to=date(2024, 6, 30)), period="day")
    assert _rows(frame, "period_start", "outlet_id", "n") == [
        (day(2024, 6, 19), "jeem", 1),
        (day(2024, 6, 22), "jeem", 1),
    ]
    with pytest.raises(ValueError, match="period"):
        qs.volume(ds, ALL, period="fortnight")


# -- (2) share of voice ---------------------------------------------------------------------


def test_share_of_voice_is_normalised_per_outlet(ds: Dataset) -> None:
    frame = qs.share_of_voice(ds, ALL)
    # kim is in 3 unique articles (a1, a3, c1), putin in 2 (a1, a2; b1 is a copy), russia 2
    assert list(dict.fromkeys(frame["item_id"])) == ["kim", "putin", "russia"]
    cells = frame.set_index(["item_id", "outlet_id"])
    assert cells.loc[("kim", "alef"), ["n_articles", "outlet_articles"]].tolist() == [2, 3]
    assert cells.loc[("kim", "alef"), "share"] == pytest.approx(2 / 3)
    assert cells.loc[("kim", "jeem"), "share"] == pytest.approx(1 / 3)
    assert cells.loc[("putin", "rasd"), "n_articles"] == 0  # its mention is in a copy
    assert cells.loc[("russia", "rasd"), "share"] == pytest.approx(1 / 2)
    assert cells.loc[("putin", "alef"), "label_en"] == "Vladimir Putin"
    assert len(frame) == 3 * 3  # every item × every outlet, zeros included

    with_copies = qs.share_of_voice(ds, ALL, include_duplicates=True)
    assert with_copies.set_index(["item_id", "outlet_id"]).loc[("putin", "rasd"), "share"] == (
        pytest.approx(1 / 3)
    )
    assert list(dict.fromkeys(qs.share_of_voice(ds, ALL, limit=1)["item_id"])) == ["kim"]


def test_share_of_voice_by_event_type_with_labels(ds: Dataset) -> None:
    frame = qs.share_of_voice(ds, ALL, by="event_type")
    cells = frame.set_index(["item_id", "outlet_id"])
    # agreement_signed: alef a2 of 3; rasd b2, b3 of 2; jeem c4 of 3
    assert cells.loc[("agreement_signed", "rasd"), "share"] == 1.0
    assert cells.loc[("agreement_signed", "jeem"), "share"] == pytest.approx(1 / 3)
    labels = qs.event_type_labels()
    if "agreement_signed" in labels:
        assert cells.loc[("agreement_signed", "alef"), "label_ar"] == labels["agreement_signed"][0]
    with pytest.raises(ValueError, match="by"):
        qs.share_of_voice(ds, ALL, by="colour")


# -- (3) coverage ---------------------------------------------------------------------------


def test_coverage_first_report_and_lags(ds: Dataset) -> None:
    frame = qs.coverage(ds, ALL)
    # K2 and K1 are reported by three outlets (K2 in more articles), K3 by two
    assert list(dict.fromkeys(frame["cluster_id"])) == ["K2", "K1", "K3"]
    cells = frame.set_index(["cluster_id", "outlet_id"])

    # K1: a1 08:30 (alef, minute) is first; the copy b1 10:00 (rasd) 1.5 h later; c1 12:00
    assert cells.loc[("K1", "alef"), "status"] == "first"
    assert cells.loc[("K1", "alef"), "lag_hours"] == 0
    assert cells.loc[("K1", "rasd"), ["status", "lag_hours", "lag_days", "n_copies"]].tolist() == [
        "later",
        1.5,
        0,
        1,
    ]
    assert cells.loc[("K1", "jeem"), "lag_hours"] == 3.5

    # K2: a2 and b2 are both day-precise on 20 June: who was first that day is unknown
    assert cells.loc[("K2", "alef"), "status"] == "same_day"
    assert cells.loc[("K2", "rasd"), "status"] == "same_day"
    assert pd.isna(cells.loc[("K2", "rasd"), "lag_hours"])
    assert cells.loc[("K2", "jeem"), ["status", "lag_days"]].tolist() == ["later", 2]
    # rasd's month-precise b3 is counted as a report, never as a date
    assert cells.loc[("K2", "rasd"), "n_articles"] == 2
    assert cells.loc[("K2", "rasd"), "first_at"] == pd.Timestamp("2024-06-20", tz="UTC")

    # K3: jeem alone has a date; alef's report is undated: unknown, not guessed
    assert cells.loc[("K3", "jeem"), "status"] == "first"
    assert cells.loc[("K3", "alef"), "status"] == "unknown"
    assert pd.isna(cells.loc[("K3", "alef"), "lag_days"])
    assert cells.loc[("K3", "alef"), "cluster_outlets"] == 2
    assert cells.loc[("K1", "jeem"), "evidence"] in {
        "<b>meeting_visit</b> في a1",
        "<b>meeting_visit</b> في c1",
    }


def test_coverage_honours_filters_and_limit(ds: Dataset) -> None:
    frame = qs.coverage(ds, Filters(outlets=("rasd", "jeem")))
    cells = frame.set_index(["cluster_id", "outlet_id"])
    # without alef, rasd's copy at 10:00 is the first report of K1
    assert cells.loc[("K1", "rasd"), "status"] == "first"
    assert cells.loc[("K1", "jeem"), "lag_hours"] == 2.0
    assert set(frame["outlet_id"]) == {"rasd", "jeem"}
    assert list(dict.fromkeys(qs.coverage(ds, ALL, limit=1)["cluster_id"])) == ["K2"]
    without_copies = qs.coverage(ds, ALL, include_duplicates=False)
    assert ("K1", "rasd") not in set(
        zip(without_copies["cluster_id"], without_copies["outlet_id"], strict=True)
    )


def test_coverage_type_and_entity_filters_keep_whole_stories(ds: Dataset) -> None:
    # kim is named inside the evidence of a1 (K1) and a3 (K3): both stories are shown with
    # every outlet that reported them, not only through the articles that mention kim
    frame = qs.coverage(ds, Filters(entities=("kim",)))
    cells = frame.set_index(["cluster_id", "outlet_id"])
    assert set(frame["cluster_id"]) == {"K1", "K3"}
    assert cells.loc[("K3", "jeem"), "status"] == "first"  # c3 does not mention kim
    assert cells.loc[("K1", "rasd"), "n_copies"] == 1  # nor does the copy b1
    # a type keeps its stories only: never another story told in the same articles
    assert set(qs.coverage(ds, Filters(types=("missile_test",)))["event_type"]) == {"missile_test"}
    # with an outlet filter, the story must be named in that outlet's reports
    assert qs.coverage(ds, Filters(outlets=("jeem",), entities=("kim",))).empty
    alef = qs.coverage(ds, Filters(outlets=("alef",), entities=("kim",)))
    assert set(alef["cluster_id"]) == {"K1", "K3"} and set(alef["outlet_id"]) == {"alef"}
    both = qs.coverage(ds, Filters(entities=("putin",), types=("agreement_signed",)))
    assert set(both["cluster_id"]) == {"K2"}


@pytest.mark.parametrize(
    "filters",
    [
        # rasd tells K1 only through b1, a copy of a1, whose report names kim
        Filters(entities=("kim",), outlets=("rasd",)),
        Filters(entities=("kim",), outlets=("jeem",)),
        Filters(entities=("kim",), outlets=("alef", "rasd")),
        Filters(entities=("putin",), outlets=("jeem",)),
        # b1 (19 June, minute) tells K1; a1 itself is dated the same day
        Filters(entities=("kim",), date_from=date(2024, 6, 19), date_to=date(2024, 6, 19)),
        Filters(entities=("kim",), date_from=date(2024, 6, 20)),
        Filters(entities=("russia",), outlets=("jeem",), date_from=date(2024, 6, 1)),
        Filters(entities=("kim",), types=("missile_test",), outlets=("jeem",)),
        # types alone: each row of the per-story tables carries its story's type
        Filters(types=("agreement_signed",), outlets=("rasd", "jeem")),
        Filters(types=("agreement_signed", "missile_test"), date_from=date(2024, 6, 20)),
        Filters(types=("meeting_visit",), outlets=("alef",), date_to=date(2024, 6, 30)),
    ],
)
def test_coverage_under_an_entity_and_outlets_or_dates_reads_the_tellers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: Filters
) -> None:
    base = open_dataset(write_sources_dataset(tmp_path / "base"))
    built = write_sources_dataset(tmp_path / "agg")
    write_aggregates(duckdb.connect(), built)
    agg = open_dataset(built)
    expected = qs.coverage(base, filters)
    if filters == Filters(entities=("kim",), outlets=("rasd",)):
        assert set(expected["cluster_id"]) == {"K1"}  # the case the tellers are for
    # answered from the per-story tables, never from the articles and events
    monkeypatch.setattr(qs, "coverage_per_outlet_sql", None)
    pd.testing.assert_frame_equal(qs.coverage(agg, filters), expected)


#: K4 and K5: stories with a single article in the whole dataset (most stories of a large
#: corpus), told in the first minutes of the day so that they rank early among equals.
SINGLES = [
    ("e9", "c1", "K4", "missile_test", date(2024, 6, 19)),
    ("e10", "b3", "K5", "meeting_visit", date(2024, 6, 1)),
]


def _coverage_passes(
    monkeypatch: pytest.MonkeyPatch, base: Dataset, agg: Dataset, filters: Filters
) -> list[int]:
    """How many passes ``coverage`` over ``agg`` takes for 1, 2, 3 and 30 stories, each
    answer checked against the base tables'."""
    limits = (1, 2, 3, 30)
    expected = [qs.coverage(base, filters, limit=limit) for limit in limits]
    passes: list[int] = []
    rows = qs._coverage_rows

    def counted(*args: Any, **kwargs: Any) -> pd.DataFrame:
        passes[-1] += 1
        return rows(*args, **kwargs)

    monkeypatch.setattr(qs, "_coverage_rows", counted)
    for limit, want in zip(limits, expected, strict=True):
        passes.append(0)
        pd.testing.assert_frame_equal(qs.coverage(agg, filters, limit=limit), want)
    return passes


@pytest.mark.parametrize(
    ("filters", "extra_events", "expected_passes"),
    [
        # from June: K2 and K1 keep three outlets; K3 keeps one (a3 is undated), though two
        # outlets reported it over the whole dataset
        (Filters(date_from=date(2024, 6, 1)), [], [1, 1, 2, 2]),
        # jeem: K2 (c4 and the copy c2), then K1, K3 and K4 with one article each
        (Filters(outlets=("jeem",)), SINGLES, [1, 2, 2, 2]),
        # rasd: K2 (b2, b3), K1 (the copy b1), K5 (b3 alone in the whole dataset)
        (Filters(outlets=("rasd",)), SINGLES, [1, 2, 2, 2]),
        (Filters(outlets=("alef", "jeem")), SINGLES, [1, 1, 1, 2]),
        (Filters(date_from=date(2024, 6, 20), outlets=("rasd",)), SINGLES, [1, 2, 2, 2]),
        # every outlet: the stories are picked from agg_cluster_totals, then read once
        (Filters(), SINGLES, [1, 1, 1, 1]),
        (Filters(types=("missile_test",)), SINGLES, [1, 1, 1, 1]),
        (Filters(entities=("kim",)), SINGLES, [1, 1, 1, 1]),
        # free text: who tells the stories of several articles is agg_story_articles
        (Filters(q="المعاهده"), SINGLES, [1, 2, 2, 2]),
        (Filters(q="بيونغ", outlets=("rasd", "jeem")), SINGLES, [1, 2, 2, 2]),
        (Filters(q="صواريخ", types=("agreement_signed",)), SINGLES, [1, 2, 2, 2]),
        (Filters(q="بيونغ", entities=("kim",)), SINGLES, [1, 1, 2, 2]),
    ],
)
def test_coverage_ranks_stories_of_several_articles_first_exactly(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    filters: Filters,
    extra_events: list[tuple[Any, ...]],
    expected_passes: list[int],
) -> None:
    """The same rows as from the base tables; one pass while every story chosen still has
    two outlets or two articles under the filters, else every story again."""
    base = open_dataset(write_sources_dataset(tmp_path / "base", extra_events))
    built = write_sources_dataset(tmp_path / "agg", extra_events)
    write_aggregates(duckdb.connect(), built)
    agg = open_dataset(built)
    assert _coverage_passes(monkeypatch, base, agg, filters) == expected_passes


@pytest.mark.parametrize(
    ("filters", "expected_passes"),
    [
        # from June: K2 and K1 keep their three outlets (the wide stories: three outlets
        # over the whole dataset), so one pass for one or two stories; a third is not
        # among them, so then the two tiers below as before
        (Filters(date_from=date(2024, 6, 1)), [1, 1, 3, 3]),
        # to 19 June: K1 keeps its three outlets (a1, the copy b1, c1), K2 only rasd's
        # month-dated b3: exact for one story; for two, neither tier is
        (Filters(date_to=date(2024, 6, 19)), [1, 3, 3, 3]),
        # free text (the tellers of the wide stories only): K1 keeps three outlets, K2
        # (a2, a4, c4) and K3 (c3, a3) two each, so the tier of several articles is exact
        # for two and three stories; there are no more of several articles
        (Filters(q="بيونغ"), [1, 2, 2, 3]),
        # K2 alone is of the type, with two outlets: never the wide tier
        (Filters(q="المعاهده", types=("agreement_signed",)), [2, 3, 3, 3]),
        # over every outlet the stories are picked first, among the wide ones under an
        # entity (enough of them for one or two stories, else the tiers below)
        (Filters(entities=("kim",)), [1, 1, 1, 1]),
        (Filters(entities=("putin",)), [1, 1, 1, 1]),
    ],
)
def test_coverage_tries_the_stories_of_most_outlets_first_exactly(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    filters: Filters,
    expected_passes: list[int],
) -> None:
    """With a wide tier (the stories that at least three outlets reported: K1 and K2), the
    same rows as from the base tables; one pass while every story it chooses still shows
    three outlets under the filters, else the tiers below."""
    base = open_dataset(write_sources_dataset(tmp_path / "base", SINGLES))
    built = write_sources_dataset(tmp_path / "agg", SINGLES)
    write_aggregates(duckdb.connect(), built)
    agg = open_dataset(built)
    monkeypatch.setattr(qs, "WIDE_STORIES", 2)
    monkeypatch.setattr(qs, "WIDE_SHARE", 0.0)
    assert qs._wide_outlets(agg) == (3, agg.count_articles(Filters()))
    assert _coverage_passes(monkeypatch, base, agg, filters) == expected_passes


def test_coverage_under_an_entity_picks_among_the_wide_stories_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over every outlet, an entity's stories are picked among those most outlets reported
    while enough of them name it (one pick), else from the stories of several articles."""
    built = write_sources_dataset(tmp_path / "agg", SINGLES)
    write_aggregates(duckdb.connect(), built)
    agg = open_dataset(built)
    monkeypatch.setattr(qs, "WIDE_STORIES", 2)
    asked = record_sql(monkeypatch, agg)
    picks = []
    for limit in (1, 2, 3):
        asked.clear()
        qs.coverage(agg, Filters(entities=("kim",)), limit=limit)
        picks.append([re.findall(r"AND (cluster_\w+ >= \d+|TRUE) ORDER BY", q) for q in asked])
        picks[-1] = [p[0] for p in picks[-1] if p]
    assert picks[0] == ["cluster_outlets >= 3"]
    assert picks[2][0] == "cluster_outlets >= 3" and "cluster_articles >= 2" in picks[2]


def test_coverage_skips_the_wide_tier_for_narrow_selections(
    sources_pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too few outlets kept, or too few articles: the tier would cost a pass for nothing."""
    _, agg = sources_pair
    monkeypatch.setattr(qs, "WIDE_STORIES", 2)
    assert qs._wide_tier(agg, Filters(), lambda cond: (cond, [])) is not None
    assert qs._wide_tier(agg, Filters(outlets=("alef", "rasd", "jeem")), str) is None
    monkeypatch.setattr(qs, "WIDE_SHARE", 0.9)
    assert qs._wide_tier(agg, Filters(date_from=date(2024, 6, 20)), str) is None


# -- (4) distinctive vocabulary ----------------------------------------------------------------


def test_distinctive_terms_per_outlet(ds: Dataset) -> None:
    terms = qs.distinctive_terms(ds, ALL, k=3)
    top = {o: list(g.sort_values("rank")["term"]) for o, g in terms.groupby("outlet_id")}
    assert top["alef"][0] in {"قطارات", "ركاب"}
    assert top["rasd"][0] == "صواريخ"  # صواريخ، الصواريخ، والصواريخ are one term
    assert top["jeem"][0] in {"معاهده", "تنص"}
    row = terms[(terms["outlet_id"] == "rasd") & (terms["term"] == "صواريخ")].iloc[0]
    assert row["label"] == "الصواريخ"  # shown in its most frequent written form
    assert row["count"] == 2 * (3 + 1)  # b2 and b3 each: 3 in the text, 1 in the title
    assert row["count_rest"] == 0  # c2 is a copy of b2: not counted by default
    assert (terms["z"] > 0).all()
    assert terms.groupby("outlet_id")["rank"].max().max() <= 3


def test_distinctive_terms_show_the_written_spelling(ds: Dataset) -> None:
    terms = qs.distinctive_terms(ds, ALL, k=10)
    labels = set(terms["label"])
    # text_norm folds ة to ه and drops hamza; the label has the article's spelling back
    assert "المعاهدة" in labels and "المعاهده" not in labels


def test_distinctive_terms_options(ds: Dataset) -> None:
    only = qs.distinctive_terms(ds, ALL, outlets=["jeem"], k=5)
    assert set(only["outlet_id"]) == {"jeem"}
    # one outlet in the filter: nothing to compare with
    assert qs.distinctive_terms(ds, Filters(outlets=("jeem",))).empty
    with_copies = qs.distinctive_terms(ds, ALL, include_duplicates=True, k=50)
    missiles = with_copies[with_copies["term"] == "صواريخ"].set_index("outlet_id")
    assert missiles.loc["rasd", "count_rest"] > 0  # c2 now counts for jeem
    sampled = qs.term_counts(ds, ALL, max_articles_per_outlet=1)
    assert set(sampled["outlet_articles"]) == {1}


def test_term_counts_match_the_python_reference(ds: Dataset) -> None:
    _assert_sql_counts_equal_python(ds)


def _assert_sql_counts_equal_python(ds: Dataset) -> None:
    counts = qs.term_counts(ds, ALL, max_articles_per_outlet=None, candidates_per_outlet=None)
    from_sql = counts.groupby("term")["count"].sum().to_dict()
    texts = ds._df("SELECT text_norm FROM articles WHERE duplicate_of IS NULL")["text_norm"]
    reference = vocabulary.count_terms(list(texts), vocabulary.load_stopwords())
    assert from_sql == dict(reference)


# -- (5) syndication ------------------------------------------------------------------------


def test_syndication_pairs_and_who_came_first(ds: Dataset) -> None:
    frame = qs.syndication(ds, ALL)
    pairs = frame.set_index("copy_id")
    assert set(pairs.index) == {"a4", "b1", "c2"}
    assert pairs.loc[
        "b1", ["original_id", "first", "lag_hours", "lag_days", "cross_outlet"]
    ].tolist() == [
        "a1",
        "original",
        1.5,
        0,
        True,
    ]
    assert pairs.loc["c2", "first"] == "unknown"  # the copy is undated
    assert pd.isna(pairs.loc["c2", "lag_days"])
    assert pairs.loc["a4", ["first", "cross_outlet"]].tolist() == ["same_day", False]
    assert set(qs.syndication(ds, ALL, cross_outlet_only=True)["copy_id"]) == {"b1", "c2"}
    # a pair is listed when either side matches the filters
    assert set(qs.syndication(ds, Filters(outlets=("jeem",)))["copy_id"]) == {"c2"}
    assert set(qs.syndication(ds, Filters(outlets=("alef",)))["copy_id"]) == {"a4", "b1"}


def test_syndication_flows(ds: Dataset) -> None:
    flows = qs.syndication_flows(ds, ALL)
    assert sorted(_rows(flows, "copy_outlet_id", "original_outlet_id", "n_copies")) == [
        ("alef", "alef", 1),
        ("jeem", "rasd", 1),
        ("rasd", "alef", 1),
    ]


@pytest.mark.parametrize(
    "filters",
    [
        ALL,
        Filters(outlets=("jeem",)),
        Filters(date_from=date(2024, 6, 20)),
        Filters(q="قطارات"),
        Filters(q="صواريخ", outlets=("jeem", "rasd")),
        Filters(entities=("putin",)),
    ],
)
def test_syndication_from_the_build_matches_the_base_tables(
    sources_pair: tuple[Dataset, Dataset], filters: Filters
) -> None:
    """The build's pairs (``agg_syndication``, read by row number) answer as the articles
    do, the most similar first, whatever the limit."""
    base, agg = sources_pair
    assert agg.has_agg("agg_syndication") and not base.has_agg("agg_syndication")
    for cross in (False, True):
        for limit in (1, 2, 500):
            pd.testing.assert_frame_equal(
                qs.syndication(agg, filters, cross_outlet_only=cross, limit=limit),
                qs.syndication(base, filters, cross_outlet_only=cross, limit=limit),
            )
    pd.testing.assert_frame_equal(
        qs.syndication_flows(agg, filters), qs.syndication_flows(base, filters)
    )


# -- (6) outlet profile ---------------------------------------------------------------------


def test_outlet_profile(ds: Dataset) -> None:
    profile = qs.outlet_profile(ds, ALL, "rasd").iloc[0]
    assert profile["outlet"] == "Rasd News رصد"
    assert profile[["articles", "copies", "undated", "imprecise"]].tolist() == [2, 1, 0, 1]
    assert profile["first"] == day(2024, 6, 1) and profile["first_precision"] == "month"
    assert profile["last"] == day(2024, 6, 20) and profile["last_precision"] == "day"
    assert profile["copies_of_others"] == 1  # b1 copies alef's a1
    assert profile["copied_by_others"] == 1  # jeem's c2 copies b2
    # the profile replaces the outlet filter with its own outlet
    assert len(qs.outlet_profile(ds, Filters(outlets=("alef",)), "jeem")) == 1
    assert qs.outlet_profile(ds, ALL, "nobody").empty


def test_outlet_top_items(ds: Dataset) -> None:
    entities = qs.outlet_top_items(ds, ALL, "alef")
    assert _rows(entities, "item_id", "n_articles", "outlet_articles") == [
        ("kim", 2, 3),
        ("putin", 2, 3),
    ]
    types = qs.outlet_top_items(ds, ALL, "jeem", by="event_type")
    assert _rows(types, "item_id", "n_articles") == [
        ("agreement_signed", 1),
        ("meeting_visit", 1),
        ("missile_test", 1),
    ]


# -- the real build of the bundled corpus -----------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    out = tmp_path_factory.mktemp("seeds") / "processed"
    build([ROOT / "data" / "raw"], out, workers=1)
    return open_dataset(out)


def test_seed_vocabulary_makes_sense(seeds: Dataset) -> None:
    terms = qs.distinctive_terms(seeds, ALL, k=12)
    by_outlet = {
        str(outlet): list(group.sort_values("rank")["label"])
        for outlet, group in terms.groupby("outlet")
    }
    print("\ndistinctive terms of the seed outlets (weighted log-odds, z > 0):")
    for outlet, labels in sorted(by_outlet.items()):
        print(f"  {outlet}: {' | '.join(labels)}")
    assert len(by_outlet) == 5
    # one story each: the trains (تحيا مصر), Putin's statement on the treaty (نيسان), the
    # alliance as a blow to the US (البوابة نيوز), the Vostochny summit (الأمصار), the
    # ratification and the troops in Kursk (العربية الآن)
    expected = {
        "تحيا مصر": {"قطارات", "الركاب", "تستأنف"},
        "نيسان": {"تنص", "شراكة", "شاملة", "عدوان", "المتبادلة"},
        "البوابة نيوز": {"الولايات", "التجارة", "المتحدة", "الدفاع"},
        "الأمصار": {"الصداقة", "اللقاء", "التعاون", "الأقصى"},
        "العربية الآن": {"جندي", "القتال", "الكوري", "قوات"},
    }
    stop = vocabulary.load_stopwords().expanded()
    for outlet, words in expected.items():
        assert words & set(by_outlet[outlet]), (outlet, by_outlet[outlet])
        assert not {normalize_for_search(w) for w in by_outlet[outlet]} & stop
    # labels are written words: no folded ta marbuta at the end of a feminine adjective
    assert not any(label.endswith("يه") for labels in by_outlet.values() for label in labels)


def test_seed_sql_and_python_counts_agree(seeds: Dataset) -> None:
    _assert_sql_counts_equal_python(seeds)


def test_seed_views_run(seeds: Dataset) -> None:
    assert qs.volume(seeds, ALL, period="day")["n"].sum() >= 1
    left = qs.volume_left_out(seeds, ALL, period="day")
    assert int(left["articles"].sum()) == int(left[["placed", "undated", "imprecise"]].sum().sum())
    for frame in (
        qs.share_of_voice(seeds, ALL),
        qs.share_of_voice(seeds, ALL, by="event_type"),
        qs.coverage(seeds, ALL),
        qs.syndication(seeds, ALL),
        qs.syndication_flows(seeds, ALL),
    ):
        assert isinstance(frame, pd.DataFrame)
    outlet = str(seeds.outlets()["outlet_id"].iloc[0])
    assert len(qs.outlet_profile(seeds, ALL, outlet)) == 1


# -- an entity's newest sentences (Entities page), from the build's agg_entity_sentences ------


@pytest.fixture(scope="module")
def sources_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Dataset]:
    """The dataset above without and with the build's aggregates."""
    root = tmp_path_factory.mktemp("sources_pair")
    built = write_sources_dataset(root / "agg")
    write_aggregates(duckdb.connect(), built)
    return open_dataset(write_sources_dataset(root / "base")), open_dataset(built)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(outlets=("alef",)),
        Filters(date_from=date(2024, 6, 20)),
        Filters(q="قطارات"),
        # selections: the kept ids with the build's rows
        Filters(q="بيونغ", outlets=("alef", "rasd")),
        Filters(entities=("kim",)),
        Filters(types=("meeting_visit",), date_to=date(2024, 6, 19)),
    ],
)
def test_entity_sentences_from_the_build_match_the_base_tables(
    sources_pair: tuple[Dataset, Dataset], filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasd import query_entities

    base, agg = sources_pair
    assert agg.has_agg("agg_entity_sentences") and not base.has_agg("agg_entity_sentences")
    with monkeypatch.context() as patch:
        read = record_sql(patch, agg)
        query_entities.entity_sentences(agg, filters, "kim")
    assert any("FROM agg_entity_sentences" in sql for sql in read)
    assert not any("FROM mentions" in sql for sql in read)
    for entity in ("putin", "kim", "russia"):
        for limit in (1, 2, 50):
            for copies in (False, True):
                want = query_entities.entity_sentences(
                    base, filters, entity, limit=limit, include_duplicates=copies
                )
                got = query_entities.entity_sentences(
                    agg, filters, entity, limit=limit, include_duplicates=copies
                )
                pd.testing.assert_frame_equal(got, want)
    # newest first: putin is named in a2 (20 June), b1 (19 June 10:00, a copy), a1 (08:30,
    # twice in one sentence)
    every = query_entities.entity_sentences(agg, ALL, "putin", include_duplicates=True)
    assert list(every["article_id"]) == ["a2", "b1", "a1"]
    assert list(every["mention_starts"].iloc[2]) == [0, 1]
