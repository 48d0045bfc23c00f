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
from rasd.schema import AGG_CLUSTER_REPORTS
from rasd.sql import string_list

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


#: The report columns the per-cluster SQL reads (:func:`timeline_clusters`): no text. The
#: first report's evidence sentence is read afterwards, for the clusters returned only.
CLUSTER_COLUMNS = (
    "e.cluster_id, e.event_id, e.event_type, e.article_id, e.date_start, e.date_end, "
    "e.date_precision, e.date_basis, e.confidence, e.actor_ids, e.location_id, "
    "e.evidence_start, e.evidence_end, a.outlet_id, a.outlet, a.published_at"
)

#: Every column of a report and its article's (what :func:`cluster_evidence` lists).
REPORT_COLUMNS = "e.*, a.outlet_id, a.outlet, a.title, a.url, a.published_at, a.published_precision"


def reports_sql(
    where_sql: str,
    clauses: list[str] | None = None,
    *,
    columns: str = REPORT_COLUMNS,
    events: str = "events",
) -> str:
    """SQL of event reports joined to their articles (``where_sql`` over ``articles``).

    ``columns`` are those a query reads: a CTE read by several parts of a query is kept
    whole, and evidence sentences and titles are most of a report's bytes. ``events``
    names the table of reports (``agg_shared_events`` holds those of the clusters of
    several articles)."""
    return f"""
        SELECT {columns}
        FROM {events} AS e
        JOIN (SELECT article_id, outlet_id, outlet, title, url, published_at,
                     published_precision
              FROM articles WHERE {where_sql}) AS a USING (article_id)
        WHERE {" AND ".join(clauses or ["TRUE"])}
    """


def _reports(
    ds: Dataset,
    filters: Filters,
    *,
    min_confidence: float,
    naming: bool = False,
    within: Sequence[str] | None = None,
    shared: bool = False,
) -> tuple[str, list[Any]]:
    """SQL for the event reports the filters select (before the event-time range).

    The entity filter is not applied here (see :func:`_entity_clause`); with ``naming``,
    the reports are narrowed to clusters that can pass it, which changes nothing the
    entity clause then keeps; with ``within`` (cluster ids), to those clusters, evidence
    sentences included, and with ``shared`` too, read from ``agg_shared_events`` (clusters
    of several articles only). Either way the reports then have :data:`CLUSTER_COLUMNS`."""
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
    columns = CLUSTER_COLUMNS if naming else REPORT_COLUMNS
    events = "events"
    if within is not None and shared:
        events = "agg_shared_events"
    if within is not None:
        # A list of constants, which DuckDB checks against each row group's bounds (the
        # events are sorted by cluster): a subquery of ids read every row group.
        clauses.append(f"e.cluster_id IN {string_list(within)}" if within else "FALSE")
        columns = CLUSTER_COLUMNS + ", e.evidence"
    return reports_sql(where.sql, clauses, columns=columns, events=events), params


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


# -- a cluster's row, from its parts ------------------------------------------------------
#
# A cluster's row is combined from its *parts*: one per outlet that reported it, each
# summing that outlet's reports (counts, the best-dated report, the first report, how often
# each actor and place is named). The build writes the parts of every cluster
# (``agg_cluster_reports``), so an outlet filter combines the parts of its outlets instead
# of reading every event; other filters make the parts of the reports they select.

#: The first report of a cluster, as :func:`cluster_evidence` lists them: earliest
#: publication (unknown last), then outlet, article, offset and id.
_FIRST = (
    "(coalesce(published_at, TIMESTAMPTZ '9999-12-31'), outlet_id, article_id, "
    "evidence_start, event_id)"
)
#: The same order over parts (each one's first report).
_PART_FIRST = (
    "(coalesce(first_published_at, TIMESTAMPTZ '9999-12-31'), outlet_id, first_article_id, "
    "first_evidence_start, first_event_id)"
)


def _date_key(rank: str, basis: str, start: str, end: str) -> str:
    """SQL of one BIGINT that orders dated reports as ``(rank, basis, start, end)`` would
    (a missing end last): ranks below 100 and bases below 10, days since 0001-01-01 in 22
    bits each (years 1 to ~11,000; dates outside are clamped). ``arg_min`` over a BIGINT
    is about twice as fast as over a STRUCT of the four, on millions of reports."""

    def days(date: str) -> str:
        return (
            f"least(greatest(coalesce({date}, DATE '9999-12-31') - DATE '0001-01-01', 0), "
            f"{(1 << 22) - 1})::BIGINT"
        )

    return f"((({rank}) * 10 + ({basis}))::BIGINT << 44) + ({days(start)} << 22) + {days(end)}"


