"""Read side of the Entities page: who is mentioned, with whom, when and where.

Every function takes a :class:`rasd.query.Dataset` and the global
:class:`rasd.filters.Filters` and answers in DuckDB over the ``articles``, ``entities`` and
``mentions`` views, returning a new DataFrame. Copies of an article (``duplicate_of``) are
left out by default, so a wire story reprinted ten times does not count ten times.

Co-occurrence is counted in windows: a **sentence** (``article_id, sentence_idx``) or an
**article**. Over the N windows that mention at least one entity (of the filtered
articles), with n_x windows mentioning x and n_xy mentioning both:

* ``count`` — n_xy;
* ``pmi`` — log(n_xy · N / (n_x · n_y)), natural log;
* ``npmi`` — pmi / −log(n_xy / N), in [−1, 1] (1 when n_xy = N);
* ``llr`` — Dunning's log-likelihood ratio G² over the 2×2 table, signed: negative when the
  pair co-occurs less often than chance (n_xy < n_x · n_y / N).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from rasd.entities import place_info
from rasd.filters import Filters
from rasd.query import Dataset, Where
from rasd.sentences import split_sentences

WINDOWS = ("sentence", "article")
MEASURES = ("count", "pmi", "npmi", "llr")
PERIODS = ("day", "week", "month", "year")
PLACE_TYPES = ("GPE", "LOC", "FAC")

_EDGE_COLUMNS = [
    "source",
    "target",
    "n_xy",
    "n_source",
    "n_target",
    "n_windows",
    "count",
    "pmi",
    "npmi",
    "llr",
    "weight",
]
# Publication precision fine enough for a bucket of each period (as rasd.query does).
_PRECISE = {
    "day": ("minute", "day"),
    "week": ("minute", "day"),
    "month": ("minute", "day", "month"),
    "year": ("minute", "day", "month", "year"),
}


def _check(window: str, measure: str) -> None:
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {WINDOWS}, not {window!r}")
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")


def _where(ds: Dataset, filters: Filters, include_duplicates: bool) -> Where:
    return ds.where(filters, include_duplicates=include_duplicates)


def top_entities(
    ds: Dataset,
    filters: Filters,
    *,
    types: Sequence[str] = (),
    limit: int = 50,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Entities in the filtered articles, most widely covered first.

    Columns: ``entity_id, name_ar, name_en, type, wikidata_id, n_mentions, n_articles``.
    """
    type_clause = "AND list_contains(?, e.type)" if types else ""
    rows = entity_rows(ds, filters, include_duplicates=include_duplicates)
    if rows is not None:
        rows_sql, rows_params = rows
        return ds._df(
            f"""
            SELECT e.entity_id, e.name_ar, e.name_en, e.type, e.wikidata_id,
                   CAST(sum(g.n_mentions) AS BIGINT) AS n_mentions,
                   CAST(sum(g.n_articles) AS BIGINT) AS n_articles
            FROM ({rows_sql}) AS g
            JOIN entities AS e ON e.entity_id = g.entity_id
            WHERE TRUE {type_clause}
            GROUP BY ALL
            ORDER BY n_articles DESC, n_mentions DESC, e.entity_id
            LIMIT ?
            """,
            [*rows_params, *([list(types)] if types else []), int(limit)],
        )
    counts = _entity_counts(ds, _where(ds, filters, include_duplicates))
    return ds._df(
        f"""
        SELECT e.entity_id, e.name_ar, e.name_en, e.type, e.wikidata_id,
               c.n_mentions, c.n_articles
        FROM {counts} AS c JOIN entities AS e ON e.entity_id = c.entity_id
        WHERE TRUE {type_clause}
        ORDER BY n_articles DESC, n_mentions DESC, e.entity_id
        LIMIT ?
        """,
        [*([list(types)] if types else []), int(limit)],
    )


def entity_rows(
    ds: Dataset, filters: Filters, *, include_duplicates: bool
) -> tuple[str, list[Any]] | None:
    """The SELECT (and parameters) of the build's rows of ``entity_id, outlet_id, day,
    published_precision, is_duplicate, n_articles, n_mentions`` over the articles the
    filters select: ``agg_entities`` under outlet and date filters, the type's rows of
    ``agg_type_entities`` under one event type (with outlet and date filters); None when
    the filters or a missing table need the mentions."""
    agg = ds.agg_where(filters, include_duplicates=include_duplicates, table="agg_entities")
    if agg is not None:
        return f"SELECT * FROM agg_entities WHERE {agg.sql}", list(agg.params)
    kinds = set(filters.types)
    if len(kinds) != 1 or filters.entities or filters.q_norm.split():
        return None
    keys = ds.agg_where(
        filters.with_(types=()), include_duplicates=include_duplicates, table="agg_type_entities"
    )
    if keys is None:
        return None
    return (
        f"SELECT * FROM agg_type_entities WHERE event_type = ? AND {keys.sql}",
        [*kinds, *keys.params],
    )


