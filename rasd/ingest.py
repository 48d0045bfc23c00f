"""From a raw input record to an article (or the reason it cannot be one).

Pure functions: they take the fields a reader found and return an :class:`Article` or a
:class:`rasd.io.Rejected`. Field names vary by scraper, so common names are recognised and
``--map FIELD=COLUMN`` names any other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from anyascii import anyascii

from rasd.boilerplate import MIN_ARTICLE_WORDS
from rasd.clean import clean_text
from rasd.dates import ImpossibleDate, parse_metadata_date
from rasd.io import RawRecord, Rejected
from rasd.normalize import normalize_for_search

FIELDS = ("text", "title", "outlet", "url", "published_at")

#: Column names scrapers and archives use for each field, tried in order (case-insensitive).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "content",
        "body",
        "article",
        "article_text",
        "full_text",
        "fulltext",
        "maintext",
        "main_text",
        "story",
        "النص",
        "المحتوى",
    ),
    "title": ("title", "headline", "heading", "article_title", "العنوان"),
    "outlet": (
        "outlet",
        "source",
        "site",
        "site_name",
        "sitename",
        "publisher",
        "source_name",
        "media",
        "newspaper",
        "domain",
        "المصدر",
        "الموقع",
    ),
    "url": ("url", "link", "href", "source_url", "article_url", "permalink", "canonical_url"),
    "published_at": (
        "published_at",
        "date",
        "published",
        "pubdate",
        "pub_date",
        "publish_date",
        "published_date",
        "date_published",
        "datetime",
        "publication_date",
        "created_at",
        "timestamp",
        "time",
        "التاريخ",
    ),
}

UNKNOWN_OUTLET = "unknown"
_SLUG_BAD = re.compile(r"[^a-z0-9]+")


@dataclass
class Warning_:
    """A problem with a record that was kept all the same (shown in quarantine as kept)."""

    reason: str
    detail: str


@dataclass
class Article:
    """One cleaned article, before duplicate detection assigns ``duplicate_of``."""

    outlet_id: str
    outlet: str
    url: str | None
    title: str | None
    published_at: datetime | None
    published_precision: str
    published_basis: str
    published_evidence: str | None
    text: str
    text_norm: str
    source_ref: str
    warnings: list[Warning_] = field(default_factory=list)

    @property
    def identity(self) -> str:
        """What makes this article itself, for a stable id.

        With a URL: the outlet and the URL. Without: the outlet, the input file's *name* and
        position in it, and the text — so two identical records in two files are two articles
        whatever order they are read in, and moving a corpus directory keeps every id.
        """
        if self.url:
            return f"{self.outlet_id}\x1f{self.url}"
        path, _, position = self.source_ref.partition("#")
        where = f"{path.replace(chr(92), '/').rsplit('/', 1)[-1]}#{position}"
        return f"{self.outlet_id}\x1f{where}\x1f{self.title or ''}\x1f{self.text_norm}"


def resolve_mapping(columns: list[str], overrides: Mapping[str, str]) -> dict[str, str]:
    """Which input column feeds each field: ``--map`` first, then the known aliases."""
    lower = {c.lower().strip(): c for c in columns}
    mapping: dict[str, str] = {}
    for name in FIELDS:
        # An override names the column in the files that have it; other inputs of the same
        # build (a sidecar-described .txt folder, another export) fall back to the aliases.
        if name in overrides and overrides[name] in columns:
            mapping[name] = overrides[name]
            continue
        for alias in FIELD_ALIASES[name]:
            if alias in lower:
                mapping[name] = lower[alias]
                break
    return mapping


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from CSV/Parquet
        return None
    text = str(value).strip() if not isinstance(value, (list, dict)) else None
    return text or None


def outlet_id_for(outlet: str | None, url: str | None) -> str:
    """A stable, URL-safe outlet id: a slug of the name, else the URL's host."""
    if outlet:
        slug = _SLUG_BAD.sub("-", anyascii(outlet).lower()).strip("-")[:48]
        if slug:
            return slug
        return "outlet-" + hashlib.sha1(outlet.encode()).hexdigest()[:10]
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        return _SLUG_BAD.sub("-", host.lower()).strip("-")[:48] or UNKNOWN_OUTLET
    return UNKNOWN_OUTLET