#: A cluster is dated by its most precise report, then the most direct, then the earliest.
DATE_ORDER = _date_key(_PREC_SQL, _BASIS_SQL, "e.date_start", "e.date_end")
REPORT_DATED = "FILTER (WHERE e.date_start IS NOT NULL)"
_PART_DATE_ORDER = _date_key("date_rank", "date_basis_rank", "date_start", "date_end")
_DATED = "FILTER (WHERE date_start IS NOT NULL)"
_PUBLISHED = "FILTER (WHERE first_published_at IS NOT NULL)"
_TOP_ORDER = "n_articles DESC, n_reports DESC, cluster_id"
_TOP = f"ORDER BY {_TOP_ORDER} LIMIT ?"
_BY_TIME = "ORDER BY date_start NULLS LAST, date_end, event_type, cluster_id"
_BY_TIME_COLUMNS = ["date_start", "date_end", "event_type", "cluster_id"]


def parts_sql(reports: str, *, evidence: bool = False) -> str:
    """Per cluster and outlet, the sums of the reports in ``reports`` (a name or subquery)
    that a cluster's row is combined from, without lists; with ``evidence``, the first
    report's sentence too."""
    first_evidence = f", arg_min(e.evidence, {_FIRST}) AS evidence" if evidence else ""
    dated = REPORT_DATED
    return f"""
        SELECT cluster_id, outlet_id, any_value(outlet) AS outlet,
               any_value(event_type) AS event_type,
               count(*) AS n_reports, count(DISTINCT article_id) AS n_articles,
               arg_min_null(e.date_start, {DATE_ORDER}) {dated} AS date_start,
               arg_min_null(e.date_end, {DATE_ORDER}) {dated} AS date_end,
               arg_min_null(e.date_precision, {DATE_ORDER}) {dated} AS date_precision,
               arg_min_null({_PREC_SQL}, {DATE_ORDER}) {dated} AS date_rank,
               arg_min_null({_BASIS_SQL}, {DATE_ORDER}) {dated} AS date_basis_rank,
               max({_BASIS_SQL}) {dated} AS worst_basis_rank,
               min(published_at) AS first_published_at,
               arg_min(article_id, {_FIRST}) AS first_article_id,
               arg_min(evidence_start, {_FIRST}) AS first_evidence_start,
               arg_min(event_id, {_FIRST}) AS first_event_id,
               max(confidence) AS confidence{first_evidence}
        FROM {reports} AS e GROUP BY cluster_id, outlet_id
    """


def part_lists_sql(reports: str) -> str:
    """Per cluster and outlet of ``reports``, how many of its reports name each actor
    (``actor_counts``) and each place (``place_counts``): lists of ``{id, n}``."""
    return f"""
        SELECT k.cluster_id, k.outlet_id,
               coalesce(a.counts, []) AS actor_counts, coalesce(p.counts, []) AS place_counts
        FROM (SELECT DISTINCT cluster_id, outlet_id FROM {reports}) AS k
        LEFT JOIN (
            SELECT cluster_id, outlet_id, list({{'id': actor, 'n': n}} ORDER BY actor) AS counts
            FROM (
                SELECT cluster_id, outlet_id, actor, count(*) AS n
                FROM (SELECT cluster_id, outlet_id, unnest(actor_ids) AS actor FROM {reports})
                GROUP BY ALL
            ) GROUP BY ALL
        ) AS a USING (cluster_id, outlet_id)
        LEFT JOIN (
            SELECT cluster_id, outlet_id,
                   list({{'id': location_id, 'n': n}} ORDER BY location_id) AS counts
            FROM (
                SELECT cluster_id, outlet_id, location_id, count(*) AS n
                FROM {reports} WHERE location_id IS NOT NULL GROUP BY ALL
            ) GROUP BY ALL
        ) AS p USING (cluster_id, outlet_id)
    """


#: Per cluster, from its parts: what choosing and counting clusters needs.
_COUNT_COLUMNS = f"""
    cluster_id, any_value(event_type) AS event_type,
    CAST(sum(n_reports) AS BIGINT) AS n_reports,
    CAST(sum(n_articles) AS BIGINT) AS n_articles,
    arg_min_null(date_start, {_PART_DATE_ORDER}) {_DATED} AS date_start,
    arg_min_null(date_end, {_PART_DATE_ORDER}) {_DATED} AS date_end"""


