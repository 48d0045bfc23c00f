"""Build-time aggregates (rasd.aggregates): the query layer gives the same answers with
and without the ``agg_*`` files, and uses them when the filters allow."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd import aggregates, query_entities, query_events, query_sources
from rasd.aggregates import AGG_TABLES, write_aggregates
from rasd.filters import Filters
from rasd.query import Dataset
from rasd.schema import DERIVED_COLUMN_DOCS, DERIVED_TABLES, TABLES
from tests.factories import record_sql


@pytest.fixture(scope="module")
def pair(built_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Dataset]:
    """The built corpus twice: with every aggregate, and without any (an older dataset)."""
    with_agg = tmp_path_factory.mktemp("with_agg")
    without = tmp_path_factory.mktemp("without_agg")
    for directory in (with_agg, without):
        for name in [*TABLES, "manifest"]:
            suffix = ".json" if name == "manifest" else ".parquet"
            shutil.copy(built_dataset / f"{name}{suffix}", directory / f"{name}{suffix}")
    write_aggregates(duckdb.connect(), with_agg)
    return Dataset(with_agg), Dataset(without)


@pytest.fixture(scope="module")
def dated_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Dataset]:
    """A corpus over two years (dates to the day, month and year, some undated; three
    outlets; copies), built with and without aggregates: for the date range questions the
    bundled corpus (one dated article) cannot ask."""
    import json
    import random

    from rasd.build import build
    from rasd.sentences import split_sentences

    golden = Path(__file__).resolve().parent / "golden" / "clean"
    pool = [
        text[a:b].strip()
        for path in sorted(golden.glob("*.txt"))
        for text in [path.read_text(encoding="utf-8")]
        for a, b in split_sentences(text)
        if b - a > 40
    ]
    rng = random.Random(7)
    lines = []
    for i in range(60):
        body = " ".join(rng.sample(pool, 8))
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
        when = [day.isoformat(), day.isoformat()[:7], str(day.year), ""][
            rng.choice([0, 0, 0, 1, 2, 3])
        ]
        record = {"text": body, "outlet": f"وكالة {i % 3}", "date": when}
        lines.append(json.dumps(record, ensure_ascii=False))
        if i % 9 == 0:  # a copy elsewhere
            lines.append(json.dumps({**record, "outlet": "ناقل"}, ensure_ascii=False))
    corpus = tmp_path_factory.mktemp("dated_corpus")
    (corpus / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    built = tmp_path_factory.mktemp("dated") / "ds"
    build([corpus], built, mapping={"published_at": "date"}, workers=1)
    without = tmp_path_factory.mktemp("dated_without")
    for name in [*TABLES, "manifest"]:
        suffix = ".json" if name == "manifest" else ".parquet"
        shutil.copy(built / f"{name}{suffix}", without / f"{name}{suffix}")
    return Dataset(built), Dataset(without)


def _pick(ds: Dataset) -> dict[str, Any]:
    outlets = list(ds.outlets()["outlet_id"])
    lo, hi = ds.date_bounds()
    assert lo is not None and hi is not None
    mid = lo + (hi - lo) / 2
    entity = str(query_entities.top_entities(ds, Filters(), limit=1)["entity_id"].iloc[0])
    kind = ds.event_types()[0]
    return {"outlets": outlets, "lo": lo, "mid": mid, "hi": hi, "entity": entity, "type": kind}


def _filters(ds: Dataset) -> list[Filters]:
    p = _pick(ds)
    return [
        Filters(),
        Filters(outlets=(p["outlets"][0],)),
        Filters(outlets=tuple(p["outlets"][:2]), date_from=p["mid"]),
        Filters(date_from=p["lo"], date_to=p["mid"]),
        Filters(date_to=p["mid"]),
        Filters(date_from=date(1990, 1, 1), date_to=date(1990, 1, 2)),  # nothing
        # ranges that keep every dated article
        Filters(date_from=p["lo"], date_to=p["hi"]),
        Filters(outlets=(p["outlets"][0],), date_from=date(1990, 1, 1)),
        Filters(outlets=("no-such-outlet",)),
        # Selections the base tables answer; the overview's questions read their kept
        # agg_articles (Dataset.articles_agg).
        Filters(entities=(p["entity"],)),
        Filters(types=(p["type"],)),
        Filters(types=(p["type"],), date_from=p["mid"]),
        Filters(types=(p["type"],), outlets=(p["outlets"][0],)),
        Filters(types=(p["type"],), date_to=p["mid"]),
        Filters(types=tuple(ds.event_types()[:2])),
        Filters(q="قال", date_from=p["mid"]),
        # Free text through the index (agg_text_index): words inside longer words, two
        # words, digits, a word no article has, one with a comma.
        Filters(q="روسي"),
        Filters(q="كوريا الشمالية", outlets=(p["outlets"][0],)),
        Filters(q="2024"),
        Filters(q="zzzqqq"),
        Filters(q="بوتين،"),
        Filters(entities=(p["entity"],), types=(p["type"],), date_to=p["mid"]),
        Filters(entities=(p["entity"],), outlets=(p["outlets"][0],)),
        Filters(entities=(p["entity"],), outlets=tuple(p["outlets"][1:3]), types=(p["type"],)),
        Filters(entities=(p["entity"],), outlets=(p["outlets"][-1],), date_from=p["mid"]),
    ]


def _same(left: Any, right: Any) -> None:
    if isinstance(left, pd.DataFrame):
        assert isinstance(right, pd.DataFrame)
        assert list(left.columns) == list(right.columns)
        pd.testing.assert_frame_equal(
            left.reset_index(drop=True), right.reset_index(drop=True), check_dtype=False
        )
    else:
        assert left == right


QUESTIONS: list[tuple[str, Callable[[Dataset, Filters], Any]]] = [
    ("headline", lambda ds, f: ds.headline(f)),
    ("count_articles", lambda ds, f: ds.count_articles(f)),
    ("count_unique", lambda ds, f: ds.count_articles(f, include_duplicates=False)),
    ("undated_excluded", lambda ds, f: ds.undated_excluded(f)),
    ("volume_day", lambda ds, f: ds.counts_by_outlet_period(f, period="day")),
    ("volume_month", lambda ds, f: ds.counts_by_outlet_period(f, period="month")),
    ("imprecise_excluded", lambda ds, f: ds.imprecise_excluded(f, period="week")),
    ("counts_by_outlet", lambda ds, f: ds.counts_by_outlet(f)),
    (
        "date_basis_counts",
        lambda ds, f: ds.date_basis_counts(f).sort_values(
            ["published_basis", "published_precision"]
        ),
    ),
    ("date_span", lambda ds, f: ds.date_span(f)),
    ("outlet_summary", lambda ds, f: ds.outlet_summary(f)),
    ("ds_top_entities", lambda ds, f: ds.top_entities(f, limit=20)),
    ("top_entities", lambda ds, f: query_entities.top_entities(ds, f, limit=20)),
    ("top_places", lambda ds, f: query_entities.top_entities(ds, f, types=("GPE",))),
    ("cooc_sentence", lambda ds, f: query_entities.cooccurrence(ds, f, max_nodes=10)),
    (
        "cooc_article_npmi",
        lambda ds, f: query_entities.cooccurrence(
            ds, f, window="article", measure="npmi", min_count=2, include_duplicates=True
        ),
    ),
    (
        "cooc_llr_weight",
        lambda ds, f: query_entities.cooccurrence(ds, f, measure="llr", min_weight=0),
    ),
    (
        "ego",
        lambda ds, f: query_entities.ego_network(ds, f, _pick(ds)["entity"], measure="pmi"),
    ),
    (
        "ego_article",
        lambda ds, f: query_entities.ego_network(
            ds, f, _pick(ds)["entity"], window="article", measure="llr"
        ),
    ),
    (
        "partners_article",
        lambda ds, f: query_entities.top_cooccurring(
            ds, f, _pick(ds)["entity"], window="article", measure="npmi"
        ),
    ),
    (
        "entity_timeline",
        lambda ds, f: query_entities.entity_timeline(ds, f, _pick(ds)["entity"], period="week"),
    ),
    (
        "entity_sentences",
        lambda ds, f: query_entities.entity_sentences(ds, f, _pick(ds)["entity"], limit=2),
    ),
    (
        "entity_sentences_1",
        lambda ds, f: query_entities.entity_sentences(
            ds, f, _pick(ds)["entity"], limit=1, include_duplicates=True
        ),
    ),
    ("volume", lambda ds, f: query_sources.volume(ds, f, period="month")),
    ("volume_left_out", lambda ds, f: query_sources.volume_left_out(ds, f, period="day")),
    ("sov_entity", lambda ds, f: query_sources.share_of_voice(ds, f, by="entity")),
    ("sov_type", lambda ds, f: query_sources.share_of_voice(ds, f, by="event_type")),
    (
        "top_entities_copies",
        lambda ds, f: query_entities.top_entities(ds, f, include_duplicates=True),
    ),
    (
        "sov_entity_copies",
        lambda ds, f: query_sources.share_of_voice(ds, f, by="entity", include_duplicates=True),
    ),
    (
        "outlet_top_items",
        lambda ds, f: query_sources.outlet_top_items(
            ds, f, _pick(ds)["outlets"][0], by="event_type"
        ),
    ),
    (
        "outlet_top_entities",
        lambda ds, f: query_sources.outlet_top_items(ds, f, _pick(ds)["outlets"][0], by="entity"),
    ),
    ("term_counts", lambda ds, f: query_sources.term_counts(ds, f)),
    ("distinctive_terms", lambda ds, f: query_sources.distinctive_terms(ds, f, k=5)),
    ("syndication", lambda ds, f: query_sources.syndication(ds, f)),
    (
        "syndication_cross",
        lambda ds, f: query_sources.syndication(ds, f, cross_outlet_only=True, limit=7),
    ),
    ("syndication_flows", lambda ds, f: query_sources.syndication_flows(ds, f)),
    ("coverage", lambda ds, f: query_sources.coverage(ds, f)),
    ("coverage_5", lambda ds, f: query_sources.coverage(ds, f, limit=5)),
    ("article_volume", lambda ds, f: query_events.article_volume(ds, f, by_outlet=True)),
    ("timeline", lambda ds, f: query_events.timeline_clusters(ds, f)),
    ("timeline_limit", lambda ds, f: query_events.timeline_clusters(ds, f, limit=7)),
    ("undated_clusters", lambda ds, f: query_events.undated_clusters(ds, f)),
    ("timeline_top", lambda ds, f: query_events.timeline_clusters(ds, f, top=20)),
    ("count_clusters", lambda ds, f: query_events.count_clusters(ds, f)),
    (
        "timeline_top_dated",
        lambda ds, f: query_events.timeline_clusters(ds, f, top=20, dated_only=True),
    ),
    (
        "count_clusters_dated",
        lambda ds, f: query_events.count_clusters(ds, f, dated_only=True),
    ),
    (
        "timeline_undated",
        lambda ds, f: query_events.timeline_clusters(ds, f, undated_only=True, limit=50),
    ),
]


@pytest.mark.parametrize("name,ask", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_same_answers_with_and_without_aggregates(
    pair: tuple[Dataset, Dataset], name: str, ask: Callable[[Dataset, Filters], Any]
) -> None:
    with_agg, without = pair
    for filters in _filters(without):
        _same(ask(with_agg, filters), ask(without, filters))


def test_type_filter_on_the_timeline(pair: tuple[Dataset, Dataset]) -> None:
    with_agg, without = pair
    kind = without.event_types()[0]
    p = _pick(without)
    for filters in (Filters(types=(kind,)), Filters(types=(kind,), date_from=p["mid"])):
        _same(
            query_events.timeline_clusters(with_agg, filters),
            query_events.timeline_clusters(without, filters),
        )
        _same(
            query_events.undated_clusters(with_agg, filters),
            query_events.undated_clusters(without, filters),
        )


def test_aggregates_are_used_only_when_the_filters_allow(pair: tuple[Dataset, Dataset]) -> None:
    with_agg, without = pair
    assert all(with_agg.has_agg(t) for t in DERIVED_TABLES)
    assert not any(without.has_agg(t) for t in DERIVED_TABLES)
    assert with_agg.agg_where(Filters(outlets=("x",), date_from=date(2020, 1, 1))) is not None
    for needs_base in (Filters(q="غزة"), Filters(entities=("e",)), Filters(types=("t",))):
        assert with_agg.agg_where(needs_base) is None
    # and those filters still answer the same (through the base tables)
    entity = _pick(without)["entity"]
    for filters in (Filters(q="قال"), Filters(entities=(entity,))):
        _same(with_agg.headline(filters), without.headline(filters))
        _same(
            query_entities.cooccurrence(with_agg, filters),
            query_entities.cooccurrence(without, filters),
        )


def test_a_range_of_every_day_reads_the_all_days_pairs(
    dated_pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date range that keeps every dated article counts pairs from the all-days table
    (its dated rows); one that keeps most of them, from those less the pairs by day of
    the days it leaves out; a narrow one, from the pairs by day of its days."""
    with_agg, without = dated_pair
    lo, hi = with_agg.date_bounds()
    assert lo is not None and hi is not None
    day = timedelta(days=1)
    asked = record_sql(monkeypatch, with_agg)
    total, by_day = "FROM agg_cooccurrence_total", re.compile(r"FROM agg_cooccurrence\b(?!_)")
    dated = with_agg.count_articles(Filters(date_from=lo, date_to=hi))
    ranges = [
        Filters(date_from=lo + day),
        Filters(date_to=hi - day),
        Filters(date_from=lo - day, date_to=hi - day),
        Filters(date_from=lo + day, date_to=hi - day),
        Filters(date_from=hi, date_to=hi),
        Filters(date_from=hi + day, date_to=lo),  # (reversed: nothing kept)
    ]
    expected = [
        ({total, "by day"} if 2 * with_agg.count_articles(f) > dated else {"by day"}, f)
        for f in ranges
    ]
    assert {frozenset(t) for t, _ in expected} == {
        frozenset({total, "by day"}),
        frozenset({"by day"}),
    }
    for filters, tables in (
        (Filters(date_from=lo, date_to=hi), {total}),
        (Filters(date_to=hi), {total}),
        *((f, t) for t, f in expected),
    ):
        asked.clear()
        query_entities.cooccurrence(with_agg, filters)
        pairs_sql = next(sql for sql in asked if "pairs AS" in sql)
        read = {total} if total in pairs_sql else set()
        read |= {"by day"} if by_day.search(pairs_sql) else set()
        assert read == tables, filters
        for window in ("sentence", "article"):
            _same(
                query_entities.cooccurrence(with_agg, filters, window=window, min_count=1),
                query_entities.cooccurrence(without, filters, window=window, min_count=1),
            )