def _entity_counts(ds: Dataset, where: Where) -> str:
    """A kept table of the mentions and articles of each entity in the articles ``where``
    selects (``entity_id, n_mentions, n_articles``, and ``n_sentences`` from
    ``agg_article_entities``): the entity list, the places on the map, the next question
    under the same filters and, with that table, co-occurrence's margins read it instead of
    the mentions."""
    # An article's entities once each, with their mentions (agg_article_entities), need no
    # DISTINCT over the mentions (1M, under one type: 1.5 -> 0.4 s).
    source = "mentions"
    counts = "count(*) AS n_mentions, count(DISTINCT article_id) AS n_articles"
    if ds.has_agg("agg_article_entities"):
        source = "agg_article_entities"
        counts = (
            "CAST(sum(n_mentions) AS BIGINT) AS n_mentions, count(*) AS n_articles, "
            "CAST(sum(n_sentences) AS BIGINT) AS n_sentences"
        )
    articles = _articles_of(ds, where)
    key = "article_row" if source == "agg_article_entities" else "article_id"
    # joined with the kept articles (each once): at 1M under one type 210 -> 150 ms, where
    # a semi-join tested each of 10M rows
    sql = f"""
        SELECT entity_id, {counts}
        FROM {source} JOIN (SELECT {key} FROM {articles}) USING ({key})
        GROUP BY entity_id"""
    return ds.kept("entitycounts", ("entity_counts", *_where_key(where)), lambda: (sql, []))


def _articles_of(ds: Dataset, where: Where) -> str:
    """A kept table of the articles ``where`` selects (``article_row``: the row in
    articles.parquet, which the per-article aggregates are joined by; and ``article_id``
    only without them, for the mentions): the questions of a page under the same filters
    join it instead of scanning the articles. (At 1M under one type, 785k articles, the
    ids took 176 -> 86 ms of making it.)"""
    ids = "" if ds.has_agg("agg_article_entities") else "article_id, "
    sql = f"SELECT {ids}file_row_number AS article_row FROM articles WHERE {where.sql}"
    params = list(where.params)
    return ds.kept("articles", ("articles", *_where_key(where)), lambda: (sql, params))


def _where_key(where: Where) -> tuple[Any, ...]:
    """``where`` (its SQL and parameters, lists as tuples) as part of a kept table's key."""
    return (where.sql, *(tuple(v) if isinstance(v, list) else v for v in where.params))


def _windows(ds: Dataset, where: Where, window: str) -> str:
    """A kept table (:meth:`rasd.query.Dataset.kept`) of one row per entity per window of
    the articles ``where`` selects: ``w, entity_id``.

    ``w`` numbers the window: the article's row in its file in the high 32 bits, and
    ``sentence_idx + 1`` in the low ones (0: the whole article); ``sentence_idx`` is a
    non-negative INT32 and the rows are fewer than 2^31, so two windows never share a
    number. Pairs are then found by joining one BIGINT instead of an id and an index
    (measured at 1M under an event type, 10M windows: 3.8 → 2.3 s).

    A page asks several questions of the same windows (the network, the focus entity's
    pairs, its strongest partners); at a million articles under an entity or type filter
    finding them is a large part of each question's time (millions of mentions), so they
    are found once."""
    s_expr = "m.sentence_idx + 1" if window == "sentence" else "0"
    sql = f"""
        SELECT DISTINCT (a.file_row_number << 32) + {s_expr} AS w, m.entity_id
        FROM mentions AS m
        JOIN (
            SELECT article_id, file_row_number FROM {ds.file_sql("articles")} WHERE {where.sql}
        ) AS a USING (article_id)"""
    params = list(where.params)
    return ds.kept("windows", ("windows", window, *_where_key(where)), lambda: (sql, params))


_MEASURES_SQL = """
    SELECT p.source, p.target, p.n_xy, a.n_x AS n_source, b.n_x AS n_target, t.n AS n_windows,
           p.n_xy AS count,
           ln(p.n_xy * t.n / (a.n_x * b.n_x)) AS pmi,
           CASE WHEN p.n_xy = t.n THEN 1.0
                ELSE ln(p.n_xy * t.n / (a.n_x * b.n_x)) / -ln(p.n_xy / t.n) END AS npmi,
           sign(p.n_xy - a.n_x * b.n_x / t.n) * 2 * (
               p.n_xy * ln(p.n_xy * t.n / (a.n_x * b.n_x))
             + CASE WHEN a.n_x - p.n_xy > 0 THEN (a.n_x - p.n_xy)
                    * ln((a.n_x - p.n_xy) * t.n / (a.n_x * (t.n - b.n_x))) ELSE 0 END
             + CASE WHEN b.n_x - p.n_xy > 0 THEN (b.n_x - p.n_xy)
                    * ln((b.n_x - p.n_xy) * t.n / ((t.n - a.n_x) * b.n_x)) ELSE 0 END
             + CASE WHEN t.n - a.n_x - b.n_x + p.n_xy > 0 THEN (t.n - a.n_x - b.n_x + p.n_xy)
                    * ln((t.n - a.n_x - b.n_x + p.n_xy) * t.n / ((t.n - a.n_x) * (t.n - b.n_x)))
                    ELSE 0 END
           ) AS llr
    FROM pairs AS p
    JOIN marg AS a ON a.entity_id = p.source
    JOIN marg AS b ON b.entity_id = p.target
    CROSS JOIN totals AS t
"""