def _combine_sql(parts: str, lists: str, *, range_sql: str = "TRUE", evidence: bool) -> str:
    """The end of a query whose CTEs ``parts`` and ``lists`` name the parts (sums and lists)
    of the clusters to return: one row per cluster (see :func:`timeline_clusters`), in time
    order. Without ``evidence``, ``first_event_id`` stands where ``evidence`` goes; with
    it, the parts have their first report's ``evidence`` (:func:`parts_sql`) and the
    cluster's first part gives its own."""
    basis = " ".join(f"WHEN {i} THEN '{b}'" for i, b in enumerate(BASIS_RANK))
    last = "c.evidence" if evidence else "c.first_event_id"
    first_evidence = f"arg_min(evidence, {_PART_FIRST}) AS evidence," if evidence else ""
    return f"""
        combined AS (
            SELECT {_COUNT_COLUMNS},
                   arg_min_null(date_precision, {_PART_DATE_ORDER}) {_DATED} AS date_precision,
                   max(worst_basis_rank) {_DATED} AS worst_basis_rank,
                   count(DISTINCT outlet_id) AS n_outlets,
                   list(DISTINCT outlet ORDER BY outlet) AS outlets,
                   list(DISTINCT outlet_id ORDER BY outlet_id) AS outlet_ids,
                   arg_min(outlet, {_PART_FIRST}) {_PUBLISHED} AS first_outlet,
                   arg_min(outlet_id, {_PART_FIRST}) {_PUBLISHED} AS first_outlet_id,
                   arg_min(first_article_id, {_PART_FIRST}) {_PUBLISHED} AS first_article_id,
                   min(first_published_at) AS first_published_at,
                   max(confidence) AS confidence, {first_evidence}
                   arg_min(first_event_id, {_PART_FIRST}) AS first_event_id
            FROM {parts} GROUP BY cluster_id
        ),
        actors AS (
            SELECT cluster_id, list(actor ORDER BY n DESC, actor) AS actor_ids,
                   list(coalesce(en.name_ar, actor) ORDER BY n DESC, actor) AS actors_ar,
                   list(coalesce(en.name_en, en.name_ar, actor) ORDER BY n DESC, actor)
                       AS actors_en
            FROM (
                SELECT cluster_id, x.id AS actor, sum(x.n) AS n
                FROM (SELECT cluster_id, unnest(actor_counts) AS x FROM {lists})
                GROUP BY ALL
            ) AS counted
            LEFT JOIN entities AS en ON en.entity_id = counted.actor
            GROUP BY cluster_id
        ),
        places AS (
            -- the most frequent place; a tie goes to the smallest id
            SELECT cluster_id, first(location_id ORDER BY n DESC, location_id) AS location_id
            FROM (
                SELECT cluster_id, x.id AS location_id, sum(x.n) AS n
                FROM (SELECT cluster_id, unnest(place_counts) AS x FROM {lists})
                GROUP BY ALL
            ) GROUP BY cluster_id
        )
        SELECT c.cluster_id, c.event_type, c.date_start, c.date_end,
               coalesce(c.date_precision, 'unknown') AS date_precision,
               CASE c.worst_basis_rank {basis} ELSE 'unknown' END AS date_basis,
               c.n_reports, c.n_articles, c.n_outlets, c.outlets, c.outlet_ids,
               c.first_outlet, c.first_outlet_id, c.first_article_id, c.first_published_at,
               coalesce(ac.actor_ids, []::VARCHAR[]) AS actor_ids,
               coalesce(ac.actors_ar, []::VARCHAR[]) AS actors_ar,
               coalesce(ac.actors_en, []::VARCHAR[]) AS actors_en,
               pl.location_id, c.confidence, {last} AS evidence
        FROM combined AS c
        LEFT JOIN actors AS ac USING (cluster_id)
        LEFT JOIN places AS pl USING (cluster_id)
        WHERE {range_sql}
        ORDER BY c.date_start NULLS LAST, c.date_end, c.event_type, c.cluster_id
    """


def combine_parts_sql(parts: str, lists: str, *, range_sql: str = "TRUE") -> str:
    """The end of a ``WITH`` query (after its CTEs) giving every cluster's row (as
    :func:`timeline_clusters`, evidence included, no LIMIT) from its parts: ``parts`` as
    :func:`parts_sql` with ``evidence``, ``lists`` as :func:`part_lists_sql` (one CTE may
    be both, as in ``agg_cluster_reports``, which ``agg_clusters`` is made from); only the
    clusters whose dates meet ``range_sql`` (over ``c.date_start, c.date_end``). The query
    must also name the ``entities``."""
    return _combine_sql(parts, lists, range_sql=range_sql, evidence=True)


#: Columns of ``agg_cluster_reports`` that choosing and counting clusters does not read.
_PART_LISTS_AND_TEXT = ("actor_counts", "place_counts", "evidence")