def _left_out_adds_up(ds: Dataset, filters: Filters, duplicates: bool) -> None:
    """The rows ``filters``' date range keeps and the disjoint parts it leaves out
    (Dataset.agg_left_out) are every dated row of agg_articles."""

    def rows(sql: str, params: list[Any]) -> set[tuple[Any, ...]]:
        frame = ds._df(
            "SELECT outlet_id, day, published_precision, is_duplicate, n "
            f"FROM agg_articles WHERE {sql}",
            params,
        )
        found = [tuple(r) for r in frame.itertuples(index=False)]
        assert len(found) == len(set(found))
        return set(found)

    parts = ds.agg_left_out(filters, include_duplicates=duplicates)
    if not filters.has_date_range:
        assert parts is None
        return
    assert parts is not None
    kept = ds.agg_where(filters, include_duplicates=duplicates)
    plain = ds.agg_where(filters.with_(date_from=None, date_to=None), include_duplicates=duplicates)
    assert kept is not None and plain is not None
    pieces = [rows(kept.sql, kept.params), *(rows(p.sql, p.params) for p in parts)]
    assert sum(len(p) for p in pieces) == len(set().union(*pieces)), filters  # disjoint
    assert set().union(*pieces) == rows(f"{plain.sql} AND day IS NOT NULL", plain.params)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.none() | st.integers(-40, 800),
    end=st.none() | st.integers(-40, 800),
    outlets=st.integers(0, 2),
    duplicates=st.booleans(),
)
def test_a_ranges_left_out_rows_and_its_rows_are_the_dated_rows(
    dated_pair: tuple[Dataset, Dataset],
    start: int | None,
    end: int | None,
    outlets: int,
    duplicates: bool,
) -> None:
    """Dataset.agg_left_out, for ranges in either order, under outlet filters."""
    with_agg, _ = dated_pair
    lo, _hi = with_agg.date_bounds()
    assert lo is not None
    names = list(with_agg.outlets()["outlet_id"])[:outlets]
    filters = Filters(
        outlets=tuple(names),
        date_from=None if start is None else lo + timedelta(days=start),
        date_to=None if end is None else lo + timedelta(days=end),
    )
    _left_out_adds_up(with_agg, filters, duplicates)


