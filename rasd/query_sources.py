"""Source comparison: who covered what, when, how differently, and who copied whom.

Every function takes an open :class:`rasd.query.Dataset` and the global
:class:`rasd.filters.Filters`, aggregates in DuckDB, and returns a new, small DataFrame
(what a chart or table needs, never article text). Counts are normalised per outlet where
the question is "how much of this outlet's output", because raw counts only say which
outlet is biggest.

Conventions:

* ``include_duplicates=False`` (the default where volume is compared) counts a syndicated
  or duplicated article once, under its original; ``True`` counts every copy as its outlet's.
* A publication date is "known to the day" when ``published_precision`` is ``minute`` or
  ``day``; only ``minute`` carries a time of day. Month- and year-precise dates are never
  used to say who was first, and never turned into a day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from rasd import query_entities, query_events, vocabulary
from rasd.aggregates import TERMS_SAMPLE_PER_OUTLET
from rasd.filters import Filters
from rasd.normalize import normalize_for_search
from rasd.query import Dataset, Where
from rasd.sql import string_list, string_literal

PERIODS = ("day", "week", "month", "year")
#: How the coverage matrix ranks stories: most outlets, then most articles, then earliest.
COVERAGE_RANK = (
    "cluster_outlets DESC, cluster_articles DESC, cluster_first_at NULLS LAST, cluster_id"
)
#: Precisions that place an article in a bucket of each period.
PRECISE_ENOUGH: dict[str, tuple[str, ...]] = {
    "day": ("minute", "day"),
    "week": ("minute", "day"),
    "month": ("minute", "day", "month"),
    "year": ("minute", "day", "month", "year"),
}
DAY_PRECISE = PRECISE_ENOUGH["day"]
SHARE_BY = ("entity", "event_type")

#: Distinctive vocabulary reads a fixed sample of each outlet's articles: the
#: ``TERMS_SAMPLE_PER_OUTLET`` rows of the outlet with the smallest ``hash(article_id)``
#: over the whole dataset, then the filters. Why: tokenising text at query time scans
#: gigabytes at a million articles; the build writes the sample's token counts
#: (``agg_terms``), so a filter change reads those instead. Datasets without it
#: tokenise the same sample from ``text_norm`` (same result, slower).
FIXED_SAMPLE = "fixed"
MAX_ARTICLES_PER_OUTLET: int | str | None = FIXED_SAMPLE
#: Terms per outlet passed to the scoring step, most frequent first. A term outside an
#: outlet's 20,000 most frequent cannot have a large z-score for that outlet (σ̂² ≥ 1/count).
CANDIDATES_PER_OUTLET = 20_000


def event_type_labels() -> dict[str, tuple[str, str]]:
    """Event type id → (Arabic label, English label), from the event taxonomy."""
    try:  # the events stage is its own module; without it, ids are shown as they are
        from rasd.event_lexicon import EVENT_TYPES
    except ImportError:  # pragma: no cover - only while the events stage is absent
        return {}
    return {spec.id: (spec.label_ar, spec.label_en) for spec in EVENT_TYPES}


def _label_event_types(frame: pd.DataFrame, id_col: str, ar_col: str, en_col: str) -> None:
    labels = event_type_labels()
    ids = frame[id_col]
    frame[ar_col] = [labels.get(str(v), (str(v), str(v)))[0] if pd.notna(v) else None for v in ids]
    frame[en_col] = [labels.get(str(v), (str(v), str(v)))[1] if pd.notna(v) else None for v in ids]


def _agg_sum(condition: str) -> str:
    return f"CAST(coalesce(sum(n) FILTER (WHERE {condition}), 0) AS BIGINT)"


def _agg_items(
    ds: Dataset, filters: Filters, by: str, include_duplicates: bool
) -> tuple[Where, str, list[Any]] | None:
    """From the build's tables: the filtered articles' ``agg_articles`` (a condition over
    the table it names) and the SELECT (and parameters) of rows ``outlet_id, item_id,
    n_articles``, the articles with those keys that name or report each item; None when
    the filters or a missing table need the base tables.

    Outlet and date filters read ``agg_entities`` or ``agg_event_types``. By entity, one
    event type reads the type's rows of ``agg_type_entities``
    (:func:`rasd.query_entities.entity_rows`; 1M: 5.5 -> 0.14 s), and one entity its own
    rows of ``agg_entities`` and its article-window pairs of ``agg_cooccurrence`` (the
    articles naming it and another; 1M, an entity in 400k articles: 2.2 -> 0.6 s), instead
    of joining every mention of the selected articles."""
    items = _named_with(ds, filters, include_duplicates) if by == "entity" else None
    if items is None:
        if by == "entity":
            rows = query_entities.entity_rows(ds, filters, include_duplicates=include_duplicates)
            column = "entity_id"
        else:
            where = ds.agg_where(
                filters, include_duplicates=include_duplicates, table="agg_event_types"
            )
            rows = (
                None
                if where is None
                else (f"SELECT * FROM agg_event_types WHERE {where.sql}", list(where.params))
            )
            column = "event_type"
        if rows is None:
            return None
        items = (f"SELECT outlet_id, {column} AS item_id, n_articles FROM ({rows[0]})", rows[1])
    scope = ds.articles_agg(filters, include_duplicates=include_duplicates)
    if scope is None:
        return None
    return scope, items[0], items[1]


def _named_with(
    ds: Dataset, filters: Filters, include_duplicates: bool
) -> tuple[str, list[Any]] | None:
    """Under one entity filter (with outlet and date filters only), the rows ``outlet_id,
    item_id, n_articles`` of the articles naming that entity (its rows of ``agg_entities``)
    and naming another one too (the pair's article-window rows of ``agg_cooccurrence``);
    None otherwise."""
    entities = set(filters.entities)
    if len(entities) != 1 or filters.types or filters.q_norm.split():
        return None
    plain = filters.with_(entities=())
    named = ds.agg_where(plain, include_duplicates=include_duplicates, table="agg_entities")
    # without a date range, the pairs of all days (no day or precision in the keys: at 1M
    # 58k rows instead of 27M, an entity's pairs 340 -> ~10 ms)
    table = "agg_cooccurrence" if plain.has_date_range else "agg_cooccurrence_total"
    pairs = ds.agg_where(plain, include_duplicates=include_duplicates, table=table)
    if named is None or pairs is None:
        return None
    (entity,) = entities
    sql = f"""
        SELECT outlet_id, CASE WHEN entity_a = ? THEN entity_b ELSE entity_a END AS item_id,
               n_xy AS n_articles
        FROM {table}
        WHERE "window" = 'article' AND (entity_a = ? OR entity_b = ?) AND {pairs.sql}
        UNION ALL
        SELECT outlet_id, entity_id, n_articles FROM agg_entities
        WHERE entity_id = ? AND {named.sql}
    """
    return sql, [entity, entity, entity, *pairs.params, entity, *named.params]


def _check(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(allowed)}")


# -- (1) volume per outlet over time ------------------------------------------------------


def volume(
    ds: Dataset,
    filters: Filters,
    *,
    period: str = "week",
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Articles per outlet and period, as counts and as a share of the outlet's output.

    Only articles dated at least as precisely as ``period`` are placed (see
    :func:`volume_left_out` for how many are not).

    Returns:
        ``period_start, outlet_id, outlet, n, outlet_placed, share``: ``share`` is ``n``
        divided by the outlet's placed articles, so each outlet's shares sum to 1.
    """
    _check("period", period, PERIODS)
    agg = ds.articles_agg(filters, include_duplicates=include_duplicates)
    if agg is not None:
        return ds._df(
            f"""
            WITH counted AS (
                SELECT CAST(date_trunc('{period}', day) AS DATE) AS period_start,
                       outlet_id, any_value(outlet) AS outlet, CAST(sum(n) AS BIGINT) AS n
                FROM {agg.table}
                WHERE {agg.sql} AND day IS NOT NULL
                  AND published_precision IN {string_list(PRECISE_ENOUGH[period])}
                GROUP BY period_start, outlet_id
            )
            SELECT period_start, outlet_id, outlet, n,
                   sum(n) OVER (PARTITION BY outlet_id) AS outlet_placed,
                   n / sum(n) OVER (PARTITION BY outlet_id) AS share
            FROM counted ORDER BY period_start, outlet_id
            """,
            agg.params,
        )
    where = ds.where(filters, include_duplicates=include_duplicates)
    return ds._df(
        f"""
        WITH placed AS (
            SELECT CAST(date_trunc('{period}', published_at) AS DATE) AS period_start,
                   outlet_id, outlet
            FROM articles
            WHERE {where.sql} AND published_at IS NOT NULL
              AND published_precision IN {string_list(PRECISE_ENOUGH[period])}
        ), counted AS (
            SELECT period_start, outlet_id, any_value(outlet) AS outlet, count(*) AS n
            FROM placed GROUP BY period_start, outlet_id
        )
        SELECT period_start, outlet_id, outlet, n,
               sum(n) OVER (PARTITION BY outlet_id) AS outlet_placed,
               n / sum(n) OVER (PARTITION BY outlet_id) AS share
        FROM counted ORDER BY period_start, outlet_id
        """,
        where.params,
    )


def volume_left_out(
    ds: Dataset,
    filters: Filters,
    *,
    period: str = "week",
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Per outlet, how many matching articles the volume chart places and leaves out.

    Returns:
        ``outlet_id, outlet, articles, placed, undated, imprecise`` (imprecise: dated, but
        less precisely than ``period``).
    """
    _check("period", period, PERIODS)
    precise = string_list(PRECISE_ENOUGH[period])
    agg = ds.articles_agg(filters, include_duplicates=include_duplicates)
    if agg is not None:
        return ds._df(
            f"""
            SELECT outlet_id, any_value(outlet) AS outlet, {_agg_sum("TRUE")} AS articles,
                   {_agg_sum(f"day IS NOT NULL AND published_precision IN {precise}")}
                       AS placed,
                   {_agg_sum("day IS NULL")} AS undated,
                   {_agg_sum(f"day IS NOT NULL AND published_precision NOT IN {precise}")}
                       AS imprecise
            FROM {agg.table} WHERE {agg.sql}
            GROUP BY outlet_id ORDER BY articles DESC, outlet_id
            """,
            agg.params,
        )
    where = ds.where(filters, include_duplicates=include_duplicates)
    return ds._df(
        f"""
        SELECT outlet_id, any_value(outlet) AS outlet, count(*) AS articles,
               count(*) FILTER (WHERE published_at IS NOT NULL
                                  AND published_precision IN {precise}) AS placed,
               count(*) FILTER (WHERE published_at IS NULL) AS undated,
               count(*) FILTER (WHERE published_at IS NOT NULL
                                  AND published_precision NOT IN {precise}) AS imprecise
        FROM articles WHERE {where.sql}
        GROUP BY outlet_id ORDER BY articles DESC, outlet_id
        """,
        where.params,
    )


# -- (2) share of voice -------------------------------------------------------------------


def _item_sql(ds: Dataset, by: str) -> tuple[str, str, str, str, str]:
    """For ``by``: (the table of an article's items, its item column, how many articles
    name an item among the joined rows, the join condition of that table ``p`` with the
    selected articles ``s`` (``article_id`` and ``article_row``), SQL of item labels).

    An article's entities (``agg_article_entities``) or types (``agg_type_articles``) once
    each are counted by the articles' rows (integers), not every mention or event joined
    by id and counted distinct (1M, a word in half the articles: by type 1.6 -> 0.5 s)."""
    if by == "entity":
        labels = (
            "SELECT entity_id AS item_id, name_ar AS label_ar, name_en AS label_en, "
            "type AS item_type FROM entities"
        )
        if ds.has_agg("agg_article_entities"):
            return ("agg_article_entities", "entity_id", "count(*)", _BY_ROW, labels)
        return ("mentions", "entity_id", _DISTINCT_ARTICLES, _BY_ID, labels)
    # the types present, as the dataset keeps them (not a scan of every event)
    kinds = ds.event_types()
    labels = (
        "SELECT t AS item_id, t AS label_ar, t AS label_en, 'EVENT_TYPE' AS item_type "
        f"FROM (SELECT unnest([{', '.join(string_literal(k) for k in kinds)}]::VARCHAR[]) AS t)"
    )
    if ds.has_agg("agg_type_articles"):
        return ("agg_type_articles", "event_type", "count(*)", _BY_ROW, labels)
    return ("events", "event_type", _DISTINCT_ARTICLES, _BY_ID, labels)


_BY_ROW = "p.article_row = s.article_row"
_BY_ID = "p.article_id = s.article_id"
_DISTINCT_ARTICLES = "count(DISTINCT s.article_id)"


def share_of_voice(
    ds: Dataset,
    filters: Filters,
    *,
    by: str = "entity",
    limit: int = 20,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Entities (or event types) × outlets: the fraction of each outlet's articles naming X.

    The ``limit`` items in the most matching articles overall are kept. A copy's mentions
    are those of its own text (the build extracts them per article).

    Returns:
        ``item_id, label_ar, label_en, item_type, item_articles, outlet_id, outlet,
        outlet_articles, n_articles, share`` — one row per item and outlet (zeros
        included), ``share = n_articles / outlet_articles``.
    """
    _check("by", by, SHARE_BY)
    table, column, count, on, labels = _item_sql(ds, by)
    agg = _agg_items(ds, filters, by, include_duplicates)
    if agg is not None:
        scope, items, items_params = agg
        outlets_sql = f"""
            SELECT outlet_id, any_value(outlet) AS outlet,
                   CAST(sum(n) AS BIGINT) AS outlet_articles
            FROM {scope.table} WHERE {scope.sql} GROUP BY outlet_id
        """
        hits_sql = f"""
            SELECT outlet_id, item_id, CAST(sum(n_articles) AS BIGINT) AS n_articles
            FROM ({items}) GROUP BY ALL
        """
        params: list[Any] = [*scope.params, *items_params]
        selected = ""
    else:
        where = ds.where(filters, include_duplicates=include_duplicates)
        # the selected articles found once for both the outlets' totals and the hits (1M,
        # a word in half the articles: 267 -> 197 ms)
        ids = "article_id, " if on == _BY_ID else ""
        selected = f"""scope AS MATERIALIZED (
            SELECT {ids}file_row_number AS article_row, outlet_id, outlet
            FROM articles WHERE {where.sql}
        ),"""
        outlets_sql = """
            SELECT outlet_id, any_value(outlet) AS outlet, count(*) AS outlet_articles
            FROM scope GROUP BY outlet_id
        """
        hits_sql = f"""
            SELECT s.outlet_id, p.{column} AS item_id, {count} AS n_articles
            FROM scope AS s JOIN {table} AS p ON {on}
            GROUP BY ALL
        """
        params = list(where.params)
    frame = ds._df(
        f"""
        WITH {selected} outlets AS ({outlets_sql}), hits AS ({hits_sql}), top_items AS (
            SELECT item_id, sum(n_articles) AS item_articles FROM hits
            GROUP BY item_id ORDER BY item_articles DESC, item_id LIMIT ?
        )
        SELECT t.item_id, l.label_ar, l.label_en, l.item_type, t.item_articles,
               o.outlet_id, o.outlet, o.outlet_articles,
               coalesce(h.n_articles, 0) AS n_articles,
               coalesce(h.n_articles, 0) / o.outlet_articles AS share
        FROM top_items AS t CROSS JOIN outlets AS o
        LEFT JOIN hits AS h ON h.item_id = t.item_id AND h.outlet_id = o.outlet_id
        LEFT JOIN ({labels}) AS l ON l.item_id = t.item_id
        ORDER BY t.item_articles DESC, t.item_id, o.outlet_articles DESC, o.outlet_id
        """,
        [*params, int(limit)],
    )
    if by == "event_type":
        _label_event_types(frame, "item_id", "label_ar", "label_en")
    return frame


# -- (3) event coverage matrix ------------------------------------------------------------


def coverage_per_outlet_sql(
    where_sql: str, story_sql: str = "TRUE", *, by_day: bool = False, tellers: str = ""
) -> str:
    """``WITH ... per_outlet AS (...`` (left open) for :func:`coverage`: one row per cluster
    and outlet over the articles matching ``where_sql``, for the stories whose events
    (``e``, those the articles tell) meet ``story_sql``. ``rasd.aggregates`` writes it for
    every article and story (``agg_cluster_outlets``), and ``by_day`` (also per publication
    ``day, published_precision, is_duplicate``, the keys of ``agg_articles``) for
    ``agg_cluster_days``.

    With ``tellers`` (a table of ``article_id, article_row, cluster_id, event_type``,
    copies' rows included, as ``agg_story_articles``; ``articles`` then the view with
    ``file_row_number``), the stories told are read from it, not from the events, and
    joined by the articles' rows: ``story_sql`` (on ``e``) then appears once, not twice."""
    day = string_list(DAY_PRECISE)
    keys = "cluster_id, outlet_id"
    columns = ""
    if by_day:
        columns = (
            "CAST(published_at AS DATE) AS day, published_precision, is_copy AS is_duplicate, "
        )
        keys += ", day, published_precision, is_duplicate"
    key = "article_id"
    rows = ""
    if tellers:
        # joined by the articles' rows (integers: at 1M under a word in half the articles,
        # the stories told 0.34 -> 0.21 s)
        key, rows = "article_row", "file_row_number AS article_row, "
        told = f"""SELECT e.article_row, e.cluster_id
            FROM {tellers} AS e
            WHERE e.article_row IN (SELECT article_row FROM scope) AND {story_sql}"""
    else:
        told = f"""-- (article, story) once each, on narrow columns: an article reports the
            -- stories of its own events and, if it is a copy, those of its original
            SELECT s.article_id, e.cluster_id
            FROM scope AS s JOIN events AS e ON e.article_id = s.article_id
            WHERE e.cluster_id IS NOT NULL AND {story_sql}
            UNION
            SELECT s.article_id, e.cluster_id
            FROM scope AS s JOIN events AS e ON e.article_id = s.duplicate_of
            WHERE e.cluster_id IS NOT NULL AND {story_sql}"""
    return f"""
        WITH scope AS (
            SELECT article_id, {rows}duplicate_of, outlet_id, outlet, published_at,
                   published_precision
            FROM articles WHERE {where_sql}
        ), told AS (
            {told}
        ), reports AS (
            SELECT t.cluster_id, s.article_id, s.duplicate_of IS NOT NULL AS is_copy,
                   s.outlet_id, s.outlet, s.published_at, s.published_precision
            FROM told AS t JOIN scope AS s USING ({key})
        ), per_outlet AS (
            SELECT cluster_id, outlet_id, {columns}any_value(outlet) AS outlet,
                   count(*) AS n_articles,
                   count(*) FILTER (WHERE is_copy) AS n_copies,
                   min(published_at) FILTER (WHERE published_precision IN {day}) AS first_at,
                   arg_min(published_precision, published_at)
                       FILTER (WHERE published_precision IN {day}) AS first_precision
            FROM reports GROUP BY {keys}
    """


#: ``per_outlet`` of :func:`coverage` from the rows of ``agg_cluster_days`` that meet
#: ``{where}`` (left open, as :func:`coverage_per_outlet_sql`).
_PER_OUTLET_FROM_DAYS = """
    WITH per_outlet AS (
        SELECT cluster_id, outlet_id, any_value(outlet) AS outlet,
               CAST(sum(n_articles) AS BIGINT) AS n_articles,
               CAST(sum(n_copies) AS BIGINT) AS n_copies,
               min(first_at) AS first_at, arg_min(first_precision, first_at) AS first_precision
        FROM agg_cluster_days WHERE {where} GROUP BY cluster_id, outlet_id
"""


def _coverage_days_ok(ds: Dataset, filters: Filters, include_duplicates: bool) -> bool:
    """``agg_cluster_days`` answers the date range and outlets as ``agg_articles`` does,
    types by its rows' own, and the entity filter with ``agg_cluster_entity_days`` (the
    keys of the articles telling a report that names an entity)."""
    return (
        ds.has_agg("agg_cluster_days")
        and include_duplicates
        and not filters.q_norm.split()
        and (not filters.entities or ds.has_agg("agg_cluster_entity_days"))
    )


def _coverage_agg_ok(ds: Dataset, filters: Filters, include_duplicates: bool) -> bool:
    """``agg_cluster_outlets`` holds every outlet's rows with copies counted; an outlet
    filter only drops rows (an outlet's row depends on its own articles alone), and so do
    the story filters (a type is the row's own). The entity filter needs
    ``agg_cluster_entities`` (who names an entity, per story) and, with an outlet filter,
    ``agg_cluster_entity_days`` (which outlets' articles tell a report naming it)."""
    return (
        ds.has_agg("agg_cluster_outlets")
        and include_duplicates
        and not filters.has_date_range
        and not filters.q_norm.split()
        and (
            not filters.entities
            or (
                ds.has_agg("agg_cluster_entities")
                and (not filters.outlets or ds.has_agg("agg_cluster_entity_days"))
            )
        )
    )


def _story_filter(ds: Dataset, filters: Filters, *, agg: bool) -> tuple[str, list[Any]]:
    """The type and entity filters on the coverage matrix keep whole stories: those of the
    types, and those in which a report the articles tell names an entity (as an actor, the
    place, or a mention inside the evidence sentence, as on the Timeline).

    With ``agg``, a condition on the rows of the build's per-story tables: on their own
    ``event_type``, and on ``cluster_id`` for the entities: who names an entity anywhere
    (``agg_cluster_entities``), or, under outlet or date filters, in a report that an
    article they select tells (``agg_cluster_entity_days``). Else one on the told event
    ``e`` (a story has a single type; naming is checked per report)."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.types:
        if agg:
            clauses.append("list_contains(?, event_type)")
        else:
            clauses.append("list_contains(?, e.event_type)")
        params.append(list(filters.types))
    if filters.entities:
        entities = list(filters.entities)
        if agg and (filters.outlets or filters.has_date_range):
            tellers = ds.agg_where(
                filters.with_(entities=(), types=()), table="agg_cluster_entity_days"
            )
            assert tellers is not None  # (_coverage_agg_ok, _coverage_days_ok)
            clauses.append(
                "cluster_id IN (SELECT cluster_id FROM agg_cluster_entity_days "
                f"WHERE list_contains(?, entity_id) AND {tellers.sql})"
            )
            params += [entities, *tellers.params]
        elif agg:
            clauses.append(
                "cluster_id IN (SELECT cluster_id FROM agg_cluster_entities "
                "WHERE list_contains(?, entity_id))"
            )
            params.append(entities)
        else:
            clauses.append(
                f"""e.cluster_id IN (
                    SELECT r.cluster_id FROM events AS r
                    WHERE r.article_id IN (SELECT article_id FROM scope
                                           UNION SELECT duplicate_of FROM scope)
                      AND {query_events.NAMES_ENTITY_SQL})"""
            )
            params.extend(query_events.names_entity_params(entities))
    return " AND ".join(clauses) or "TRUE", params


def coverage(
    ds: Dataset,
    filters: Filters,
    *,
    limit: int = 30,
    include_duplicates: bool = True,
) -> pd.DataFrame:
    """Event clusters × outlets: who reported which story, who was first, and lags.

    The outlet, date and free-text filters select the articles; the type and entity
    filters select stories (see :func:`_story_filter`), so a row is always a story of the
    chosen type, shown with every outlet among the selected articles that reported it.
    A copy reports the stories of its original (its events may be extracted only once).
    Lags compare each outlet's first report with the first report of anyone, and only
    where both dates are known: ``lag_days`` when both are known to the day, ``lag_hours``
    only when both carry a time (precision ``minute``). ``status`` is ``first``,
    ``same_day`` (reported on the first day, order within the day unknown), ``later``, or
    ``unknown`` (no article of the outlet on this story has a day-precise date).

    Returns:
        ``cluster_id, event_type, event_label_ar, event_label_en, date_start, date_end,
        date_precision, evidence,
        cluster_outlets, cluster_articles, cluster_first_at, cluster_first_precision,
        outlet_id, outlet, n_articles, n_copies, first_at, first_precision, lag_days,
        lag_hours, status`` — one row per cluster and outlet that reported it; clusters
        reported by most outlets first, at most ``limit`` clusters.
    """
    params: list[Any]
    totals_chosen = f"""
        ), totals AS (
            SELECT cluster_id, count(*) AS cluster_outlets,
                   CAST(sum(n_articles) AS BIGINT) AS cluster_articles,
                   min(first_at) AS cluster_first_at
            FROM per_outlet GROUP BY cluster_id
        ), chosen AS (
            SELECT cluster_id FROM totals ORDER BY {COVERAGE_RANK} LIMIT ?
    """
    if (
        _coverage_agg_ok(ds, filters, include_duplicates)
        and not filters.outlets
        and ds.has_agg("agg_cluster_totals")
    ):
        # Over every outlet the ranking is the build's: pick the stories (narrow columns),
        # then read their rows by a literal list of ids (a few row groups of sorted tables).
        # The stories of several articles first (the table's first rows, ~7% at 1M): any
        # other has one article and one outlet, and ranks below them all.
        story_sql, params = _story_filter(ds, filters, agg=True)

        def pick(extra: str) -> pd.DataFrame:
            return ds._df(
                f"SELECT cluster_id FROM agg_cluster_totals WHERE {story_sql} AND {extra} "
                f"ORDER BY {COVERAGE_RANK} LIMIT ?",
                [*params, int(limit)],
            )

        chosen = None
        most = _wide_outlets(ds)[0] if filters.entities else 0
        if most >= 3:
            # Under an entity, the stories that most outlets reported first (see
            # _wide_tier): the entity's rows join a thousand stories, not 600k (1M, an
            # entity named in 480k articles: 120 -> 57 ms); exact when enough of them
            # name it, as any other story shows fewer outlets
            chosen = pick(f"cluster_outlets >= {int(most)}")
            chosen = chosen if len(chosen) >= limit else None
        if chosen is None:
            chosen = pick("cluster_articles >= 2")
        if len(chosen) < limit:
            chosen = pick("TRUE")
        ids = string_list(list(chosen["cluster_id"])) if len(chosen) else "(NULL)"
        params = []
        head = f"""
            WITH totals AS (
                SELECT cluster_id, cluster_outlets, cluster_articles, cluster_first_at
                FROM agg_cluster_totals WHERE cluster_id IN {ids}
            ), chosen AS (
                SELECT cluster_id FROM totals ORDER BY {COVERAGE_RANK} LIMIT ?
            ), per_outlet AS (
                SELECT * FROM agg_cluster_outlets WHERE cluster_id IN {ids}
        """
    elif filters.has_date_range and _coverage_days_ok(ds, filters, include_duplicates):
        rows = ds.agg_where(filters.with_(types=(), entities=()), table="agg_cluster_days")
        assert rows is not None  # no free text, entity or type: the keys answer the rest
        story_sql, story_params = _story_filter(ds, filters, agg=True)
        day_rows = f"{rows.sql} AND {story_sql}"

        def from_days(extra: str) -> Head:
            head = _PER_OUTLET_FROM_DAYS.format(where=f"{day_rows} AND {extra}") + totals_chosen
            return head, [*rows.params, *story_params]

        wide = _wide_tier(
            ds, filters, lambda stories: from_days(f"multi_article AND cluster_id IN {stories}")
        )
        return _ranked(ds, from_days("multi_article"), from_days("TRUE"), limit, wide=wide)
    elif _coverage_agg_ok(ds, filters, include_duplicates):
        outlets = "list_contains(?, outlet_id)" if filters.outlets else "TRUE"
        story_sql, story_params = _story_filter(ds, filters, agg=True)
        params = [*([list(filters.outlets)] if filters.outlets else []), *story_params]

        def from_outlets(extra: str) -> Head:
            head = (
                f"WITH per_outlet AS (SELECT * FROM agg_cluster_outlets WHERE {outlets} "
                f"AND {story_sql} AND {extra}" + totals_chosen
            )
            return head, params

        wide = _wide_tier(
            ds,
            filters,
            lambda stories: from_outlets(f"multi_article AND cluster_id IN {stories}"),
        )
        return _ranked(ds, from_outlets("multi_article"), from_outlets("TRUE"), limit, wide=wide)
    else:
        articles = filters.with_(types=(), entities=())
        where = ds.where(articles, include_duplicates=include_duplicates)
        story_sql, story_params = _story_filter(ds, filters, agg=False)
        # the story condition appears in both halves of ``told``
        params = [*where.params, *story_params, *story_params]
        head = coverage_per_outlet_sql(where.sql, story_sql) + totals_chosen
        if ds.has_agg("agg_story_articles"):
            # The stories of several articles first, as over the per-cluster tables (told
            # by one article, copies included, a story ranks below any told by two): who
            # tells them is a table of the build, read instead of every event twice (its
            # head has the story condition once).
            def told(cond: str) -> Head:
                sql = coverage_per_outlet_sql(
                    where.sql, f"{story_sql} AND {cond}", tellers="agg_story_articles"
                )
                return sql + totals_chosen, [*where.params, *story_params]

            wide = _wide_tier(ds, filters, lambda stories: told(f"e.cluster_id IN {stories}"))
            return _ranked(ds, told("TRUE"), (head, params), limit, wide=wide)
    return _with_story_meta(ds, _coverage_rows(ds, head, params, limit))


#: A coverage head (``WITH ... per_outlet``, ``totals`` and ``chosen``, left open) and its
#: parameters, as :func:`_coverage_rows` takes them.
Head = tuple[str, list[Any]]


#: The first tier of the coverage ranking holds about this many stories: those that the
#: most outlets reported over the whole dataset (see :func:`_wide_tier`).
WIDE_STORIES = 1000
#: ... and is tried when the filters keep at least this share of the articles.
WIDE_SHARE = 0.25


def _wide_outlets(ds: Dataset) -> tuple[int, int]:
    """The largest ``n`` such that at least :data:`WIDE_STORIES` stories were reported by
    ``n`` or more outlets over the whole dataset (5 at a million articles over 12 outlets;
    0 when fewer than that many stories have three), and the dataset's number of articles;
    read once per dataset."""

    def read() -> tuple[int, int]:
        found = ds._scalar(
            "SELECT cluster_outlets FROM agg_cluster_totals WHERE cluster_outlets >= 3 "
            f"ORDER BY cluster_outlets DESC LIMIT 1 OFFSET {WIDE_STORIES - 1}"
        )
        return (int(found) if found is not None else 0, ds.count_articles(Filters()))

    return ds.remember(("wide_outlets", WIDE_STORIES), read)


def _wide_stories(ds: Dataset, outlets: int) -> str:
    """The ids of the stories at least ``outlets`` outlets reported over the whole dataset
    (:func:`_wide_outlets`' ``n``), as an SQL list, read once per dataset: a literal list is
    tested in the scan of a table of tellers, where the same ids from a subquery were a
    hash join over every teller row (1M under a word in half the articles: 170 -> 55 ms)."""

    def read() -> str:
        ids = ds._df(
            "SELECT cluster_id FROM agg_cluster_totals WHERE cluster_outlets >= ? "
            "ORDER BY cluster_id",
            [int(outlets)],
        )
        return string_list([str(c) for c in ids["cluster_id"]])

    return ds.remember(("wide_stories", int(outlets)), read)


def _wide_tier(
    ds: Dataset, filters: Filters, head: Callable[[str], Head]
) -> tuple[Head, int] | None:
    """``head`` restricted to the stories that at least ``n`` outlets reported over the
    whole dataset (:func:`_wide_outlets`), and ``n``; ``head`` takes the list of those
    stories' ``cluster_id`` (SQL, in parentheses). None when there is no such tier, when
    the outlet filter keeps fewer than ``2n`` outlets (under ``n`` no story could show
    ``n``, and near ``n`` few do), or when the filters keep less than :data:`WIDE_SHARE`
    of the articles: the narrower the selection, the likelier that too few of those stories still show ``n``
    outlets, and the tier costs a pass for nothing (at 1M, one quarter: 0.29 -> 0.46 s),
    while the next tier is cheap there anyway."""
    if not ds.has_agg("agg_cluster_totals"):
        return None
    wide, total = _wide_outlets(ds)
    if wide < 3 or (filters.outlets and len(filters.outlets) < 2 * wide):
        return None
    articles = filters.with_(types=(), entities=())  # (those select stories)
    if ds.count_articles(articles) < WIDE_SHARE * total:
        return None
    return head(_wide_stories(ds, wide)), wide


def _ranked(
    ds: Dataset, several: Head, every: Head, limit: int, *, wide: tuple[Head, int] | None = None
) -> pd.DataFrame:
    """The coverage rows of the first head that is exact, trying the fewest stories first.

    ``wide`` (a head and ``n``) groups the stories that ``n`` or more outlets reported over
    the whole dataset: exact when every story it chooses still shows ``n`` outlets under
    the filters, since any other story shows fewer and ranks below them all (at 1M under
    a date range over every year, 3.4k stories instead of 1.3M rows: the ranking
    0.25 -> 0.07 s). ``several`` groups only the stories with more than one article over
    the whole dataset (``multi_article`` of the per-cluster tables, ~7% of them at a million
    articles): exact when every story chosen that way still has two outlets or two
    articles under the filters (any other story has one article, one outlet, at most).
    Else those of ``every``, which groups every story."""
    if limit > 0 and wide is not None:
        head, outlets = wide
        frame = _coverage_rows(ds, *head, limit)
        stories = frame.drop_duplicates("cluster_id")
        if len(stories) == limit and bool((stories["cluster_outlets"] >= outlets).all()):
            return _with_story_meta(ds, frame)
    if limit > 0:
        frame = _coverage_rows(ds, *several, limit)
        stories = frame.drop_duplicates("cluster_id")
        two = (stories["cluster_outlets"] >= 2) | (stories["cluster_articles"] >= 2)
        if len(stories) == limit and bool(two.all()):
            return _with_story_meta(ds, frame)
    return _with_story_meta(ds, _coverage_rows(ds, *every, limit))


def _coverage_rows(ds: Dataset, head: str, params: list[Any], limit: int) -> pd.DataFrame:
    """:func:`coverage` without its story meta, from ``head`` (``WITH ... per_outlet``,
    ``totals`` and ``chosen``, left open) and its parameters."""
    return ds._df(
        f"""
        {head}
        ), per_cluster AS (
            -- window functions over the chosen clusters only (a few hundred rows)
            SELECT p.*, t.cluster_outlets, t.cluster_articles, t.cluster_first_at,
                   CAST(t.cluster_first_at AS DATE) AS cluster_first_day
            FROM per_outlet AS p JOIN chosen USING (cluster_id) JOIN totals AS t USING (cluster_id)
        ), with_first AS (
            SELECT *,
                   arg_min(first_precision, first_at) OVER w AS cluster_first_precision,
                   count(*) FILTER (WHERE CAST(first_at AS DATE) = cluster_first_day)
                       OVER w AS outlets_on_first_day
            FROM per_cluster
            WINDOW w AS (PARTITION BY cluster_id)
        )
        SELECT f.cluster_id, f.cluster_outlets, f.cluster_articles, f.cluster_first_at,
               f.cluster_first_precision, f.outlet_id, f.outlet, f.n_articles, f.n_copies,
               f.first_at, f.first_precision,
               date_diff('day', f.cluster_first_day, CAST(f.first_at AS DATE)) AS lag_days,
               CASE WHEN f.first_precision = 'minute' AND f.cluster_first_precision = 'minute'
                    THEN (epoch(f.first_at) - epoch(f.cluster_first_at)) / 3600.0
               END AS lag_hours,
               CASE
                   WHEN f.first_at IS NULL THEN 'unknown'
                   WHEN CAST(f.first_at AS DATE) > f.cluster_first_day THEN 'later'
                   WHEN f.outlets_on_first_day = 1 THEN 'first'
                   WHEN f.first_precision = 'minute' AND f.cluster_first_precision = 'minute'
                       THEN CASE WHEN f.first_at = f.cluster_first_at THEN 'first'
                                 ELSE 'later' END
                   ELSE 'same_day'
               END AS status
        FROM with_first AS f
        JOIN chosen USING (cluster_id)
        ORDER BY f.cluster_outlets DESC, f.cluster_articles DESC,
                 f.cluster_first_at NULLS LAST, f.cluster_id, f.first_at NULLS LAST,
                 f.outlet_id
        """,
        [*params, int(limit)],
    )


#: What a story is, for its row of the coverage matrix: its type (a story has one: events
#: are clustered per type), the span of its reports,
#: the precision of the earliest, and the evidence of the most confident (ties: the
#: largest event id). Over ``events``, for the stories that meet ``{where}``.
_STORY_META = """
    SELECT b.cluster_id, b.event_type, b.date_start, b.date_end, b.date_precision, e.evidence
    FROM (
        SELECT cluster_id, min(event_type) AS event_type, min(date_start) AS date_start,
               max(date_end) AS date_end,
               arg_min(date_precision, row(date_start, date_precision))
                   FILTER (WHERE date_start IS NOT NULL) AS date_precision,
               arg_max(event_id, row(confidence, event_id)) AS best_event
        FROM events WHERE cluster_id IS NOT NULL AND {where}
        GROUP BY cluster_id
    ) AS b
    -- the evidence string is fetched for one event per story only: aggregating the
    -- strings themselves is the slow part
    LEFT JOIN events AS e ON e.event_id = b.best_event
"""
_META_COLUMNS = ["event_type", "date_start", "date_end", "date_precision", "evidence"]


def story_meta_sql(where: str = "TRUE") -> str:
    """Per story (``cluster_id``) meeting ``where`` over ``events``: ``event_type,
    date_start, date_end, date_precision, evidence`` as the coverage matrix shows them."""
    return _STORY_META.format(where=where)


def _with_story_meta(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its stories' meta columns after ``cluster_id``, read for those stories
    only: from ``agg_cluster_totals`` (their rows, by number) or from the events."""
    ids = list(dict.fromkeys(frame["cluster_id"]))
    if not ids:
        meta = pd.DataFrame(columns=["cluster_id", *_META_COLUMNS])
    elif ds.has_agg("agg_cluster_totals"):
        # their row numbers found on the id column, then only those rows' wide columns
        # (evidence) read: an IN list on the ids decompressed them in most row groups
        # (1M: 90 -> 60 ms)
        meta = ds._df(
            *ds.fetch_sql(
                "agg_cluster_totals", f"cluster_id, {', '.join(_META_COLUMNS)}", "cluster_id", ids
            )
        )
    else:
        meta = ds._df(story_meta_sql(f"cluster_id IN {string_list(ids)}"))
    merged = frame.merge(meta, on="cluster_id", how="left", validate="many_to_one")
    rest = [c for c in frame.columns if c != "cluster_id"]
    merged = merged[["cluster_id", *_META_COLUMNS, *rest]]
    _label_event_types(merged, "event_type", "event_label_ar", "event_label_en")
    return merged


# -- (4) distinctive vocabulary -----------------------------------------------------------


def _prefix_case(column: str) -> str:
    """SQL CASE that maps a folded token to its term key (see vocabulary.term_key)."""
    arms = []
    for prefix in vocabulary.ARTICLE_PREFIXES:
        arms.append(
            f"WHEN starts_with({column}, '{prefix}') AND length({column}) >= "
            f"{len(prefix) + vocabulary.MIN_STEM_CHARS} THEN substr({column}, {len(prefix) + 1})"
        )
    conj = vocabulary.CONJUNCTION
    rest = f"substr({column}, {len(conj) + 1})"
    arms.append(
        f"WHEN starts_with({column}, '{conj}') AND length({column}) >= "
        f"{len(conj) + vocabulary.MIN_STEM_CHARS} AND ({rest} IN (SELECT tok FROM vocab) "
        f"OR 'ال' || {rest} IN (SELECT tok FROM vocab)) THEN {rest}"
    )
    return "CASE " + " ".join(arms) + f" ELSE {column} END"


_TOKENS_FROM_TEXT = f"""
    SELECT outlet_id, tok, count(*) AS n FROM (
        SELECT outlet_id,
               unnest(regexp_extract_all(coalesce(text_norm, ''), '{vocabulary.TOKEN_SQL_RE}'))
                   AS tok
        FROM docs
    ) GROUP BY ALL
"""
#: What :meth:`rasd.query.Dataset.where` reads of an article, and what the terms read.
_SAMPLE_COLUMNS = (
    "file_row_number, article_id, outlet_id, outlet, duplicate_of, published_at, "
    "published_precision"
)
_TOKENS_FROM_AGG = """
    SELECT d.outlet_id, t.tok, CAST(sum(t.n) AS BIGINT) AS n
    FROM docs AS d JOIN agg_terms AS t USING (article_id) GROUP BY ALL
"""


def term_counts(
    ds: Dataset,
    filters: Filters,
    *,
    include_duplicates: bool = False,
    max_articles_per_outlet: int | str | None = MAX_ARTICLES_PER_OUTLET,
    candidates_per_outlet: int | None = CANDIDATES_PER_OUTLET,
    stopwords: vocabulary.StopWords | None = None,
) -> pd.DataFrame:
    """Term counts per outlet, tokenised in DuckDB from ``articles.text_norm``.

    Tokenising in DuckDB (``regexp_extract_all`` + ``unnest``, grouped by outlet and
    token) keeps the text inside the database engine, parallel and streaming; only one row
    per outlet and distinct term leaves it. Stop words and the clitic rules of
    :mod:`rasd.vocabulary` are applied in the same query.

    Returns:
        ``outlet_id, outlet, term, surface, count, term_total, outlet_total,
        outlet_articles`` — ``surface`` is the term's most frequent folded spelling in the
        compared corpus, ``term_total`` its count over all outlets, ``outlet_total`` all
        counted tokens of the outlet, ``outlet_articles`` the articles read.
    """
    stop = sorted((stopwords or vocabulary.load_stopwords()).expanded())
    where = ds.where(filters, include_duplicates=include_duplicates)
    sample = ""
    params: list[Any] = [*where.params]
    from_tokens = False
    source = "articles"
    if max_articles_per_outlet == FIXED_SAMPLE and ds.has_agg("agg_terms"):
        # the build's sample, tokenised: every sampled article has rows there. Its articles
        # are kept with the columns the filters read (a few thousand rows, made once): each
        # question filters them, not the million rows of articles.parquet (1M: 60 -> 1 ms)
        source = ds.kept(
            "sample",
            ("sample",),
            lambda: (
                f"SELECT {_SAMPLE_COLUMNS} FROM articles "
                "WHERE article_id IN (SELECT article_id FROM agg_terms)",
                [],
            ),
        )
        from_tokens = True
    elif max_articles_per_outlet == FIXED_SAMPLE:
        sample = (
            "AND article_id IN (SELECT article_id FROM articles QUALIFY row_number() OVER "
            "(PARTITION BY outlet_id ORDER BY hash(article_id), article_id) <= ?)"
        )
        params.append(TERMS_SAMPLE_PER_OUTLET)
    elif max_articles_per_outlet is not None:
        sample = "QUALIFY row_number() OVER (PARTITION BY outlet_id ORDER BY hash(article_id), article_id) <= ?"
        params.append(int(max_articles_per_outlet))
    params.append(stop)
    candidates = ""
    if candidates_per_outlet is not None:
        candidates = (
            "QUALIFY row_number() OVER (PARTITION BY outlet_id ORDER BY count DESC, term) <= ?"
        )
        params.append(int(candidates_per_outlet))
    return ds._df(
        f"""
        WITH docs AS (
            SELECT article_id, outlet_id, outlet{"" if from_tokens else ", text_norm"}
            FROM {source}
            WHERE {where.sql} {sample}
        ), outlets AS (
            SELECT outlet_id, any_value(outlet) AS outlet, count(*) AS outlet_articles
            FROM docs GROUP BY outlet_id
        ), stop AS (
            SELECT unnest(?::VARCHAR[]) AS tok
        ), grouped AS ({_TOKENS_FROM_AGG if from_tokens else _TOKENS_FROM_TEXT}
        ), kept AS (
            -- filtered after grouping: once per distinct word, not once per occurrence
            SELECT outlet_id, tok, n FROM grouped
            WHERE length(tok) >= {vocabulary.MIN_TOKEN_CHARS}
              AND regexp_matches(tok, '\\p{{L}}')
              AND tok NOT IN (SELECT tok FROM stop)
        ), vocab AS (
            SELECT DISTINCT tok FROM kept
        ), keyed AS (
            SELECT outlet_id, tok, n, {_prefix_case("tok")} AS term FROM kept
        ), counted AS (
            SELECT outlet_id, term, CAST(sum(n) AS BIGINT) AS count FROM keyed
            WHERE term NOT IN (SELECT tok FROM stop)
            GROUP BY ALL
        ), surfaces AS (
            SELECT term, first(tok ORDER BY n DESC, tok) AS surface
            FROM (SELECT term, tok, sum(n) AS n FROM keyed GROUP BY ALL)
            GROUP BY term
        ), totals AS (
            SELECT outlet_id, term, count,
                   CAST(sum(count) OVER (PARTITION BY term) AS BIGINT) AS term_total,
                   CAST(sum(count) OVER (PARTITION BY outlet_id) AS BIGINT) AS outlet_total
            FROM counted
            {candidates}
        )
        SELECT t.outlet_id, o.outlet, t.term, s.surface, t.count, t.term_total,
               t.outlet_total, o.outlet_articles
        FROM totals AS t JOIN outlets AS o USING (outlet_id)
        JOIN surfaces AS s USING (term)
        ORDER BY t.outlet_id, t.count DESC, t.term
        """,
        params,
    )


def distinctive_terms(
    ds: Dataset,
    filters: Filters,
    *,
    k: int = 15,
    outlets: Sequence[str] | None = None,
    include_duplicates: bool = False,
    prior_scale: float = 1.0,
    min_count: int = 2,
    max_articles_per_outlet: int | str | None = MAX_ARTICLES_PER_OUTLET,
    candidates_per_outlet: int | None = CANDIDATES_PER_OUTLET,
    stopwords: vocabulary.StopWords | None = None,
) -> pd.DataFrame:
    """The words each outlet uses more than the other outlets in the filtered set.

    Weighted log-odds with an informative Dirichlet prior from the compared corpus
    (:func:`rasd.vocabulary.log_odds`); only positive z-scores are returned.

    Args:
        ds: the dataset.
        filters: the global filters (the compared corpus is what they select).
        k: terms per outlet.
        outlets: only return these outlets (each is still compared with all the rest).
        include_duplicates: count copies as their outlet's text too.
        prior_scale: prior weight relative to the corpus (see ``log_odds``).
        min_count: ignore terms the outlet used fewer times than this.
        max_articles_per_outlet: ``"fixed"`` (default): the dataset's fixed sample of
            ``TERMS_SAMPLE_PER_OUTLET`` articles per outlet (``outlet_articles`` then says
            how many of the matching articles were read); an int: that many of each
            outlet's matching articles; None: every article.
        candidates_per_outlet: most frequent terms per outlet to score (None: all).
        stopwords: stop words (default: the bundled list).

    Returns:
        ``outlet_id, outlet, rank, term, label, count, count_rest, per_10k, per_10k_rest,
        z, delta, outlet_articles, outlet_tokens`` — ``label`` is the term's most frequent
        spelling (folded), ``per_10k`` its rate per 10,000 counted words; empty when fewer
        than two outlets match.
    """
    counts = term_counts(
        ds,
        filters,
        include_duplicates=include_duplicates,
        max_articles_per_outlet=max_articles_per_outlet,
        candidates_per_outlet=candidates_per_outlet,
        stopwords=stopwords,
    )
    columns = [
        "outlet_id",
        "outlet",
        "rank",
        "term",
        "label",
        "count",
        "count_rest",
        "per_10k",
        "per_10k_rest",
        "z",
        "delta",
        "outlet_articles",
        "outlet_tokens",
    ]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    group_totals = counts.groupby("outlet_id")["outlet_total"].first()
    term_totals = counts.groupby("term")["term_total"].first()
    scored = vocabulary.log_odds(
        counts.rename(columns={"outlet_id": "group"}),
        group_totals=group_totals,
        term_totals=term_totals,
        prior_scale=prior_scale,
    )
    scored = scored[(scored["count"] >= min_count) & (scored["z"] > 0)]
    if outlets:
        scored = scored[scored["group"].isin(list(outlets))]
    best = vocabulary.top_terms(scored, k=k)
    if best.empty:
        return pd.DataFrame(columns=columns)
    info = counts.drop_duplicates("outlet_id").set_index("outlet_id")
    surface = counts.drop_duplicates("term").set_index("term")["surface"]
    labels = [str(v) for v in best["term"].map(surface)]
    if max_articles_per_outlet == FIXED_SAMPLE:
        written = _sample_written_forms(ds, labels)
    else:
        written = _written_forms(ds, filters, labels)
    surface = surface.map(lambda folded: written.get(str(folded), str(folded)))
    out = pd.DataFrame(
        {
            "outlet_id": best["group"],
            "outlet": best["group"].map(info["outlet"]),
            "rank": best.groupby("group").cumcount() + 1,
            "term": best["term"],
            "label": best["term"].map(surface),
            "count": best["count"].astype("int64"),
            "count_rest": best["count_rest"].astype("int64"),
            "per_10k": 1e4 * best["count"] / best["n_group"],
            "per_10k_rest": (1e4 * best["count_rest"] / best["n_rest"]).where(best["n_rest"] > 0),
            "z": best["z"],
            "delta": best["delta"],
            "outlet_articles": best["group"].map(info["outlet_articles"]).astype("int64"),
            "outlet_tokens": best["n_group"].astype("int64"),
        }
    )
    # Biggest outlets first (as in the other views), then by id for a stable order.
    ordered = out.sort_values(
        ["outlet_articles", "outlet_id", "rank"], ascending=[False, True, True]
    )
    return ordered.reset_index(drop=True)


#: SQL approximation of normalize_for_search over a written token ``tok``, used only to
#: narrow candidates; the exact fold is checked in Python (_best_written).
_FOLD_SQL = (
    "lower(translate(regexp_replace(tok, '[\\x{064B}-\\x{065F}\\x{0670}\\x{0640}]', '', 'g'), "
    "'أإآٱىةیک', 'اااايهيك'))"
)


def written_tokens_sql(sample_sql: str) -> str:
    """Written tokens (with their marks) of the articles ``sample_sql`` selects, counted:
    ``tok, n``. ``rasd.aggregates`` writes it for the fixed sample (``agg_written``)."""
    return f"""
        SELECT tok, count(*) AS n FROM (
            SELECT unnest(regexp_extract_all(coalesce(title, '') || ' ' || coalesce(text, ''),
                                             '{vocabulary.WRITTEN_SQL_RE}')) AS tok
            FROM articles WHERE article_id IN ({sample_sql})
        ) GROUP BY tok
    """


def sample_ids_sql(per_outlet: int = TERMS_SAMPLE_PER_OUTLET) -> str:
    """The fixed vocabulary sample: each outlet's ``per_outlet`` smallest ``hash(article_id)``."""
    return (
        "SELECT article_id FROM articles QUALIFY row_number() OVER "
        f"(PARTITION BY outlet_id ORDER BY hash(article_id), article_id) <= {int(per_outlet)}"
    )


def _sample_written_forms(ds: Dataset, folded: Sequence[str]) -> dict[str, str]:
    """The most frequent written spelling of each folded token in the fixed sample (from
    ``agg_written`` when the build wrote it): the same for every filter."""
    wanted = sorted({f for f in folded if f})
    if not wanted:
        return {}
    source = (
        "agg_written" if ds.has_agg("agg_written") else f"({written_tokens_sql(sample_ids_sql())})"
    )
    rows = ds._df(
        f"SELECT tok, n FROM {source} WHERE {_FOLD_SQL} IN (SELECT unnest(?::VARCHAR[]))",
        [wanted],
    )
    return _best_written(rows, wanted)


def _written_forms(
    ds: Dataset, filters: Filters, folded: Sequence[str], *, max_articles: int = 300
) -> dict[str, str]:
    """The most frequent original spelling of each folded token in ``folded``.

    ``text_norm`` folds ة to ه and drops hamza, which reads as a misspelling in a label
    (الشماليه); the original text has the real spelling. Only articles whose ``text_norm``
    contains one of the tokens are read, at most ``max_articles`` of them, and only the
    counts of candidate words leave DuckDB.
    """
    wanted = sorted({f for f in folded if f})
    if not wanted:
        return {}
    found = _written_forms_once(ds, filters, wanted, max_articles=max_articles)
    # Common words fill the first sample; look again for the ones it missed.
    missing = [w for w in wanted if w not in found]
    if missing:
        found.update(_written_forms_once(ds, filters, missing, max_articles=max_articles))
    return found


def _written_forms_once(
    ds: Dataset, filters: Filters, wanted: list[str], *, max_articles: int
) -> dict[str, str]:
    where = ds.where(filters, include_duplicates=True)
    # A SQL approximation of normalize_for_search, used only to narrow the candidates; the
    # exact fold is checked in Python below.
    fold = (
        "lower(translate(regexp_replace(tok, '[\\x{064B}-\\x{065F}\\x{0670}\\x{0640}]', '', 'g'), "
        "'أإآٱىةیک', 'اااايهيك'))"
    )
    rows = ds._df(
        f"""
        WITH docs AS (
            SELECT coalesce(title, '') || ' ' || coalesce(text, '') AS body FROM articles
            WHERE {where.sql} AND regexp_matches(text_norm, ?)
            LIMIT ?
        ), toks AS (
            SELECT unnest(regexp_extract_all(body, '{vocabulary.WRITTEN_SQL_RE}')) AS tok
            FROM docs
        )
        SELECT tok, count(*) AS n FROM toks
        WHERE {fold} IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY tok
        """,
        [*where.params, "|".join(wanted), int(max_articles), wanted],
    )
    return _best_written(rows, wanted)


def _best_written(rows: pd.DataFrame, wanted: list[str]) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    wanted_set = set(wanted)
    tally: dict[tuple[str, str], int] = {}
    for tok, n in zip(rows["tok"], rows["n"], strict=True):
        key = normalize_for_search(str(tok))
        if key in wanted_set:
            label = vocabulary.display_form(str(tok))
            tally[(key, label)] = tally.get((key, label), 0) + int(n)
    for (key, label), n in sorted(tally.items()):
        if key not in best or n > best[key][0]:
            best[key] = (n, label)
    return {key: label for key, (_, label) in best.items()}


# -- (5) syndication ------------------------------------------------------------------------


def syndication(
    ds: Dataset,
    filters: Filters,
    *,
    cross_outlet_only: bool = False,
    limit: int = 500,
) -> pd.DataFrame:
    """Copies and their originals (from the build's duplicate detection).

    A pair is listed when the copy or the original matches ``filters``.
    ``first`` says which was published first when both dates are known to the day:
    ``original``, ``copy``, ``same_day`` (same day and at least one without a time),
    ``same_time``, or ``unknown``.

    Returns:
        ``copy_id, copy_outlet_id, copy_outlet, copy_title, copy_published_at,
        copy_precision, original_id, original_outlet_id, original_outlet, original_title,
        original_published_at, original_precision, kind, similarity, cross_outlet, first,
        lag_hours, lag_days`` — most similar first.
    """
    where = ds.where(filters, include_duplicates=True)
    day = string_list(DAY_PRECISE)
    cross = "AND copy_outlet_id <> original_outlet_id" if cross_outlet_only else ""
    params = [*where.params, *where.params]
    if not ds.has_agg("agg_syndication"):
        pairs = f"SELECT * FROM ({_matching_pairs(ds, where.sql)}) WHERE TRUE {cross}"
    else:
        # The most similar pairs chosen on narrow columns, then only their rows read whole
        # (titles and all): at 1M the top 500 of 79k pairs 46 -> 9 ms.
        file = ds.file_sql("agg_syndication")
        pairs = f"""
            SELECT * EXCLUDE (file_row_number) FROM {file}
            WHERE file_row_number IN (
                SELECT file_row_number FROM {file}
                WHERE file_row_number IN ({_matching_pairs(ds, where.sql, rows=True)}) {cross}
                ORDER BY similarity DESC NULLS LAST, copy_id
                LIMIT ?
            )
        """
        params.append(int(limit))
    return ds._df(
        f"""
        WITH pairs AS (
            SELECT * EXCLUDE (copy_row, original_row),
                   copy_outlet_id <> original_outlet_id AS cross_outlet
            FROM ({pairs})
        )
        SELECT *,
               CASE
                   WHEN copy_precision NOT IN {day} OR original_precision NOT IN {day}
                        OR copy_published_at IS NULL OR original_published_at IS NULL
                       THEN 'unknown'
                   WHEN copy_precision = 'minute' AND original_precision = 'minute' THEN
                       CASE WHEN original_published_at < copy_published_at THEN 'original'
                            WHEN original_published_at > copy_published_at THEN 'copy'
                            ELSE 'same_time' END
                   WHEN CAST(original_published_at AS DATE) < CAST(copy_published_at AS DATE)
                       THEN 'original'
                   WHEN CAST(original_published_at AS DATE) > CAST(copy_published_at AS DATE)
                       THEN 'copy'
                   ELSE 'same_day'
               END AS first,
               CASE WHEN copy_precision = 'minute' AND original_precision = 'minute'
                    THEN (epoch(copy_published_at) - epoch(original_published_at)) / 3600.0
               END AS lag_hours,
               CASE WHEN copy_precision IN {day} AND original_precision IN {day}
                    THEN date_diff('day', CAST(original_published_at AS DATE),
                                   CAST(copy_published_at AS DATE))
               END AS lag_days
        FROM pairs
        ORDER BY similarity DESC NULLS LAST, copy_id
        LIMIT ?
        """,
        [*params, int(limit)],
    )


#: Every (copy, original) pair with both sides' columns, from the articles table
#: (``rasd.aggregates`` writes it as ``agg_syndication``, a row per duplicate).
SYNDICATION_PAIRS_SQL = """
    SELECT c.article_id AS copy_id, c.outlet_id AS copy_outlet_id, c.outlet AS copy_outlet,
           c.title AS copy_title, c.published_at AS copy_published_at,
           c.published_precision AS copy_precision, c.file_row_number AS copy_row,
           o.article_id AS original_id, o.outlet_id AS original_outlet_id,
           o.outlet AS original_outlet, o.title AS original_title,
           o.published_at AS original_published_at,
           o.published_precision AS original_precision, o.file_row_number AS original_row,
           c.duplicate_kind AS kind, c.duplicate_similarity AS similarity
    FROM articles AS c JOIN articles AS o ON o.article_id = c.duplicate_of
"""


def _matching_pairs(ds: Dataset, where_sql: str, *, rows: bool = False) -> str:
    """SQL of the pairs whose copy or original matches ``where_sql`` (a condition over
    ``articles`` with duplicates included, :meth:`Dataset.where`; its parameters are
    needed twice). Each side is tested on its own columns, under the articles table's
    names (its row in articles.parquet as ``file_row_number``), so the ~1 row per
    duplicate of ``agg_syndication`` answers every filter without reading the articles.

    Over ``agg_syndication`` the pairs are found by their row numbers in its file, each
    side tested in one pass, instead of by ids looked up in the pairs again (at 1M, 79k
    pairs: 120 -> 60 ms unfiltered); with ``rows``, only those numbers (``pair_row``),
    for a caller that reads few of the pairs' wide columns."""

    def side(prefix: str, source: str, key: str) -> str:
        return f"""
            SELECT {key} FROM (
                SELECT {key}, {prefix}_row AS file_row_number, {prefix}_id AS article_id,
                       {prefix}_outlet_id AS outlet_id, {prefix}_published_at AS published_at,
                       {prefix}_precision AS published_precision
                FROM {source}
            ) WHERE {where_sql}
        """

    if not ds.has_agg("agg_syndication"):
        source = f"({SYNDICATION_PAIRS_SQL})"
        return f"""
            SELECT * FROM {source}
            WHERE copy_row IN ({side("copy", source, "copy_row")})
               OR original_row IN ({side("original", source, "original_row")})
        """
    file = ds.file_sql("agg_syndication")
    numbered = f"(SELECT *, file_row_number AS pair_row FROM {file})"
    matching = (
        f"{side('copy', numbered, 'pair_row')} UNION {side('original', numbered, 'pair_row')}"
    )
    if rows:
        return matching
    return f"""
        SELECT * EXCLUDE (file_row_number) FROM {file}
        WHERE file_row_number IN ({matching})
    """


def syndication_flows(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """Who copies whom: copies per (copying outlet, original outlet) pair.

    Returns:
        ``copy_outlet_id, copy_outlet, original_outlet_id, original_outlet, n_copies,
        mean_similarity, copy_outlet_articles`` (all the copying outlet's matching rows),
        largest flows first.
    """
    where = ds.where(filters, include_duplicates=True)
    agg = ds.articles_agg(filters, include_duplicates=True)
    if agg is not None:
        sizes = (
            f"SELECT outlet_id, CAST(sum(n) AS BIGINT) AS n FROM {agg.table} "
            f"WHERE {agg.sql} GROUP BY outlet_id"
        )
        size_params = list(agg.params)
    else:
        sizes = (
            f"SELECT outlet_id, count(*) AS n FROM articles WHERE {where.sql} GROUP BY outlet_id"
        )
        size_params = list(where.params)
    return ds._df(
        f"""
        WITH sizes AS ({sizes}), pairs AS ({_matching_pairs(ds, where.sql)})
        SELECT p.copy_outlet_id, any_value(p.copy_outlet) AS copy_outlet,
               p.original_outlet_id, any_value(p.original_outlet) AS original_outlet,
               count(*) AS n_copies, avg(p.similarity) AS mean_similarity,
               any_value(sz.n) AS copy_outlet_articles
        FROM pairs AS p LEFT JOIN sizes AS sz ON sz.outlet_id = p.copy_outlet_id
        GROUP BY p.copy_outlet_id, p.original_outlet_id
        ORDER BY n_copies DESC, copy_outlet_id, original_outlet_id
        """,
        [*size_params, *where.params, *where.params],
    )


# -- (6) outlet profile ---------------------------------------------------------------------


def outlet_profile(ds: Dataset, filters: Filters, outlet_id: str) -> pd.DataFrame:
    """One outlet under ``filters`` (the outlet filter itself is replaced by this outlet).

    Returns:
        One row (none if the outlet has no matching article): ``outlet_id, outlet,
        articles, copies, undated, imprecise, first, first_precision, last,
        last_precision, copies_of_others, copied_by_others``.
    """
    scoped = filters.with_(outlets=(outlet_id,))
    where = ds.where(scoped, include_duplicates=True)
    return ds._df(
        f"""
        WITH mine AS (SELECT * FROM articles WHERE {where.sql})
        SELECT outlet_id, any_value(outlet) AS outlet,
               count(*) FILTER (WHERE duplicate_of IS NULL) AS articles,
               count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS copies,
               count(*) FILTER (WHERE duplicate_of IS NULL AND published_at IS NULL)
                   AS undated,
               count(*) FILTER (WHERE duplicate_of IS NULL AND published_at IS NOT NULL
                                  AND published_precision IN ('month', 'year')) AS imprecise,
               CAST(min(published_at) AS DATE) AS first,
               arg_min(published_precision, published_at) AS first_precision,
               CAST(max(published_at) AS DATE) AS last,
               arg_max(published_precision, published_at) AS last_precision,
               (SELECT count(*) FROM mine AS c JOIN articles AS o
                    ON o.article_id = c.duplicate_of
                WHERE o.outlet_id <> c.outlet_id) AS copies_of_others,
               (SELECT count(*) FROM articles AS c JOIN mine AS o
                    ON o.article_id = c.duplicate_of
                WHERE o.outlet_id <> c.outlet_id) AS copied_by_others
        FROM mine GROUP BY outlet_id
        """,
        where.params,
    )


def outlet_top_items(
    ds: Dataset,
    filters: Filters,
    outlet_id: str,
    *,
    by: str = "entity",
    limit: int = 10,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The entities (or event types) in most of one outlet's matching articles.

    Returns:
        ``item_id, label_ar, label_en, item_type, n_articles, outlet_articles, share``.
    """
    _check("by", by, SHARE_BY)
    scoped = filters.with_(outlets=(outlet_id,))
    table, column, count, on, labels = _item_sql(ds, by)
    agg = _agg_items(ds, scoped, by, include_duplicates)
    if agg is not None:
        scope, items, items_params = agg
        ctes = f"""
            total AS (
                SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS outlet_articles
                FROM {scope.table} WHERE {scope.sql}
            ),
            hits AS (
                SELECT item_id, CAST(sum(n_articles) AS BIGINT) AS n_articles
                FROM ({items}) GROUP BY item_id
            )
        """
        params: list[Any] = [*scope.params, *items_params]
    else:
        where = ds.where(scoped, include_duplicates=include_duplicates)
        ctes = f"""
            scope AS (
                SELECT article_id, file_row_number AS article_row FROM articles
                WHERE {where.sql}
            ),
            total AS (SELECT count(*) AS outlet_articles FROM scope),
            hits AS (
                SELECT p.{column} AS item_id, {count} AS n_articles
                FROM scope AS s JOIN {table} AS p ON {on}
                GROUP BY p.{column}
            )
        """
        params = list(where.params)
    frame = ds._df(
        f"""
        WITH {ctes}
        SELECT h.item_id, l.label_ar, l.label_en, l.item_type, h.n_articles,
               total.outlet_articles, h.n_articles / total.outlet_articles AS share
        FROM hits AS h CROSS JOIN total
        LEFT JOIN ({labels}) AS l ON l.item_id = h.item_id
        ORDER BY h.n_articles DESC, h.item_id LIMIT ?
        """,
        [*params, int(limit)],
    )
    if by == "event_type":
        _label_event_types(frame, "item_id", "label_ar", "label_en")
    return frame