#: The columns of ``agg_clusters`` that choosing and counting clusters reads.
_AGG_NARROW = "cluster_id, event_type, n_reports, n_articles, date_start, date_end"
#: What choosing and counting clusters needs of a cluster with one part (one outlet), from
#: that part's row of ``agg_cluster_reports`` (``_COUNT_COLUMNS`` without the grouping),
#: with the row's number.
_ONE_PART = """
    cluster_id, event_type, CAST(n_reports AS BIGINT) AS n_reports,
    CAST(n_articles AS BIGINT) AS n_articles, date_start,
    CASE WHEN date_start IS NOT NULL THEN date_end END AS date_end,
    [file_row_number] AS agg_rows"""
#: The columns of ``agg_cluster_reports`` that choosing and counting clusters reads.
_NARROW = ", ".join(n for n in AGG_CLUSTER_REPORTS.names if n not in _PART_LISTS_AND_TEXT)


def _stored_where(
    ds: Dataset, filters: Filters, *, min_confidence: float
) -> tuple[str, list[Any]] | None:
    """The condition on ``agg_cluster_reports`` (the parts the build wrote) that selects
    the parts of these filters (but the event-time range), or None when they need parts
    made from the reports: free text, a confidence floor, or entities without
    ``agg_cluster_entities``.

    The entity filter keeps whole clusters in which a selected report names an entity: a
    cluster has one type, so under an outlet filter that is a report of those outlets
    (``agg_cluster_entities`` has the outlet of each naming report)."""
    if (
        not ds.has_agg("agg_cluster_reports")
        or min_confidence > 0.0
        or filters.q_norm.split()
        or (filters.entities and not ds.has_agg("agg_cluster_entities"))
    ):
        return None
    clauses = ["TRUE"]
    params: list[Any] = []
    outlets = sorted(set(filters.outlets))
    if outlets:
        clauses.append("list_contains(?, outlet_id)")
        params.append(outlets)
    if filters.types:
        clauses.append("list_contains(?, event_type)")
        params.append(sorted(set(filters.types)))
    if filters.entities:
        by_outlet = " AND list_contains(?, outlet_id)" if outlets else ""
        clauses.append(f"cluster_id IN ({_NAMING_CLUSTERS}{by_outlet})")
        params += [sorted(set(filters.entities)), *([outlets] if outlets else [])]
    return " AND ".join(clauses), params


def _cluster_counts(ds: Dataset, filters: Filters, *, min_confidence: float) -> str:
    """A kept table (:meth:`rasd.query.Dataset.kept`) of what choosing and counting the
    clusters the filters (but the event-time range) select needs, per cluster:
    ``event_type, n_reports, n_articles, date_start, date_end``. The page's questions (the
    clusters shown, the undated ones, how many) and a change of the event-time range read
    it instead of counting again."""
    outlets, types = sorted(set(filters.outlets)), sorted(set(filters.types))
    if _agg_clusters_ok(ds, filters, min_confidence):
        # whole clusters: their rows of agg_clusters, narrow columns only
        unranged = filters.with_(date_from=None, date_to=None)
        if filters.entities and ds.has_agg("agg_entity_clusters"):
            # the entities' rows, which repeat those columns (not every cluster scanned)
            where, params = _agg_cluster_where(unranged.with_(entities=()))
            sql = (
                f"SELECT DISTINCT {_AGG_NARROW}, agg_row FROM agg_entity_clusters "
                f"WHERE list_contains(?, entity_id) AND {where}"
            )
            params = [sorted(set(filters.entities)), *params]
        else:
            where, params = _agg_cluster_where(unranged)
            sql = (
                f"SELECT {_AGG_NARROW}, file_row_number AS agg_row "
                f"FROM {ds.file_sql('agg_clusters')} WHERE {where}"
            )
        agg_key = ("counts", "agg", *types, "|", *sorted(set(filters.entities)))
        return ds.kept("counts", agg_key, lambda: (sql, params))
    stored = _stored_where(ds, filters, min_confidence=min_confidence)
    if stored is not None:
        where, params = stored
        # With the row numbers of the parts (agg_rows): the clusters shown are combined
        # from those rows, read by number (no scan of the outlets' ids to find them).
        source = ds.file_sql("agg_cluster_reports")
        if len(outlets) == 1:
            # A cluster has one part per outlet: its counts are that part's (no grouping of
            # the outlet's ~700k parts at 1M: 0.72 -> 0.43 s).
            sql = f"""
                SELECT {_ONE_PART}
                FROM {source} WHERE {where}"""
        else:
            # Only the clusters several outlets reported have several parts to combine (4%
            # of them at 1M): the others' counts are their one part's, as above.
            sql = f"""
                WITH parts AS MATERIALIZED (
                    SELECT {_NARROW}, file_row_number FROM {source} WHERE {where}
                )
                SELECT {_ONE_PART}
                FROM parts WHERE n_outlets = 1
                UNION ALL
                SELECT {_COUNT_COLUMNS}, list(file_row_number) AS agg_rows
                FROM parts WHERE n_outlets > 1 GROUP BY cluster_id"""
        entities = sorted(set(filters.entities))
        stored_key = ("counts", "stored", *outlets, "|", *types, "|", *entities)
        return ds.kept("counts", stored_key, lambda: (sql, params))

    if _per_article_ok(ds, filters, min_confidence):
        several, solo = _per_article_counts(ds, filters)
        return f"(SELECT * FROM {several} UNION ALL {solo})"

    def from_reports() -> tuple[str, list[Any]]:
        reports, params = _reports(ds, filters, min_confidence=min_confidence, naming=True)
        entity_sql, entity_params = _entity_clause(filters)
        sql = f"""
            WITH reports AS ({reports}),
            matched AS (SELECT * FROM reports WHERE {entity_sql})
            SELECT cluster_id, any_value(event_type) AS event_type,
                   count(*) AS n_reports, count(DISTINCT article_id) AS n_articles,
                   arg_min_null(e.date_start, {DATE_ORDER}) {REPORT_DATED} AS date_start,
                   arg_min_null(e.date_end, {DATE_ORDER}) {REPORT_DATED} AS date_end
            FROM matched AS e GROUP BY cluster_id"""
        return sql, [*params, *entity_params]

    key = (
        "counts",
        " ".join(filters.q_norm.split()),
        float(min_confidence),
        *outlets,
        "|",
        *types,
        "|",
        *sorted(set(filters.entities)),
    )
    return ds.kept("counts", key, from_reports)


