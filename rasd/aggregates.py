"""Build-time aggregates: the small tables the dashboard's charts read instead of the base
tables when the filters allow it.

:func:`write_aggregates` reads the final ``articles``, ``mentions``, ``events`` and
``entities`` Parquet files of a build directory and writes ``agg_*.parquet`` beside them
(documented in :mod:`rasd.schema`, ``DERIVED_TABLES``). They are optional: the query layer
(:mod:`rasd.query` and friends) answers from the base tables when a file is absent and
gives the same result either way (tested).

Every per-article table is keyed by what the global filters can select without reading an
article's text: ``outlet_id``, the publication ``day`` (``CAST(published_at AS DATE)`` in
UTC, null when undated), ``published_precision`` (a month-precise date overlaps a range
until the month's last day) and ``is_duplicate``. Counts of distinct articles are additive
over these keys because an article has exactly one of each. Filters on free text,
entities or event types need the base tables.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from rasd.sql import ROW_GROUP_ROWS, merge_sorted, string_literal
from rasd.sql import path_literal as _lit

#: Articles per outlet in the distinctive-vocabulary sample (``agg_terms``), drawn
#: deterministically by ``hash(article_id)`` over the whole dataset.
TERMS_SAMPLE_PER_OUTLET = 1_000

#: Articles tokenized at a time for the free-text index (``agg_text_index``): their
#: ``text_norm`` (~3.4 kB each) and their distinct tokens are in memory together.
TEXT_INDEX_BATCH_ROWS = 20_000
#: Article-row entries per row group of ``agg_text_index`` (a row group holds whole
#: words, so one frequent word can exceed it). A search reads the token column of every
#: row group and the article lists only of the row groups that hold a matching word:
#: each batch's words are written shortest list first and cut at this many entries, so a
#: rare word is read with other rare words, not next to lists of every article (at a
#: million articles, 0.8-1.1 s -> 0.12-0.19 s to find the articles of a word; cut at
#: 50,000 it was no faster, and the file 4,000 row groups).
TEXT_INDEX_GROUP_ENTRIES = 200_000

#: Event rows per part of the per-cluster tables (``agg_clusters``, ``agg_cluster_outlets``
#: …): with more, the clusters are cut into ranges of ids (see _ClusterParts), each table
#: is written part by part, and the parts are merged in the table's order. Their list
#: aggregates do not fit a small memory limit at ten million event rows at once.
CLUSTER_CHUNK_ROWS = 500_000
#: Clusters sorted at a time when the parts are merged (a row is ~0.5 kB with its lists).
MERGE_SLICE_ROWS = 500_000

#: The row order of the tables written in cluster parts (as their SQL's ORDER BY).
#: ``agg_clusters`` is in coverage order, the order the Timeline picks its top events in
#: (``rasd.query_events._TOP``): the most covered events, which the default view and most
#: selections read whole, are its first row groups; what selects or counts clusters reads
#: narrow columns. (Measured at 1M against time order: the default view 3.3 → 1.4 s, one
#: entity 2.4 → 1.7 s, one type 2.1 → 1.3 s; a range of old years 0.4 → 2.6 s.)
_CLUSTER_ORDER = {
    "agg_clusters": "n_articles DESC, n_reports DESC, cluster_id",
    # the stories of several articles first: the coverage matrix under an outlet filter
    # ranks those first (rasd.query_sources._ranked) and reads ~7% of the row groups
    "agg_cluster_outlets": "multi_article DESC, cluster_id, outlet_id",
    # per outlet, the clusters other outlets reported too first (4% at 1M), then each group
    # most covered first (the Timeline's top, rasd.query_events._TOP): the clusters shown
    # under one or several outlets are among the first rows of each outlet, a few row
    # groups read instead of most of the outlet's
    "agg_cluster_reports": (
        "outlet_id, n_outlets > 1 DESC, n_articles DESC, n_reports DESC, cluster_id"
    ),
    # the stories of several articles first (rasd.query_sources.coverage picks among them)
    "agg_cluster_totals": "cluster_articles >= 2 DESC, cluster_id",
    # the rows of the stories of several articles first (14% at 1M), each kind by day: the
    # coverage matrix under a date range groups those first (rasd.query_sources._ranked),
    # and a range prunes row groups within either kind (1M, every year: 0.69 -> 0.47 s)
    "agg_cluster_days": (
        "multi_article DESC, day NULLS LAST, cluster_id, outlet_id, published_precision, "
        "is_duplicate"
    ),
}

#: Written in this order; each name is also the file stem.
AGG_TABLES = (
    "agg_articles",
    "agg_entities",
    "agg_article_entities",
    "agg_article_windows",
    "agg_article_pairs",
    "agg_event_types",
    "agg_type_articles",
    "agg_windows",
    "agg_cooccurrence",
    "agg_cooccurrence_total",
    "agg_cluster_reports",
    "agg_clusters",
    "agg_cluster_outlets",
    "agg_cluster_days",
    "agg_cluster_entities",
    "agg_cluster_entity_days",
    "agg_entity_clusters",
    "agg_entity_sentences",
    "agg_type_entities",
    "agg_cluster_totals",
    "agg_article_clusters",
    "agg_shared_events",
    "agg_story_articles",
    "agg_syndication",
    "agg_terms",
    "agg_written",
    "agg_text_index",
)

_KEYS = "outlet_id, day, published_precision, is_duplicate"
_KEYS_A = ", ".join("a." + k.strip() for k in _KEYS.split(","))
#: Per entity or event type, what makes its rows that selection's ``agg_articles``.
_EXTRAS = (
    "any_value(a.outlet) AS outlet, a.published_basis, "
    "min(a.published_at) AS min_published_at, max(a.published_at) AS max_published_at"
)


def _article_keys(articles: str, extra: str = "") -> str:
    """The filter keys of each article (and the columns ``extra``, as ``, col AS name``);
    ``articles`` is anything a FROM clause takes."""
    return f"""
        SELECT article_id, outlet_id, outlet, CAST(published_at AS DATE) AS day,
               published_precision, published_basis, duplicate_of IS NOT NULL AS is_duplicate,
               published_at{extra}
        FROM {articles}
    """


def agg_articles_sql(articles: str) -> str:
    """``agg_articles`` over ``articles`` (anything a FROM clause takes, with the columns of
    the articles table): the build writes it for all articles, the query layer computes it
    for the articles that match a free-text, entity or event-type filter."""
    return f"""
        SELECT outlet_id, any_value(outlet) AS outlet, day, published_precision,
               published_basis, is_duplicate, count(*) AS n,
               min(published_at) AS min_published_at, max(published_at) AS max_published_at
        FROM ({_article_keys(articles)}) GROUP BY ALL
        ORDER BY outlet_id, day NULLS LAST, published_precision, published_basis,
                 is_duplicate
    """


def aggregate_sql(out: Path) -> dict[str, str]:
    """The SELECT that makes each aggregate table from the base files in ``out``."""
    from rasd import query_events, query_sources  # late: they import rasd.query

    articles = _lit(out / "articles.parquet")
    mentions = _lit(out / "mentions.parquet")
    events = _lit(out / "events.parquet")
    entities = _lit(out / "entities.parquet")
    keys = _article_keys(f"read_parquet({articles})")

    def written(table: str) -> str:
        """The file of an aggregate written before (AGG_TABLES' order), as a literal."""
        return _lit(out / f"{table}.parquet")

    # Each article's row in articles.parquet, which the per-article tables carry: a
    # selection is kept as rows, and joins them by an integer (rasd.query.Dataset.where).
    rows = f"SELECT article_id, file_row_number AS article_row FROM read_parquet({articles}, file_row_number = true)"
    numbered_keys = _article_keys(
        f"read_parquet({articles}, file_row_number = true)", ", file_row_number AS article_row"
    )
    sentence_windows = f"""
        SELECT DISTINCT article_id, sentence_idx AS s, entity_id FROM read_parquet({mentions})
    """
    article_windows = f"""
        SELECT DISTINCT article_id, -1 AS s, entity_id FROM read_parquet({mentions})
    """
    windows = f"""
        SELECT 'sentence' AS "window", * FROM ({sentence_windows})
        UNION ALL
        SELECT 'article' AS "window", * FROM ({article_windows})
    """
    # As timeline_clusters with no filter and min_confidence 0.
    every_report = query_events.reports_sql(
        "TRUE", ["e.confidence >= 0.0"], columns=query_events.CLUSTER_COLUMNS + ", e.evidence"
    )

    # The base tables under the names the query layer's SQL uses.
    def with_views(events_from: str) -> str:
        return (
            f"WITH articles AS (SELECT * FROM read_parquet({articles})), "
            f"events AS (SELECT * FROM {events_from}), "
            f"entities AS (SELECT * FROM read_parquet({entities})), "
            f"mentions AS (SELECT * FROM read_parquet({mentions})), "
        )

    views = with_views(f"read_parquet({events})")
    # (entity, cluster, article of a report of the cluster naming the entity)
    naming = f"""
        WITH e AS (SELECT * FROM read_parquet({events}) WHERE cluster_id IS NOT NULL)
        SELECT unnest(actor_ids) AS entity_id, cluster_id, article_id FROM e
        UNION ALL
        SELECT location_id, cluster_id, article_id FROM e WHERE location_id IS NOT NULL
        UNION ALL
        SELECT m.entity_id, e.cluster_id, e.article_id
        FROM e JOIN read_parquet({mentions}) AS m
          ON m.article_id = e.article_id
         AND m.start >= e.evidence_start AND m."end" <= e.evidence_end
    """
    # The per-cluster tables read the events of one part of the clusters ({cluster_events};
    # see _ClusterParts), or that part of an earlier such table ({part:agg_…}).
    cluster_views = with_views(_EVENTS_PART)
    # A cluster's row combines its parts (one per outlet): agg_cluster_reports holds them.
    clusters = f"""
        WITH entities AS (SELECT * FROM read_parquet({entities})),
        parts AS MATERIALIZED (SELECT * FROM {_part("agg_cluster_reports")}),
        {query_events.combine_parts_sql("parts", "parts")}
    """
    per_outlet = query_sources.coverage_per_outlet_sql("TRUE").strip().removeprefix("WITH")
    # Both carry multi_article: whether the story has more than one article over the whole
    # dataset. Under any filter a story without it has at most one article, so the coverage
    # matrix ranks the stories that have it first and groups the rest only when needed
    # (rasd.query_sources._ranked: ~7% of the stories at 1M). And the story's type: a type
    # filter tests the row itself, not each row's cluster against the type's clusters (at
    # 1M two types are 4.2M clusters: one outlet's rows 19 -> 304 ms as a semi-join).
    reach = (
        "), reach AS (SELECT cluster_id, sum(n_articles) >= 2 AS multi_article "
        "FROM per_outlet GROUP BY cluster_id), "
        "kinds AS (SELECT cluster_id, min(event_type) AS event_type FROM events "
        "WHERE cluster_id IS NOT NULL GROUP BY cluster_id) "
        "SELECT p.*, r.multi_article, k.event_type "
        "FROM per_outlet AS p JOIN reach AS r USING (cluster_id) JOIN kinds AS k USING (cluster_id)"
    )
    cluster_outlets = cluster_views + per_outlet.lstrip() + reach
    per_day = (
        query_sources.coverage_per_outlet_sql("TRUE", by_day=True).strip().removeprefix("WITH")
    )
    cluster_days = cluster_views + per_day.lstrip() + reach
    # Per cluster and outlet, the sums a cluster's row is combined from (the Timeline under
    # an outlet filter), sorted by outlet then coverage (_CLUSTER_ORDER): a filter reads
    # its outlets' row groups, and the sentences of the clusters shown are read by row
    # number.
    cluster_reports = (
        cluster_views
        + f"""reports AS ({every_report}),
        parts AS ({query_events.parts_sql("reports", evidence=True)}),
        lists AS ({query_events.part_lists_sql("reports")})
        SELECT p.* EXCLUDE (evidence), l.actor_counts, l.place_counts, p.evidence,
               count(*) OVER (PARTITION BY p.cluster_id) AS n_outlets
        FROM parts AS p JOIN lists AS l USING (cluster_id, outlet_id)"""
    )
    return {
        "agg_articles": agg_articles_sql(f"read_parquet({articles})"),
        "agg_entities": f"""
            WITH a AS ({keys}),
            m AS (
                SELECT article_id, entity_id, count(*) AS n_mentions,
                       count(DISTINCT sentence_idx) AS n_sentences
                FROM read_parquet({mentions}) GROUP BY ALL
            )
            SELECT m.entity_id, {_KEYS_A}, {_EXTRAS},
                   CAST(sum(m.n_mentions) AS BIGINT) AS n_mentions,
                   count(*) AS n_articles,
                   CAST(sum(m.n_sentences) AS BIGINT) AS n_sentences
            FROM m JOIN a USING (article_id)
            GROUP BY m.entity_id, {_KEYS_A}, a.published_basis
            ORDER BY entity_id, outlet_id, day NULLS LAST, published_precision, is_duplicate,
                     published_basis
        """,
        # The entities of the articles reporting each event type (agg_entities per type):
        # the entity list and the share of voice under one type filter read the type's
        # rows, not every mention of the type's articles (1M: 3.8 and 5.5 s a question).
        "agg_type_entities": f"""
            WITH a AS ({keys}),
            t AS (SELECT DISTINCT article_id, event_type FROM read_parquet({events})),
            m AS (
                SELECT article_id, entity_id, count(*) AS n_mentions
                FROM read_parquet({mentions}) GROUP BY ALL
            )
            SELECT t.event_type, m.entity_id, {_KEYS_A},
                   count(*) AS n_articles, CAST(sum(m.n_mentions) AS BIGINT) AS n_mentions
            FROM t JOIN m USING (article_id) JOIN a USING (article_id)
            GROUP BY ALL
            ORDER BY event_type, outlet_id, day NULLS LAST, published_precision, is_duplicate,
                     entity_id
        """,
        "agg_event_types": f"""
            WITH a AS ({keys}),
            e AS (
                SELECT article_id, event_type, count(*) AS n_reports
                FROM read_parquet({events}) GROUP BY ALL
            )
            SELECT e.event_type, {_KEYS_A}, {_EXTRAS},
                   count(*) AS n_articles, CAST(sum(e.n_reports) AS BIGINT) AS n_reports
            FROM e JOIN a USING (article_id)
            GROUP BY e.event_type, {_KEYS_A}, a.published_basis
            ORDER BY event_type, outlet_id, day NULLS LAST, published_precision, is_duplicate,
                     published_basis
        """,
        # The articles that report each event type, sorted by type: a type filter's
        # articles are its rows (a few row groups), not a scan of every event (1M, two
        # types: 0.47 -> 0.17 s; one type 0.05 s), with their rows in articles.parquet,
        # which the questions under the filter select articles by (Dataset.where).
        "agg_type_articles": f"""
            WITH t AS (SELECT DISTINCT event_type, article_id FROM read_parquet({events}))
            SELECT t.event_type, t.article_id, a.file_row_number AS article_row
            FROM t JOIN read_parquet({articles}, file_row_number = true) AS a USING (article_id)
            ORDER BY event_type, article_id
        """,
        "agg_windows": f"""
            WITH a AS ({keys}),
            w AS (SELECT DISTINCT "window", article_id, s FROM ({windows}))
            SELECT w."window", {_KEYS_A},
                   count(*) AS n_windows
            FROM w JOIN a USING (article_id) GROUP BY ALL
            ORDER BY "window", outlet_id, day NULLS LAST, published_precision, is_duplicate
        """,
        # Written one publication year at a time ({chunk}): the pairs of every article at
        # once do not fit a small memory limit at a million articles.
        "agg_cooccurrence": f"""
            WITH a AS (SELECT * FROM ({keys}) WHERE {{chunk}}),
            m AS (
                SELECT DISTINCT article_id, sentence_idx AS s, entity_id
                FROM read_parquet({mentions})
                WHERE article_id IN (SELECT article_id FROM a)
            ),
            w AS (
                SELECT 'sentence' AS "window", article_id, s, entity_id FROM m
                UNION ALL
                SELECT DISTINCT 'article' AS "window", article_id, -1 AS s, entity_id FROM m
            )
            SELECT x."window", {_KEYS_A},
                   x.entity_id AS entity_a, y.entity_id AS entity_b, count(*) AS n_xy
            FROM w AS x
            JOIN w AS y ON x."window" = y."window" AND x.article_id = y.article_id
                       AND x.s = y.s AND x.entity_id < y.entity_id
            JOIN a ON a.article_id = x.article_id
            GROUP BY ALL
            -- sorted by day: a date range reads only the row groups of its days
            ORDER BY day NULLS LAST, "window", outlet_id, published_precision, is_duplicate,
                     entity_a, entity_b
        """,
        "agg_cooccurrence_total": f"""
            SELECT "window", outlet_id, is_duplicate, day IS NOT NULL AS dated,
                   entity_a, entity_b, CAST(sum(n_xy) AS BIGINT) AS n_xy
            FROM read_parquet({written("agg_cooccurrence")}) GROUP BY ALL
            ORDER BY "window", outlet_id, is_duplicate, dated, entity_a, entity_b
        """,
        "agg_written": views
        + f"written AS ({query_sources.written_tokens_sql(query_sources.sample_ids_sql())}) "
        + "SELECT tok, n FROM written ORDER BY tok",
        "agg_clusters": clusters,
        "agg_cluster_outlets": cluster_outlets,
        "agg_cluster_reports": cluster_reports,
        # agg_cluster_outlets per publication day too (the keys of agg_articles), sorted by
        # day: the coverage matrix under a date range reads the row groups of its days.
        "agg_cluster_days": cluster_days,
        # The entities each cluster's reports name, as the Timeline's entity filter reads
        # them (rasd.query_events._entity_clause): actors, the place, and mentions inside a
        # report's evidence sentence; per outlet of the naming report, so an outlet filter
        # keeps the clusters its own reports name the entity in. Sorted by entity: one
        # entity's clusters are a few row groups.
        "agg_cluster_entities": f"""
            WITH named AS ({naming})
            SELECT DISTINCT n.entity_id, n.cluster_id, a.outlet_id
            FROM named AS n
            JOIN (SELECT article_id, outlet_id FROM read_parquet({articles})) AS a
              USING (article_id)
            ORDER BY entity_id, cluster_id, outlet_id
        """,
        # The same naming, by the filter keys of every article that tells the naming report:
        # its own article and that article's copies (a copy reports its original's
        # events). The coverage matrix keeps a story under an entity and outlet or date
        # filters when an article those select tells a report naming the entity
        # (rasd.query_sources._story_filter). Sorted by entity.
        "agg_cluster_entity_days": f"""
            WITH named AS ({naming}),
            a AS ({keys}),
            tellers AS (
                -- (one DISTINCT, at the end: each blocking step holds memory at 1M)
                SELECT entity_id, cluster_id, article_id FROM named
                UNION ALL
                SELECT n.entity_id, n.cluster_id, c.article_id
                FROM named AS n
                JOIN (SELECT article_id, duplicate_of FROM read_parquet({articles})
                      WHERE duplicate_of IS NOT NULL) AS c
                  ON c.duplicate_of = n.article_id
            )
            SELECT DISTINCT t.entity_id, t.cluster_id, {_KEYS_A}
            FROM tellers AS t JOIN a USING (article_id)
            ORDER BY entity_id, cluster_id, outlet_id, day NULLS LAST, published_precision,
                     is_duplicate
        """,
        # Per entity, each sentence naming it (its mentions' offsets and spellings) with the
        # filter keys and the row number of its article, newest first: an entity's newest
        # sentences (rasd.query_entities.entity_sentences) are the first rows of its part
        # of each publication year, and the bodies they are cut from are read by row
        # number. Written one year at a time ({chunk}): every mention at once does not fit
        # 1.2 GB at a million articles.
        "agg_entity_sentences": f"""
            WITH a AS (
                SELECT * FROM ({numbered_keys}) WHERE {{chunk}}
            )
            SELECT m.entity_id, m.article_id, m.sentence_idx,
                   list(m.start ORDER BY m.start) AS mention_starts,
                   list(m."end" ORDER BY m.start) AS mention_ends,
                   list(m.surface ORDER BY m.start) AS surfaces,
                   any_value(a.published_at) AS published_at, {_KEYS_A},
                   any_value(a.article_row) AS article_row
            FROM read_parquet({mentions}) AS m JOIN a USING (article_id)
            GROUP BY m.entity_id, m.article_id, m.sentence_idx, {_KEYS_A}
            ORDER BY entity_id, published_at DESC NULLS LAST, article_id, sentence_idx
        """,
        # The Timeline's entity filter without an outlet filter keeps whole clusters: per
        # entity, the narrow columns of agg_clusters it picks and counts clusters by, and
        # the cluster's row there, so one entity's clusters are a few row groups read, not
        # a semi-join of every cluster (at 1M, 8.6M clusters: 1.2 -> 0.2 s for an entity
        # named in 480k).
        "agg_entity_clusters": f"""
            WITH named AS (
                SELECT DISTINCT entity_id, cluster_id
                FROM read_parquet({written("agg_cluster_entities")})
            ),
            c AS (
                SELECT cluster_id, event_type, n_reports, n_articles, date_start, date_end,
                       file_row_number AS agg_row
                FROM read_parquet({written("agg_clusters")}, file_row_number = true)
            )
            SELECT n.entity_id, c.* FROM named AS n JOIN c USING (cluster_id)
            ORDER BY entity_id, agg_row
        """,
        # Per story, what the coverage matrix shows of it and ranks it by over every outlet
        # (rasd.query_sources.coverage), sorted by story: the matrix reads its stories'
        # rows by id.
        "agg_cluster_totals": f"""
            WITH events AS (SELECT * FROM {_EVENTS_PART}),
            meta AS ({query_sources.story_meta_sql()}),
            totals AS (
                SELECT cluster_id, count(*) AS cluster_outlets,
                       CAST(sum(n_articles) AS BIGINT) AS cluster_articles,
                       min(first_at) AS cluster_first_at
                FROM {_part("agg_cluster_outlets")}
                GROUP BY cluster_id
            )
            SELECT m.*, t.cluster_outlets, t.cluster_articles, t.cluster_first_at
            FROM meta AS m JOIN totals AS t USING (cluster_id)
        """,
        # Each article's entities once, with their mentions and sentences (10.5M rows at
        # 1M): counts per entity under a free-text, entity or type selection sum these
        # instead of the mentions with a DISTINCT (rasd.query_entities._entity_counts,
        # share of voice), and so do co-occurrence's margins under such a selection.
        "agg_article_entities": f"""
            WITH m AS (
                SELECT article_id, entity_id, count(*) AS n_mentions,
                       count(DISTINCT sentence_idx) AS n_sentences
                FROM read_parquet({mentions}) GROUP BY ALL
            )
            SELECT m.article_id, a.article_row, m.entity_id, m.n_mentions, m.n_sentences
            FROM m JOIN ({rows}) AS a USING (article_id)
            ORDER BY article_id, entity_id
        """,
        # Per article, its sentences that mention an entity (its sentence windows): the
        # number of windows of a selection is the sum of its articles' rows.
        "agg_article_windows": f"""
            WITH w AS (
                SELECT article_id, count(DISTINCT sentence_idx) AS n_sentences
                FROM read_parquet({mentions}) GROUP BY article_id
            )
            SELECT w.article_id, a.article_row, w.n_sentences
            FROM w JOIN ({rows}) AS a USING (article_id)
            ORDER BY article_id
        """,
        # Per article, each pair of entities named in one of its sentences, with the number
        # of such sentences: co-occurrence in sentences under a free-text, entity or type
        # selection sums the selected articles' rows (rasd.query_entities._pairs) instead
        # of finding and joining millions of sentence windows. Written one publication
        # year at a time ({chunk}), like agg_cooccurrence.
        "agg_article_pairs": f"""
            WITH a AS (SELECT article_id, article_row FROM ({numbered_keys}) WHERE {{chunk}}),
            m AS (
                SELECT DISTINCT article_id, sentence_idx AS s, entity_id
                FROM read_parquet({mentions})
                WHERE article_id IN (SELECT article_id FROM a)
            ),
            p AS (
                SELECT x.article_id, x.entity_id AS entity_a, y.entity_id AS entity_b,
                       count(*) AS n_sentences
                FROM m AS x JOIN m AS y
                  ON x.article_id = y.article_id AND x.s = y.s AND x.entity_id < y.entity_id
                GROUP BY ALL
            )
            SELECT p.article_id, a.article_row, p.entity_a, p.entity_b, p.n_sentences
            FROM p JOIN a USING (article_id)
            ORDER BY article_id, entity_a, entity_b
        """,
        # Per article and cluster, what counting the cluster's reports needs: the Timeline
        # under free text sums the rows of the articles it selects instead of grouping
        # their reports (rasd.query_events._cluster_counts). Most clusters have one
        # article ("solo", 99.9% at 1M): their row is the whole cluster's, not grouped.
        "agg_article_clusters": f"""
            WITH c AS (
                SELECT cluster_id, n_articles = 1 AS solo, file_row_number AS agg_row
                FROM read_parquet({written("agg_clusters")}, file_row_number = true)
            ), p AS (
                SELECT e.article_id, e.cluster_id, any_value(e.event_type) AS event_type,
                       count(*) AS n_reports,
                       min({query_events.DATE_ORDER}) {query_events.REPORT_DATED} AS date_key,
                       arg_min_null(e.date_start, {query_events.DATE_ORDER})
                           {query_events.REPORT_DATED} AS date_start,
                       arg_min_null(e.date_end, {query_events.DATE_ORDER})
                           {query_events.REPORT_DATED} AS date_end
                FROM read_parquet({events}) AS e WHERE e.cluster_id IS NOT NULL
                GROUP BY e.article_id, e.cluster_id
            )
            SELECT p.article_id, a.article_row, p.* EXCLUDE (article_id), c.solo, c.agg_row
            FROM p JOIN c USING (cluster_id) JOIN ({rows}) AS a USING (article_id)
            ORDER BY c.solo, p.article_id, p.cluster_id
        """,
        # The reports of the clusters of several articles (0.3% of the events at 1M), in
        # the events' order: the Timeline under free text makes the rows of those it shows
        # from these, not from row groups all over the events (the others are whole).
        "agg_shared_events": f"""
            SELECT * FROM read_parquet({events})
            WHERE cluster_id IN (
                SELECT cluster_id FROM read_parquet({written("agg_clusters")})
                WHERE n_articles >= 2)
            ORDER BY cluster_id, event_id
        """,
        # Who tells the stories of several articles (cluster_articles >= 2, copies
        # included: a copy tells its original's stories), one row per article and story:
        # the coverage matrix under free text joins the articles it selects with these
        # (~1.3M rows at 1M) instead of every event twice (rasd.query_sources.coverage).
        "agg_story_articles": f"""
            WITH e AS (
                SELECT article_id, cluster_id, event_type FROM read_parquet({events})
                WHERE cluster_id IN (
                    SELECT cluster_id FROM read_parquet({written("agg_cluster_totals")})
                    WHERE cluster_articles >= 2)
            )
            SELECT DISTINCT t.article_id, a.file_row_number AS article_row, t.cluster_id,
                   t.event_type
            FROM (
                SELECT * FROM e
                UNION ALL
                SELECT a.article_id, e.cluster_id, e.event_type
                FROM read_parquet({articles}) AS a JOIN e ON e.article_id = a.duplicate_of
            ) AS t
            -- (with each article's row, which the coverage matrix joins the selection by)
            JOIN read_parquet({articles}, file_row_number = true) AS a USING (article_id)
            ORDER BY article_id, cluster_id
        """,
        # Every duplicate with its original, both sides' columns: the Sources page's
        # syndication questions filter these rows instead of joining the articles twice.
        # (with each side's row in articles.parquet, by which a selection joins them)
        "agg_syndication": f"WITH articles AS ({_numbered(articles)}), "
        + f"pairs AS ({query_sources.SYNDICATION_PAIRS_SQL}) "
        + "SELECT * FROM pairs ORDER BY similarity DESC NULLS LAST, copy_id",
        "agg_terms": f"""
            WITH sample AS (
                SELECT article_id, text_norm FROM read_parquet({articles})
                QUALIFY row_number() OVER (
                    PARTITION BY outlet_id ORDER BY hash(article_id), article_id
                ) <= {TERMS_SAMPLE_PER_OUTLET}
            ), toks AS (
                SELECT article_id,
                       unnest(regexp_extract_all(coalesce(text_norm, ''), '{_token_re()}'))
                           AS tok
                FROM sample
            )
            SELECT article_id, tok, count(*) AS n FROM toks GROUP BY ALL
            UNION ALL
            -- a sampled article without a token has a row too (no token, 0): the sample is
            -- this table's articles, which the Sources page reads instead of ranking every
            -- article by hash on each question (1M: 0.54 -> 0.18 s)
            SELECT article_id, NULL, 0 FROM sample
            WHERE article_id NOT IN (SELECT article_id FROM toks)
            ORDER BY article_id, tok
        """,
    }


#: In the SQL of a per-cluster table: the events of the part being written.
_EVENTS_PART = "{cluster_events}"


def _numbered(articles: str) -> str:
    """The articles (``articles``: a file's SQL literal) with their row numbers."""
    return f"SELECT * FROM read_parquet({articles}, file_row_number = true)"


def _part(table: str) -> str:
    """In the SQL of a per-cluster table: the same part of the per-cluster ``table``."""
    return "{part:" + table + "}"


def _token_re() -> str:
    from rasd.vocabulary import TOKEN_SQL_RE

    return TOKEN_SQL_RE


def _parquet(row_group_rows: int = ROW_GROUP_ROWS) -> str:
    """COPY options of the aggregate files."""
    return f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {row_group_rows})"