def cooccurrence(
    ds: Dataset,
    filters: Filters,
    *,
    window: str = "sentence",
    measure: str = "count",
    min_count: int = 1,
    min_weight: float | None = None,
    entity_ids: Sequence[str] | None = None,
    max_nodes: int = 60,
    max_edges: int = 400,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Pairs of entities mentioned in the same window, strongest first.

    Args:
        window: ``sentence`` or ``article``.
        measure: which column becomes ``weight``: ``count``, ``pmi``, ``npmi`` or ``llr``.
        min_count: drop pairs seen together in fewer windows.
        min_weight: drop pairs whose ``weight`` is lower.
        entity_ids: restrict to pairs among these entities; by default the ``max_nodes``
            entities in most windows.
        max_edges: keep at most this many pairs.

    Returns:
        ``source, target`` (source < target), ``n_xy, n_source, n_target, n_windows``,
        ``count, pmi, npmi, llr`` and ``weight``.
    """
    ask = _Ask(window, measure, min_count, min_weight, entity_ids, max_nodes, max_edges, None)
    return _pairs(ds, filters, ask, include_duplicates=include_duplicates)


@dataclass(frozen=True)
class _Ask:
    """What a co-occurrence question asks (see :func:`cooccurrence`); ``focus``: only the
    pairs that include this entity, over every entity."""

    window: str
    measure: str
    min_count: int
    min_weight: float | None
    entity_ids: Sequence[str] | None
    max_nodes: int
    max_edges: int
    focus: str | None


def _pairs(ds: Dataset, filters: Filters, ask: _Ask, *, include_duplicates: bool) -> pd.DataFrame:
    """The pairs ``ask`` asks for under ``filters``, from the first source that can answer:
    the build's per-filter-key aggregates (outlet and date filters), its per-article ones
    (free-text, entity or type selections), or the mentions themselves. Each source defines
    ``totals(n)``, ``marg(entity_id, n_x)``, ``keep(entity_id)`` and ``pairs(source,
    target, n_xy)``; the measures are computed from those the same way for all three."""
    _check(ask.window, ask.measure)
    found = _pairs_from_agg(ds, filters, ask, include_duplicates)
    if found is None:
        where = _where(ds, filters, include_duplicates)
        found = _pairs_per_article(ds, where, ask)
        if found is None:
            found = _pairs_from_windows(ds, where, ask)
    ctes, params = found
    weight_clause = ""
    if ask.min_weight is not None:
        weight_clause = f"WHERE {ask.measure} >= ?"
        params = [*params, float(ask.min_weight)]
    frame = ds._df(
        f"""
        WITH {ctes},
        measured AS ({_MEASURES_SQL})
        SELECT *, {ask.measure} AS weight FROM measured {weight_clause}
        ORDER BY weight DESC, n_xy DESC, source, target
        LIMIT ?
        """,
        [*params, int(ask.max_edges)],
    )
    return frame[_EDGE_COLUMNS] if not frame.empty else pd.DataFrame(columns=_EDGE_COLUMNS)


def _keep(ask: _Ask) -> tuple[str, list[Any]]:
    """``keep``: the entities whose pairs are asked for (every one when there is a focus)."""
    if ask.focus is not None:
        return "SELECT entity_id FROM marg", []
    if ask.entity_ids is not None:
        return "SELECT UNNEST(?::VARCHAR[]) AS entity_id", [list(ask.entity_ids)]
    return "SELECT entity_id FROM marg ORDER BY n_x DESC, entity_id LIMIT ?", [int(ask.max_nodes)]


def _among(ask: _Ask, a: str, b: str) -> tuple[str, list[Any]]:
    """The condition (``AND …``) that a pair of columns ``a < b`` is one ``ask`` wants."""
    if ask.focus is not None:
        return f"AND ({a} = ? OR {b} = ?)", [ask.focus, ask.focus]
    return (
        f"AND {a} IN (SELECT entity_id FROM keep) AND {b} IN (SELECT entity_id FROM keep)",
        [],
    )


Ctes = tuple[str, list[Any]]


def _pairs_from_agg(
    ds: Dataset, filters: Filters, ask: _Ask, include_duplicates: bool
) -> Ctes | None:
    """The pairs from the build's aggregates by filter keys (``agg_entities``,
    ``agg_windows`` and ``agg_cooccurrence``, or its all-days sum without a date range);
    None when the filters need the articles (a free-text, entity or type selection)."""
    tables = ("agg_entities", "agg_windows", "agg_cooccurrence", "agg_cooccurrence_total")
    if not all(ds.has_agg(t) for t in tables):
        return None
    where = ds.agg_where(filters, include_duplicates=include_duplicates)
    if where is None:
        return None
    n_col = "n_sentences" if ask.window == "sentence" else "n_articles"
    keep_sql, keep_params = _keep(ask)
    pairs_sql, pairs_params = _agg_pair_sums(ds, filters, where, ask.window, include_duplicates)
    ctes = f"""
        totals AS (
            SELECT CAST(coalesce(sum(n_windows), 0) AS BIGINT) AS n FROM agg_windows
            WHERE "window" = ? AND {where.sql}
        ),
        marg AS (
            SELECT entity_id, CAST(sum({n_col}) AS BIGINT) AS n_x FROM agg_entities
            WHERE {where.sql} GROUP BY entity_id
        ),
        keep AS ({keep_sql}),"""
    if ask.focus is not None:
        # the focus's pairs only: few rows to sum
        among, among_params = _among(ask, "entity_a", "entity_b")
        ctes += f"""
        pairs AS (
            SELECT entity_a AS source, entity_b AS target, CAST(sum(n_xy) AS BIGINT) AS n_xy
            FROM ({pairs_sql}) WHERE TRUE {among}
            GROUP BY ALL HAVING sum(n_xy) >= ? AND sum(n_xy) > 0
        )"""
        tail = [*pairs_params, *among_params, int(ask.min_count)]
    else:
        # Summed first (a thousand pairs), then those among the entities kept: testing
        # each row by day for both of its entities cost more than summing them all (1M, a
        # year: 850k rows, 110 of 230 ms)
        ctes += f"""
        summed AS MATERIALIZED (
            SELECT entity_a AS source, entity_b AS target, CAST(sum(n_xy) AS BIGINT) AS n_xy
            FROM ({pairs_sql}) GROUP BY ALL HAVING sum(n_xy) >= ? AND sum(n_xy) > 0
        ),
        pairs AS (SELECT * FROM summed WHERE TRUE {_among(ask, "source", "target")[0]})"""
        tail = [*pairs_params, int(ask.min_count)]
    return ctes, [ask.window, *where.params, *where.params, *keep_params, *tail]


def _agg_pair_sums(
    ds: Dataset, filters: Filters, where: Where, window: str, include_duplicates: bool
) -> tuple[str, list[Any]]:
    """Rows ``entity_a, entity_b, n_xy`` of the build's pair tables whose sum per pair is
    the pairs of ``window`` in the articles ``where`` (outlet and date filters) selects.

    Without a date range, the all-days table (``agg_cooccurrence_total``, no day or
    precision in its keys); a range that keeps every dated article is its dated rows (1M,
    27M rows by day against 0.1M: a range of every year 0.86 -> 0.03 s). A range that
    keeps more of the dated articles than it leaves out is those dated rows less the rows
    by day it leaves out (:meth:`rasd.query.Dataset.agg_left_out`), the fewer. Else the
    range's rows by day (``agg_cooccurrence``)."""
    if not filters.has_date_range:
        return (
            "SELECT entity_a, entity_b, n_xy FROM agg_cooccurrence_total "
            f'WHERE "window" = ? AND {where.sql}',
            [window, *where.params],
        )
    plain = ds.agg_where(
        filters.with_(date_from=None, date_to=None), include_duplicates=include_duplicates
    )
    assert plain is not None  # (the same filters but the dates)
    dated = (
        "SELECT entity_a, entity_b, n_xy FROM agg_cooccurrence_total "
        f'WHERE "window" = ? AND {plain.sql} AND dated'
    )
    first, last = ds.date_bounds()  # (read once for both tests)
    if _spans_every_day(filters, first, last):
        return dated, [window, *plain.params]
    left_out = ds.agg_left_out(filters, include_duplicates=include_duplicates)
    if left_out is not None and _keeps_most(ds, filters, include_duplicates, first, last):
        sql, params = dated, [window, *plain.params]
        for part in left_out:
            sql += (
                " UNION ALL SELECT entity_a, entity_b, -n_xy FROM agg_cooccurrence "
                f'WHERE "window" = ? AND {part.sql}'
            )
            params += [window, *part.params]
        return sql, params
    return (
        f'SELECT entity_a, entity_b, n_xy FROM agg_cooccurrence WHERE "window" = ? AND {where.sql}',
        [window, *where.params],
    )


