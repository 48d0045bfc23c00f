"""The data contract: table schemas, column documentation and the schema version.

Every column written by ``rasd build`` is declared here once, with a one-line meaning; the
README's data section is checked against these docs by a test.
"""

from __future__ import annotations

import pyarrow as pa

#: Bumped whenever a table gains, loses or changes a column. Readers refuse other versions.
SCHEMA_VERSION = 1

PRECISIONS = ("day", "month", "year", "unknown")
BASES = ("metadata", "explicit", "inferred", "unknown")

ARTICLES = pa.schema(
    [
        ("article_id", pa.string()),
        ("outlet_id", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("published_precision", pa.string()),
        ("published_basis", pa.string()),
        ("published_evidence", pa.string()),
        ("text", pa.string()),
        ("text_norm", pa.string()),
        ("n_chars", pa.int32()),
        ("duplicate_of", pa.string()),
        ("duplicate_kind", pa.string()),
        ("duplicate_similarity", pa.float32()),
        ("source_ref", pa.string()),
    ]
)

ENTITIES = pa.schema(
    [
        ("entity_id", pa.string()),
        ("name_ar", pa.string()),
        ("name_en", pa.string()),
        ("type", pa.string()),
        ("wikidata_id", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("n_mentions", pa.int32()),
        ("n_articles", pa.int32()),
    ]
)

MENTIONS = pa.schema(
    [
        ("article_id", pa.string()),
        ("entity_id", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("surface", pa.string()),
        ("sentence_idx", pa.int32()),
    ]
)

EVENTS = pa.schema(
    [
        ("event_id", pa.string()),
        ("article_id", pa.string()),
        ("cluster_id", pa.string()),
        ("event_type", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("date_basis", pa.string()),
        ("actor_ids", pa.list_(pa.string())),
        ("location_id", pa.string()),
        ("evidence", pa.string()),
        ("evidence_start", pa.int32()),
        ("evidence_end", pa.int32()),
        ("confidence", pa.float32()),
    ]
)

QUARANTINE = pa.schema(
    [
        ("source_ref", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("disposition", pa.string()),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "entities": ENTITIES,
    "mentions": MENTIONS,
    "events": EVENTS,
    "quarantine": QUARANTINE,
}

#: One line per column; the README data section must mention every one (tested).
COLUMN_DOCS: dict[str, dict[str, str]] = {
    "articles": {
        "article_id": "stable id: hash of outlet and URL, or of outlet, file name, position and text",
        "outlet_id": "URL-safe id of the outlet (from the URL's host, else a slug of the name)",
        "outlet": "outlet name as the input gave it",
        "url": "article URL when the input gave one (null otherwise)",
        "title": "headline (null when the input has none; never invented)",
        "published_at": "publication time in UTC (null when unknown)",
        "published_precision": "day, month, year or unknown (a printed time is kept in published_at)",
        "published_basis": "metadata (an input field), explicit (printed in the text), "
        "inferred (evidence recorded) or unknown",
        "published_evidence": "the words or field the date came from, or why it was not used",
        "text": "clean article body; all offsets point into it",
        "text_norm": "normalised title and body for search (never displayed)",
        "n_chars": "length of the clean body in characters",
        "duplicate_of": "article_id of the first copy when this row is a duplicate",
        "duplicate_kind": "exact or near (null for originals)",
        "duplicate_similarity": "estimated Jaccard similarity of word shingles to the original",
        "source_ref": "input file, and line or row, the record came from",
    },
    "entities": {
        "entity_id": "stable id of the canonical entity",
        "name_ar": "canonical Arabic name",
        "name_en": "canonical English name",
        "type": "PERSON, ORG, GPE, LOC, FAC or EVENT",
        "wikidata_id": "Wikidata Q-id when known",
        "aliases": "Arabic spellings and variants matched",
        "n_mentions": "number of mentions in the corpus",
        "n_articles": "number of articles that mention it",
    },
    "mentions": {
        "article_id": "article the mention is in",
        "entity_id": "entity mentioned",
        "start": "start offset into articles.text",
        "end": "end offset (exclusive) into articles.text",
        "surface": "the text as written",
        "sentence_idx": "index of the sentence in the article",
    },
    "events": {
        "event_id": "stable id of the event mention",
        "article_id": "article that reports it",
        "cluster_id": "same real-world event across articles",
        "event_type": "type from the event taxonomy",
        "date_start": "first day the event may have happened",
        "date_end": "last day the event may have happened",
        "date_precision": "day, week, month, quarter, year, decade or unknown",
        "date_basis": "explicit, relative, inferred or unknown",
        "actor_ids": "entity ids of the actors",
        "location_id": "entity id of the place",
        "evidence": "the sentence that reports the event",
        "evidence_start": "start offset of the evidence in articles.text",
        "evidence_end": "end offset of the evidence in articles.text",
        "confidence": "extractor confidence between 0 and 1",
    },
    "quarantine": {
        "source_ref": "input file, and line or row, of the rejected record",
        "reason": "machine-readable reason (empty, not_decodable, binary, malformed_json, ...)",
        "detail": "a sentence saying what was wrong",
        "disposition": "rejected (not in articles) or kept (in articles, with the problem noted)",
    },
}

# -- derived tables ----------------------------------------------------------------------
# Optional aggregates written by rasd.aggregates at the end of a build (``agg_*.parquet``).
# They only restate the tables above; a dataset without them is complete (the query layer
# then answers from the base tables, with the same results), so they do not change
# SCHEMA_VERSION. Per-article tables share the key columns of AGG_KEYS.

_AGG_KEYS = [
    ("outlet_id", pa.string()),
    ("day", pa.date32()),
    ("published_precision", pa.string()),
    ("is_duplicate", pa.bool_()),
]
_AGG_KEY_DOCS = {
    "outlet_id": "outlet of the counted articles",
    "day": "publication day in UTC (null when undated)",
    "published_precision": "precision of the publication date (a month-precise date "
    "overlaps a range until the month's last day)",
    "is_duplicate": "whether the counted articles are copies (duplicate_of set)",
}

AGG_ARTICLES = pa.schema(
    [
        ("outlet_id", pa.string()),
        ("outlet", pa.string()),
        ("day", pa.date32()),
        ("published_precision", pa.string()),
        ("published_basis", pa.string()),
        ("is_duplicate", pa.bool_()),
        ("n", pa.int64()),
        ("min_published_at", pa.timestamp("us", tz="UTC")),
        ("max_published_at", pa.timestamp("us", tz="UTC")),
    ]
)
#: What an entity's or event type's rows carry besides the keys so that, for one entity or
#: one type, they are that selection's ``agg_articles`` (``n_articles`` as ``n``).
_AGG_ARTICLE_EXTRAS = [
    ("outlet", pa.string()),
    ("published_basis", pa.string()),
    ("min_published_at", pa.timestamp("us", tz="UTC")),
    ("max_published_at", pa.timestamp("us", tz="UTC")),
]
_AGG_ARTICLE_EXTRA_DOCS = {
    "outlet": "outlet name",
    "published_basis": "where the publication date came from",
    "min_published_at": "earliest publication time among the counted articles",
    "max_published_at": "latest publication time among the counted articles",
}
AGG_ENTITIES = pa.schema(
    [
        ("entity_id", pa.string()),
        *_AGG_KEYS,
        *_AGG_ARTICLE_EXTRAS,
        ("n_mentions", pa.int64()),
        ("n_articles", pa.int64()),
        ("n_sentences", pa.int64()),
    ]
)
AGG_EVENT_TYPES = pa.schema(
    [
        ("event_type", pa.string()),
        *_AGG_KEYS,
        *_AGG_ARTICLE_EXTRAS,
        ("n_articles", pa.int64()),
        ("n_reports", pa.int64()),
    ]
)
AGG_WINDOWS = pa.schema([("window", pa.string()), *_AGG_KEYS, ("n_windows", pa.int64())])
AGG_COOCCURRENCE = pa.schema(
    [
        ("window", pa.string()),
        *_AGG_KEYS,
        ("entity_a", pa.string()),
        ("entity_b", pa.string()),
        ("n_xy", pa.int64()),
    ]
)
AGG_COOCCURRENCE_TOTAL = pa.schema(
    [
        ("window", pa.string()),
        ("outlet_id", pa.string()),
        ("is_duplicate", pa.bool_()),
        ("dated", pa.bool_()),
        ("entity_a", pa.string()),
        ("entity_b", pa.string()),
        ("n_xy", pa.int64()),
    ]
)
AGG_CLUSTERS = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("event_type", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("date_basis", pa.string()),
        ("n_reports", pa.int64()),
        ("n_articles", pa.int64()),
        ("n_outlets", pa.int64()),
        ("outlets", pa.list_(pa.string())),
        ("outlet_ids", pa.list_(pa.string())),
        ("first_outlet", pa.string()),
        ("first_outlet_id", pa.string()),
        ("first_article_id", pa.string()),
        ("first_published_at", pa.timestamp("us", tz="UTC")),
        ("actor_ids", pa.list_(pa.string())),
        ("actors_ar", pa.list_(pa.string())),
        ("actors_en", pa.list_(pa.string())),
        ("location_id", pa.string()),
        ("confidence", pa.float32()),
        ("evidence", pa.string()),
    ]
)
AGG_CLUSTER_OUTLETS = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("outlet_id", pa.string()),
        ("outlet", pa.string()),
        ("n_articles", pa.int64()),
        ("n_copies", pa.int64()),
        ("first_at", pa.timestamp("us", tz="UTC")),
        ("first_precision", pa.string()),
        ("multi_article", pa.bool_()),
        ("event_type", pa.string()),
    ]
)
_COUNTS = pa.list_(pa.struct([("id", pa.string()), ("n", pa.int64())]))
AGG_CLUSTER_REPORTS = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("outlet_id", pa.string()),
        ("outlet", pa.string()),
        ("event_type", pa.string()),
        ("n_reports", pa.int64()),
        ("n_articles", pa.int64()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("date_rank", pa.int32()),
        ("date_basis_rank", pa.int32()),
        ("worst_basis_rank", pa.int32()),
        ("first_published_at", pa.timestamp("us", tz="UTC")),
        ("first_article_id", pa.string()),
        ("first_evidence_start", pa.int32()),
        ("first_event_id", pa.string()),
        ("confidence", pa.float32()),
        ("actor_counts", _COUNTS),
        ("place_counts", _COUNTS),
        ("evidence", pa.string()),
        ("n_outlets", pa.int64()),
    ]
)
AGG_CLUSTER_DAYS = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("outlet_id", pa.string()),
        ("day", pa.date32()),
        ("published_precision", pa.string()),
        ("is_duplicate", pa.bool_()),
        ("outlet", pa.string()),
        ("n_articles", pa.int64()),
        ("n_copies", pa.int64()),
        ("first_at", pa.timestamp("us", tz="UTC")),
        ("first_precision", pa.string()),
        ("multi_article", pa.bool_()),
        ("event_type", pa.string()),
    ]
)
AGG_CLUSTER_ENTITIES = pa.schema(
    [("entity_id", pa.string()), ("cluster_id", pa.string()), ("outlet_id", pa.string())]
)
AGG_ENTITY_SENTENCES = pa.schema(
    [
        ("entity_id", pa.string()),
        ("article_id", pa.string()),
        ("sentence_idx", pa.int32()),
        ("mention_starts", pa.list_(pa.int32())),
        ("mention_ends", pa.list_(pa.int32())),
        ("surfaces", pa.list_(pa.string())),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("outlet_id", pa.string()),
        ("day", pa.date32()),
        ("published_precision", pa.string()),
        ("is_duplicate", pa.bool_()),
        ("article_row", pa.int64()),
    ]
)
AGG_CLUSTER_ENTITY_DAYS = pa.schema(
    [
        ("entity_id", pa.string()),
        ("cluster_id", pa.string()),
        ("outlet_id", pa.string()),
        ("day", pa.date32()),
        ("published_precision", pa.string()),
        ("is_duplicate", pa.bool_()),
    ]
)
AGG_ENTITY_CLUSTERS = pa.schema(
    [
        ("entity_id", pa.string()),
        ("cluster_id", pa.string()),
        ("event_type", pa.string()),
        ("n_reports", pa.int64()),
        ("n_articles", pa.int64()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("agg_row", pa.int64()),
    ]
)
AGG_TYPE_ENTITIES = pa.schema(
    [
        ("event_type", pa.string()),
        ("entity_id", pa.string()),
        ("outlet_id", pa.string()),
        ("day", pa.date32()),
        ("published_precision", pa.string()),
        ("is_duplicate", pa.bool_()),
        ("n_articles", pa.int64()),
        ("n_mentions", pa.int64()),
    ]
)
AGG_CLUSTER_TOTALS = pa.schema(
    [
        ("cluster_id", pa.string()),
        ("event_type", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("evidence", pa.string()),
        ("cluster_outlets", pa.int64()),
        ("cluster_articles", pa.int64()),
        ("cluster_first_at", pa.timestamp("us", tz="UTC")),
    ]
)
AGG_ARTICLE_ENTITIES = pa.schema(
    [
        ("article_id", pa.string()),
        ("article_row", pa.int64()),
        ("entity_id", pa.string()),
        ("n_mentions", pa.int64()),
        ("n_sentences", pa.int64()),
    ]
)
AGG_TYPE_ARTICLES = pa.schema(
    [("event_type", pa.string()), ("article_id", pa.string()), ("article_row", pa.int64())]
)
AGG_ARTICLE_WINDOWS = pa.schema(
    [("article_id", pa.string()), ("article_row", pa.int64()), ("n_sentences", pa.int64())]
)
AGG_ARTICLE_PAIRS = pa.schema(
    [
        ("article_id", pa.string()),
        ("article_row", pa.int64()),
        ("entity_a", pa.string()),
        ("entity_b", pa.string()),
        ("n_sentences", pa.int64()),
    ]
)
AGG_ARTICLE_CLUSTERS = pa.schema(
    [
        ("article_id", pa.string()),
        ("article_row", pa.int64()),
        ("cluster_id", pa.string()),
        ("event_type", pa.string()),
        ("n_reports", pa.int64()),
        ("date_key", pa.int64()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("solo", pa.bool_()),
        ("agg_row", pa.int64()),
    ]
)
AGG_STORY_ARTICLES = pa.schema(
    [
        ("article_id", pa.string()),
        ("article_row", pa.int64()),
        ("cluster_id", pa.string()),
        ("event_type", pa.string()),
    ]
)
AGG_SYNDICATION = pa.schema(
    [
        ("copy_id", pa.string()),
        ("copy_outlet_id", pa.string()),
        ("copy_outlet", pa.string()),
        ("copy_title", pa.string()),
        ("copy_published_at", pa.timestamp("us", tz="UTC")),
        ("copy_precision", pa.string()),
        ("copy_row", pa.int64()),
        ("original_id", pa.string()),
        ("original_outlet_id", pa.string()),
        ("original_outlet", pa.string()),
        ("original_title", pa.string()),
        ("original_published_at", pa.timestamp("us", tz="UTC")),
        ("original_precision", pa.string()),
        ("original_row", pa.int64()),
        ("kind", pa.string()),
        ("similarity", pa.float32()),
    ]
)
AGG_TERMS = pa.schema([("article_id", pa.string()), ("tok", pa.string()), ("n", pa.int64())])

AGG_WRITTEN = pa.schema([("tok", pa.string()), ("n", pa.int64())])

AGG_TEXT_INDEX = pa.schema(
    [("token", pa.string()), ("n_articles", pa.int32()), ("article_rows", pa.list_(pa.int32()))]
)

DERIVED_TABLES: dict[str, pa.Schema] = {
    "agg_articles": AGG_ARTICLES,
    "agg_entities": AGG_ENTITIES,
    "agg_event_types": AGG_EVENT_TYPES,
    "agg_windows": AGG_WINDOWS,
    "agg_cooccurrence": AGG_COOCCURRENCE,
    "agg_cooccurrence_total": AGG_COOCCURRENCE_TOTAL,
    "agg_clusters": AGG_CLUSTERS,
    "agg_cluster_outlets": AGG_CLUSTER_OUTLETS,
    "agg_cluster_reports": AGG_CLUSTER_REPORTS,
    "agg_cluster_days": AGG_CLUSTER_DAYS,
    "agg_cluster_entities": AGG_CLUSTER_ENTITIES,
    "agg_cluster_entity_days": AGG_CLUSTER_ENTITY_DAYS,
    "agg_entity_sentences": AGG_ENTITY_SENTENCES,
    "agg_entity_clusters": AGG_ENTITY_CLUSTERS,
    "agg_type_entities": AGG_TYPE_ENTITIES,
    "agg_article_clusters": AGG_ARTICLE_CLUSTERS,
    "agg_shared_events": EVENTS,
    "agg_article_entities": AGG_ARTICLE_ENTITIES,
    "agg_article_windows": AGG_ARTICLE_WINDOWS,
    "agg_type_articles": AGG_TYPE_ARTICLES,
    "agg_article_pairs": AGG_ARTICLE_PAIRS,
    "agg_cluster_totals": AGG_CLUSTER_TOTALS,
    "agg_story_articles": AGG_STORY_ARTICLES,
    "agg_syndication": AGG_SYNDICATION,
    "agg_terms": AGG_TERMS,
    "agg_written": AGG_WRITTEN,
    "agg_text_index": AGG_TEXT_INDEX,
}

#: One line per column of the derived tables.
DERIVED_COLUMN_DOCS: dict[str, dict[str, str]] = {
    "agg_articles": {
        "outlet_id": _AGG_KEY_DOCS["outlet_id"],
        "outlet": "outlet name",
        "day": _AGG_KEY_DOCS["day"],
        "published_precision": _AGG_KEY_DOCS["published_precision"],
        "published_basis": "how the publication date was obtained",
        "is_duplicate": _AGG_KEY_DOCS["is_duplicate"],
        "n": "article rows",
        "min_published_at": "earliest publication time in the group",
        "max_published_at": "latest publication time in the group",
    },
    "agg_entities": {
        "entity_id": "entity mentioned",
        **_AGG_KEY_DOCS,
        **_AGG_ARTICLE_EXTRA_DOCS,
        "n_mentions": "mentions of the entity in those articles",
        "n_articles": "articles that mention it",
        "n_sentences": "sentences (article, sentence_idx) that mention it",
    },
    "agg_event_types": {
        "event_type": "event type",
        **_AGG_KEY_DOCS,
        **_AGG_ARTICLE_EXTRA_DOCS,
        "n_articles": "articles reporting an event of the type",
        "n_reports": "event mentions of the type",
    },
    "agg_windows": {
        "window": "sentence or article: the co-occurrence window",
        **_AGG_KEY_DOCS,
        "n_windows": "windows that mention at least one entity",
    },
    "agg_cooccurrence": {
        "window": "sentence or article",
        **_AGG_KEY_DOCS,
        "entity_a": "first entity of the pair (entity_a < entity_b)",
        "entity_b": "second entity of the pair",
        "n_xy": "windows that mention both",
    },
    "agg_cooccurrence_total": {
        "window": "sentence or article",
        "outlet_id": _AGG_KEY_DOCS["outlet_id"],
        "is_duplicate": _AGG_KEY_DOCS["is_duplicate"],
        "dated": "whether the articles have a publication day (a date range that spans "
        "every day keeps exactly these)",
        "entity_a": "first entity of the pair (entity_a < entity_b)",
        "entity_b": "second entity of the pair",
        "n_xy": "windows that mention both, over every day (agg_cooccurrence summed)",
    },
    "agg_clusters": {
        "cluster_id": "event cluster (one real-world event; most covered first)",
        "event_type": "its type",
        "date_start": "first day of the most precise dated report",
        "date_end": "last day of the most precise dated report",
        "date_precision": "precision of that report (unknown when undated)",
        "date_basis": "worst basis among the dated reports",
        "n_reports": "event mentions in the cluster",
        "n_articles": "articles reporting it",
        "n_outlets": "outlets reporting it",
        "outlets": "outlet names",
        "outlet_ids": "outlet ids",
        "first_outlet": "outlet of the earliest dated report's article",
        "first_outlet_id": "its id",
        "first_article_id": "that article",
        "first_published_at": "its publication time",
        "actor_ids": "actors, most frequent first",
        "actors_ar": "their Arabic names",
        "actors_en": "their English names",
        "location_id": "most frequent place",
        "confidence": "highest extractor confidence",
        "evidence": "sentence of the earliest published report",
    },
    "agg_cluster_outlets": {
        "cluster_id": "event cluster (sorted by multi_article, then cluster)",
        "outlet_id": "outlet that reported it (a copy reports its original's events)",
        "outlet": "outlet name",
        "n_articles": "the outlet's articles reporting it, copies included",
        "n_copies": "of which copies",
        "first_at": "the outlet's first day-precise publication on it",
        "first_precision": "precision of that publication (minute or day)",
        "multi_article": "whether the story has more than one article (any outlet or day)",
        "event_type": "the story's type (a story has one)",
    },
    "agg_cluster_reports": {
        "cluster_id": "event cluster (sorted by outlet, shared or not, most articles, reports)",
        "outlet_id": "outlet of the reports summed in this row",
        "outlet": "outlet name",
        "event_type": "the cluster's type",
        "n_reports": "the outlet's event mentions in the cluster",
        "n_articles": "its articles reporting it",
        "date_start": "first day of its most precise dated report (then most direct, earliest)",
        "date_end": "last day of that report",
        "date_precision": "precision of that report",
        "date_rank": "rank of that precision (0 = day; see rasd.query_events.PRECISION_RANK)",
        "date_basis_rank": "rank of that report's basis (0 = explicit; BASIS_RANK)",
        "worst_basis_rank": "rank of the least direct basis among its dated reports",
        "first_published_at": "earliest publication among its reports",
        "first_article_id": "article of its first report (earliest, then article, offset, id)",
        "first_evidence_start": "offset of that report's sentence",
        "first_event_id": "that report",
        "confidence": "highest extractor confidence among its reports",
        "actor_counts": "actors its reports name, with how many reports name each",
        "place_counts": "places of its reports, with how many reports give each",
        "evidence": "sentence of its first report",
        "n_outlets": "outlets that reported the cluster (its rows in this table)",
    },
    "agg_cluster_days": {
        "cluster_id": "event cluster (sorted by day first)",
        "outlet_id": "outlet that reported it",
        "day": "publication day of those articles (UTC; null when undated)",
        "published_precision": "their publication date's precision",
        "is_duplicate": "whether they are copies",
        "outlet": "outlet name",
        "n_articles": "articles reporting it with these keys",
        "n_copies": "of which copies",
        "first_at": "the first day-precise publication among them",
        "first_precision": "precision of that publication (minute or day)",
        "multi_article": "whether the story has more than one article (any outlet or day)",
        "event_type": "the story's type (a story has one)",
    },
    "agg_cluster_entities": {
        "entity_id": "entity a report of the cluster names (actor, place, or in its evidence)",
        "cluster_id": "event cluster",
        "outlet_id": "outlet of the article of that report",
    },
    "agg_cluster_entity_days": {
        "entity_id": "entity a report of the cluster names (as in agg_cluster_entities)",
        "cluster_id": "event cluster (sorted by entity, then cluster)",
        "outlet_id": "outlet of an article telling that report: its own, or a copy of it",
        "day": "publication day of that article (UTC; null when undated)",
        "published_precision": "its publication date's precision",
        "is_duplicate": "whether it is a copy",
    },
    "agg_entity_sentences": {
        "entity_id": "entity (sorted by publication year, entity, newest first)",
        "article_id": "article with a sentence naming it",
        "sentence_idx": "that sentence (rasd.sentences.split_sentences of the text)",
        "mention_starts": "offsets of the entity's mentions in it, in order",
        "mention_ends": "their ends",
        "surfaces": "their spellings",
        "published_at": "the article's publication time",
        "outlet_id": "its outlet",
        "day": "its publication day (UTC; null when undated)",
        "published_precision": "its publication date's precision",
        "is_duplicate": "whether it is a copy",
        "article_row": "its row in articles.parquet",
    },
    "agg_type_entities": {
        "event_type": "event type some event of the articles is (sorted by it)",
        "entity_id": "entity the articles mention",
        "outlet_id": "their outlet",
        "day": "their publication day (UTC)",
        "published_precision": "their publication date's precision",
        "is_duplicate": "whether they are copies",
        "n_articles": "articles with these keys reporting the type and naming the entity",
        "n_mentions": "mentions of the entity in them",
    },
    "agg_entity_clusters": {
        "entity_id": "entity some report of the cluster names (sorted by it)",
        "cluster_id": "event cluster (agg_cluster_entities without outlets)",
        "event_type": "its event type (as agg_clusters)",
        "n_reports": "its reports (as agg_clusters)",
        "n_articles": "articles reporting it (as agg_clusters)",
        "date_start": "its start (as agg_clusters)",
        "date_end": "its end (as agg_clusters)",
        "agg_row": "its row in agg_clusters.parquet (then sorted by it: most covered first)",
    },
    "agg_cluster_totals": {
        "cluster_id": "event cluster (sorted by it, those of several articles first)",
        "event_type": "its event type",
        "date_start": "earliest start among its reports",
        "date_end": "latest end among its reports",
        "date_precision": "precision of the earliest-starting report",
        "evidence": "sentence of its most confident report",
        "cluster_outlets": "outlets that reported it (rows of agg_cluster_outlets)",
        "cluster_articles": "articles reporting it, copies included",
        "cluster_first_at": "first day-precise publication on it, any outlet",
    },
    "agg_article_entities": {
        "article_id": "article (sorted by it, then entity)",
        "article_row": "its row in articles.parquet (0-based)",
        "entity_id": "an entity it mentions",
        "n_mentions": "its mentions in the article",
        "n_sentences": "the article's sentences that mention it",
    },
    "agg_type_articles": {
        "event_type": "an event type (sorted by it, then article)",
        "article_id": "an article reporting an event of that type",
        "article_row": "that article's row in articles.parquet (0-based)",
    },
    "agg_article_windows": {
        "article_id": "article with at least one mention (sorted by it)",
        "article_row": "its row in articles.parquet (0-based)",
        "n_sentences": "its sentences that mention an entity (its sentence windows)",
    },
    "agg_article_pairs": {
        "article_id": "article (sorted by publication year, then by it)",
        "article_row": "its row in articles.parquet (0-based)",
        "entity_a": "an entity named in one of its sentences",
        "entity_b": "another entity named in the same sentence (entity_a < entity_b)",
        "n_sentences": "the article's sentences that name both",
    },
    "agg_article_clusters": {
        "article_id": "article (those of clusters of several articles first, then by id)",
        "article_row": "its row in articles.parquet (0-based)",
        "cluster_id": "a cluster its events report",
        "event_type": "the cluster's event type",
        "n_reports": "the article's reports in the cluster",
        "date_key": "order key of its best-dated report (rasd.query_events.DATE_ORDER)",
        "date_start": "that report's start (null when none of them is dated)",
        "date_end": "that report's end",
        "solo": "whether the cluster has this one article (its row is then the cluster's)",
        "agg_row": "the cluster's row number in agg_clusters",
    },
    # the events of the clusters of several articles (sorted by cluster, then event)
    "agg_shared_events": COLUMN_DOCS["events"],
    "agg_story_articles": {
        "article_id": "article telling a story of several articles (sorted by it)",
        "article_row": "its row number in articles.parquet",
        "cluster_id": "that story: one of the article's events, or of its original's",
        "event_type": "the story's event type",
    },
    "agg_syndication": {
        "copy_id": "article recorded as a duplicate (most similar pairs first)",
        "copy_outlet_id": "its outlet",
        "copy_outlet": "its outlet's name",
        "copy_title": "its title",
        "copy_published_at": "its publication time",
        "copy_precision": "precision of that time",
        "copy_row": "its row in articles.parquet",
        "original_id": "the article it duplicates",
        "original_outlet_id": "its outlet",
        "original_outlet": "its outlet's name",
        "original_title": "its title",
        "original_published_at": "its publication time",
        "original_precision": "precision of that time",
        "original_row": "its row in articles.parquet",
        "kind": "exact or near duplicate",
        "similarity": "estimated Jaccard similarity of the two texts",
    },
    "agg_terms": {
        "article_id": "article of the fixed vocabulary sample (up to 1,000 per outlet, by hash)",
        "tok": "token of its text_norm (null: the article has none)",
        "n": "occurrences of the token in the article (0 when it has none)",
    },
    "agg_written": {
        "tok": "a word as written (marks kept) in the title or text of the vocabulary sample",
        "n": "its occurrences there (labels show a term's most frequent written form)",
    },
    "agg_text_index": {
        "token": "a space-separated word of text_norm, punctuation kept (the free-text index)",
        "n_articles": "articles of this row's batch whose text_norm has the token",
        "article_rows": "their row numbers in articles.parquet, ascending (a token has a "
        "row per batch of 20,000 articles it occurs in)",
    },
}
