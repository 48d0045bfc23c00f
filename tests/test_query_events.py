"""The events read side, on a small dataset written here with pyarrow from rasd.schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd import query_events as qe
from rasd.aggregates import write_aggregates
from rasd.filters import Filters
from rasd.normalize import normalize_for_search
from rasd.query import Dataset, open_dataset
from rasd.query_events import (
    article_volume,
    cluster_evidence,
    count_clusters,
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


def test_article_volume(ds: Dataset) -> None:
    volume = article_volume(ds, Filters())
    assert list(zip(volume["day"], volume["n"], strict=True)) == [
        (_ts(2024, 6, 19), 1),
        (_ts(2024, 11, 6), 2),
    ]
    per_outlet = article_volume(ds, Filters(), by_outlet=True)
    assert set(per_outlet["outlet_id"]) == {"nysn", "arabiya"}
    ranged = article_volume(ds, Filters(date_from=date(2024, 11, 1)))
    assert list(ranged["n"]) == [2]


def test_top_of_the_dated_clusters(ds: Dataset) -> None:
    """A chart over time takes its top among the clusters it can place: c-missile (undated)
    ties c-war on coverage and wins on id overall, but not among the dated."""
    top = timeline_clusters(ds, Filters(), top=2)
    assert list(top["cluster_id"]) == ["c-treaty", "c-missile"]
    dated = timeline_clusters(ds, Filters(), top=2, dated_only=True)
    assert list(dated["cluster_id"]) == ["c-war", "c-treaty"]
    assert count_clusters(ds, Filters(), dated_only=True) == 2
    assert count_clusters(ds, Filters()) == 3
    with pytest.raises(ValueError):
        timeline_clusters(ds, Filters(), undated_only=True, dated_only=True)


def test_entity_with_an_outlet_keeps_clusters_that_outlet_names_it_in(tmp_path: Path) -> None:
    """c-treaty is reported by nysn, arabiya and bawaba; only bawaba's report does not name
    Kim Jong Un. Under bawaba the entity filter drops it; under nysn it keeps nysn's part.
    The build's per-outlet naming table gives what the reports give."""
    out = write_events_dataset(tmp_path / "naming")
    plain = Dataset(out, use_aggregates=False)
    write_aggregates(duckdb.connect(), out)
    stored = Dataset(out)
    assert stored.has_agg("agg_cluster_entities") and stored.has_agg("agg_cluster_reports")
    kim = ("Q56226",)
    for outlets, expected in [(("bawaba",), []), (("nysn",), ["c-treaty"])]:
        filters = Filters(entities=kim, outlets=outlets)
        assert qe._stored_where(stored, filters, min_confidence=0.0) is not None
        got = timeline_clusters(stored, filters)
        assert list(got["cluster_id"]) == expected
        pd.testing.assert_frame_equal(got, timeline_clusters(plain, filters))
        assert count_clusters(stored, filters) == count_clusters(plain, filters)
        assert undated_clusters(stored, filters) == undated_clusters(plain, filters)
    treaty = timeline_clusters(stored, Filters(entities=kim, outlets=("nysn",)))
    assert list(treaty["outlet_ids"].iloc[0]) == ["nysn"]
    assert int(treaty["n_reports"].iloc[0]) == 1


def test_results_are_new_frames(ds: Dataset) -> None:
    first = timeline_clusters(ds, Filters())
    first.loc[:, "event_type"] = "changed"
    assert "changed" not in set(timeline_clusters(ds, Filters())["event_type"])


def _all_then_limit(
    ds: Dataset,
    filters: Filters,
    *,
    min_confidence: float = 0.0,
    limit: int = 5000,
    top: int | None = None,
    undated_only: bool = False,
    dated_only: bool = False,
) -> pd.DataFrame:
    """The former timeline_clusters (every cluster computed, then chosen): the reference
    for the one that picks its clusters from counts first."""
    reports, params = qe._reports(ds, filters, min_confidence=min_confidence)
    entity_sql, entity_params = qe._entity_clause(filters)
    range_sql, range_params = qe._range_clause(filters, "c.date_start", "c.date_end")
    # every cluster's row from all of its reports, evidence included
    sql = f"""
        WITH reports AS ({reports}),
        matched AS MATERIALIZED (SELECT * FROM reports WHERE {entity_sql}),
        parts AS ({qe.parts_sql("matched", evidence=True)}),
        lists AS ({qe.part_lists_sql("matched")}),
        {qe.combine_parts_sql("parts", "lists", range_sql=range_sql)}
    """
    if undated_only:
        sql = f"SELECT * FROM ({sql}) WHERE date_start IS NULL {qe._BY_TIME}"
    if dated_only:
        sql = f"SELECT * FROM ({sql}) WHERE date_start IS NOT NULL {qe._BY_TIME}"
    top_params: list[Any] = []
    if top is not None:
        sql = f"SELECT * FROM (SELECT * FROM ({sql}) {qe._TOP}) {qe._BY_TIME}"
        top_params = [int(top)]
    frame = ds._df(
        f"{sql} LIMIT ?", [*params, *entity_params, *range_params, *top_params, int(limit)]
    )
    unknown_first = frame["first_published_at"].isna()
    for column in ("first_outlet", "first_outlet_id", "first_article_id"):
        frame[column] = frame[column].where(~unknown_first, None)
    return frame