def _counts_per_article(ds: Dataset, filters: Filters, min_confidence: float) -> bool:
    """Whether :func:`_cluster_counts` sums ``agg_article_clusters`` rows for ``filters``
    (free text, with or without outlets and types)."""
    return (
        not _agg_clusters_ok(ds, filters, min_confidence)
        and _stored_where(ds, filters, min_confidence=min_confidence) is None
        and _per_article_ok(ds, filters, min_confidence)
    )


def _per_article_key(kind: str, filters: Filters) -> tuple[str, ...]:
    """The key of a ``kind`` of table kept for the per-article counts under ``filters``:
    what selects their articles and clusters (free text, outlets, types)."""
    q_words = " ".join(filters.q_norm.split())
    outlets, types = sorted(set(filters.outlets)), sorted(set(filters.types))
    return (kind, "articles", q_words, *outlets, "|", *types)


def _per_article_counts(ds: Dataset, filters: Filters) -> tuple[str, str]:
    """The clusters' counts as sums of the selected articles' rows of
    ``agg_article_clusters`` (:func:`_per_article_ok`), in two parts: a kept table of the
    clusters of several articles (summed; few: ~22k of 8.6M rows at 1M) and the SELECT,
    without parameters, of the rows of the clusters of one article (``solo``), which are
    their own counts (the columns of :func:`_cluster_counts`, ``agg_row`` their row of
    ``agg_clusters``).

    The solo rows are not kept: under free text that half the articles match they are
    ~4M rows, and keeping them took 1.3 s of the Timeline's 1.9 at 1M; a question reads
    them from the file (~0.1 s), and the top of them is the first of their ``agg_row``
    (:func:`_top_per_article`)."""
    outlets, types = sorted(set(filters.outlets)), sorted(set(filters.types))
    q_words = " ".join(filters.q_norm.split())
    chosen = filters.with_(date_from=None, date_to=None, types=(), entities=())
    # the articles' rows: free text alone is its kept selection as it is (no copy of it)
    rows = None if outlets else ds.selected_ids(chosen)
    if rows is None:
        where = ds.where(chosen)
        rows = ds.kept(
            "rows",
            ("rows", q_words, *outlets),
            lambda: (
                f"SELECT file_row_number AS article_row FROM articles WHERE {where.sql}",
                where.params,
            ),
        )
    typed = f"event_type IN {string_list(types)}" if types else "TRUE"
    selected = f"{typed} AND article_row IN (SELECT article_row FROM {rows})"
    several_sql = f"""
        SELECT cluster_id, any_value(event_type) AS event_type,
               CAST(sum(n_reports) AS BIGINT) AS n_reports, count(*) AS n_articles,
               arg_min_null(date_start, date_key) {_DATED} AS date_start,
               arg_min_null(date_end, date_key) {_DATED} AS date_end,
               CAST(NULL AS BIGINT) AS agg_row
        FROM agg_article_clusters WHERE NOT solo AND {selected} GROUP BY cluster_id"""
    several = ds.kept("counts", _per_article_key("counts", filters), lambda: (several_sql, []))
    solo = f"""
        SELECT cluster_id, event_type, n_reports, CAST(1 AS BIGINT) AS n_articles,
               date_start, date_end, agg_row
        FROM agg_article_clusters WHERE solo AND {selected}"""
    return several, solo