def _keeps_most(
    ds: Dataset, filters: Filters, include_duplicates: bool, first: date | None, last: date | None
) -> bool:
    """Whether the date range of ``filters`` keeps more of the dated articles (under its
    other filters) than it leaves out; ``first`` and ``last`` are the dataset's first and
    last publication days."""
    if first is None or last is None:
        return False
    kept = ds.count_articles(filters, include_duplicates=include_duplicates)
    dated = ds.count_articles(
        filters.with_(date_from=first, date_to=last), include_duplicates=include_duplicates
    )
    return kept > dated - kept


def _spans_every_day(filters: Filters, first: date | None, last: date | None) -> bool:
    """Whether the date range of ``filters`` keeps every dated article: it starts on or
    before the dataset's first publication day ``first`` and ends on or after its last
    ``last`` (an article's period ends on or after its day, so none is cut off)."""
    if first is None or last is None:
        return False
    starts = filters.date_from is None or filters.date_from <= first
    ends = filters.date_to is None or filters.date_to >= last
    return starts and ends


def _pairs_per_article(ds: Dataset, where: Where, ask: _Ask) -> Ctes | None:
    """The pairs under a selection (free text, entities, event types: what the filter-key
    aggregates cannot answer) from the build's per-article tables: the selected articles'
    entity counts (``agg_article_entities``), sentence windows (``agg_article_windows``)
    and sentence pairs (``agg_article_pairs``) summed, instead of finding the selection's
    windows in the mentions (at 1M under one event type, millions of windows). An
    article's pairs (the article window) join its entities, one row each."""
    tables = ("agg_article_entities", "agg_article_windows", "agg_article_pairs")
    if not all(ds.has_agg(t) for t in tables):
        return None
    # the kept articles (each row once) are joined, not tested by a semi-join of each of
    # millions of rows (1M under one type: window totals 74 -> 40 ms)
    articles = _articles_of(ds, where)
    counts = _entity_counts(ds, where)
    totals_sql = f"""
        SELECT CAST(coalesce(sum(n_sentences), 0) AS BIGINT) AS n_sentence,
               count(*) AS n_article
        FROM agg_article_windows JOIN {articles} USING (article_row)"""
    totals = ds.kept(
        "windowtotals", ("window_totals", *_where_key(where)), lambda: (totals_sql, [])
    )
    n_col = "n_sentences" if ask.window == "sentence" else "n_articles"
    keep_sql, keep_params = _keep(ask)
    if ask.window == "sentence":
        # Every pair of the selection, kept: the page's questions (the network, a focus
        # entity's pairs and its partners) filter it. Summed before any filter on the
        # entities: with one, DuckDB takes the filtered pairs for the smaller side of the
        # join with the articles and hashes millions of them (1M, one type: 1.0 vs 0.3 s).
        sums_sql = f"""
            SELECT entity_a AS source, entity_b AS target,
                   CAST(sum(n_sentences) AS BIGINT) AS n_xy
            FROM agg_article_pairs JOIN (SELECT article_row FROM {articles}) USING (article_row)
            GROUP BY ALL"""
        sums = ds.kept("pairs", ("sentence_pairs", *_where_key(where)), lambda: (sums_sql, []))
        among, among_params = _among(ask, "source", "target")
        pairs = f"SELECT * FROM {sums} WHERE n_xy >= ? {among}"
        pair_params = [int(ask.min_count), *among_params]
    elif ask.focus is not None:
        # The focus's pairs: the articles that name it counted per other entity they name
        # (no pair of every two entities of those articles made and then filtered: 1M,
        # under one type, 0.93 -> ~0.1 s)
        pairs = f"""
            WITH named AS MATERIALIZED (
                SELECT article_row FROM agg_article_entities JOIN {articles} USING (article_row)
                WHERE entity_id = ?
            )
            SELECT least(?, e.entity_id) AS source, greatest(?, e.entity_id) AS target,
                   count(*) AS n_xy
            FROM agg_article_entities AS e JOIN named USING (article_row)
            WHERE e.entity_id <> ? AND e.entity_id IN (SELECT entity_id FROM keep)
            GROUP BY ALL HAVING count(*) >= ?"""
        pair_params = [ask.focus] * 4 + [int(ask.min_count)]
    else:
        # Every two kept entities of each article, by small integers (their rank by id, so
        # the order of a pair is the ids' order): grouping integer pairs instead of two
        # strings (1M, under one type, 60 entities: 2.3 -> 1.2 s)
        pairs = f"""
            WITH idx AS (
                SELECT entity_id, CAST(row_number() OVER (ORDER BY entity_id) AS INTEGER) AS i
                FROM keep
            ),
            ae AS (
                SELECT e.article_row, x.i
                FROM agg_article_entities AS e JOIN idx AS x USING (entity_id)
                JOIN {articles} USING (article_row)
            ),
            counted AS (
                SELECT a.i AS ia, b.i AS ib, count(*) AS n_xy
                FROM ae AS a JOIN ae AS b ON a.article_row = b.article_row AND a.i < b.i
                GROUP BY ALL HAVING count(*) >= ?
            )
            SELECT xa.entity_id AS source, xb.entity_id AS target, c.n_xy
            FROM counted AS c JOIN idx AS xa ON xa.i = c.ia JOIN idx AS xb ON xb.i = c.ib"""
        pair_params = [int(ask.min_count)]
    ctes = f"""
        totals AS (SELECT n_{ask.window} AS n FROM {totals}),
        marg AS (SELECT entity_id, {n_col} AS n_x FROM {counts}),
        keep AS ({keep_sql}),
        pairs AS ({pairs})"""
    return ctes, [*keep_params, *pair_params]


