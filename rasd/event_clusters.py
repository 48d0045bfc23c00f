"""Cross-article event clustering at corpus scale: the rules of :func:`cluster_events`, in DuckDB.

:func:`rasd.events.cluster_events` is the reference: readable Python over a pandas frame,
fine for thousands of mentions. A million articles report ~13 million event mentions; held
as Python sets and scored pair by pair that is hours of one core and many gigabytes. This
module applies the *same* rules with the work split where it scales:

* candidate pairs (shared article, the exact same span, or at least two shared rare keys in a
  shared time bucket), their IDF-weighted similarities and the "one event?" rules are set
  operations: DuckDB computes them one event type at a time, on all cores, spilling to disk
  beyond its memory limit;
* joining pairs most similar first, never joining dated reports that disagree, is
  sequential: Python streams the accepted pairs in that order through a union-find held in
  compact integer arrays (a few bytes per mention);
* cluster ids (a hash of the type, the earliest finest date and the core actors, or the
  rarest words) are computed in SQL again.

The evidence of each mention is tokenised once, in the build's worker processes
(:func:`rasd.events.evidence_keys`), and staged with the mention.

The two implementations agree mention for mention (tested); the only possible difference is
the order of two candidate pairs whose similarities differ in the last bit of a float (the
sums are taken in a different order), which the reference itself does not fix either (it
sums over Python sets).
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from rasd import event_lexicon as lex
from rasd.events import (
    ACTORS_UNDATED,
    MAX_POSTING,
    ONE_PER_ARTICLE,
    RARE_WORDS,
    SIM_DATED,
    SIM_UNDATED,
    SIM_UNDATED_ACTORS,
    _tolerance,
)
from rasd.sql import copy_sorted, shared_key_pairs

#: Accepted pairs read at a time (bounded memory in Python).
FETCH_ROWS = 200_000
#: DuckDB's memory limit while Python joins the accepted pairs (DuckDB only reads the
#: mentions' dates then): what it held above this is given back for the union-find's arrays.
IDLE_MEMORY = "256MB"
#: Word rows (mention, word) per part when cluster ids are computed (see _cluster_ids).
ID_PART_ROWS = 20_000_000
#: Stand-in for "no date" in the integer day arrays (dates are days since 1970-01-01).
_NO_DAY = -(2**31)
_PRECISION_RANK = ("day", "week", "month", "quarter", "year", "decade")


def _tolerance_sql() -> str:
    rows = ", ".join(
        f"('{spec.id}', {int(spec.tolerance_days)})" for spec in lex.EVENT_TYPES_BY_ID.values()
    )
    return f"(VALUES {rows}) AS tol(t, slack)"


def _rank_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{p}' THEN {i}" for i, p in enumerate(_PRECISION_RANK))
    return f"(CASE {column} {cases} ELSE 99 END)"


def _prepare(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Mentions numbered in event_id order, their keys, IDF weights and candidate postings."""
    # Numbered on the id alone (a narrow sort), then joined: sorting the wide rows (lists of
    # actors and words) would need several gigabytes at a million articles.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE ev_numbers AS
        SELECT (row_number() OVER (ORDER BY event_id) - 1)::BIGINT AS i, event_id
        FROM ({source})
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE ev AS
        SELECT n.i, event_id, article_id, event_type AS t, date_precision AS p,
               date_start AS s,
               CASE WHEN date_start IS NULL THEN NULL
                    ELSE coalesce(date_end, date_start) END AS e,
               coalesce(list_distinct(actor_ids), []) AS actors,
               coalesce(evidence_start, 0) AS pos,
               coalesce(list_distinct(evidence_keys), []) AS words
        FROM ({source}) JOIN ev_numbers n USING (event_id)
        """
    )
    con.execute("DROP TABLE ev_numbers")
    # IDF over every mention (all types), as the reference: log(1 + n / document frequency).
    con.execute(
        """
        CREATE OR REPLACE TABLE word_idf AS
        SELECT k, ln(1 + (SELECT count(*) FROM ev)::DOUBLE / count(*)) AS w,
               (row_number() OVER (ORDER BY k))::INTEGER AS kid
        FROM (SELECT unnest(words) AS k FROM ev) GROUP BY k
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE actor_idf AS
        SELECT k, ln(1 + (SELECT count(*) FROM ev)::DOUBLE / count(*)) AS w,
               (row_number() OVER (ORDER BY k))::INTEGER AS kid
        FROM (SELECT unnest(actors) AS k FROM ev) GROUP BY k
        """
    )
    # Per mention: its words with weights (for the similarity), total masses and the
    # RARE_WORDS rarest words (the only words used to *find* candidates).
    con.execute(
        """
        CREATE OR REPLACE TABLE ev_words AS
        SELECT x.i, x.k, d.kid, d.w,
               row_number() OVER (PARTITION BY x.i ORDER BY d.w DESC, x.k) AS rank
        FROM (SELECT i, unnest(words) AS k FROM ev) x JOIN word_idf d USING (k)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE ev_actor_w AS
        SELECT x.i, x.k, d.kid, d.w
        FROM (SELECT i, unnest(actors) AS k FROM ev) x JOIN actor_idf d USING (k)
        """
    )
    # Everything a pair's judgement needs, narrow (no lists, dates as day numbers).
    con.execute(
        """
        CREATE OR REPLACE TABLE ev_attr AS
        SELECT ev.i, dense_rank() OVER (ORDER BY ev.article_id) AS art, ev.pos,
               (ev.s - DATE '1970-01-01')::INT AS sd, (ev.e - DATE '1970-01-01')::INT AS ed,
               ev.p IN ('year', 'decade') AND year(ev.e) > year(ev.s) AS multi_year,
               len(ev.actors) > 0 AS has_actors,
               coalesce(wm.mass, 0) AS wmass, coalesce(am.mass, 0) AS amass
        FROM ev
        LEFT JOIN (SELECT i, sum(w) AS mass FROM ev_words GROUP BY i) wm USING (i)
        LEFT JOIN (SELECT i, sum(w) AS mass FROM ev_actor_w GROUP BY i) am USING (i)
        """
    )
    # Time buckets a dated mention may meet others in: the years of its span widened by the
    # type's tolerance (at most 31), and its ISO weeks when that span is two months or less;
    # dated mentions also meet undated ones ("undated" bucket).
    con.execute(
        f"""
        CREATE OR REPLACE TABLE ev_buckets AS
        WITH spans AS (
            SELECT i, s - coalesce(slack, 1)::INTEGER AS lo, e + coalesce(slack, 1)::INTEGER AS hi
            FROM ev LEFT JOIN {_tolerance_sql()} USING (t)
            WHERE s IS NOT NULL
        )
        SELECT i, 'y' || unnest(range(year(lo), least(year(hi), year(lo) + 30) + 1)) AS b FROM spans
        UNION ALL
        SELECT i, 'w' || isoyear(d) || '-' || week(d) AS b FROM (
            SELECT i, monday + (7 * unnest(generate_series(0, (hi - monday) // 7)))::INTEGER AS d
            FROM (SELECT i, hi, lo - (isodow(lo) - 1)::INTEGER AS monday FROM spans WHERE hi - lo <= 62)
        )
        UNION ALL
        SELECT i, 'undated' AS b FROM ev
        """
    )


def _judge(con: duckdb.DuckDBPyConnection, event_type: str, scratch: Path | None, out: Path) -> int:
    """Write to the Parquet file ``out`` the pairs of one type judged to report one event
    (``i, j`` mentions, and their ``score``), most similar first; how many."""
    slack = _tolerance(event_type)
    # Postings: the keys a mention may meet others by. Span keys (its article; its exact
    # span) always make a candidate pair; other keys (an actor or one of its rarest words, in
    # each of its time buckets) must be shared twice. Keys are 64-bit hashes; keys shared by
    # more than MAX_POSTING mentions find nothing (such pairs are still scored if found).
    # This type's rows of the per-mention tables: every part below joins with them, and
    # joining with the whole corpus's tables would cost each part a scan of all of them.
    con.execute(
        "CREATE OR REPLACE TABLE typed AS SELECT i, article_id, s, e FROM ev WHERE t = $type",
        {"type": event_type},
    )
    for table in ("ev_words", "ev_actor_w", "ev_attr"):
        con.execute(
            f"CREATE OR REPLACE TABLE t_{table} AS SELECT x.* FROM {table} x SEMI JOIN typed USING (i)"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE up AS
        WITH p AS (
            SELECT hash('A', article_id) AS key, i, true AS span FROM typed
            UNION ALL
            SELECT hash('S', s, e), i, true FROM typed WHERE s IS NOT NULL
            UNION ALL
            SELECT hash(b.b, 'a', a.kid), typed.i, false
            FROM typed JOIN ev_buckets b USING (i) JOIN t_ev_actor_w a USING (i)
            UNION ALL
            SELECT hash(b.b, 'w', w.kid), typed.i, false
            FROM typed JOIN ev_buckets b USING (i)
            JOIN t_ev_words w ON w.i = typed.i AND w.rank <= {int(RARE_WORDS)}
        ),
        usable AS (SELECT key FROM p GROUP BY key HAVING count(*) BETWEEN 2 AND {int(MAX_POSTING)})
        SELECT p.key, p.i, p.span FROM p JOIN usable USING (key)
        """
    )
    con.execute("CREATE OR REPLACE TABLE accepted (i BIGINT, j BIGINT, score DOUBLE)")
    # Candidate pairs come in parts of bounded size (rasd.sql.shared_key_pairs); each part
    # is judged alone, pairs dated too far apart dropped before their words are compared.
    for _ in shared_key_pairs(
        con,
        "up",
        "candidates",
        scratch,
        having="bool_or(span) OR count(*) FILTER (WHERE NOT span) >= 2",
    ):
        con.execute(
            f"""
            CREATE OR REPLACE TABLE pairs AS
            SELECT c.i, c.j FROM candidates c
            JOIN t_ev_attr ai ON ai.i = c.i JOIN t_ev_attr aj ON aj.i = c.j
            WHERE NOT (ai.art = aj.art AND ai.pos = aj.pos)
              AND (ai.sd IS NULL OR aj.sd IS NULL
                   OR (ai.sd <= aj.ed + {slack} AND aj.sd <= ai.ed + {slack}))
            """
        )
        con.execute(_judge_sql(event_type))
    for table in ("candidates", "pairs", "up", "typed", "t_ev_words", "t_ev_actor_w", "t_ev_attr"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    rows = copy_sorted(
        con,
        "SELECT i::INTEGER AS i, j::INTEGER AS j, score FROM accepted",
        order_by="score DESC, i, j",
        out=out,
        row_group_rows=FETCH_ROWS,
    )
    con.execute("DROP TABLE accepted")
    return rows


def _pairs_in_order(path: Path) -> Iterator[tuple[list[int], list[int]]]:
    """The pairs :func:`_judge` wrote, in their order, in batches (the first mentions, the
    second mentions): Arrow batches turned into two lists of ints, a third cheaper than
    Python tuples, over some 15 pairs per mention."""
    for batch in pq.ParquetFile(path).iter_batches(FETCH_ROWS, columns=["i", "j"]):
        yield batch.column(0).to_numpy().tolist(), batch.column(1).to_numpy().tolist()


def _judge_sql(event_type: str) -> str:
    """``INSERT INTO accepted`` the pairs of the table ``pairs`` (one type) that report one
    event, with their score."""
    slack = _tolerance(event_type)
    one_per_article = "true" if event_type in ONE_PER_ARTICLE else "false"
    # Shared weight of words and of actors per pair (IDF-weighted intersections), by joins
    # with the rows of the pairs' own mentions only (first narrowed by semi-joins: the
    # type's table can hold tens of millions of rows, a part's mentions far fewer).
    shared = """
        SELECT pairs.i, pairs.j, sum(a.w) AS inter
        FROM pairs
        JOIN (SELECT * FROM {table} SEMI JOIN (SELECT DISTINCT i FROM pairs) USING (i)) a
          ON a.i = pairs.i
        JOIN (SELECT * FROM {table} SEMI JOIN (SELECT DISTINCT j AS i FROM pairs) USING (i)) b
          ON b.i = pairs.j AND b.kid = a.kid
        GROUP BY pairs.i, pairs.j
    """
    return f"""
        INSERT INTO accepted
        WITH wshared AS ({shared.format(table="t_ev_words")}),
        ashared AS ({shared.format(table="t_ev_actor_w")}),
        judged AS (
            SELECT pairs.i, pairs.j,
                   ai.art = aj.art AS same_article, ai.pos = aj.pos AS same_pos,
                   ai.sd AS si, ai.ed AS ei_, aj.sd AS sj, aj.ed AS ej_,
                   ai.multi_year AND ai.sd = aj.sd AND ai.ed = aj.ed AS multi_year,
                   ai.has_actors AND aj.has_actors AS both_actors,
                   sa.inter IS NOT NULL AS shared_actor,
                   coalesce(ws.inter, 0) AS wint, ai.wmass AS wmi, aj.wmass AS wmj,
                   coalesce(sa.inter, 0) AS aint, ai.amass AS ami, aj.amass AS amj
            FROM pairs
            JOIN t_ev_attr ai ON ai.i = pairs.i JOIN t_ev_attr aj ON aj.i = pairs.j
            LEFT JOIN wshared ws ON ws.i = pairs.i AND ws.j = pairs.j
            LEFT JOIN ashared sa ON sa.i = pairs.i AND sa.j = pairs.j
        ),
        scored AS (
            SELECT i, j, same_article, si, sj, multi_year, both_actors, shared_actor,
                   -- Rounded: DuckDB sums in parallel, in no fixed order; the last bits of
                   -- a float sum must not decide a threshold or the order of joins.
                   round(CASE WHEN wint > 0 THEN wint / (wmi + wmj - wint) ELSE 0.0 END, 12) AS word_sim,
                   round(CASE WHEN aint > 0 THEN aint / (ami + amj - aint) ELSE 0.0 END, 12) AS actor_sim
            FROM judged
            WHERE NOT (same_article AND same_pos)
              AND (si IS NULL OR sj IS NULL OR (si <= ej_ + {slack} AND sj <= ei_ + {slack}))
        )
        SELECT i, j, round(word_sim + actor_sim, 12) FROM scored
        WHERE CASE
            WHEN si IS NOT NULL AND sj IS NOT NULL THEN
                multi_year
                OR shared_actor
                OR (NOT both_actors AND word_sim >= {SIM_DATED!r})
                OR word_sim >= {2 * SIM_DATED!r}
            WHEN same_article AND {one_per_article} THEN NOT both_actors OR shared_actor
            WHEN both_actors THEN actor_sim >= {ACTORS_UNDATED!r} AND word_sim >= {SIM_UNDATED_ACTORS!r}
            ELSE word_sim >= {SIM_UNDATED!r}
        END
    """


def _join_clusters(con: duckdb.DuckDBPyConnection, scratch: Path | None) -> None:
    """Single link over accepted pairs; writes the table ``ev_root(i, root)``.

    Every type's pairs are judged (in DuckDB) and written in order to a file first; only
    then are the union-find's arrays made, with DuckDB's cache given back (a lower memory
    limit for the time), and the files read in order. At a million articles the arrays are
    ~160 MB: held while DuckDB judged pairs at its memory limit, they made the build's
    peak (2.10 GB)."""
    ((n,),) = con.execute("SELECT count(*) FROM ev").fetchall()  # (whole: no result left open)
    # Four bytes per mention and array: 13M mentions (a million articles) take ~160 MB.
    if n >= 2**31:
        raise ValueError(f"{n} event mentions: more than one clustering run can number")
    types = [r[0] for r in con.execute("SELECT DISTINCT t FROM ev ORDER BY t").fetchall()]
    # (beside the scratch folder of candidate pairs, on the build's disk: ~1 GB at 1M)
    beside = scratch.parent if scratch is not None else None
    with tempfile.TemporaryDirectory(prefix="accepted-", dir=beside) as tmp:
        judged = []
        for k, event_type in enumerate(types):
            path = Path(tmp) / f"{k}.parquet"
            _judge(con, event_type, scratch, path)
            judged.append((event_type, path))
        with _memory_given_back(con):
            _union_find(con, n, judged)


@contextmanager
def _memory_given_back(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's memory limit lowered to :data:`IDLE_MEMORY` for the time (its cached blocks
    evicted, their memory freed), then set back."""
    ((limit,),) = con.execute("SELECT current_setting('memory_limit')").fetchall()
    try:
        con.execute(f"SET memory_limit = '{IDLE_MEMORY}'")
    except duckdb.Error:  # what it holds cannot be given back: keep the limit
        yield
        return
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{limit}'")


def _union_find(con: duckdb.DuckDBPyConnection, n: int, judged: list[tuple[str, Path]]) -> None:
    """Join the ``n`` mentions of ``ev`` over the pairs of each ``(type, file)`` of
    ``judged`` in turn, most similar first; writes ``ev_root(i, root)``."""
    parent = array("i", range(n))
    lo = array("i", [_NO_DAY]) * n  # the cluster's agreed span (by its root)
    hi = array("i", [_NO_DAY]) * n
    spans = con.sql(
        "SELECT i, (s - DATE '1970-01-01')::INT, (e - DATE '1970-01-01')::INT FROM ev WHERE s IS NOT NULL"
    )
    lo_view, hi_view = np.frombuffer(lo, dtype=np.int32), np.frombuffer(hi, dtype=np.int32)
    for batch in spans.to_arrow_reader(FETCH_ROWS):
        rows = batch.column(0).to_numpy()
        lo_view[rows], hi_view[rows] = batch.column(1).to_numpy(), batch.column(2).to_numpy()
    del lo_view, hi_view  # (a view would keep the arrays from being freed)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for event_type, path in judged:
        slack = _tolerance(event_type)
        for firsts, seconds in _pairs_in_order(path):
            for i, j in zip(firsts, seconds, strict=True):
                ri = i if parent[i] == i else find(i)
                rj = j if parent[j] == j else find(j)
                if ri == rj:
                    continue
                a0, b0 = lo[ri], lo[rj]
                if a0 != _NO_DAY and b0 != _NO_DAY:
                    a1, b1 = hi[ri], hi[rj]
                    if not (a0 <= b1 + slack and b0 <= a1 + slack):
                        continue  # dated reports that disagree never join
                    start, end = max(a0, b0), min(a1, b1)
                    if start > end:  # within the tolerance, not intersecting: keep both days
                        start, end = min(a0, b0), max(a1, b1)
                    lo[ri], hi[ri] = start, end
                elif a0 == _NO_DAY:
                    lo[ri], hi[ri] = b0, hi[rj]
                parent[rj] = ri
    del lo, hi
    for x in range(n):  # every mention points at its root
        parent[x] = find(x)
    table = pa.table(
        {"i": np.arange(n, dtype=np.int64), "root": np.frombuffer(parent, dtype=np.int32)}
    )
    con.register("ev_root_arrow", table)
    con.execute("CREATE OR REPLACE TABLE ev_root AS SELECT * FROM ev_root_arrow")
    con.unregister("ev_root_arrow")


def _cluster_ids(con: duckdb.DuckDBPyConnection, out_table: str) -> None:
    """``out_table(event_id, cluster_id)``: the reference's ids, computed per cluster in SQL.

    A cluster's key depends on its own mentions only, so keys are computed for one part of
    the clusters at a time (by ``hash(root)``, about ``ID_PART_ROWS`` word rows each): at a
    million articles, counting every cluster's words at once (150M word rows) does not fit
    the memory limit. Only the numbering of clusters whose keys collide looks at all of them.
    """
    rank = _rank_sql("ev.p")
    ((n_words,),) = con.execute("SELECT count(*) FROM ev_words").fetchall()
    parts = max(1, -(-int(n_words) // ID_PART_ROWS))
    con.execute("CREATE OR REPLACE TABLE cl_keyed (root INTEGER, first_row BIGINT, key VARCHAR)")
    for part in range(parts):
        in_part = f"hash(r.root) % {parts} = {part}"
        con.execute(
            f"""
            INSERT INTO cl_keyed
            WITH m AS (
                SELECT ev.i, r.root, ev.event_id, ev.t, ev.s, {rank} AS rank, ev.actors
                FROM ev JOIN ev_root r USING (i) WHERE {in_part}
            ),
            sizes AS (
                SELECT root, count(*) AS n, min(i) AS first_row, any_value(t) AS t,
                       bool_and(len(actors) = 0) AS no_actors
                FROM m GROUP BY root
            ),
            dated AS (
                SELECT root, min(rank) AS finest FROM m WHERE s IS NOT NULL GROUP BY root
            ),
            first_day AS (
                SELECT m.root, min(m.s) AS first FROM m JOIN dated d ON d.root = m.root AND m.rank = d.finest
                GROUP BY m.root
            ),
            actor_counts AS (
                SELECT root, a, count(*) AS k FROM (SELECT root, unnest(actors) AS a FROM m)
                GROUP BY root, a
            ),
            core AS (
                SELECT c.root,
                       list(a ORDER BY a) FILTER (WHERE 2 * k >= s.n) AS major,
                       list(a ORDER BY a) AS every
                FROM actor_counts c JOIN sizes s USING (root) GROUP BY c.root
            ),
            word_bag AS (
                -- words name only the clusters no mention of which has an actor
                SELECT r.root, w.k, count(*) * any_value(w.w) AS weight
                FROM ev_root r JOIN ev_words w USING (i)
                WHERE {in_part} AND r.root IN (SELECT root FROM sizes WHERE no_actors)
                GROUP BY r.root, w.k
            ),
            rare AS (
                SELECT root, list(k ORDER BY k) AS words FROM (
                    SELECT root, k, row_number() OVER (PARTITION BY root ORDER BY weight DESC, k) AS rn
                    FROM word_bag
                ) WHERE rn <= 4 GROUP BY root
            )
            SELECT s.root, s.first_row,
                   s.t || '|' ||
                   CASE WHEN f.first IS NULL THEN 'undated'
                        ELSE strftime(f.first, '%Y-%m-%d') || '/' || d.finest END || '|' ||
                   CASE WHEN len(coalesce(c.major, [])) > 0 THEN array_to_string(c.major, ',')
                        WHEN len(coalesce(c.every, [])) > 0 THEN array_to_string(c.every[1:3], ',')
                        ELSE '~' || array_to_string(coalesce(rare.words, []), ',') END AS key
            FROM sizes s LEFT JOIN dated d USING (root) LEFT JOIN first_day f USING (root)
            LEFT JOIN core c USING (root) LEFT JOIN rare USING (root)
            """
        )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {out_table} AS
        WITH named AS (
            SELECT root, 'evc-' || sha1(key)[1:12] AS cid,
                   row_number() OVER (PARTITION BY sha1(key)[1:12] ORDER BY first_row) AS nth
            FROM cl_keyed
        )
        SELECT ev.event_id, CASE WHEN nth > 1 THEN cid || '-' || nth ELSE cid END AS cluster_id
        FROM ev JOIN ev_root r USING (i) JOIN named USING (root)
        """
    )
    con.execute("DROP TABLE cl_keyed")


def cluster_table(
    con: duckdb.DuckDBPyConnection, source: str, out_table: str, scratch: Path | None = None
) -> int:
    """Cluster the event mentions of ``source`` into the temp table ``out_table``.

    Args:
        con: a DuckDB connection (its memory limit and temp directory apply).
        source: SQL yielding ``event_id, article_id, event_type, date_start, date_end,
            date_precision, actor_ids, evidence_start, evidence_keys``.
        out_table: name of the temp table to create with ``event_id, cluster_id``.
        scratch: a directory for candidate pairs written in parts (a temporary one if
            not given); it is left empty.

    Returns:
        The number of clusters.
    """
    _prepare(con, source)
    _join_clusters(con, scratch)
    _cluster_ids(con, out_table)
    for table in (
        "ev_root",
        "ev_buckets",
        "ev_attr",
        "ev_actor_w",
        "ev_words",
        "word_idf",
        "actor_idf",
        "ev",
    ):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    ((clusters,),) = con.execute(f"SELECT count(DISTINCT cluster_id) FROM {out_table}").fetchall()
    return int(clusters)


__all__ = ["FETCH_ROWS", "cluster_table"]