_PARQUET = _parquet()
#: Row groups of the tables read by a list of ids (sorted by id): small, so that a few ids
#: decompress a few thousand rows each, not a hundred thousand.
LOOKUP_ROW_GROUP_ROWS = 8_192
_ROW_GROUPS = {
    "agg_cluster_outlets": LOOKUP_ROW_GROUP_ROWS,
    "agg_cluster_reports": LOOKUP_ROW_GROUP_ROWS,
    "agg_cluster_totals": LOOKUP_ROW_GROUP_ROWS,
}


def _copy_by_year(con: duckdb.DuckDBPyConnection, sql: str, out: Path, target: Path) -> None:
    """``sql`` (with a ``{chunk}`` condition on ``day``) once per publication year, then
    the parts concatenated in year order (undated last) into ``target``."""
    articles = _lit(out / "articles.parquet")
    years = [
        int(row[0])
        for row in con.execute(
            f"SELECT DISTINCT year(CAST(published_at AS DATE)) AS y FROM read_parquet({articles}) "
            "WHERE published_at IS NOT NULL ORDER BY y"
        ).fetchall()
    ]
    chunks = [f"year(day) = {y}" for y in years] + ["day IS NULL"]
    parts: list[Path] = []
    try:
        for i, chunk in enumerate(chunks):
            part = out / f".{target.name}.{i}.part"
            con.execute(f"COPY ({sql.replace('{chunk}', chunk)}) TO {_lit(part)} {_PARQUET}")
            parts.append(part)
        files = "[" + ", ".join(_lit(p) for p in parts) + "]"
        ((preserve,),) = con.execute(
            "SELECT current_setting('preserve_insertion_order')"
        ).fetchall()
        con.execute("SET preserve_insertion_order = true")  # keep the parts' day order
        try:
            con.execute(f"COPY (SELECT * FROM read_parquet({files})) TO {_lit(target)} {_PARQUET}")
        finally:
            con.execute(f"SET preserve_insertion_order = {bool(preserve)}")
    finally:
        for part in parts:
            part.unlink(missing_ok=True)