def _pairs_from_windows(ds: Dataset, where: Where, ask: _Ask) -> Ctes:
    """The pairs from the mentions of the articles ``where`` selects (:func:`_windows`):
    what answers when the dataset has no aggregates."""
    windows = _windows(ds, where, ask.window)
    key = ("margins", ask.window, *_where_key(where))
    margins_sql = f"""
        SELECT m.entity_id, m.n_x, t.n
        FROM (SELECT entity_id, count(*) AS n_x FROM {windows} GROUP BY entity_id) AS m
        RIGHT JOIN (SELECT count(DISTINCT w) AS n FROM {windows}) AS t ON TRUE"""
    # The number of windows and each entity's are kept with the windows: every question of
    # a page measures its pairs by them.
    margins = ds.kept("margins", key, lambda: (margins_sql, []))
    keep_sql, keep_params = _keep(ask)
    params: list[Any] = [*keep_params]
    if ask.focus is not None:
        # Only windows that mention the focus, and only pairs that include it.
        kw_sql = (
            "SELECT win.* FROM win JOIN "
            "(SELECT DISTINCT w FROM win WHERE entity_id = ?) AS f USING (w)"
        )
        params.append(ask.focus)
        among, among_params = _among(ask, "a.entity_id", "b.entity_id")
    else:
        kw_sql = "SELECT win.* FROM win JOIN keep USING (entity_id)"
        among, among_params = "", []
    ctes = f"""
        win AS (SELECT * FROM {windows}),
        totals AS (SELECT any_value(n) AS n FROM {margins}),
        marg AS (SELECT entity_id, n_x FROM {margins} WHERE entity_id IS NOT NULL),
        keep AS ({keep_sql}),
        kw AS ({kw_sql}),
        pairs AS (
            SELECT a.entity_id AS source, b.entity_id AS target, count(*) AS n_xy
            FROM kw AS a JOIN kw AS b
              ON a.w = b.w AND a.entity_id < b.entity_id
            WHERE TRUE {among}
            GROUP BY ALL HAVING count(*) >= ?
        )"""
    return ctes, [*params, *among_params, int(ask.min_count)]


