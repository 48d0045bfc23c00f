"""Small built datasets written directly with pyarrow, for UI and hostile-data tests.

``write_dataset`` produces a directory that :func:`rasd.query.open_dataset` accepts (every
table of :data:`rasd.schema.TABLES`, a manifest with the current schema version), without
running the build. The default corpus covers what the pages must show honestly: every date
precision and basis, a title-less article, a near-duplicate, a quarantined record. With
``hostile=True`` one outlet's name, title, URL and text are script-injection attempts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from rasd.normalize import normalize_for_search
from rasd.schema import SCHEMA_VERSION, TABLES

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"


def _ts(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


#: The default corpus: three outlets, six articles (one a copy of another).
ARTICLES: tuple[dict[str, Any], ...] = (
    {
        "article_id": "a1",
        "outlet_id": "ahram",
        "outlet": "الأهرام",
        "url": "https://ahram.example/a1",
        "title": "بوتين يصل إلى بيونغ يانغ",
        "published_at": _ts(2024, 6, 19, 8, 30),
        "published_precision": "day",
        "published_basis": "explicit",
        "published_evidence": "نشر في 19 يونيو 2024",
        "text": "وصل الرئيس الروسي فلاديمير بوتين إلى بيونغ يانغ.\nوقّع الزعيمان معاهدة.",
        "source_ref": "raw/ahram.jsonl:1",
    },
    {
        "article_id": "a2",
        "outlet_id": "ahram",
        "outlet": "الأهرام",
        "url": None,
        "title": None,
        "published_at": _ts(2024, 6, 1),
        "published_precision": "month",
        "published_basis": "inferred",
        "published_evidence": "الشهر الجاري (ملف يونيو 2024)",
        "text": "نص بلا عنوان عن زيارة الشهر الجاري.",
        "source_ref": "raw/ahram.jsonl:2",
    },
    {
        "article_id": "b1",
        "outlet_id": "youm7",
        "outlet": "اليوم السابع",
        "url": "https://youm7.example/b1",
        "title": "روسيا وكوريا الشمالية توقعان اتفاقية شراكة",
        "published_at": _ts(2024, 6, 20, 12, 0),
        "published_precision": "minute",
        "published_basis": "metadata",
        "published_evidence": "field: date",
        "text": "وقعت روسيا وكوريا الشمالية اتفاقية شراكة استراتيجية شاملة.",
        "source_ref": "raw/youm7.csv:2",
    },
    {
        "article_id": "b2",
        "outlet_id": "youm7",
        "outlet": "اليوم السابع",
        "url": "https://youm7.example/b2",
        "title": "بوتين يصل إلى بيونغ يانغ (نسخة)",
        "published_at": _ts(2024, 6, 19, 9, 0),
        "published_precision": "day",
        "published_basis": "metadata",
        "published_evidence": "field: date",
        "text": "وصل الرئيس الروسي فلاديمير بوتين إلى بيونغ يانغ.\nوقّع الزعيمان معاهدة.",
        "duplicate_of": "a1",
        "duplicate_kind": "near",
        "duplicate_similarity": 0.93,
        "source_ref": "raw/youm7.csv:3",
    },
    {
        "article_id": "c1",
        "outlet_id": "masrawy",
        "outlet": "مصراوي",
        "url": "https://masrawy.example/c1",
        "title": "كوريا الشمالية: علاقتنا مع روسيا تاريخية",
        "published_at": None,
        "published_precision": "unknown",
        "published_basis": "unknown",
        "published_evidence": "no date in the metadata or the text",
        "text": "قالت كوريا الشمالية إن علاقتها مع روسيا تعكس صداقة تاريخية.",
        "source_ref": "raw/masrawy.txt",
    },
    {
        "article_id": "c2",
        "outlet_id": "masrawy",
        "outlet": "مصراوي",
        "url": "https://masrawy.example/c2",
        "title": "نشر 10,000 جندي في كورسك",
        "published_at": _ts(2023, 1, 1),
        "published_precision": "year",
        "published_basis": "inferred",
        "published_evidence": "العام الماضي",
        "text": "تحدثت تقارير عن نشر 10,000 جندي.",
        "source_ref": "raw/masrawy2.txt",
    },
)

#: Added to the corpus when ``hostile=True``: every displayed field is an attack.
HOSTILE_ARTICLE: dict[str, Any] = {
    "article_id": "x1",
    "outlet_id": "evil",
    "outlet": SCRIPT,
    "url": JS_URL,
    "title": IMG,
    "published_at": _ts(2024, 6, 21),
    "published_precision": "day",
    "published_basis": "metadata",
    "published_evidence": SCRIPT,
    "text": f"{SCRIPT}\n{IMG}\n[click](javascript:alert(1)) **bold** :red[x] $x$",
    "source_ref": f"raw/{IMG}.jsonl:1",
}

QUARANTINE: tuple[dict[str, Any], ...] = (
    {
        "source_ref": "raw/broken.jsonl:7",
        "reason": "malformed_json",
        "detail": "line 7 is not valid JSON",
        "disposition": "rejected",
    },
    {
        "source_ref": "raw/ahram.jsonl:2",
        "reason": "no_title",
        "detail": "the record has no title",
        "disposition": "kept",
    },
)


def _article_row(fields: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {name: None for name in TABLES["articles"].names}
    row.update(fields)
    text = row.get("text") or ""
    row["text_norm"] = normalize_for_search(f"{row.get('title') or ''} {text}")
    row["n_chars"] = len(text)
    return row


def write_dataset(
    out: Path,
    *,
    hostile: bool = False,
    articles: Iterable[Mapping[str, Any]] | None = None,
    quarantine: Iterable[Mapping[str, Any]] | None = None,
) -> Path:
    """Write a tiny valid dataset to ``out`` (created) and return ``out``.

    Args:
        out: directory to write.
        hostile: add an article whose outlet, title, URL and text are injection attempts.
        articles: replace the default corpus (fields of ``rasd.schema.ARTICLES``; the rest
            default to null, ``text_norm`` and ``n_chars`` are derived).
        quarantine: replace the default quarantine rows.
    """
    out.mkdir(parents=True, exist_ok=True)
    fields = list(ARTICLES if articles is None else articles)
    if hostile:
        fields.append(HOSTILE_ARTICLE)
    rows = [_article_row(f) for f in fields]
    qrows = [dict(q) for q in (QUARANTINE if quarantine is None else quarantine)]
    tables = {
        "articles": pa.Table.from_pylist(rows, schema=TABLES["articles"]),
        "entities": TABLES["entities"].empty_table(),
        "mentions": TABLES["mentions"].empty_table(),
        "events": TABLES["events"].empty_table(),
        "quarantine": pa.Table.from_pylist(qrows, schema=TABLES["quarantine"]),
    }
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet")
    duplicates = sum(1 for r in rows if r["duplicate_of"])
    rejected = [q for q in qrows if q["disposition"] == "rejected"]
    by_reason: dict[str, int] = {}
    for q in rejected:
        by_reason[q["reason"]] = by_reason.get(q["reason"], 0) + 1
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "dataset_id": "test",
        "built_at": "2024-07-01T00:00:00+00:00",
        "inputs": [
            {"path": "raw/ahram.jsonl", "kind": "jsonl", "bytes": 100, "sha256": "0" * 64},
        ],
        "counts": {
            "read": len(rows) + len(rejected),
            "kept": len(rows) - duplicates,
            "duplicates": duplicates,
            "quarantined": len(rejected),
            "quarantined_by_reason": by_reason,
            "kept_with_warnings_by_reason": {"no_title": 1},
            "article_rows": len(rows),
        },
        "stages": {"entities": "not built yet", "events": "not built yet"},
        "timings": {"total_s": 0.01},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return out


def record_sql(monkeypatch: Any, dataset: Any) -> list[str]:
    """The SQL ``dataset`` (a :class:`rasd.query.Dataset`) runs from now on, each on one
    line, appended to the returned list as it is asked (``monkeypatch`` undoes it)."""
    asked: list[str] = []
    original = dataset._df

    def recording(sql: str, params: Any = ()) -> Any:
        asked.append(" ".join(sql.split()))
        return original(sql, params)

    monkeypatch.setattr(dataset, "_df", recording)
    return asked