def _top_per_article(
    ds: Dataset, filters: Filters, condition: str, params: list[Any], *, top: int, limit: int
) -> pd.DataFrame:
    """``cluster_id, agg_row`` of the clusters :func:`timeline_clusters` shows with ``top``
    on the per-article counts (:func:`_per_article_counts`), among those meeting
    ``condition`` (with ``params``): the ``top`` by coverage (``_TOP``), then the first
    ``limit`` in time.

    Among the clusters of one article coverage order is their order in ``agg_clusters``
    (written in the order of ``_TOP``, and a solo cluster's counts are its row's), so their
    top are the first ``top`` of their ``agg_row`` (integers): those are read by number
    from ``agg_clusters`` and ranked with the summed clusters, never every solo row (and
    none when ``top`` summed clusters have two articles or more)."""
    several, solo = _per_article_counts(ds, filters)
    # a cluster of one article ranks below any the selection counts in two articles: with
    # ``top`` of those, no solo row is read
    covered = ds._scalar(
        f"SELECT count(*) FROM {several} WHERE {condition} AND n_articles >= 2", params
    )
    first = ds._df(
        f"SELECT agg_row FROM ({solo}) WHERE {condition} ORDER BY agg_row LIMIT ?",
        [*params, 0 if int(covered) >= top else int(top)],
    )
    rows, rows_params = ds.rows_sql(
        "agg_clusters",
        f"{_AGG_NARROW}, file_row_number AS agg_row",
        [int(n) for n in first["agg_row"]],
    )
    return ds._df(
        f"""
        SELECT cluster_id, agg_row FROM (
            SELECT * FROM (
                SELECT * FROM {several} WHERE {condition}
                UNION ALL
                SELECT * FROM ({rows})
            ) {_TOP}
        ) {_BY_TIME} LIMIT ?""",
        [*params, *rows_params, int(top), int(limit)],
    )


def _combine_picked(
    ds: Dataset, filters: Filters, picked: list[str], *, min_confidence: float
) -> pd.DataFrame:
    """The rows of the clusters ``picked`` (ids) under the filters (but the event-time
    range), in time order, evidence included.

    An outlet filter alone (with the type filter and the event-time range) combines the
    parts the build wrote: their row numbers are kept with the counts
    (:func:`_cluster_counts`), and only those rows (lists and first sentences) are read,
    not every part of the outlets; so does the entity filter with
    ``agg_cluster_entities``. Free text or a confidence floor make parts
    of the reports of the picked clusters (which all count: a cluster the entity filter
    keeps is kept whole). Whole clusters (:func:`_agg_clusters_ok`) are rows of
    ``agg_clusters``, read by the row numbers their counts keep."""
    if _agg_clusters_ok(ds, filters, min_confidence):
        counts = _cluster_counts(ds, filters, min_confidence=min_confidence)
        found = ds._df(f"SELECT agg_row FROM {counts} WHERE list_contains(?, cluster_id)", [picked])
        return _whole_clusters(ds, found["agg_row"].tolist())
    if _stored_where(ds, filters, min_confidence=min_confidence) is not None:
        counts = _cluster_counts(ds, filters, min_confidence=min_confidence)
        found = ds._df(
            f"SELECT unnest(agg_rows) AS n FROM {counts} WHERE list_contains(?, cluster_id)",
            [picked],
        )
        rows, rows_params = ds.rows_sql(
            "agg_cluster_reports", "* EXCLUDE (file_row_number)", found["n"].tolist()
        )
        sql = f"""
            WITH chosen AS MATERIALIZED ({rows}),
            {combine_parts_sql("chosen", "chosen")}"""
        return ds._df(sql, rows_params)
    if _per_article_ok(ds, filters, min_confidence):
        counts = _cluster_counts(ds, filters, min_confidence=min_confidence)
        found = ds._df(
            f"SELECT cluster_id, agg_row FROM {counts} WHERE list_contains(?, cluster_id)",
            [picked],
        )
        return _combine_per_article(ds, filters, found)
    return _from_reports(ds, filters, picked, min_confidence=min_confidence)