def test_ranges_from_and_to_each_day_of_the_data_leave_out_the_rest(
    dated_pair: tuple[Dataset, Dataset],
) -> None:
    """Dataset.agg_left_out for ranges starting or ending on a day the articles have, or
    on the first day of its month or the last of its year (where day, month and year
    dates meet)."""
    with_agg, _ = dated_pair
    days = with_agg._df("SELECT DISTINCT day FROM agg_articles WHERE day IS NOT NULL")["day"]
    edges = {pd.Timestamp(d).date() for d in days}
    edges |= {e.replace(day=1) for e in edges} | {e.replace(month=12, day=31) for e in edges}
    assert len(days) > 20
    for edge in sorted(edges):
        for filters in (
            Filters(date_from=edge),
            Filters(date_to=edge),
            Filters(date_from=edge, date_to=edge),
            Filters(date_from=edge, date_to=edge + timedelta(days=45)),
        ):
            _left_out_adds_up(with_agg, filters, duplicates=False)


def test_a_type_selection_reads_the_articles_of_each_type(pair: tuple[Dataset, Dataset]) -> None:
    """The articles of event types come from agg_type_articles when it is there (not from
    every event), each once, and are the same articles."""
    with_agg, without = pair
    every = without.event_types()
    assert len(every) >= 2
    for types in ([every[0]], [every[1]], every[:2], every):
        for target, source in ((with_agg, "agg_type_articles"), (without, "events")):
            ids = target.selected_ids(Filters(types=tuple(types)))
            assert ids is not None
            assert f"FROM {source} WHERE" in target._recipes[ids][0]
        got, expected = (
            d._df(f"SELECT article_row FROM {d.selected_ids(Filters(types=tuple(types)))}")
            for d in pair
        )
        assert got["article_row"].is_unique and len(got) > 0
        assert sorted(got["article_row"]) == sorted(expected["article_row"])