def _write_text_index(con: duckdb.DuckDBPyConnection, out: Path, target: Path) -> None:
    """``agg_text_index``: for each word of ``articles.text_norm`` (a run of characters
    between spaces, punctuation included), the row numbers of the articles (in
    ``articles.parquet``) whose text has it.

    Free text selects the articles whose ``text_norm`` contains every word of the query.
    A query word holds no space, so wherever it occurs in a text it lies inside one of the
    text's space-separated words: the articles that contain it are those of the index's
    words that contain it, exactly. The query layer reads this index (a scan of the
    distinct words) instead of every article's text (3.4 GB at a million articles). The
    articles are read :data:`TEXT_INDEX_BATCH_ROWS` at a time, so a word has a row per
    batch it occurs in (``article_rows`` ascending, from that batch); a batch's words are
    in row groups of about :data:`TEXT_INDEX_GROUP_ENTRIES` article rows, shortest lists
    first."""
    from rasd.schema import AGG_TEXT_INDEX

    source = pq.ParquetFile(out / "articles.parquet")
    offset = 0
    # Each batch's rows are appended as they come (a few MB): re-reading parts to
    # concatenate them buffered whole row groups of long lists (2.3 GB at 1M articles).
    with pq.ParquetWriter(target, AGG_TEXT_INDEX, compression="zstd") as writer:
        for batch in source.iter_batches(batch_size=TEXT_INDEX_BATCH_ROWS, columns=["text_norm"]):
            rows = pa.table(
                {
                    "r": pa.array(range(offset, offset + batch.num_rows), pa.int32()),
                    "text_norm": batch.column(0),
                }
            )
            offset += batch.num_rows
            con.register("_text_batch", rows)
            try:
                words = con.sql("""
                    SELECT token, count(*)::INTEGER AS n_articles,
                           list_sort(list(r)) AS article_rows
                    FROM (
                        SELECT DISTINCT r,
                               unnest(string_split(coalesce(text_norm, ''), ' ')) AS token
                        FROM _text_batch
                    )
                    WHERE token <> ''
                    GROUP BY token
                """).to_arrow_table()
            finally:
                con.unregister("_text_batch")
            words = words.cast(AGG_TEXT_INDEX).sort_by(
                [("n_articles", "ascending"), ("token", "ascending")]
            )
            for start, stop in _cuts(
                words.column("n_articles").to_pylist(), TEXT_INDEX_GROUP_ENTRIES
            ):
                writer.write_table(words.slice(start, stop - start), row_group_size=stop - start)