def _combine_per_article(ds: Dataset, filters: Filters, found: pd.DataFrame) -> pd.DataFrame:
    """The rows of the clusters ``found`` (``cluster_id, agg_row``) on the per-article
    counts, in time order: a cluster of one article is whole wherever it is selected (its
    row of agg_clusters, read by number); the others are made from their reports."""
    solo = found["agg_row"].notna()
    whole = _whole_clusters(ds, [int(n) for n in found.loc[solo, "agg_row"]])
    several = [str(c) for c in found.loc[~solo, "cluster_id"]]
    if not several:
        return whole
    made = _from_reports(
        ds, filters, several, min_confidence=0.0, shared=ds.has_agg("agg_shared_events")
    )
    if whole.empty:
        return made
    frame = pd.concat([whole, made.astype(whole.dtypes.to_dict())], ignore_index=True)
    return frame.sort_values(_BY_TIME_COLUMNS, na_position="last", kind="stable").reset_index(
        drop=True
    )


def _whole_clusters(ds: Dataset, agg_rows: list[int]) -> pd.DataFrame:
    """The rows of ``agg_clusters`` numbered ``agg_rows`` (whole clusters), in time order."""
    rows, params = ds.rows_sql("agg_clusters", "* EXCLUDE (file_row_number)", agg_rows)
    return ds._df(f"SELECT * FROM ({rows}) {_BY_TIME}", params)


def _per_article_ok(ds: Dataset, filters: Filters, min_confidence: float) -> bool:
    """Whether the clusters' counts are sums of ``agg_article_clusters`` rows (which hold
    every report): no confidence floor, and no entity filter (it is judged per report)."""
    return (
        ds.has_agg("agg_article_clusters")
        and ds.has_agg("agg_clusters")
        and min_confidence <= 0.0
        and not filters.entities
    )


def _from_reports(
    ds: Dataset, filters: Filters, picked: list[str], *, min_confidence: float, shared: bool = False
) -> pd.DataFrame:
    """The rows of the clusters ``picked`` made from their reports under the filters (with
    ``shared``, clusters of several articles, read from ``agg_shared_events``)."""
    reports, params = _reports(
        ds, filters, min_confidence=min_confidence, within=picked, shared=shared
    )
    sql = f"""
        WITH picked_reports AS MATERIALIZED ({reports}),
        chosen AS ({parts_sql("picked_reports", evidence=True)}),
        lists AS ({part_lists_sql("picked_reports")}),
        {_combine_sql("chosen", "lists", evidence=True)}"""
    return ds._df(sql, params)