def test_a_selection_keeps_each_articles_row_and_questions_select_by_it(
    pair: tuple[Dataset, Dataset],
) -> None:
    """Every kept selection (free text, an entity, a type, and their intersection; from
    the aggregates or the base tables) holds each selected article's row in
    articles.parquet, once, and the filter condition selects by that row."""
    with_agg, without = pair
    p = _pick(without)
    rows = pd.read_parquet(without.path / "articles.parquet", columns=["article_id"])
    row_of = {a: i for i, a in enumerate(rows["article_id"])}
    word = "روسي"  # (inside longer words too: through the text index)
    selections = [
        Filters(q=word),
        Filters(entities=(p["entity"],)),
        Filters(types=(p["type"],)),
        Filters(q=word, entities=(p["entity"],), types=(p["type"],)),
    ]
    for filters in selections:
        # the articles that answer the filters, from the base tables, by id
        clauses, params = ["TRUE"], []
        if filters.q_norm:
            clauses.append("contains(text_norm, ?)")
            params.append(filters.q_norm)
        for column, table, values in (
            ("entity_id", "mentions", filters.entities),
            ("event_type", "events", filters.types),
        ):
            if values:
                clauses.append(
                    f"article_id IN (SELECT article_id FROM {table} "
                    f"WHERE list_contains(?, {column}))"
                )
                params.append(list(values))
        found = without._df(
            f"SELECT article_id FROM articles WHERE {' AND '.join(clauses)}", params
        )
        expected = {row_of[a] for a in found["article_id"]}
        assert expected, filters
        for ds in pair:
            ids = ds.selected_ids(filters)
            assert ids is not None
            kept = ds._df(f"SELECT article_row FROM {ids}")
            assert kept["article_row"].is_unique, filters
            assert set(kept["article_row"]) == expected, filters
            assert f"file_row_number IN (SELECT article_row FROM {ids})" in ds.where(filters).sql
    # The per-article tables carry the same rows, which the selections join them by.
    for table in (
        "agg_type_articles",
        "agg_article_entities",
        "agg_article_windows",
        "agg_article_pairs",
        "agg_article_clusters",
        "agg_story_articles",
    ):
        stored = pd.read_parquet(with_agg.path / f"{table}.parquet")
        assert len(stored) > 0, table
        assert [row_of[a] for a in stored["article_id"]] == list(stored["article_row"]), table
    with_entity = with_agg.selected_ids(Filters(entities=(p["entity"],)))
    assert with_entity is not None
    assert "FROM agg_entity_sentences" in with_agg._recipes[with_entity][0]


def test_cooccurrence_under_a_selection_sums_the_per_article_tables(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a free-text, entity or type selection the pairs, margins and window counts
    come from agg_article_pairs, agg_article_entities and agg_article_windows, never from
    the selection's windows in the mentions, with the answers the mentions give."""
    with_agg, without = pair
    p = _pick(without)

    def no_windows(*args: Any) -> str:
        raise AssertionError("windows read from the mentions")

    expected: dict[tuple[int, str], pd.DataFrame] = {}
    selections = [
        Filters(types=(p["type"],)),
        Filters(entities=(p["entity"],), outlets=tuple(p["outlets"][:2])),
        Filters(q="روسيا", date_from=p["mid"]),
    ]
    questions: list[tuple[str, Callable[[Dataset, Filters], pd.DataFrame]]] = [
        ("network", lambda ds, f: query_entities.cooccurrence(ds, f, measure="llr")),
        (
            "articles",
            lambda ds, f: query_entities.cooccurrence(
                ds, f, window="article", measure="npmi", include_duplicates=True
            ),
        ),
        ("ego", lambda ds, f: query_entities.ego_network(ds, f, p["entity"], measure="pmi")),
        (
            "ego_articles",
            lambda ds, f: query_entities.ego_network(ds, f, p["entity"], window="article"),
        ),
        ("partners", lambda ds, f: query_entities.top_cooccurring(ds, f, p["entity"])),
    ]
    for i, filters in enumerate(selections):
        for name, ask in questions:
            expected[i, name] = ask(without, filters)
    monkeypatch.setattr(query_entities, "_windows", no_windows)
    for i, filters in enumerate(selections):
        for name, ask in questions:
            got = ask(with_agg, filters)
            _same(got, expected[i, name])
            assert not got.empty or name.startswith("ego"), (i, name)


def test_the_timeline_under_an_outlet_filter_reads_the_cluster_parts(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outlet filter combines the per-outlet parts of each cluster the build wrote,
    sentence included, and reads no event row; free text still reads the events."""
    with_agg, without = pair
    outlets = tuple(_pick(without)["outlets"][:2])
    read = record_sql(monkeypatch, with_agg)
    filters = Filters(outlets=outlets)
    got = query_events.timeline_clusters(with_agg, filters, top=5)
    # (the clusters are picked from the kept counts, made from agg_cluster_reports)
    assert read and all("agg_cluster_reports" in sql or "selection_counts_" in sql for sql in read)
    assert any("agg_cluster_reports" in sql for sql in read)
    assert not any("FROM events" in sql for sql in read)
    assert got["evidence"].notna().all() and set(got["outlet_ids"].explode()) <= set(outlets)
    _same(got, query_events.timeline_clusters(without, filters, top=5))
    read.clear()
    query_events.timeline_clusters(with_agg, Filters(outlets=outlets, q="قال"), top=5)
    assert any("agg_article_clusters" in sql or "selection_counts_" in sql for sql in read)


def _same_free_text_timeline(
    agg: Dataset, base: Dataset, filters: Filters, *, tops: tuple[int | None, ...]
) -> str:
    """Assert the Timeline's answers under ``filters`` are the base tables' (every top,
    dated, undated, both counts) and come from agg_article_clusters; the kept counts."""
    for top in tops:
        for dated in ({}, {"dated_only": True}, {"undated_only": True}):
            _same(
                query_events.timeline_clusters(agg, filters, top=top, **dated),
                query_events.timeline_clusters(base, filters, top=top, **dated),
            )
    for count in (query_events.count_clusters, query_events.undated_clusters):
        assert count(agg, filters) == count(base, filters)
    counts = query_events._cluster_counts(agg, filters, min_confidence=0.0)
    # the clusters of several articles summed and kept, those of one article read
    (several,) = re.findall(r"selection_counts_\d+", counts)
    assert "FROM agg_article_clusters" in agg._recipes[several][0]
    assert "FROM agg_article_clusters WHERE solo" in counts
    return counts


def test_the_timeline_under_free_text_sums_the_articles_rows(
    pair: tuple[Dataset, Dataset],
) -> None:
    """Free text counts the clusters from the selected articles' rows of
    agg_article_clusters: a cluster of one article is its row of agg_clusters, the others
    are made from their reports; every answer is the base tables' (with a type, outlets,
    an event-time range, a confidence floor that needs the reports)."""
    with_agg, without = pair
    p = _pick(without)
    kinds: set[bool] = set()
    for filters in (
        Filters(q="روسيا"),
        Filters(q="كوريا", types=(p["type"],)),
        Filters(q="قال", outlets=tuple(p["outlets"][:2])),
        Filters(q="بوتين", date_from=p["mid"]),
        Filters(q="zzzqqq"),
    ):
        counts = _same_free_text_timeline(with_agg, without, filters, tops=(None, 1, 3, 50))
        kinds |= {
            bool(s)
            for (s,) in with_agg._con.execute(
                f"SELECT agg_row IS NOT NULL FROM {counts}"
            ).fetchall()
        }
    assert kinds == {True, False}  # clusters of one article and of several were counted
    floor = Filters(q="روسيا")
    _same(
        query_events.timeline_clusters(with_agg, floor, min_confidence=0.9),
        query_events.timeline_clusters(without, floor, min_confidence=0.9),
    )


def test_the_stories_told_by_the_selected_articles_match_their_events(
    pair: tuple[Dataset, Dataset],
) -> None:
    """The coverage matrix under free text reads who tells the stories of several articles
    from agg_story_articles, joined by the selected articles' rows: per story and outlet,
    the same counts and first dates as from the events themselves (copies tell their
    originals' stories)."""
    with_agg, _ = pair
    p = _pick(with_agg)
    several = "SELECT cluster_id FROM agg_story_articles"
    compared = 0
    for filters in (
        Filters(q="روسيا"),
        Filters(q="قال", outlets=tuple(p["outlets"][:2])),
        Filters(q="كوريا", date_from=p["mid"]),
        Filters(),
    ):
        where = with_agg.where(filters)
        told = query_sources.coverage_per_outlet_sql(where.sql, tellers="agg_story_articles")
        events = query_sources.coverage_per_outlet_sql(where.sql)
        tail = f") SELECT * FROM per_outlet WHERE cluster_id IN ({several}) ORDER BY ALL"
        got = with_agg._df(told + tail, where.params)
        expected = with_agg._df(events + tail, where.params)
        _same(got, expected)
        compared += len(got)
    assert compared > 0


def test_clusters_of_one_article_rank_in_their_agg_clusters_order(
    pair: tuple[Dataset, Dataset],
) -> None:
    """What the Timeline's top under free text relies on (query_events._top_per_article):
    agg_clusters is written in the order of the top (most articles, most reports, id), and
    a cluster of one article's row of agg_article_clusters is its own counts: one article,
    its row's reports and dates, its row number (agg_row) in agg_clusters."""
    with_agg, _ = pair
    clusters = with_agg._df(
        f"SELECT file_row_number AS agg_row, cluster_id, n_articles, n_reports, date_start, "
        f"date_end FROM {with_agg.file_sql('agg_clusters')} ORDER BY agg_row"
    )
    ranked = clusters.sort_values(
        ["n_articles", "n_reports", "cluster_id"], ascending=[False, False, True]
    )
    assert ranked["agg_row"].tolist() == clusters["agg_row"].tolist()
    solo = with_agg._df(
        "SELECT cluster_id, agg_row, n_reports, date_start, date_end FROM agg_article_clusters "
        "WHERE solo ORDER BY agg_row"
    )
    several = with_agg._df("SELECT DISTINCT cluster_id FROM agg_article_clusters WHERE NOT solo")
    assert len(solo) and len(several)  # both kinds are in the corpus
    assert solo["cluster_id"].is_unique
    mine = clusters.set_index("agg_row").loc[solo["agg_row"]].reset_index()
    assert (mine["n_articles"] == 1).all()
    for column in ("cluster_id", "n_reports", "date_start", "date_end"):
        assert mine[column].tolist() == solo[column].tolist(), column
    assert set(several["cluster_id"]).isdisjoint(solo["cluster_id"])
    assert (clusters.set_index("cluster_id").loc[several["cluster_id"], "n_articles"] >= 2).all()


#: Reports for the sources dataset (rasd tests' test_query_sources): a2 reports K2 twice,
#: the second time earlier (K2 then starts on 17 June); K6 is one article's two reports;
#: K7 is undated.
SEVERAL_REPORTS = [
    ("e11", "a2", "K2", "agreement_signed", date(2024, 6, 17)),
    ("e12", "b2", "K6", "election", date(2024, 5, 3)),
    ("e13", "b2", "K6", "election", date(2024, 5, 1)),
    ("e14", "c4", "K7", "election", None),
]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(q="المعاهده"),
        Filters(q="المعاهده", date_to=date(2024, 6, 17)),
        Filters(q="المعاهده", date_from=date(2024, 6, 18)),
        Filters(q="صواريخ"),
        Filters(q="صواريخ", types=("election",), date_to=date(2024, 5, 2)),
        Filters(q="قطارات", outlets=("alef",)),
        Filters(q="الزعيمان"),
    ],
)
def test_free_text_counts_match_the_reports(tmp_path: Path, filters: Filters) -> None:
    """Sums of agg_article_clusters rows against the reports themselves: articles with two
    reports of a cluster, one dating it earlier; a cluster of one article's two reports."""
    from tests.test_query_sources import write_sources_dataset

    base = Dataset(write_sources_dataset(tmp_path / "base", SEVERAL_REPORTS))
    built = write_sources_dataset(tmp_path / "agg", SEVERAL_REPORTS)
    write_aggregates(duckdb.connect(), built)
    agg = Dataset(built)
    counts = _same_free_text_timeline(agg, base, filters, tops=(None, 1, 2))
    # every cluster's counts and dates, not only those a top shows
    reports = query_events._cluster_counts(base, filters, min_confidence=0.0)
    _same(
        agg._df(f"SELECT * EXCLUDE (agg_row) FROM {counts} ORDER BY cluster_id"),
        base._df(f"SELECT * FROM {reports} ORDER BY cluster_id"),
    )


