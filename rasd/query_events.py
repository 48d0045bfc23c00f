"""Read side of events: what the Timeline page asks, answered in DuckDB.

Every function takes the opened :class:`rasd.query.Dataset` and the global
:class:`rasd.filters.Filters` and returns a new DataFrame with only what the page shows.

How the filters apply here:

* ``outlet`` and ``q`` select the *reports*: event mentions in matching articles;
* ``type`` selects event types; ``entity`` keeps clusters in which some report names the
  entity (as an actor, the place, or a mention inside the evidence sentence);
* ``from``/``to`` select *when events happened*: a cluster is kept when its date span
  overlaps the range (undated clusters are then left out and counted apart). On the
  Timeline the x axis is event time, so a range selected there means event time; the
  article-volume strip beneath uses publication days in the same range.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from rasd.filters import Filters
from rasd.query import Dataset

#: Precision from finest to coarsest: a cluster is dated by its most precise report.
PRECISION_RANK = ("day", "week", "month", "quarter", "year", "decade")
#: Basis from most to least direct; a cluster shows the *worst* basis of its dated reports.
BASIS_RANK = ("explicit", "relative", "inferred")

_PREC_SQL = (
    "CASE e.date_precision "
    + " ".join(f"WHEN '{p}' THEN {i}" for i, p in enumerate(PRECISION_RANK))
    + " ELSE 99 END"
)
_BASIS_SQL = (
    "CASE e.date_basis "
    + " ".join(f"WHEN '{b}' THEN {i}" for i, b in enumerate(BASIS_RANK))
    + " ELSE 9 END"
)


def reports_sql(where_sql: str, clauses: list[str] | None = None) -> str:
    """SQL of event reports joined to their articles (``where_sql`` over ``articles``)."""
    return f"""
        SELECT e.*, a.outlet_id, a.outlet, a.title, a.url, a.published_at,
               a.published_precision
        FROM events AS e
        JOIN (SELECT article_id, outlet_id, outlet, title, url, published_at,
                     published_precision
              FROM articles WHERE {where_sql}) AS a USING (article_id)
        WHERE {" AND ".join(clauses or ["TRUE"])}
    """


def _reports(
    ds: Dataset, filters: Filters, *, min_confidence: float, naming: bool = False
) -> tuple[str, list[Any]]:
    """SQL for the event reports the filters select (before the event-time range).

    The entity filter is not applied here (see :func:`_entity_clause`); with ``naming``,
    the reports are narrowed to clusters that can pass it, which changes nothing the
    entity clause then keeps."""
    article_filters = filters.with_(date_from=None, date_to=None, types=(), entities=())
    where = ds.where(article_filters)
    clauses = ["e.confidence >= ?"]
    params: list[Any] = [*where.params, float(min_confidence)]
    if filters.types:
        clauses.append("list_contains(?, e.event_type)")
        params.append(list(filters.types))
    if naming and filters.entities and ds.has_agg("agg_cluster_entities"):
        # Only the clusters some report names an entity in (a superset of those the exact
        # entity clause keeps, which keeps whole clusters): the rest never reach it.
        clauses.append(f"e.cluster_id IN ({_NAMING_CLUSTERS})")
        params.append(list(filters.entities))
    return reports_sql(where.sql, clauses), params


#: Clusters in which some report names one of the entities ``?`` (``agg_cluster_entities``).
_NAMING_CLUSTERS = "SELECT cluster_id FROM agg_cluster_entities WHERE list_contains(?, entity_id)"


#: Whether the report ``r`` names one of the entities ``?`` (the same list three times, see
#: :func:`names_entity_params`): as an actor, as the place, or by a mention inside its
#: evidence sentence. The Timeline's and the coverage matrix's entity filters.
NAMES_ENTITY_SQL = """(
    list_has_any(r.actor_ids, ?::VARCHAR[])
    OR list_contains(?, r.location_id)
    OR EXISTS (
        SELECT 1 FROM mentions AS m
        WHERE m.article_id = r.article_id AND list_contains(?, m.entity_id)
          AND m.start >= r.evidence_start AND m."end" <= r.evidence_end))"""


def names_entity_params(entities: Sequence[str]) -> list[Any]:
    """The parameters of :data:`NAMES_ENTITY_SQL`."""
    return [list(entities)] * 3


def _entity_clause(filters: Filters) -> tuple[str, list[Any]]:
    """Clusters in which some report names one of the filtered entities."""
    if not filters.entities:
        return "TRUE", []
    return (
        f"cluster_id IN (SELECT r.cluster_id FROM reports AS r WHERE {NAMES_ENTITY_SQL})",
        names_entity_params(filters.entities),
    )


def _range_clause(filters: Filters, start: str, end: str) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.date_to:
        clauses.append(f"{start} <= ?")
        params.append(filters.date_to)
    if filters.date_from:
        clauses.append(f"{end} >= ?")
        params.append(filters.date_from)
    return (" AND ".join(clauses) or "TRUE"), params


def timeline_clusters(
    ds: Dataset,
    filters: Filters,
    *,
    min_confidence: float = 0.0,
    limit: int = 5000,
    top: int | None = None,
    undated_only: bool = False,
) -> pd.DataFrame:
    """One row per real-world event (cluster) for the timeline, earliest first, undated last.

    Columns: ``cluster_id, event_type, date_start, date_end, date_precision, date_basis``
    (the span of the most precise dated report; the worst basis among dated reports;
    null/``unknown`` when no report dates it), ``n_reports, n_articles, n_outlets, outlets``
    (names) ``, outlet_ids, first_outlet, first_outlet_id, first_article_id,
    first_published_at`` (the earliest publication among reports with a known date),
    ``actor_ids`` (most frequent first) ``, actors_ar, actors_en, location_id,
    confidence`` (highest) and ``evidence`` (the first report's sentence).

    With ``top``, only the ``top`` clusters reported in most articles (then most reports,
    then by id) are returned, still in time order: a chart of a million-article corpus
    cannot draw every event (see :func:`count_clusters` for how many match). With
    ``undated_only``, only the clusters no report dates.
    """
    if _agg_clusters_ok(ds, filters, min_confidence):
        return _clusters_from_agg(ds, filters, limit=limit, top=top, undated_only=undated_only)
    reports, params = _reports(ds, filters, min_confidence=min_confidence, naming=True)
    entity_sql, entity_params = _entity_clause(filters)
    range_sql, range_params = _range_clause(filters, "date_start", "date_end")
    # The clusters to show are picked from cheap counts first (top by coverage, then the
    # first ``limit`` in time); only those are given their lists and evidence.
    pick = f"SELECT * FROM counts WHERE {range_sql}"
    if undated_only:
        pick += " AND date_start IS NULL"
    pick_params = list(range_params)
    if top is not None:
        pick = f"SELECT * FROM ({pick} {_TOP})"
        pick_params.append(int(top))
    pick = f"SELECT cluster_id FROM ({pick}) {_BY_TIME} LIMIT ?"
    pick_params.append(int(limit))
    sql = clusters_sql(reports, entity_sql=entity_sql, pick=pick)
    frame = ds._df(sql, [*params, *entity_params, *pick_params])
    # first_* are meaningful only when some report has a known publication date.
    unknown_first = frame["first_published_at"].isna()
    for column in ("first_outlet", "first_outlet_id", "first_article_id"):
        frame[column] = frame[column].where(~unknown_first, None)
    return frame


def _counts_sql(entity_sql: str) -> str:
    """CTEs ``matched`` (the reports of clusters the entity filter keeps) and ``counts``:
    per cluster, what choosing and counting clusters needs (``event_type, n_reports,
    n_articles`` and the ``date_start, date_end`` of :func:`clusters_sql`), no lists."""
    order = f"({_PREC_SQL}, {_BASIS_SQL}, e.date_start, e.date_end)"
    dated = "FILTER (WHERE e.date_start IS NOT NULL)"
    return f"""
        matched AS MATERIALIZED (SELECT * FROM reports WHERE {entity_sql}),
        counts AS (
            SELECT cluster_id, any_value(event_type) AS event_type,
                   count(*) AS n_reports, count(DISTINCT article_id) AS n_articles,
                   arg_min_null(e.date_start, {order}) {dated} AS date_start,
                   arg_min_null(e.date_end, {order}) {dated} AS date_end
            FROM matched AS e GROUP BY cluster_id
        )
    """


def _count_matching(ds: Dataset, filters: Filters, condition: str, *, min_confidence: float) -> int:
    """Clusters the filters (but the event-time range) select whose ``counts`` row meets
    ``condition`` (the range, or undated)."""
    reports, params = _reports(ds, filters, min_confidence=min_confidence, naming=True)
    entity_sql, entity_params = _entity_clause(filters)
    range_sql, range_params = _range_clause(filters, "date_start", "date_end")
    sql = f"""
        WITH reports AS ({reports}), {_counts_sql(entity_sql)}
        SELECT count(*) FROM counts WHERE {range_sql} AND {condition}
    """
    return int(ds._scalar(sql, [*params, *entity_params, *range_params]))


def clusters_sql(
    reports: str, *, entity_sql: str = "TRUE", range_sql: str = "TRUE", pick: str | None = None
) -> str:
    """The timeline's per-cluster SQL over ``reports`` (see :func:`timeline_clusters`);
    no LIMIT. ``rasd.aggregates`` runs it once over every report for ``agg_clusters``.

    With ``pick`` (a SELECT of ``cluster_id`` over the ``counts`` of :func:`_counts_sql`),
    only the clusters it returns are computed; ``range_sql`` is then ignored (the pick
    applies the range to the same dates)."""
    if pick is None:
        kept = f"kept AS (SELECT * FROM reports WHERE {entity_sql})"
    else:
        range_sql = "TRUE"
        kept = f"""{_counts_sql(entity_sql)},
        picked AS ({pick}),
        kept AS (SELECT * FROM matched WHERE cluster_id IN (SELECT cluster_id FROM picked))"""
    return f"""
        WITH reports AS ({reports}),
        {kept},
        dated AS (
            SELECT cluster_id, date_start, date_end, date_precision,
                   row_number() OVER (
                       PARTITION BY cluster_id
                       ORDER BY {_PREC_SQL}, {_BASIS_SQL}, date_start, date_end
                   ) AS rn,
                   max({_BASIS_SQL}) OVER (PARTITION BY cluster_id) AS worst_basis
            FROM kept AS e WHERE e.date_start IS NOT NULL
        ),
        best AS (
            SELECT cluster_id, date_start, date_end, date_precision,
                   CASE worst_basis {" ".join(f"WHEN {i} THEN '{b}'" for i, b in enumerate(BASIS_RANK))}
                        ELSE 'unknown' END AS date_basis
            FROM dated WHERE rn = 1
        ),
        actors AS (
            SELECT cluster_id, list(actor ORDER BY n DESC, actor) AS actor_ids,
                   list(coalesce(en.name_ar, actor) ORDER BY n DESC, actor) AS actors_ar,
                   list(coalesce(en.name_en, en.name_ar, actor) ORDER BY n DESC, actor)
                       AS actors_en
            FROM (
                SELECT cluster_id, actor, count(*) AS n
                FROM (SELECT cluster_id, unnest(actor_ids) AS actor FROM kept)
                GROUP BY ALL
            ) AS counted
            LEFT JOIN entities AS en ON en.entity_id = counted.actor
            GROUP BY cluster_id
        ),
        places AS (
            -- the most frequent place; a tie goes to the smallest id
            SELECT cluster_id, first(location_id ORDER BY n DESC, location_id) AS location_id
            FROM (
                SELECT cluster_id, location_id, count(*) AS n
                FROM kept WHERE location_id IS NOT NULL GROUP BY ALL
            ) GROUP BY cluster_id
        ),
        agg AS (
            SELECT cluster_id, any_value(event_type) AS event_type,
                   count(*) AS n_reports, count(DISTINCT article_id) AS n_articles,
                   count(DISTINCT outlet_id) AS n_outlets,
                   list(DISTINCT outlet ORDER BY outlet) AS outlets,
                   list(DISTINCT outlet_id ORDER BY outlet_id) AS outlet_ids,
                   arg_min(outlet, {_FIRST}) {_PUBLISHED} AS first_outlet,
                   arg_min(outlet_id, {_FIRST}) {_PUBLISHED} AS first_outlet_id,
                   arg_min(article_id, {_FIRST}) {_PUBLISHED} AS first_article_id,
                   min(published_at) AS first_published_at,
                   max(confidence) AS confidence,
                   arg_min(evidence, {_FIRST}) AS evidence
            FROM kept GROUP BY cluster_id
        )
        SELECT agg.cluster_id, agg.event_type,
               b.date_start, b.date_end,
               coalesce(b.date_precision, 'unknown') AS date_precision,
               coalesce(b.date_basis, 'unknown') AS date_basis,
               agg.n_reports, agg.n_articles, agg.n_outlets, agg.outlets, agg.outlet_ids,
               agg.first_outlet, agg.first_outlet_id, agg.first_article_id,
               agg.first_published_at,
               coalesce(ac.actor_ids, []::VARCHAR[]) AS actor_ids,
               coalesce(ac.actors_ar, []::VARCHAR[]) AS actors_ar,
               coalesce(ac.actors_en, []::VARCHAR[]) AS actors_en,
               pl.location_id, agg.confidence, agg.evidence
        FROM agg
        LEFT JOIN best AS b USING (cluster_id)
        LEFT JOIN actors AS ac USING (cluster_id)
        LEFT JOIN places AS pl USING (cluster_id)
        WHERE {_range_clause_for(range_sql)}
        ORDER BY b.date_start NULLS LAST, b.date_end, agg.event_type, agg.cluster_id
    """


def _agg_clusters_ok(ds: Dataset, filters: Filters, min_confidence: float) -> bool:
    """Whether ``agg_clusters`` (every cluster, no filter) answers these filters: only the
    type filter, the event-time range and (with ``agg_cluster_entities``) the entity filter
    may be set. A cluster has a single type, and the entity filter keeps whole clusters."""
    return (
        ds.has_agg("agg_clusters")
        and min_confidence <= 0.0
        and not filters.outlets
        and not filters.q_norm.split()
        and (not filters.entities or ds.has_agg("agg_cluster_entities"))
    )


#: The first report of a cluster, as :func:`cluster_evidence` lists them (unknown
#: publication last); ``_PUBLISHED`` keeps only reports with a known publication date.
_FIRST = "(coalesce(published_at, TIMESTAMPTZ '9999-12-31'), outlet_id, article_id, evidence_start)"
_PUBLISHED = "FILTER (WHERE published_at IS NOT NULL)"
_TOP = "ORDER BY n_articles DESC, n_reports DESC, cluster_id LIMIT ?"
_BY_TIME = "ORDER BY date_start NULLS LAST, date_end, event_type, cluster_id"


def count_clusters(ds: Dataset, filters: Filters, *, min_confidence: float = 0.0) -> int:
    """How many clusters :func:`timeline_clusters` would return without a limit."""
    if _agg_clusters_ok(ds, filters, min_confidence):
        where, params = _agg_cluster_where(filters)
        return int(ds._scalar(f"SELECT count(*) FROM agg_clusters WHERE {where}", params))
    return _count_matching(ds, filters, "TRUE", min_confidence=min_confidence)


def _agg_cluster_where(filters: Filters) -> tuple[str, list[Any]]:
    clauses = ["TRUE"]
    params: list[Any] = []
    if filters.types:
        clauses.append("list_contains(?, event_type)")
        params.append(list(filters.types))
    if filters.entities:
        clauses.append(f"cluster_id IN ({_NAMING_CLUSTERS})")
        params.append(list(filters.entities))
    range_sql, range_params = _range_clause(filters, "date_start", "date_end")
    return " AND ".join([*clauses, range_sql]), [*params, *range_params]


def _clusters_from_agg(
    ds: Dataset,
    filters: Filters,
    *,
    limit: int,
    top: int | None = None,
    undated_only: bool = False,
) -> pd.DataFrame:
    where, params = _agg_cluster_where(filters)
    if undated_only:
        where += " AND date_start IS NULL"
    sql = f"SELECT * FROM agg_clusters WHERE {where}"
    if top is not None:
        sql = f"SELECT * FROM ({sql} {_TOP})"
        params.append(int(top))
    frame = ds._df(f"{sql} {_BY_TIME} LIMIT ?", [*params, int(limit)])
    unknown_first = frame["first_published_at"].isna()
    for column in ("first_outlet", "first_outlet_id", "first_article_id"):
        frame[column] = frame[column].where(~unknown_first, None)
    return frame


def _range_clause_for(range_sql: str) -> str:
    # The cluster's date lives in ``b``; rewrite the generic column names.
    return range_sql.replace("c.date_start", "b.date_start").replace("c.date_end", "b.date_end")


def undated_clusters(ds: Dataset, filters: Filters, *, min_confidence: float = 0.0) -> int:
    """Clusters the filters select that no report dates (they cannot be placed in time)."""
    unranged = filters.with_(date_from=None, date_to=None) if filters.has_date_range else filters
    if _agg_clusters_ok(ds, unranged, min_confidence):
        where, params = _agg_cluster_where(unranged)
        sql = f"SELECT count(*) FROM agg_clusters WHERE date_start IS NULL AND {where}"
        return int(ds._scalar(sql, params))
    return _count_matching(ds, unranged, "date_start IS NULL", min_confidence=min_confidence)


def cluster_evidence(
    ds: Dataset, filters: Filters, cluster_id: str, *, min_confidence: float = 0.0
) -> pd.DataFrame:
    """The reports of one cluster, earliest publication first (unknown last).

    Columns: ``event_id, article_id, outlet_id, outlet, title, url, published_at,
    published_precision, evidence, evidence_start, evidence_end, date_start, date_end,
    date_precision, date_basis, confidence``. Offsets point into ``articles.text``.
    """
    reports_sql, params = _reports(ds, filters, min_confidence=min_confidence)
    return ds._df(
        f"""
        WITH reports AS ({reports_sql})
        SELECT event_id, article_id, outlet_id, outlet, title, url, published_at,
               published_precision, evidence, evidence_start, evidence_end, date_start,
               date_end, date_precision, date_basis, confidence
        FROM reports WHERE cluster_id = ?
        ORDER BY published_at NULLS LAST, outlet_id, article_id, evidence_start
        """,
        [*params, cluster_id],
    )


def article_volume(ds: Dataset, filters: Filters, *, by_outlet: bool = False) -> pd.DataFrame:
    """Unique articles per publication day for the strip under the timeline.

    Columns: ``day, n`` (and ``outlet_id, outlet`` with ``by_outlet``). Only day-precise
    publication dates are counted (a month-precise date cannot be put on a day); the
    filters apply as on other pages, ``from``/``to`` to the publication day.
    """
    columns = "outlet_id, any_value(outlet) AS outlet, " if by_outlet else ""
    group = "day, outlet_id" if by_outlet else "day"
    agg = ds.articles_agg(filters, include_duplicates=False)
    if agg is not None:
        return ds._df(
            f"""
            SELECT day, {columns}CAST(sum(n) AS BIGINT) AS n
            FROM {agg.table}
            WHERE {agg.sql} AND day IS NOT NULL AND published_precision IN ('minute', 'day')
            GROUP BY {group} ORDER BY {group}
            """,
            agg.params,
        )
    where = ds.where(filters, include_duplicates=False)
    return ds._df(
        f"""
        SELECT CAST(published_at AS DATE) AS day, {columns}count(*) AS n
        FROM articles
        WHERE {where.sql} AND published_at IS NOT NULL
          AND published_precision IN ('minute', 'day')
        GROUP BY {group} ORDER BY {group}
        """,
        where.params,
    )


def event_type_counts(
    ds: Dataset, filters: Filters, *, min_confidence: float = 0.0
) -> pd.DataFrame:
    """Clusters per event type under the filters (ignoring the type filter itself).

    Columns: ``event_type, n_clusters, n_reports``, most clusters first.
    """
    reports_sql, params = _reports(ds, filters.with_(types=()), min_confidence=min_confidence)
    return ds._df(
        f"""
        WITH reports AS ({reports_sql})
        SELECT event_type, count(DISTINCT cluster_id) AS n_clusters, count(*) AS n_reports
        FROM reports GROUP BY event_type ORDER BY n_clusters DESC, event_type
        """,
        params,
    )