def timeline_clusters(
    ds: Dataset,
    filters: Filters,
    *,
    min_confidence: float = 0.0,
    limit: int = 5000,
    top: int | None = None,
    undated_only: bool = False,
    dated_only: bool = False,
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
    ``undated_only``, only the clusters no report dates; with ``dated_only``, only those
    some report dates (what a chart over time can place: its top is taken among them).
    """
    dated = _dated_sql(undated_only=undated_only, dated_only=dated_only)
    if _agg_direct(ds, filters, min_confidence):
        return _clusters_from_agg(ds, filters, limit=limit, top=top, dated=dated)
    range_sql, range_params = _range_clause(filters, "date_start", "date_end")
    if top is not None and _counts_per_article(ds, filters, min_confidence):
        found = _top_per_article(
            ds, filters, f"{range_sql} AND {dated}", list(range_params), top=top, limit=limit
        )
        frame = _combine_per_article(ds, filters, found)
    else:
        frame = _picked_clusters(
            ds, filters, range_sql, range_params, dated, top, limit, min_confidence=min_confidence
        )
    # first_* are meaningful only when some report has a known publication date.
    unknown_first = frame["first_published_at"].isna()
    for column in ("first_outlet", "first_outlet_id", "first_article_id"):
        frame[column] = frame[column].where(~unknown_first, None)
    return frame


def _picked_clusters(
    ds: Dataset,
    filters: Filters,
    range_sql: str,
    range_params: list[Any],
    dated: str,
    top: int | None,
    limit: int,
    *,
    min_confidence: float,
) -> pd.DataFrame:
    """:func:`timeline_clusters` from the kept counts (:func:`_cluster_counts`)."""
    counts = _cluster_counts(ds, filters, min_confidence=min_confidence)
    # The clusters to show are picked from cheap counts first (top by coverage, then the
    # first ``limit`` in time); only those are given their lists and evidence.
    pick = f"SELECT * FROM {counts} WHERE {range_sql} AND {dated}"
    pick_params = list(range_params)
    if top is not None:
        pick = f"SELECT * FROM ({pick} {_TOP})"
        pick_params.append(int(top))
    pick = f"SELECT cluster_id FROM ({pick}) {_BY_TIME} LIMIT ?"
    pick_params.append(int(limit))
    picked = [str(c) for c in ds._df(pick, pick_params)["cluster_id"]]
    return _combine_picked(ds, filters, picked, min_confidence=min_confidence)


def _dated_sql(*, undated_only: bool = False, dated_only: bool = False) -> str:
    """The condition on a cluster row (``date_start``) for ``undated_only`` or
    ``dated_only`` (at most one of them)."""
    if undated_only and dated_only:
        raise ValueError("undated_only and dated_only exclude each other")
    return (
        "date_start IS NULL" if undated_only else "date_start IS NOT NULL" if dated_only else "TRUE"
    )


def _count_matching(ds: Dataset, filters: Filters, condition: str, *, min_confidence: float) -> int:
    """Clusters the filters (but the event-time range) select whose ``counts`` row meets
    ``condition`` (the range, or undated)."""
    range_sql, range_params = _range_clause(filters, "date_start", "date_end")
    where = f"{range_sql} AND {condition}"  # (on a cluster's date_start, date_end only)
    if _counts_per_article(ds, filters, min_confidence):
        # the solo clusters counted per event dates (kept: a few thousand rows), so a new
        # range or the undated count reads no solo row
        several, solo = _per_article_counts(ds, filters)
        by_dates = ds.kept(
            "solos",
            _per_article_key("solos", filters),
            lambda: (f"SELECT date_start, date_end, count(*) AS n FROM ({solo}) GROUP BY ALL", []),
        )
        sql = f"""
            SELECT (SELECT count(*) FROM {several} WHERE {where})
                 + (SELECT coalesce(sum(n), 0) FROM {by_dates} WHERE {where})"""
        return int(ds._scalar(sql, [*range_params, *range_params]))
    counts = _cluster_counts(ds, filters, min_confidence=min_confidence)
    sql = f"SELECT count(*) FROM {counts} WHERE {where}"
    return int(ds._scalar(sql, range_params))


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


def _agg_direct(ds: Dataset, filters: Filters, min_confidence: float) -> bool:
    """Whether questions read ``agg_clusters`` itself: no type or entity filter (with one,
    the selected clusters' counts are kept first, :func:`_cluster_counts`: an entity can
    be named in millions of clusters, and a page asks four questions of them)."""
    return _agg_clusters_ok(ds, filters, min_confidence) and not (filters.types or filters.entities)


def count_clusters(
    ds: Dataset, filters: Filters, *, min_confidence: float = 0.0, dated_only: bool = False
) -> int:
    """How many clusters :func:`timeline_clusters` would return without a limit (with
    ``dated_only``, as it would with ``dated_only``)."""
    dated = _dated_sql(dated_only=dated_only)
    if _agg_direct(ds, filters, min_confidence):
        where, params = _agg_cluster_where(filters)
        sql = f"SELECT count(*) FROM agg_clusters WHERE {where} AND {dated}"
        return int(ds._scalar(sql, params))
    return _count_matching(ds, filters, dated, min_confidence=min_confidence)


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
    dated: str = "TRUE",
) -> pd.DataFrame:
    where, params = _agg_cluster_where(filters)
    if top is None:
        sql = f"SELECT * FROM agg_clusters WHERE {where} AND {dated}"
    else:
        # The top are found on narrow columns, then only their rows are read: a range of
        # old years matches few of the most covered clusters (the file's first rows), and
        # reading every column until enough match took 2.9 s at 1M (now 1.35 s). The file
        # is written in the order of the top (``rasd.aggregates._CLUSTER_ORDER``), so they
        # are the first rows that match: ranked by row number, not by the counts and ids
        # (1M, a range of one old year: 73 -> 17 ms; of one week 164 -> 13 ms).
        found = ds._df(
            f"SELECT file_row_number AS n FROM {ds.file_sql('agg_clusters')} "
            f"WHERE {where} AND {dated} ORDER BY file_row_number LIMIT ?",
            [*params, int(top)],
        )
        rows, params = ds.rows_sql(
            "agg_clusters", "* EXCLUDE (file_row_number)", [int(n) for n in found["n"]]
        )
        sql = f"SELECT * FROM ({rows})"
    frame = ds._df(f"{sql} {_BY_TIME} LIMIT ?", [*params, int(limit)])
    unknown_first = frame["first_published_at"].isna()
    for column in ("first_outlet", "first_outlet_id", "first_article_id"):
        frame[column] = frame[column].where(~unknown_first, None)
    return frame


def undated_clusters(ds: Dataset, filters: Filters, *, min_confidence: float = 0.0) -> int:
    """Clusters the filters select that no report dates (they cannot be placed in time)."""
    unranged = filters.with_(date_from=None, date_to=None) if filters.has_date_range else filters
    undated = _dated_sql(undated_only=True)
    if _agg_direct(ds, unranged, min_confidence):
        where, params = _agg_cluster_where(unranged)
        sql = f"SELECT count(*) FROM agg_clusters WHERE {undated} AND {where}"
        return int(ds._scalar(sql, params))
    return _count_matching(ds, unranged, undated, min_confidence=min_confidence)


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