def test_the_timeline_entity_filter_reads_the_entity_rows(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an outlet filter, the entity filter picks and counts clusters from the
    entities' rows of agg_entity_clusters (not a scan of every cluster in agg_clusters);
    one entity, several (a cluster named by two counts once), and with a type."""
    with_agg, without = pair
    named = query_entities.top_entities(without, Filters(), limit=3)["entity_id"].tolist()
    read: list[str] = []
    original = with_agg._make_selection

    def spy(name: str, sql: str, params: list[Any], key: tuple[str, ...]) -> None:
        read.append(" ".join(sql.split()))
        original(name, sql, params, key)

    monkeypatch.setattr(with_agg, "_make_selection", spy)
    kind = _pick(without)["type"]
    for filters in (
        Filters(entities=(named[0],)),
        Filters(entities=tuple(named)),
        Filters(entities=tuple(named), types=(kind,)),
    ):
        read.clear()
        got = query_events.timeline_clusters(with_agg, filters)
        assert any("FROM agg_entity_clusters" in sql for sql in read), read
        assert not any("agg_clusters.parquet" in sql for sql in read)
        assert not got.empty
        _same(got, query_events.timeline_clusters(without, filters))
        for count in (query_events.count_clusters, query_events.undated_clusters):
            assert count(with_agg, filters) == count(without, filters)


def test_selections_are_kept_and_count_what_the_base_tables_say(
    pair: tuple[Dataset, Dataset],
) -> None:
    with_agg, ds = pair
    p = _pick(ds)
    direct = {
        Filters(q="قال"): "contains(text_norm, 'قال')",
        Filters(entities=(p["entity"],)): (
            f"article_id IN (SELECT article_id FROM mentions WHERE entity_id = '{p['entity']}')"
        ),
        Filters(types=(p["type"],)): (
            f"article_id IN (SELECT article_id FROM events WHERE event_type = '{p['type']}')"
        ),
    }
    for filters, condition in direct.items():
        expected = ds._scalar(f"SELECT count(*) FROM articles WHERE {condition}")
        assert 0 < expected <= ds.count_articles(Filters())
        for dataset in (ds, with_agg):
            first = dataset.count_articles(filters)
            assert dataset.count_articles(filters) == first == expected  # the second: kept
    kept = dict(ds._selections)
    for filters in direct:
        ds.count_articles(filters)
    assert ds._selections == kept  # asked again: read from the kept tables, nothing made
    for filters in (
        Filters(entities=(p["entity"],), outlets=(p["outlets"][0],)),
        Filters(types=(p["type"], "x"), q="قال"),
    ):
        agg = with_agg.articles_agg(filters)
        assert agg is not None and agg.table.startswith("selection_agg_")
    assert ds.articles_agg(Filters(entities=(p["entity"],))) is None  # no agg_articles there


def test_forgotten_selections_are_made_again(pair: tuple[Dataset, Dataset]) -> None:
    """forget_selections (what the dashboard benchmark calls between repeats) drops every
    kept table; the next question makes them again, with the same answers."""
    ds = Dataset(pair[0].path)  # its own selections: none kept by other tests
    filters = Filters(q="قال")
    first = (ds.count_articles(filters), query_events.count_clusters(ds, filters))
    made = set(ds._selections.values())
    assert made
    ds.forget_selections()
    tables = {r[0] for r in ds._con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not ds._selections and not tables & made
    assert (ds.count_articles(filters), query_events.count_clusters(ds, filters)) == first
    assert ds._selections


def test_newest_sentences_over_two_years(dated_pair: tuple[Dataset, Dataset]) -> None:
    """An entity's newest sentences from agg_entity_sentences (kept to the newest days by
    its per-day counts) are the base tables', for short and long lists under the filters
    of dated articles the bundled corpus cannot ask."""
    with_agg, without = dated_pair
    entities = list(query_entities.top_entities(with_agg, Filters(), limit=3)["entity_id"])
    cut = 0
    for filters in _filters(with_agg):
        for entity in entities:
            for limit in (1, 3, 8):
                got = query_entities.entity_sentences(with_agg, filters, entity, limit=limit)
                _same(got, query_entities.entity_sentences(without, filters, entity, limit=limit))
                recent, _ = query_entities._newest_days(with_agg, filters, entity, limit, False)
                cut += bool(recent)
    assert cut > 20  # the newest days did keep the lists short


def test_what_no_filter_changes_is_kept_for_the_dataset(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outlets, entity ids, event types, first and last days and table sizes are
    asked of the files once per dataset; each caller gets its own copy."""
    from rasd import query

    for source in pair:
        ds = Dataset(source.path)  # nothing asked yet
        asked = [ds.outlets(), ds.entity_ids(), ds.event_types(), ds.date_bounds()]
        asked.append(ds.table_sizes())
        asked = [x.copy() if isinstance(x, pd.DataFrame | list) else x for x in asked]
        assert len(asked[0]) > 0 and len(asked[1]) > 0 and asked[3][0] is not None

        def no_query(*args: Any, **kwargs: Any) -> pd.DataFrame:
            raise AssertionError("asked the files again")

        monkeypatch.setattr(ds, "_df", no_query)
        again = [ds.outlets(), ds.entity_ids(), ds.event_types(), ds.date_bounds()]
        again.append(ds.table_sizes())
        pd.testing.assert_frame_equal(again[0], asked[0])
        pd.testing.assert_frame_equal(again[4], asked[4])
        assert again[1:4] == asked[1:4]
        again[0].loc[0, "outlet"] = "changed"
        again[1].append("changed")
        again[4].loc[0, "n_rows"] = -1
        pd.testing.assert_frame_equal(ds.outlets(), asked[0])
        pd.testing.assert_frame_equal(ds.table_sizes(), asked[4])
        assert ds.entity_ids() == asked[1]
        monkeypatch.undo()
        assert query.Dataset(source.path).event_types() == asked[2]


