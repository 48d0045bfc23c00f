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