def _cuts(sizes: list[int], cap: int) -> Iterator[tuple[int, int]]:
    """Consecutive ``(start, stop)`` ranges of ``sizes`` each summing to at most ``cap``
    (a single item larger than ``cap`` is a range of its own); every item is in one."""
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > cap:
            yield start, i
            start, total = i, 0
        total += size
    if start < len(sizes):
        yield start, len(sizes)


#: The tables a function writes (not one SQL statement): ``(con, out, target)``.
_WRITERS = {"agg_text_index": _write_text_index}


#: Per-cluster tables whose parts are written, then sorted in a second statement: sorting
#: in the statement that combines a part's lists ran out of a 1.2 GB limit at 1M articles.
_SORTED_AFTER = frozenset({"agg_clusters"})


class _ClusterParts:
    """The per-cluster tables, written part by part over the same parts of the clusters.

    With more than :data:`CLUSTER_CHUNK_ROWS` events, the clusters are cut into ranges of
    ids holding about as many events each; each table's SQL then runs once per range
    (``{cluster_events}`` is that range's events, ``{part:agg_…}`` the same range of an
    earlier table, made first if it was not asked for), each part is written in the
    table's order (:data:`_CLUSTER_ORDER`), and the parts are merged. The events file is
    sorted by cluster id, so a range reads its own row groups of it; a table sorted by
    cluster id is its parts one after the other. Everything is kept under
    ``.cluster_parts`` in ``out`` until :meth:`close`.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, out: Path, sql: dict[str, str]) -> None:
        self.con, self.sql, self.scratch = con, sql, out / ".cluster_parts"
        self.path = _lit(out / "events.parquet")
        self.events = f"read_parquet({self.path})"
        ((self.rows,),) = con.execute(f"SELECT count(*) FROM {self.events}").fetchall()
        self.n = max(1, -(-int(self.rows) // CLUSTER_CHUNK_ROWS))
        self._ranges: list[str] | None = None  # each part's condition on cluster_id

    def _events(self, i: int) -> str:
        if self.n == 1:
            return self.events
        if self._ranges is None:
            # Boundaries: the ids at every n-th row of the events, which are sorted by
            # cluster id (any boundaries would cut the ids into parts of whole clusters;
            # these make parts of about as many events). Equal ones count once.
            rows = ", ".join(str(k * int(self.rows) // self.n) for k in range(1, self.n))
            cuts = self.con.execute(
                f"SELECT DISTINCT cluster_id FROM read_parquet({self.path}, file_row_number = true) "
                f"WHERE file_row_number IN ({rows}) AND cluster_id IS NOT NULL ORDER BY cluster_id"
            ).fetchall()
            bounds = [string_literal(c) for (c,) in cuts]
            lows, highs = [None, *bounds], [*bounds, None]
            self._ranges = [
                " AND ".join(
                    [f"cluster_id >= {lo}"] * (lo is not None)
                    + [f"cluster_id < {hi}"] * (hi is not None)
                )
                or "TRUE"
                for lo, hi in zip(lows, highs, strict=True)
            ]
            self._ranges[-1] = f"({self._ranges[-1]}) OR cluster_id IS NULL"
        return f"(SELECT * FROM {self.events} WHERE {self._ranges[i]})"

    def part(self, table: str, i: int) -> Path:
        """Part ``i`` of ``table`` (written on first use)."""
        path = self.scratch / f"{table}.{i}.parquet"
        if not path.exists():
            sql = self.sql[table]
            if _EVENTS_PART in sql:
                sql = sql.replace(_EVENTS_PART, self._events(i))
            for name in re.findall(r"\{part:(agg_\w+)\}", sql):
                sql = sql.replace(_part(name), f"read_parquet({_lit(self.part(name, i))})")
            self.scratch.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".tmp")
            order = _CLUSTER_ORDER[table]
            # Small row groups: a merge slice reads a run of each part's rows.
            if table in _SORTED_AFTER:
                unsorted = path.with_name(path.name + ".unsorted")
                self.con.execute(f"COPY ({sql}) TO {_lit(unsorted)} {_PARQUET}")
                sql = f"SELECT * FROM read_parquet({_lit(unsorted)})"
            self.con.execute(
                f"COPY (SELECT * FROM ({sql}) ORDER BY {order}) "
                f"TO {_lit(partial)} {_parquet(LOOKUP_ROW_GROUP_ROWS)}"
            )
            partial.replace(path)
            if table in _SORTED_AFTER:
                unsorted.unlink()
        return path

    def write(self, table: str, target: Path, row_group_rows: int) -> None:
        """``table`` from its parts, in its order (:data:`_CLUSTER_ORDER`), to ``target``."""
        parts = [self.part(table, i) for i in range(self.n)]
        merge_sorted(
            self.con,
            parts,
            order_by=_CLUSTER_ORDER[table],
            out=target,
            slice_rows=MERGE_SLICE_ROWS,
            row_group_rows=row_group_rows,
            schema=pq.read_schema(parts[0]),
        )

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def write_aggregates(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    tables: Sequence[str] | None = None,
    seconds: dict[str, float] | None = None,
) -> dict[str, int]:
    """Write every ``agg_*.parquet`` into ``out`` from its final tables; rows per table.
    When ``seconds`` is given, each table's writing time is recorded in it by name.

    Each file is written to a temporary name and renamed, so a reader never sees half a
    file. Uses ``con`` (its memory limit and threads); sets its ``TimeZone`` to UTC, which
    the publication day depends on.
    """
    out = Path(out)
    con.execute("SET TimeZone = 'UTC'")
    counts: dict[str, int] = {}
    sql_of = aggregate_sql(out)
    assert set(sql_of) | set(_WRITERS) == set(AGG_TABLES)
    clusters = _ClusterParts(con, out, sql_of)
    try:
        for name in AGG_TABLES:  # (a table may read one written before it)
            if tables is not None and name not in tables:
                continue
            started = time.perf_counter()
            sql = sql_of.get(name, "")
            target = out / f"{name}.parquet"
            partial = out / f".{name}.parquet.tmp"
            if name in _WRITERS:
                _WRITERS[name](con, out, partial)
            elif "{chunk}" in sql:
                _copy_by_year(con, sql, out, partial)
            elif name in _CLUSTER_ORDER:
                clusters.write(name, partial, _ROW_GROUPS.get(name, ROW_GROUP_ROWS))
            else:
                con.execute(f"COPY ({sql}) TO {_lit(partial)} {_PARQUET}")
            partial.replace(target)
            ((rows,),) = con.execute(
                f"SELECT count(*) FROM read_parquet({_lit(target)})"
            ).fetchall()
            counts[name] = int(rows)
            if seconds is not None:
                seconds[name] = time.perf_counter() - started
    finally:
        clusters.close()
    return counts
