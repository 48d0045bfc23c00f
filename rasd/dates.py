"""Dates in Arabic news text and metadata, at the precision the source gives.

This module parses a *single* date expression (a publication line, a metadata field); it
never fills in a day, month or year the input does not give. Precision is one of
``minute``, ``day``, ``month``, ``year``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from rasd.normalize import normalize_arabic

# Month names as printed by Arabic outlets, folded like normalize_arabic (bare alef, ي for ى).
# Why several series: Egypt and the Gulf transliterate the Latin names, the Levant and Iraq
# use Syriac names, the Maghreb uses French-derived names; outlets often print two together.
MONTHS: dict[str, int] = {
    # Egyptian / Gulf (Latin-derived), with common spelling variants.
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
    # Levantine / Iraqi.
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    # Maghreb (Algeria, Tunisia, Morocco).
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7, "جويلية": 7,
    "يوليوز": 7, "اوت": 8, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # English, for bilingual metadata.
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

# Longest names first so "كانون الثاني" wins over a shorter overlap.
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_MONTH = rf"(?P<{{g}}>{_MONTH_ALT})"
_SEP = r"\s*[/\\(،,-]?\s*"
_TIME = r"(?:\s*(?:[،,\-–|]?\s*(?:الساعه|الساعة|at|T)?\s*)(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::\d{2})?)?"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 2024-06-19, 2024/06/19, optional time.
    (re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)" + _TIME), "ymd"),
    # 19/06/2024, 19-6-2024 (Arabic outlets write day first).
    (re.compile(r"(?<!\d)(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?!\d)" + _TIME), "dmy"),
    # 19 يونيو 2024, 19 يونيو/حزيران 2024, 19 حزيران (يونيو) 2024.
    (
        re.compile(
            r"(?<!\d)(?P<d>\d{1,2})\s+" + _MONTH.format(g="mn")
            + rf"(?:{_SEP}" + _MONTH.format(g="mn2") + r"\s*\)?)?\s*[،,]?\s*(?P<y>\d{4})(?!\d)" + _TIME
        ),
        "dMy",
    ),
    # June 19, 2024.
    (
        re.compile(_MONTH.format(g="mn") + r"\s+(?P<d>\d{1,2})\s*[،,]?\s*(?P<y>\d{4})(?!\d)" + _TIME),
        "Mdy",
    ),
    # يونيو 2024 (month precision).
    (
        re.compile(
            r"(?<![\w])" + _MONTH.format(g="mn")
            + rf"(?:{_SEP}" + _MONTH.format(g="mn2") + r"\s*\)?)?\s*[،,]?\s*(?P<y>\d{4})(?!\d)"
        ),
        "My",
    ),
]


@dataclass(frozen=True)
class ParsedDate:
    """A date as precise as the text gave it.

    Attributes:
        value: a UTC datetime at the start of the period (minute, day, month or year).
        precision: ``minute``, ``day``, ``month`` or ``year``.
        text: the characters that gave it.
        start: offset of ``text`` in the searched string.
        end: offset just past ``text``.
    """

    value: datetime
    precision: str
    text: str
    start: int
    end: int


class ImpossibleDate(ValueError):
    """A date the calendar does not have (e.g. 2024-02-30)."""


def _build(y: int, m: int, d: int | None, hh: int | None, mi: int | None) -> tuple[datetime, str]:
    if not 1 <= m <= 12:
        raise ImpossibleDate(f"month {m} does not exist")
    try:
        if d is None:
            return datetime(y, m, 1, tzinfo=UTC), "month"
        if hh is not None and mi is not None:
            return datetime(y, m, d, hh, mi, tzinfo=UTC), "minute"
        return datetime(y, m, d, tzinfo=UTC), "day"
    except ValueError as exc:
        raise ImpossibleDate(f"{y:04d}-{m:02d}-{d or 1:02d} is not a calendar date ({exc})") from exc


def find_date(text: str) -> ParsedDate | None:
    """The first complete Gregorian date expression in ``text`` (one line), or None.

    Raises:
        ImpossibleDate: the text prints a date that does not exist.
    """
    # normalize_arabic maps characters one for one or drops marks; for offsets we need one to
    # one, so fold only digits and letters without dropping anything.
    folded = _fold_keep_length(text)
    best: tuple[int, re.Match[str], str] | None = None
    for pattern, kind in _PATTERNS:
        match = pattern.search(folded)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match, kind)
    if best is None:
        return None
    _, match, kind = best
    groups = match.groupdict()
    y = int(groups["y"])
    if "mn" in groups and groups.get("mn"):
        m = MONTHS[groups["mn"].lower()]
    else:
        m = int(groups["m"])
    d = int(groups["d"]) if groups.get("d") else None
    hh = int(groups["hh"]) if groups.get("hh") else None
    mi = int(groups["mi"]) if groups.get("mi") else None
    if not 1000 <= y <= 2999:
        return None
    value, precision = _build(y, m, d, hh, mi)
    return ParsedDate(value, precision, text[match.start() : match.end()], match.start(), match.end())


_KEEP_LENGTH_TABLE = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك",
        "\u00a0": " ",
        # ASCII upper to lower case keeps length (str.lower() may not, e.g. for "İ").
        **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
    }
)


def _fold_keep_length(text: str) -> str:
    return text.translate(_KEEP_LENGTH_TABLE)


_ISO_PARTIAL = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2}))?$")
_EPOCH = re.compile(r"^\d{9,11}(?:\.\d+)?$")


def parse_metadata_date(value: Any) -> tuple[datetime, str] | None:
    """A publication date from an input field, as (UTC datetime, precision), or None if empty.

    Accepts datetimes, ISO 8601 (with or without time and offset; ``2024-06`` and ``2024`` keep
    month and year precision), day-first numeric dates, RFC 2822, epoch seconds and Arabic or
    English month names. A value without an offset is taken as UTC.

    Raises:
        ImpossibleDate: the value names a date the calendar does not have.
        ValueError: the value is not a date in any known form.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC), "minute" if (value.hour or value.minute) else "day"
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC), "day"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC), "minute"
    text = normalize_arabic(str(value)).strip()
    if not text or text.lower() in {"nan", "none", "null", "nat"}:
        return None
    partial = _ISO_PARTIAL.match(text)
    if partial:
        y = int(partial["y"])
        if partial["m"]:
            return _build(y, int(partial["m"]), None, None, None)
        return datetime(y, 1, 1, tzinfo=UTC), "year"
    if _EPOCH.match(text):
        return datetime.fromtimestamp(float(text), tz=UTC), "minute"
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        has_time = bool(re.search(r"\d[T ]\d{1,2}:\d{2}", text))
        aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return aware.astimezone(UTC), "minute" if has_time else "day"
    found = find_date(text)  # raises ImpossibleDate for 2024-02-30 and friends
    if found is not None:
        return found.value, found.precision
    try:
        rfc = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None:
        aware = rfc if rfc.tzinfo else rfc.replace(tzinfo=UTC)
        return aware.astimezone(UTC), "minute"
    raise ValueError(f"not a date: {str(value)[:60]!r}")