def test_the_vocabulary_sample_outlasts_filtered_selections(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample's rows (what no filter changes) are made once: neither newer selections
    nor forget_selections drop them, and the distinctive words read them as before."""
    from rasd import query

    ds = Dataset(pair[0].path)
    monkeypatch.setattr(query, "_SELECTION_CACHE", 1)
    first = query_sources.distinctive_terms(ds, Filters(), k=5)
    sample = [name for name in ds._selections.values() if name.startswith("selection_sample_")]
    assert len(sample) == 1
    for word in ("قال", "روسيا", "كوريا"):
        ds.count_articles(Filters(q=word))
    assert sample[0] in ds._selections.values() and len(ds._selections) == 2
    ds.forget_selections()
    assert list(ds._selections.values()) == sample
    tables = {r[0] for r in ds._con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {t for t in tables if t.startswith("selection_")} == set(sample)
    pd.testing.assert_frame_equal(query_sources.distinctive_terms(ds, Filters(), k=5), first)
    assert list(ds._selections.values()) == sample  # read, not made again


def test_old_selections_are_dropped(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasd import query

    ds = Dataset(pair[1].path)  # its own selections: none kept by other tests
    monkeypatch.setattr(query, "_SELECTION_CACHE", 2)
    for word in ("قال", "روسيا", "كوريا"):
        ds.count_articles(Filters(q=word))
    assert len(ds._selections) == 2
    tables = {r[0] for r in ds._con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    kept = set(ds._selections.values())
    assert {t for t in tables if t.startswith("selection_")} == kept


def test_written_tables_match_their_schema(pair: tuple[Dataset, Dataset]) -> None:
    with_agg, _ = pair
    assert set(AGG_TABLES) == set(DERIVED_TABLES) == set(DERIVED_COLUMN_DOCS)
    for table, schema in DERIVED_TABLES.items():
        names = pq.read_schema(with_agg.path / f"{table}.parquet").names
        assert names == schema.names, table
        assert set(DERIVED_COLUMN_DOCS[table]) == set(schema.names), table


def test_the_vocabulary_sample_keeps_articles_without_a_token(
    built_dataset: Path, tmp_path: Path
) -> None:
    """agg_terms has a row for every sampled article, one without any token too, so the
    Sources page reads the sample from it and counts the articles it read as the base
    tables do."""
    for name in [*TABLES, "manifest"]:
        suffix = ".json" if name == "manifest" else ".parquet"
        shutil.copy(built_dataset / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    articles = pq.read_table(tmp_path / "articles.parquet")
    text = articles.column("text_norm").to_pylist()
    text[0] = "... ، ؟ !"  # no token: no letter or digit
    articles = articles.set_column(
        articles.schema.get_field_index("text_norm"), "text_norm", pa.array(text, pa.string())
    )
    pq.write_table(articles, tmp_path / "articles.parquet")
    without = Dataset(tmp_path, use_aggregates=False)
    write_aggregates(duckdb.connect(), tmp_path)
    with_agg = Dataset(tmp_path)
    first = str(articles.column("article_id")[0])
    terms = pq.read_table(tmp_path / "agg_terms.parquet").to_pylist()
    assert [(r["tok"], r["n"]) for r in terms if r["article_id"] == first] == [(None, 0)]
    sample = without._df(
        "SELECT article_id FROM articles QUALIFY row_number() OVER (PARTITION BY outlet_id "
        "ORDER BY hash(article_id), article_id) <= ?",
        [aggregates.TERMS_SAMPLE_PER_OUTLET],
    )
    assert {r["article_id"] for r in terms} == set(sample["article_id"])
    for filters in (Filters(), Filters(outlets=(str(articles.column("outlet_id")[0]),))):
        _same(
            query_sources.term_counts(with_agg, filters),
            query_sources.term_counts(without, filters),
        )


def test_a_broken_aggregate_file_falls_back(pair: tuple[Dataset, Dataset], tmp_path: Path) -> None:
    with_agg, without = pair
    for file in with_agg.path.iterdir():
        shutil.copy(file, tmp_path / file.name)
    (tmp_path / "agg_articles.parquet").write_bytes(b"not parquet")
    ds = Dataset(tmp_path)
    assert not ds.has_agg("agg_articles") and ds.has_agg("agg_entities")
    _same(ds.headline(Filters()), without.headline(Filters()))


def test_cluster_tables_written_in_parts_are_the_same(
    pair: tuple[Dataset, Dataset], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many event rows: the per-cluster tables are written in parts of whole clusters and
    merged; the file holds the same rows in the same order as when written at once. A table
    made from another's parts (agg_clusters from agg_cluster_reports, agg_cluster_totals
    from agg_cluster_outlets) makes them when that one is not asked for."""
    with_agg, _ = pair
    for name in [*TABLES, "manifest"]:
        suffix = ".json" if name == "manifest" else ".parquet"
        shutil.copy(with_agg.path / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    n_events = pq.read_metadata(tmp_path / "events.parquet").num_rows
    monkeypatch.setattr(aggregates, "CLUSTER_CHUNK_ROWS", max(1, n_events // 5))
    tables = ("agg_clusters", "agg_cluster_totals", "agg_cluster_days")
    counts = write_aggregates(duckdb.connect(), tmp_path, tables=tables)
    for table in tables:
        whole = pq.read_table(with_agg.path / f"{table}.parquet")
        parts = pq.read_table(tmp_path / f"{table}.parquet")
        assert counts[table] == whole.num_rows > 0
        # (DuckDB marks a column NOT NULL when it knows it has no null: that may differ)
        assert parts.schema.names == whole.schema.names
        assert parts.schema.types == whole.schema.types
        assert parts.cast(whole.schema).equals(whole), table
    assert not list(tmp_path.glob(".*part*"))  # the parts are gone
    assert not (tmp_path / "agg_cluster_reports.parquet").exists()
    # and the two tables read by the others, one in outlet order
    tables = ("agg_cluster_reports", "agg_cluster_outlets")
    write_aggregates(duckdb.connect(), tmp_path, tables=tables)
    for table in tables:
        whole = pq.read_table(with_agg.path / f"{table}.parquet")
        assert pq.read_table(tmp_path / f"{table}.parquet").cast(whole.schema).equals(whole)


def test_a_question_naming_a_dropped_selection_makes_it_again(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sessions share the kept selections: one may drop a table (for newer ones) between
    another's question being written and run. The question then makes it again."""
    from rasd import query

    with_agg, ds = (Dataset(d.path) for d in pair)  # no selections kept by other tests
    monkeypatch.setattr(query, "_SELECTION_CACHE", 1)
    for target in (ds, with_agg):
        filters = Filters(q="قال")
        where = target.where(filters)  # names selection_ids_N
        agg = target.articles_agg(filters)  # names selection_agg_M (made from ids)
        expected = target.count_articles(filters)
        target.count_articles(Filters(q="روسيا"))  # drops both
        names = set(target._selections.values())
        assert not any(name in where.sql for name in names)
        sql = f"SELECT count(*) FROM articles WHERE {where.sql}"
        assert int(target._scalar(sql, where.params)) == expected
        if agg is not None:
            total = f"SELECT CAST(sum(n) AS BIGINT) FROM {agg.table} WHERE {agg.sql}"
            target.count_articles(Filters(q="كوريا"))  # drops both again
            assert int(target._scalar(total, agg.params)) == expected
    with pytest.raises(duckdb.CatalogException):
        ds._scalar("SELECT * FROM selection_ids_999999")


def test_the_timeline_keeps_its_cluster_counts_across_event_time_ranges(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Timeline counts the clusters a selection holds once: its questions and a new
    event-time range read the kept counts (no table made), with the answers of a fresh
    dataset; a kept count dropped for newer ones is made again."""
    from rasd import query

    p = _pick(pair[0])
    for target in pair:
        for base in (Filters(outlets=tuple(p["outlets"][:2])), Filters(q="قال")):
            ranged = [base, base.with_(date_from=p["mid"]), base.with_(date_to=p["mid"])]
            # the page's questions once (free text keeps its clusters of one article counted
            # per event dates for the two counts)
            query_events.timeline_clusters(target, base, top=5)
            query_events.count_clusters(target, base)
            query_events.undated_clusters(target, base)
            counts = {n for n in target._selections.values() if n.startswith("selection_counts_")}
            assert len(counts) >= 1
            kept = dict(target._selections)
            for filters in ranged:
                got = (
                    query_events.timeline_clusters(target, filters, top=5),
                    query_events.count_clusters(target, filters),
                    query_events.undated_clusters(target, filters),
                )
                assert target._selections == kept  # read from what was kept
                fresh = Dataset(target.path, use_aggregates=target.has_agg("agg_articles"))
                _same(got[0], query_events.timeline_clusters(fresh, filters, top=5))
                assert got[1:] == (
                    query_events.count_clusters(fresh, filters),
                    query_events.undated_clusters(fresh, filters),
                )
                assert got[1] > 0 or filters != base
    with_agg = pair[0]
    monkeypatch.setattr(query, "_SELECTION_CACHE", 1)
    counts = query_events._cluster_counts(with_agg, Filters(q="قال"), min_confidence=0.0)
    expected = int(with_agg._scalar(f"SELECT count(*) FROM {counts}"))
    with_agg.count_articles(Filters(q="روسيا"))  # drops it
    assert counts not in with_agg._selections.values()
    assert int(with_agg._scalar(f"SELECT count(*) FROM {counts}")) == expected


def test_large_kinds_of_kept_tables_are_kept_fewer(
    pair: tuple[Dataset, Dataset], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most ``_KIND_CACHE`` cluster counts are kept (each can be millions of rows);
    the entity list under the same filters is counted once for the list and the map."""
    from rasd import query

    _, ds = pair
    monkeypatch.setattr(query, "_KIND_CACHE", {"counts": 2})
    for word in ("قال", "روسيا", "كوريا"):
        query_events.count_clusters(ds, Filters(q=word))
    kinds = [name.split("_")[1] for name in ds._selections.values()]
    assert kinds.count("counts") == 2 and kinds.count("ids") >= 3  # other kinds: not fewer
    filters = Filters(q="روسيا")
    query_entities.top_entities(ds, filters)
    kept = dict(ds._selections)
    query_entities.places(ds, filters)
    query_entities.top_entities(ds, filters, limit=3)
    assert ds._selections == kept


# -- the free-text index ---------------------------------------------------------------------

_TEXT_ALPHABET = "ابتروسيكلمنهءأةى٠١2024ab ،.-_\u064e\u0651"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(st.text(_TEXT_ALPHABET, max_size=40) | st.none(), min_size=0, max_size=12),
    words=st.lists(
        st.text(_TEXT_ALPHABET.replace(" ", ""), min_size=1, max_size=4), min_size=1, max_size=6
    ),
)
def test_the_text_index_finds_what_contains_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, texts: list[str | None], words: list[str]
) -> None:
    monkeypatch.setattr(aggregates, "TEXT_INDEX_BATCH_ROWS", 5)  # several batches
    monkeypatch.setattr(aggregates, "TEXT_INDEX_GROUP_ENTRIES", 3)  # of several row groups
    out = tmp_path / f"d{abs(hash((tuple(texts), tuple(words))))}"
    out.mkdir()
    pq.write_table(pa.table({"text_norm": pa.array(texts, pa.string())}), out / "articles.parquet")
    con = duckdb.connect()
    aggregates._write_text_index(con, out, out / "agg_text_index.parquet")
    index, articles = (str(out / f"{n}.parquet") for n in ("agg_text_index", "articles"))
    for word in words:
        assert " " not in word  # as the words of a query
        found = con.execute(
            f"SELECT DISTINCT unnest(article_rows) FROM read_parquet('{index}') "
            "WHERE contains(token, ?)",
            [word],
        ).fetchall()
        scanned = con.execute(
            f"SELECT file_row_number FROM read_parquet('{articles}', file_row_number = true) "
            "WHERE contains(text_norm, ?)",
            [word],
        ).fetchall()
        assert sorted(r for (r,) in found) == sorted(r for (r,) in scanned), word


@given(sizes=st.lists(st.integers(0, 20), max_size=30), cap=st.integers(1, 25))
def test_index_row_groups_are_cut_at_the_cap(sizes: list[int], cap: int) -> None:
    cuts = list(aggregates._cuts(sizes, cap))
    # consecutive, covering every item once
    assert [i for start, stop in cuts for i in range(start, stop)] == list(range(len(sizes)))
    for start, stop in cuts:
        assert stop > start
        assert sum(sizes[start:stop]) <= cap or stop - start == 1  # one long list alone
    # greedy: a range ends only where the next item would pass the cap
    for (start, stop), _ in zip(cuts, cuts[1:], strict=False):
        assert sum(sizes[start : stop + 1]) > cap


def test_the_text_index_keeps_short_lists_apart_from_long_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's words are written shortest list first, in row groups cut by entries, so a
    search for a rare word reads no row group of frequent ones."""
    monkeypatch.setattr(aggregates, "TEXT_INDEX_BATCH_ROWS", 10)
    monkeypatch.setattr(aggregates, "TEXT_INDEX_GROUP_ENTRIES", 12)
    texts = [f"في الخبر رقم{i} {'نادر' if i == 3 else ''}" for i in range(20)]
    pq.write_table(pa.table({"text_norm": texts}), tmp_path / "articles.parquet")
    aggregates._write_text_index(duckdb.connect(), tmp_path, tmp_path / "agg_text_index.parquet")
    index = pq.ParquetFile(tmp_path / "agg_text_index.parquet")
    groups = [index.read_row_group(i).to_pylist() for i in range(index.num_row_groups)]
    for group in groups:
        sizes = [row["n_articles"] for row in group]
        assert sum(sizes) <= 12 or len(group) == 1
        assert all(len(row["article_rows"]) == row["n_articles"] for row in group)
    # per batch: lists never shrink from one row group to the next
    batches = [
        [r["n_articles"] for g in groups for r in g if r["article_rows"][0] < 10],
        [r["n_articles"] for g in groups for r in g if r["article_rows"][0] >= 10],
    ]
    assert all(b == sorted(b) and b for b in batches)
    rare = [g for g in groups if any(r["token"] == "نادر" for r in g)]
    assert len(rare) == 1 and all(r["n_articles"] < 10 for r in rare[0])


def test_free_text_reads_the_index_not_the_text(pair: tuple[Dataset, Dataset]) -> None:
    with_agg, without = pair
    for q in ("روسيا كوريا", "الشماليه،", "سي"):
        sql, _ = with_agg._recipes[with_agg._selected(Filters(q=q), "ids")]
        assert "agg_text_index" in sql and "text_norm" not in sql
        sql, _ = without._recipes[without._selected(Filters(q=q), "ids")]
        assert "text_norm" in sql  # no index: the text is read
        assert with_agg.count_articles(Filters(q=q)) == without.count_articles(Filters(q=q)) > 0


@pytest.mark.parametrize("table", sorted(aggregates._CLUSTER_ORDER))
def test_cluster_tables_are_in_their_order(pair: tuple[Dataset, Dataset], table: str) -> None:
    """The per-cluster files are in the order the query layer reads them by (row groups of
    an outlet's most covered clusters first; of a cluster's rows; of a day's)."""
    with_agg, _ = pair
    order = aggregates._CLUSTER_ORDER[table]
    con = duckdb.connect()
    file = with_agg.path / f"{table}.parquet"
    rows = con.execute(
        f"SELECT file_row_number FROM read_parquet('{file}', file_row_number = true) "
        f"ORDER BY {order}, file_row_number"
    ).fetchall()
    assert len(rows) > 1
    assert [r for (r,) in rows] == list(range(len(rows)))


def test_the_timeline_top_is_the_order_of_agg_clusters() -> None:
    """The Timeline takes its most covered events as the first rows of agg_clusters that
    match: only right while the file is written in the order of the top."""
    assert aggregates._CLUSTER_ORDER["agg_clusters"] == query_events._TOP_ORDER