def _filter_combos(ds: Dataset) -> list[Filters]:
    outlets = list(ds.outlets()["outlet_id"])
    kinds = ds.event_types()
    lo, hi = ds.date_bounds()
    actor = ds._scalar(
        "SELECT a FROM (SELECT unnest(actor_ids) AS a FROM events) GROUP BY a "
        "ORDER BY count(*) DESC, a LIMIT 1"
    )
    word = ds._scalar(
        "SELECT w FROM (SELECT unnest(string_split(text_norm, ' ')) AS w FROM articles) "
        "WHERE length(w) > 3 GROUP BY w ORDER BY count(*) DESC, w LIMIT 1"
    )
    combos = [
        Filters(),
        Filters(outlets=(outlets[0],)),
        Filters(outlets=tuple(outlets[:2]), types=tuple(kinds[:1])),
        Filters(q=str(word)),
        Filters(q=str(word), outlets=(outlets[-1],)),
        Filters(date_from=date(2000, 1, 1)),
    ]
    if actor is not None:
        combos += [Filters(entities=(str(actor),)), Filters(entities=(str(actor),), q=str(word))]
    if lo is not None and hi is not None:
        mid = lo + (hi - lo) / 2
        combos += [
            Filters(outlets=(outlets[0],), date_from=lo, date_to=mid),
            Filters(q=str(word), date_from=mid),
        ]
    return combos


@pytest.mark.parametrize("which", ["events", "factory", "built"])
def test_picking_first_gives_the_same_clusters(
    which: str,
    ds: Dataset,
    factory_dataset: Path,
    built_dataset: Path,
) -> None:
    """Choosing the clusters from counts before computing their lists changes no row."""
    target = {
        "events": ds,
        "factory": Dataset(factory_dataset, use_aggregates=False),
        "built": Dataset(built_dataset, use_aggregates=False),
    }[which]
    asks: list[dict[str, Any]] = [
        {},
        {"limit": 3},
        {"top": 2},
        {"top": 5, "limit": 3},
        {"top": 400},
        {"undated_only": True, "limit": 50},
        {"undated_only": True, "top": 2, "limit": 2},
        {"dated_only": True, "top": 2},
        {"dated_only": True, "top": 400, "limit": 3},
        {"min_confidence": 0.5, "top": 4},
        {"min_confidence": 0.5, "top": 4, "dated_only": True},
    ]
    for filters in _filter_combos(target):
        for kwargs in asks:
            expected = _all_then_limit(target, filters, **kwargs)
            got = timeline_clusters(target, filters, **kwargs)
            pd.testing.assert_frame_equal(got, expected, obj=f"{filters} {kwargs}")
        full = _all_then_limit(target, filters, limit=10**9)
        assert count_clusters(target, filters) == len(full)
        dated = int(full["date_start"].notna().sum())
        assert count_clusters(target, filters, dated_only=True) == dated
        unranged = filters.with_(date_from=None, date_to=None)
        everything = _all_then_limit(target, unranged, limit=10**9)
        assert undated_clusters(target, filters) == int(everything["date_start"].isna().sum())


def test_first_report_and_place_ties_are_broken_by_id(tmp_path: Path) -> None:
    """The first report (earliest publication, then outlet, article, offset) and the most
    frequent place (then the smallest id) do not depend on the order rows are read in."""
    out = write_events_dataset(tmp_path / "ties")
    events = pq.read_table(out / "events.parquet").to_pylist()
    for row in events:
        if row["cluster_id"] == "c-treaty":
            row["location_id"] = {"e1": "Q2", "e2": "Q1", "e3": None}[row["event_id"]]
    pq.write_table(
        pa.Table.from_pylist(events[::-1], schema=TABLES["events"]), out / "events.parquet"
    )
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    for row in articles:
        if row["article_id"] == "n2":
            row["published_at"] = datetime(2024, 6, 19, 14, 49, tzinfo=UTC)  # as n1
    pq.write_table(
        pa.Table.from_pylist(articles, schema=TABLES["articles"]), out / "articles.parquet"
    )
    treaty = timeline_clusters(open_dataset(out), Filters()).set_index("cluster_id").loc["c-treaty"]
    assert treaty["location_id"] == "Q1"
    assert treaty["first_outlet_id"] == "arabiya" and treaty["first_article_id"] == "n2"
    assert treaty["evidence"] == TEXTS["n2"]