def ego_network(
    ds: Dataset,
    filters: Filters,
    entity_id: str,
    *,
    window: str = "sentence",
    measure: str = "count",
    min_count: int = 1,
    min_weight: float | None = None,
    neighbours: int = 20,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The focus entity's strongest ``neighbours`` and the pairs among them (same columns
    as :func:`cooccurrence`; every measure is computed over the same windows)."""
    ask = _Ask(window, measure, min_count, min_weight, None, 0, int(neighbours), entity_id)
    touching = _pairs(ds, filters, ask, include_duplicates=include_duplicates)
    if touching.empty:
        return touching
    members = sorted({entity_id, *touching["source"], *touching["target"]})
    among = cooccurrence(
        ds,
        filters,
        window=window,
        measure=measure,
        min_count=min_count,
        min_weight=min_weight,
        entity_ids=members,
        max_edges=len(members) ** 2,
        include_duplicates=include_duplicates,
    )
    return among.reset_index(drop=True)


def at_least(edges: pd.DataFrame, min_weight: float, focus: str | None = None) -> pd.DataFrame:
    """What :func:`cooccurrence` (``focus`` None) or :func:`ego_network` (around ``focus``)
    returns with ``min_weight``, from what it returned without (same other arguments).

    Both keep the strongest pairs first, and a floor on the weight drops a tail of that
    order: the strongest pairs above it are those above it among the strongest. Around a
    focus, its neighbours are those whose pair with it stays, and the pairs kept are those
    among them that stay; none stays when no neighbour does."""
    kept = edges[edges["weight"] >= min_weight]
    if focus is not None:
        touching = kept[(kept["source"] == focus) | (kept["target"] == focus)]
        if touching.empty:
            return touching.reset_index(drop=True)
        members = {focus, *touching["source"], *touching["target"]}
        kept = kept[kept["source"].isin(members) & kept["target"].isin(members)]
    return kept.reset_index(drop=True)


def top_cooccurring(
    ds: Dataset,
    filters: Filters,
    entity_id: str,
    *,
    window: str = "sentence",
    measure: str = "count",
    limit: int = 15,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Entities seen with ``entity_id``, strongest first.

    Columns: ``entity_id, name_ar, name_en, type, n_xy, count, pmi, npmi, llr, weight``.
    """
    # The pairs that include the entity, as ego_network finds them (without the pairs
    # among its neighbours, which are not listed here).
    ask = _Ask(window, measure, 1, None, None, 0, int(limit), entity_id)
    edges = _pairs(ds, filters, ask, include_duplicates=include_duplicates)
    edges = edges.copy()
    edges["entity_id"] = edges["target"].where(edges["source"] == entity_id, edges["source"])
    columns = ["entity_id", "n_xy", "count", "pmi", "npmi", "llr", "weight"]
    names = entity_names(ds, list(edges["entity_id"]))
    out = edges[columns].merge(names, on="entity_id", how="left")
    ordered = ["entity_id", "name_ar", "name_en", "type", *columns[1:]]
    return out[ordered].reset_index(drop=True)


def entity_names(ds: Dataset, entity_ids: Sequence[str]) -> pd.DataFrame:
    """``entity_id, name_ar, name_en, type, wikidata_id`` for the given ids."""
    return ds._df(
        "SELECT entity_id, name_ar, name_en, type, wikidata_id FROM entities "
        "WHERE list_contains(?, entity_id) ORDER BY entity_id",
        [list(entity_ids)],
    )


def entity_info(ds: Dataset, entity_id: str) -> dict[str, Any] | None:
    """One entity's row of ``entities.parquet`` (whole dataset), or None."""
    frame = ds._df("SELECT * FROM entities WHERE entity_id = ?", [entity_id])
    if frame.empty:
        return None
    row = frame.iloc[0].to_dict()
    aliases = row.get("aliases")
    row["aliases"] = [] if aliases is None else [str(a) for a in list(aliases)]
    return {str(k): (None if _missing(v) else v) for k, v in row.items()}