def _html_fields(html: str) -> dict[str, Any]:
    import trafilatura  # imported lazily: only HTML inputs pay for lxml and its start-up

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if doc is None:
        return {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {
        "text": data.get("text"),
        "title": data.get("title"),
        "outlet": data.get("sitename"),
        "url": data.get("url"),
        "published_at": data.get("date"),
    }


def to_article(record: RawRecord, overrides: Mapping[str, str] | None = None) -> Article | Rejected:
    """Turn one raw record into a clean article, or say why it cannot be one."""
    overrides = overrides or {}
    if record.kind == "html":
        raw_fields = _html_fields(str(record.fields.get("html", "")))
        mapping = {name: name for name in FIELDS}
    else:
        raw_fields = record.fields
        mapping = resolve_mapping(list(raw_fields), overrides)
    values = {name: raw_fields.get(col) for name, col in mapping.items()}

    raw_text = _as_text(values.get("text"))
    if raw_text is None:
        column = mapping.get("text")
        detail = (
            f"column '{column}' is empty"
            if column
            else f"no text column among {sorted(raw_fields)[:8]} (use --map text=COLUMN)"
        )
        return Rejected(record.source_ref, "no_text", detail)

    outlet = _as_text(values.get("outlet"))
    url = _as_text(values.get("url"))
    title = _as_text(values.get("title"))
    cleaned = clean_text(raw_text, title=title, outlet=outlet)
    words = len(cleaned.body.split())
    if words < MIN_ARTICLE_WORDS:
        return Rejected(
            record.source_ref,
            "too_short",
            f"{words} words of article text after cleaning (minimum {MIN_ARTICLE_WORDS})",
        )

    warnings: list[Warning_] = []
    published_at: datetime | None = None
    precision, basis, evidence = "unknown", "unknown", None
    raw_date = values.get("published_at")
    has_metadata_date = _as_text(raw_date) is not None or isinstance(raw_date, datetime)
    if has_metadata_date:
        column = mapping.get("published_at", "published_at")
        try:
            parsed = parse_metadata_date(raw_date)
        except ImpossibleDate as exc:
            parsed = None
            evidence = f"impossible date in field {column}: {str(raw_date)[:60]}"
            warnings.append(Warning_("impossible_date", f"{exc}; article kept, date unknown"))
        except ValueError:
            parsed = None
            evidence = f"not a date in field {column}: {str(raw_date)[:60]}"
            warnings.append(
                Warning_(
                    "unparseable_date",
                    f"field {column} = {str(raw_date)[:60]!r} is not a date; article kept, date unknown",
                )
            )
        if parsed is not None:
            published_at, precision = parsed
            basis, evidence = "metadata", f"field {column}: {str(raw_date)[:60]}"
    if not has_metadata_date:
        published_at, precision, basis, evidence, date_warning = _date_from_lines(
            cleaned.date_lines
        )
        if date_warning:
            warnings.append(date_warning)
    if precision == "minute":  # the contract's precisions are day/month/year; the time stays
        precision = "day"

    # normalize_for_search(f"{headline}\n{body}"), without folding the body a second time:
    # folding is character by character and the newline only becomes a space, so the fold
    # of the two joined is the two folds joined (an empty fold adds nothing).
    head_norm = normalize_for_search(title or cleaned.title or "")
    text_norm = " ".join(part for part in (head_norm, cleaned.body_norm) if part)
    return Article(
        outlet_id=outlet_id_for(outlet, url),
        outlet=outlet or (urlsplit(url).hostname or UNKNOWN_OUTLET if url else UNKNOWN_OUTLET),
        url=url,
        title=cleaned.title,
        published_at=published_at,
        published_precision=precision,
        published_basis=basis,
        published_evidence=evidence,
        text=cleaned.body,
        text_norm=text_norm,
        source_ref=record.source_ref,
        warnings=warnings,
    )


#: ``published_evidence`` is "<kind>: <the field value or printed words>"; the kinds are
#: fixed so the UI can say them in its language. See README, "What cleaning does".
EVIDENCE_KINDS = (
    "field",
    "impossible date in field",
    "not a date in field",
    "printed",
    "impossible printed date",
    "under the headline",
    "page header, not used",
)


def _date_from_lines(
    date_lines: list[Any],
) -> tuple[datetime | None, str, str, str | None, Warning_ | None]:
    """Publication date from lines the cleaner set aside, most trustworthy kind first."""
    for line in date_lines:
        if line.kind == "publication" and line.error:
            return (
                None,
                "unknown",
                "unknown",
                f"impossible printed date: {line.line}",
                Warning_("impossible_date", f"{line.error}; article kept, date unknown"),
            )
        if line.kind == "publication" and line.parsed:
            return (
                line.parsed.value,
                line.parsed.precision,
                "explicit",
                f"printed: {line.line}",
                None,
            )
    for line in date_lines:
        if line.kind == "byline" and line.parsed:
            return (
                line.parsed.value,
                line.parsed.precision,
                "inferred",
                f"under the headline: {line.line}",
                None,
            )
    for line in date_lines:
        if line.kind == "header" and line.parsed:
            # A date above the headline is the site's "today" when the page was captured,
            # not the story's date: record it, do not use it.
            return (
                None,
                "unknown",
                "unknown",
                f"page header, not used: {line.line}",
                None,
            )
    return None, "unknown", "unknown", None, None