_PRECISIONS = st.sampled_from([*qe.PRECISION_RANK, "unknown"])
_BASES = st.sampled_from([*qe.BASIS_RANK, "unknown"])
_DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_PRECISIONS, _BASES, _DATES, st.one_of(st.none(), _DATES)),
        min_size=1,
        max_size=12,
    )
)
def test_the_date_order_key_orders_reports_as_their_rank_basis_and_dates(
    reports: list[tuple[str, str, date, date | None]],
) -> None:
    """The BIGINT a cluster's dating report is chosen by orders reports as the tuple
    (precision rank, basis rank, start, end) would, a missing end last."""
    import duckdb

    rows = [(i, *report) for i, report in enumerate(reports)]
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE e (i INTEGER, date_precision VARCHAR, date_basis VARCHAR, "
            "date_start DATE, date_end DATE)"
        )
        con.executemany("INSERT INTO e VALUES (?, ?, ?, ?, ?)", rows)
        got = con.execute(f"SELECT i FROM e ORDER BY {qe.DATE_ORDER}, i").fetchall()
    finally:
        con.close()

    def rank(row: tuple[int, str, str, date, date | None]) -> tuple[Any, ...]:
        i, precision, basis, start, end = row
        p = qe.PRECISION_RANK.index(precision) if precision in qe.PRECISION_RANK else 99
        b = qe.BASIS_RANK.index(basis) if basis in qe.BASIS_RANK else 9
        return (p, b, start, end or date(9999, 12, 31), i)

    assert [i for (i,) in got] == [row[0] for row in sorted(rows, key=rank)]


def test_one_outlet_counts_its_parts_as_they_are(tmp_path: Path) -> None:
    """Under one outlet a cluster's counts are its part's: reports and articles differ when
    an article reports a cluster twice, and an outlet's undated report does not date it."""
    out = write_events_dataset(tmp_path / "parts")
    events = pq.read_table(out / "events.parquet").to_pylist()
    treaty = next(e for e in events if e["event_id"] == "e1")  # n1 (nysn), dated
    events += [
        {**treaty, "event_id": "e6", "evidence_start": 0, "evidence_end": 5},  # n1 again
        {**treaty, "event_id": "e7", "article_id": "n4", "date_start": None,
         "date_end": None, "date_precision": "unknown", "date_basis": "unknown"},  # arabiya
    ]  # fmt: skip
    missile = next(e for e in events if e["event_id"] == "e5")  # n4 (arabiya)
    events += [{**missile, "event_id": f"e{8 + i}"} for i in range(2)]  # 3 reports, 1 article
    pq.write_table(pa.Table.from_pylist(events, schema=TABLES["events"]), out / "events.parquet")
    plain = Dataset(out, use_aggregates=False)
    write_aggregates(duckdb.connect(), out)
    stored = Dataset(out)
    views = [Filters(outlets=(o,)) for o in ("nysn", "arabiya", "bawaba")]
    views.append(Filters(outlets=("nysn",), date_from=date(1951, 1, 1)))  # inside c-war's span
    for filters in views:
        assert qe._stored_where(stored, filters, min_confidence=0.0) is not None
        got = timeline_clusters(stored, filters)
        pd.testing.assert_frame_equal(got, timeline_clusters(plain, filters))
        top = timeline_clusters(stored, filters, top=1)
        pd.testing.assert_frame_equal(top, timeline_clusters(plain, filters, top=1))
        assert count_clusters(stored, filters) == count_clusters(plain, filters)
        assert undated_clusters(stored, filters) == undated_clusters(plain, filters)
    nysn = timeline_clusters(stored, Filters(outlets=("nysn",))).set_index("cluster_id")
    assert (int(nysn.loc["c-treaty", "n_reports"]), int(nysn.loc["c-treaty", "n_articles"])) == (
        2,
        1,
    )
    arabiya = timeline_clusters(stored, Filters(outlets=("arabiya",))).set_index("cluster_id")
    assert int(arabiya.loc["c-treaty", "n_articles"]) == 2
    assert str(arabiya.loc["c-treaty", "date_precision"]) == "month"  # the dated report's
    # the most covered first: c-treaty (2 articles), not c-missile (3 reports of one)
    top = timeline_clusters(stored, Filters(outlets=("arabiya",)), top=1)
    assert list(top["cluster_id"]) == ["c-treaty"]
    war = timeline_clusters(stored, Filters(outlets=("nysn",), date_from=date(1951, 1, 1)))
    assert "c-war" in set(war["cluster_id"])