def entity_timeline(
    ds: Dataset,
    filters: Filters,
    entity_id: str,
    *,
    period: str = "month",
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Mentions of ``entity_id`` by publication period, plus what cannot be placed.

    Columns: ``status`` (``dated``, ``imprecise`` — published date coarser than ``period``
    — or ``undated``), ``period_start`` (null unless dated), ``n_mentions``, ``n_articles``.
    Dated rows come first in time order; the other two rows are always present, so a
    chart can say how much it leaves out.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    precise = list(_PRECISE[period])
    # (over rows with ``day`` and ``published_precision``)
    labels = f"""
        CASE WHEN day IS NULL THEN 'undated'
             WHEN list_contains(?, published_precision) THEN 'dated'
             ELSE 'imprecise' END AS status,
        CASE WHEN day IS NOT NULL AND list_contains(?, published_precision)
             THEN CAST(date_trunc('{period}', day) AS DATE) END AS period_start"""
    rows = entity_rows(ds, filters, include_duplicates=include_duplicates)
    if rows is not None:
        rows_sql, rows_params = rows
        frame = ds._df(
            f"""
            WITH labelled AS (
                SELECT {labels}, n_mentions, n_articles
                FROM ({rows_sql}) WHERE entity_id = ?
            )
            SELECT status, period_start, CAST(sum(n_mentions) AS BIGINT) AS n_mentions,
                   CAST(sum(n_articles) AS BIGINT) AS n_articles
            FROM labelled GROUP BY ALL
            """,
            [precise, precise, *rows_params, entity_id],
        )
        return _timeline_frame(frame)
    where = _where(ds, filters, include_duplicates)
    if ds.has_agg("agg_entity_sentences"):
        # The entity's sentences (its rows, sorted together, with their articles' days)
        # of the selected articles, instead of every mention joined with the articles
        # (1M, the most mentioned entity: 0.44 -> 0.15 s).
        mentions = f"""
            SELECT article_row AS article, published_precision, day, len(mention_starts) AS n
            FROM agg_entity_sentences
            WHERE entity_id = ?
              AND article_row IN (SELECT article_row FROM {_articles_of(ds, where)})"""
        params: list[Any] = [entity_id]
    else:
        mentions = f"""
            SELECT m.article_id AS article, a.published_precision, a.day, 1 AS n
            FROM mentions AS m
            JOIN (SELECT article_id, published_precision,
                         CAST(published_at AS DATE) AS day
                  FROM articles WHERE {where.sql}) AS a USING (article_id)
            WHERE m.entity_id = ?"""
        params = [*where.params, entity_id]
    frame = ds._df(
        f"""
        WITH labelled AS (SELECT article, n, {labels} FROM ({mentions}))
        SELECT status, period_start, CAST(sum(n) AS BIGINT) AS n_mentions,
               count(DISTINCT article) AS n_articles
        FROM labelled GROUP BY ALL
        """,
        [precise, precise, *params],
    )
    return _timeline_frame(frame)


def _timeline_frame(frame: pd.DataFrame) -> pd.DataFrame:
    for status in ("imprecise", "undated"):
        if not (frame["status"] == status).any():
            extra = pd.DataFrame(
                [{"status": status, "period_start": None, "n_mentions": 0, "n_articles": 0}]
            )
            frame = extra if frame.empty else pd.concat([frame, extra], ignore_index=True)
    order = {"dated": 0, "imprecise": 1, "undated": 2}
    frame["_order"] = frame["status"].map(order)
    frame = frame.sort_values(["_order", "period_start"], na_position="last")
    frame["n_mentions"] = frame["n_mentions"].astype("int64")
    frame["n_articles"] = frame["n_articles"].astype("int64")
    return frame.drop(columns="_order").reset_index(drop=True)


def _newest_days(
    ds: Dataset,
    filters: Filters,
    entity_id: str,
    limit: int,
    include_duplicates: bool,
    day: str = "CAST(published_at AS DATE)",
) -> tuple[str, list[Any]]:
    """A condition on the articles that keeps the ``limit`` newest sentences naming
    ``entity_id``: publication (``day``: the SQL of the publication day) on or after the
    latest day by which at least ``limit`` articles the filters select name it (each has
    a sentence that does; every sentence left out is older or undated, so it ranks below
    them). From the entity's rows of the build's per-entity tables (:func:`entity_rows`);
    no condition (``""``) where those do not answer the filters, or when fewer articles
    name it. At 1M the sentences of an entity named in 480k articles were ranked whole
    (1.3 s)."""
    rows = entity_rows(ds, filters, include_duplicates=include_duplicates)
    if rows is None or limit <= 0:
        return "", []
    rows_sql, rows_params = rows
    found = ds._df(
        f"""
        SELECT day FROM (
            SELECT day, sum(sum(n_articles)) OVER (ORDER BY day DESC) AS newer
            FROM ({rows_sql})
            WHERE entity_id = ? AND day IS NOT NULL
            GROUP BY day
        ) WHERE newer >= ? ORDER BY day DESC LIMIT 1
        """,
        [*rows_params, entity_id, int(limit)],
    )
    if found.empty:
        return "", []
    return f"AND {day} >= ?", [pd.Timestamp(found["day"].iloc[0]).date()]


def entity_sentences(
    ds: Dataset,
    filters: Filters,
    entity_id: str,
    *,
    limit: int = 50,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The sentences that mention ``entity_id``, newest articles first.

    Columns: ``article_id, outlet, title, published_at, published_precision,
    sentence_idx, sentence, sentence_start, sentence_end`` and the mentions in that
    sentence as ``mention_starts, mention_ends`` (offsets into the article text, so the
    reader can highlight them) and ``surfaces``.
    """
    stored = ds.agg_where(
        filters.with_(q="", entities=(), types=()),
        include_duplicates=include_duplicates,
        table="agg_entity_sentences",
    )
    if stored is not None:
        # The entity's sentences as the build listed them, newest first: the first rows of
        # its part (and the articles' row numbers for their bodies); under free text, an
        # entity or a type, those of the articles the kept selection holds.
        kept = ds.selected_ids(filters)
        selected = f"AND article_row IN (SELECT article_row FROM {kept})" if kept else ""
        # on the stored day, not a cast of each row's time (1M, an entity in 480k
        # articles: 80 -> 31 ms)
        recent, recent_params = _newest_days(
            ds, filters, entity_id, limit, include_duplicates, day="day"
        )
        hits = ds._df(
            f"""
            SELECT article_id, sentence_idx, mention_starts, mention_ends, surfaces,
                   published_at, article_row
            FROM agg_entity_sentences
            WHERE entity_id = ? AND {stored.sql} {selected} {recent}
            ORDER BY published_at DESC NULLS LAST, article_id, sentence_idx
            LIMIT ?
            """,
            [entity_id, *stored.params, *recent_params, int(limit)],
        )
        rows = sorted({int(r) for r in hits["article_row"]})
        source = ds.rows_sql("articles", _TEXT_COLUMNS, rows)
        hits = hits.drop(columns="article_row")
    else:
        recent, recent_params = _newest_days(ds, filters, entity_id, limit, include_duplicates)
        hits = _sentence_hits(
            ds, filters, entity_id, limit, include_duplicates, recent, recent_params
        )
        # The bodies (and titles) of the articles shown only, read by row number: a join
        # would read the titles of every article (1M: 1.5 s).
        ids = [str(v) for v in hits["article_id"].unique()]
        source = ds.fetch_sql("articles", _TEXT_COLUMNS, "article_id", ids)
    texts = ds._df(*source).set_index("article_id")
    for column in ("text", "outlet", "title", "published_precision"):
        hits[column] = hits["article_id"].map(texts[column])
    return _cut_sentences(hits)


#: What :func:`entity_sentences` reads of the articles it shows.
_TEXT_COLUMNS = "article_id, text, outlet, title, published_precision"


def _sentence_hits(
    ds: Dataset,
    filters: Filters,
    entity_id: str,
    limit: int,
    include_duplicates: bool,
    recent: str,
    recent_params: list[Any],
) -> pd.DataFrame:
    """:func:`entity_sentences`'s sentences from the base tables (any filter)."""
    where = _where(ds, filters, include_duplicates)
    # The newest sentences are chosen first, then only theirs are gathered: listing the
    # mentions of every sentence that names a frequent entity took twice as long at 1M.
    return ds._df(
        f"""
        WITH hits AS (
            SELECT DISTINCT m.article_id, m.sentence_idx
            FROM mentions AS m
            WHERE m.entity_id = ?
              AND m.article_id IN (SELECT article_id FROM articles WHERE {where.sql} {recent})
        ),
        newest AS (
            SELECT h.article_id, h.sentence_idx, a.published_at
            FROM hits AS h
            JOIN (SELECT article_id, published_at FROM articles) AS a USING (article_id)
            ORDER BY a.published_at DESC NULLS LAST, h.article_id, h.sentence_idx
            LIMIT ?
        )
        SELECT n.article_id, n.sentence_idx,
               list(m.start ORDER BY m.start) AS mention_starts,
               list(m."end" ORDER BY m.start) AS mention_ends,
               list(m.surface ORDER BY m.start) AS surfaces,
               any_value(n.published_at) AS published_at
        FROM newest AS n
        JOIN mentions AS m
          ON m.article_id = n.article_id AND m.sentence_idx = n.sentence_idx
         AND m.entity_id = ?
        GROUP BY n.article_id, n.sentence_idx
        ORDER BY any_value(n.published_at) DESC NULLS LAST, n.article_id, n.sentence_idx
        """,
        [entity_id, *where.params, *recent_params, int(limit), entity_id],
    )


def _cut_sentences(hits: pd.DataFrame) -> pd.DataFrame:
    """:func:`entity_sentences`'s rows from its hits with their articles' columns: each
    sentence cut from its article's text."""
    columns = [
        "article_id",
        "outlet",
        "title",
        "published_at",
        "published_precision",
        "sentence_idx",
        "sentence",
        "sentence_start",
        "sentence_end",
        "mention_starts",
        "mention_ends",
        "surfaces",
    ]
    if hits.empty:
        return pd.DataFrame(columns=columns)
    spans_by_article: dict[str, list[tuple[int, int]]] = {}
    sentences, starts, ends = [], [], []
    for article_id, text, index in zip(
        hits["article_id"], hits["text"], hits["sentence_idx"], strict=True
    ):
        spans = spans_by_article.setdefault(article_id, split_sentences(str(text)))
        start, end = spans[int(index)] if 0 <= int(index) < len(spans) else (0, 0)
        sentences.append(str(text)[start:end])
        starts.append(start)
        ends.append(end)
    out = hits.drop(columns="text").assign(
        sentence=sentences, sentence_start=starts, sentence_end=ends
    )
    for column in ("mention_starts", "mention_ends", "surfaces"):
        out[column] = [list(v) for v in out[column]]
    return out[columns].reset_index(drop=True)


def places(
    ds: Dataset,
    filters: Filters,
    *,
    limit: int = 500,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Places in the filtered articles that a map can draw, most covered first.

    Columns: ``entity_id, name_ar, name_en, type, n_mentions, n_articles, lat, lon,
    coord_basis`` (city, capital, administrative centre …) and ``iso3`` (countries, so a
    map can shade the country itself). Places without coordinates or ISO code are left out.
    """
    frame = top_entities(
        ds, filters, types=PLACE_TYPES, limit=limit, include_duplicates=include_duplicates
    )
    info = place_info()
    details = pd.DataFrame(
        [
            {
                "entity_id": e,
                **info.get(str(e), {"lat": None, "lon": None, "coord_basis": None, "iso3": None}),
            }
            for e in frame["entity_id"]
        ],
        columns=["entity_id", "lat", "lon", "coord_basis", "iso3"],
    )
    frame = (
        frame.merge(details, on="entity_id", how="left")
        if not frame.empty
        else frame.assign(lat=None, lon=None, coord_basis=None, iso3=None)
    )
    drawable = frame["lat"].notna() | frame["iso3"].notna()
    columns = [
        "entity_id",
        "name_ar",
        "name_en",
        "type",
        "n_mentions",
        "n_articles",
        "lat",
        "lon",
        "coord_basis",
        "iso3",
    ]
    return frame.loc[drawable, columns].reset_index(drop=True)


def _missing(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
