"""Dates in Arabic news text and metadata, at the precision the source gives.

Two tools, neither of which fills in a day, month or year the input does not give:

* :func:`find_date` and :func:`parse_metadata_date` parse a *single* date expression (a
  publication line, a metadata field); precision ``minute``, ``day``, ``month`` or ``year``.
* :func:`tag_dates` is the temporal tagger: every date expression in a text, with offsets,
  an ISO-like value, precision (day … decade) and basis (explicit / relative / inferred);
  see "Temporal tagger" below for the value convention. Its word lists live in
  :mod:`rasd.date_lexicon`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import ahocorasick

from rasd import date_lexicon as lex
from rasd.normalize import normalize_arabic

# Month names for publication lines and metadata fields: the tagger's Arabic lexicon (one
# list for the whole project, see rasd.date_lexicon) plus English names, which metadata uses
# ("June 19, 2024", RFC 2822) but Arabic prose never does.
_ENGLISH_MONTHS: dict[str, int] = {
    # English, for bilingual metadata.
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTHS: dict[str, int] = {**lex.GREGORIAN_MONTHS, **_ENGLISH_MONTHS}

# Longest names first so "كانون الثاني" wins over a shorter overlap.
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_MONTH = rf"(?P<{{g}}>{_MONTH_ALT})"
_SEP = r"\s*[/\\(،,-]?\s*"
_TIME = (
    r"(?:\s*(?:[،,\-–|]?\s*(?:الساعه|الساعة|at|T)?\s*)(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::\d{2})?)?"
)

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 2024-06-19, 2024/06/19, optional time.
    (re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)" + _TIME), "ymd"),
    # 19/06/2024, 19-6-2024 (Arabic outlets write day first).
    (re.compile(r"(?<!\d)(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?!\d)" + _TIME), "dmy"),
    # 19 يونيو 2024, 19 يونيو/حزيران 2024, 19 حزيران (يونيو) 2024.
    (
        re.compile(
            r"(?<!\d)(?P<d>\d{1,2})\s+"
            + _MONTH.format(g="mn")
            + rf"(?:{_SEP}"
            + _MONTH.format(g="mn2")
            + r"\s*\)?)?\s*[،,]?\s*(?P<y>\d{4})(?!\d)"
            + _TIME
        ),
        "dMy",
    ),
    # June 19, 2024.
    (
        re.compile(
            _MONTH.format(g="mn") + r"\s+(?P<d>\d{1,2})\s*[،,]?\s*(?P<y>\d{4})(?!\d)" + _TIME
        ),
        "Mdy",
    ),
    # يونيو 2024 (month precision).
    (
        re.compile(
            r"(?<![\w])"
            + _MONTH.format(g="mn")
            + rf"(?:{_SEP}"
            + _MONTH.format(g="mn2")
            + r"\s*\)?)?\s*[،,]?\s*(?P<y>\d{4})(?!\d)"
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
        raise ImpossibleDate(
            f"{y:04d}-{m:02d}-{d or 1:02d} is not a calendar date ({exc})"
        ) from exc


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
    m = MONTHS[groups["mn"].lower()] if groups.get("mn") else int(groups["m"])
    d = int(groups["d"]) if groups.get("d") else None
    hh = int(groups["hh"]) if groups.get("hh") else None
    mi = int(groups["mi"]) if groups.get("mi") else None
    if not 1000 <= y <= 2999:
        return None
    value, precision = _build(y, m, d, hh, mi)
    return ParsedDate(
        value, precision, text[match.start() : match.end()], match.start(), match.end()
    )


_KEEP_LENGTH_TABLE = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
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


# ============================================================================================
# Temporal tagger: every date expression in a text, with offsets, value, precision and basis.
# ============================================================================================
#
# Value convention (ISO 8601 where ISO has a form, TIMEX3 where it does not):
#
#   precision  value          example text
#   day        2024-06-19     19 يونيو 2024, أمس (with a document date)
#   week       2024-W25       الأسبوع الماضي (ISO week: Monday to Sunday)
#   month      2024-06        يونيو 2024, حزيران (يونيو) 2024, في يوليو المقبل
#   quarter    2024-Q2        الربع الثاني من 2024
#   year       2024           عام 2024, العام الماضي, مطلع العام الجاري
#   decade     195X           الخمسينيات, خمسينيات القرن الماضي (TIMEX3 style)
#   unknown    None           أمس without a document date, مؤخراً
#
# * Ranges ("من … إلى …", "بين … و…", "1950 - 1953") are ONE expression: ``value`` is the
#   first period and ``end_value`` the last, both at ``precision`` (the coarser of the two
#   ends); single dates have ``end_value`` None. A Hijri month or year that straddles two
#   Gregorian months or years is a range too ("رمضان 1445 هـ" → 2024-03 … 2024-04).
# * ``basis``: ``explicit`` — the text alone gives the value; ``relative`` — arithmetic on the
#   document creation date (dct): اليوم, أمس, يوم الأربعاء, الأسبوع الماضي, قبل يومين;
#   ``inferred`` — the dct supplies a field the text leaves out: the year of "في 24 أكتوبر" or
#   "في يوليو المقبل", the century of "الخمسينيات". Without a dct such expressions are still
#   reported (span, basis) with value None and precision ``unknown``.
# * Weekdays ("يوم الأربعاء") resolve to the most recent such day on or before the dct (news
#   is written in the past tense); with الماضي strictly before it, with المقبل/القادم after.
# * A month or day without a year takes the occurrence nearest the dct (ties to the past),
#   or the previous/next one when the text says الماضي/المقبل.
# * Modifiers (مطلع، أواخر، منتصف، في وقت سابق من …) and seasons widen the span, never the
#   precision: "مطلع العام الجاري" is the year.
# * Not tagged: durations ("منذ 24 عاماً", "لـ 4 سنوات", "استغرقت يومين") — "منذ N" reads as
#   both "for N years" and "N years ago", and a wrong date is worse than none; hours and
#   minutes; names that contain a day and month without a year ("حزب 30 يونيو", "ثورة 25
#   يناير", "جسر 6 أكتوبر": inferring the year would date the 2011 revolution to the document's
#   year); numbers that are identifiers or quantities ("المادة 51", "مادة 2024", phone
#   numbers, "10,000 جندي", "في 2000 موقع"); a bare four-digit number with no date word.
# * Vague references ("مؤخراً", "في الأيام المقبلة", "قبل أيام") are reported with
#   ``vague=True`` and never carry a value: an event next to one is known to be undated.


PRECISION_ORDER: tuple[str, ...] = ("day", "week", "month", "quarter", "year", "decade", "unknown")
TAG_BASES: tuple[str, ...] = ("explicit", "relative", "inferred")


@dataclass(frozen=True)
class DateExpression:
    """One date expression found in a text.

    Attributes:
        start: offset of the first character in the tagged text.
        end: offset just past the last character.
        text: ``text[start:end]`` of the tagged text.
        value: ISO-like value as precise as the text (see the module notes), or None when it
            cannot be resolved (relative expression without a document date, vague reference).
        precision: day, week, month, quarter, year, decade or unknown (unknown iff value None).
        basis: explicit, relative or inferred.
        end_value: last period of a range at the same precision, else None.
        vague: a reference to an unspecified time ("مؤخراً"); value is always None.
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: str
    basis: str
    end_value: str | None = None
    vague: bool = False

    @property
    def is_range(self) -> bool:
        """True when the expression covers a span of periods (``end_value`` set)."""
        return self.end_value is not None

    def bounds(self) -> tuple[date, date] | None:
        """First and last calendar day the expression may denote, or None if unresolved."""
        return value_bounds(self.value, self.precision, self.end_value)


def value_bounds(
    value: str | None, precision: str, end_value: str | None = None
) -> tuple[date, date] | None:
    """First and last day covered by an ISO-like ``value`` (and ``end_value``) at ``precision``.

    ``value_bounds("2024-06", "month")`` is (2024-06-01, 2024-06-30);
    ``value_bounds("1950", "year", "1953")`` is (1950-01-01, 1953-12-31). None for unknown.
    """
    if value is None or precision == "unknown":
        return None
    first = _period_bounds(value, precision)
    last = _period_bounds(end_value, precision) if end_value else first
    if first is None or last is None:
        return None
    return first[0], last[1]


# Cached: event extraction asks for the bounds of each dated trigger more than once, and a
# corpus repeats few distinct values (the result is immutable).
@functools.lru_cache(maxsize=8192)
def _period_bounds(value: str, precision: str) -> tuple[date, date] | None:
    try:
        if precision == "day":
            day = date.fromisoformat(value)
            return day, day
        if precision == "week":
            year, week = value.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
            return monday, monday + timedelta(days=6)
        if precision == "month":
            y, m = (int(p) for p in value.split("-"))
            return date(y, m, 1), _month_end(y, m)
        if precision == "quarter":
            year, q = value.split("-Q")
            y, first_month = int(year), 3 * (int(q) - 1) + 1
            return date(y, first_month, 1), _month_end(y, first_month + 2)
        if precision == "year":
            y = int(value)
            return date(y, 1, 1), date(y, 12, 31)
        if precision == "decade":
            y = int(value[:3]) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
    except ValueError:
        return None
    return None


def _month_end(y: int, m: int) -> date:
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return nxt - timedelta(days=1)


# -- folding ------------------------------------------------------------------------------------

# One character for one character: Eastern digits, hamza alefs, alef maqsura, Persian letters
# and exotic spaces. Anything that must be dropped (tashkeel, tatweel, invisible marks) sends
# the text down the slower path that keeps an offset map.
_TAG_TABLE = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ک": "ك",
        "ڪ": "ك",
        "ۀ": "ه",
        "ە": "ه",
        **{
            c: " "
            for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
            "\u2009\u200a\u202f\u205f\u3000\t"
        },
    }
)
_DROP_CHARS = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670\u0640"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
    + "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    + "\ufeff\u00ad"
)
_NEEDS_DROP = re.compile(f"[{re.escape(_DROP_CHARS)}]")
_NEEDS_DROP_RUN = re.compile(f"[{re.escape(_DROP_CHARS)}]+")
_DROP_SET = frozenset(_DROP_CHARS)
_TRAILING_MARKS = frozenset("".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640")


def fold_for_matching(text: str) -> tuple[str, list[int] | None]:
    """Text folded for matching (digits, alefs, ى, Persian letters, spaces; marks dropped).

    Returns the folded text and, when characters were dropped, the original offset of each
    folded character (None when offsets are unchanged). Same folding as the tagger and the
    event triggers use (they keep the offsets as an :class:`_OffsetMap`).
    """
    folded, offsets = _fold_for_tagging(text)
    return folded, None if offsets is None else offsets.as_list()


# str.translate looks every character up in a dict; a few str.replace passes (each a C scan,
# skipped when the character is absent) give the same text many times faster. Replacing one
# character at a time equals the table only because no replacement is itself replaced.
_TAG_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (chr(code), str(new)) for code, new in _TAG_TABLE.items()
)
if any(new in dict(_TAG_PAIRS) for _, new in _TAG_PAIRS):  # pragma: no cover
    raise RuntimeError("_TAG_TABLE maps onto one of its own keys: replace passes would chain")


def _translate_for_tagging(text: str) -> str:
    for old, new in _TAG_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


class _OffsetMap:
    """Offsets between a folded text and its original, for a folding that dropped characters.

    Stored as the runs of kept characters (a folded and an original start per run) rather
    than one original offset per character: a text drops a handful of marks, and a list of
    one int per character cost more than the whole folding (measured: ~50 µs an article).
    """

    __slots__ = ("folded_starts", "original_starts", "folded_length", "original_length")

    def __init__(
        self,
        folded_starts: list[int],
        original_starts: list[int],
        folded_length: int,
        original_length: int,
    ) -> None:
        self.folded_starts = folded_starts  # strictly increasing, 0 first (when any)
        self.original_starts = original_starts  # strictly increasing too
        self.folded_length = folded_length
        self.original_length = original_length

    def to_original(self, pos: int) -> int:
        """Original offset of folded character ``pos``; the original length at the end."""
        if pos >= self.folded_length:
            return self.original_length
        run = bisect.bisect_right(self.folded_starts, pos) - 1
        return self.original_starts[run] + pos - self.folded_starts[run]

    def to_folded(self, pos: int) -> int:
        """How many folded characters come from original offsets before ``pos``."""
        run = bisect.bisect_left(self.original_starts, pos) - 1
        if run < 0:
            return 0
        starts = self.folded_starts
        run_end = starts[run + 1] if run + 1 < len(starts) else self.folded_length
        return starts[run] + min(pos - self.original_starts[run], run_end - starts[run])

    def as_list(self) -> list[int]:
        """The original offset of each folded character."""
        index: list[int] = []
        starts = self.folded_starts
        for run, f_start in enumerate(starts):
            f_end = starts[run + 1] if run + 1 < len(starts) else self.folded_length
            o_start = self.original_starts[run]
            index.extend(range(o_start, o_start + f_end - f_start))
        return index


def _fold_for_tagging(text: str) -> tuple[str, _OffsetMap | None]:
    """Folded text and, when characters were dropped, its offsets into the original."""
    folded = _translate_for_tagging(text)
    if not _NEEDS_DROP.search(folded):
        return folded, None
    # Copy the kept runs between dropped characters (most texts drop a few marks).
    chars: list[str] = []
    folded_starts: list[int] = []
    original_starts: list[int] = []
    length = 0  # of the folded text so far
    kept_from = 0
    for match in _NEEDS_DROP_RUN.finditer(folded):
        start, end = match.span()
        if start > kept_from:
            chars.append(folded[kept_from:start])
            folded_starts.append(length)
            original_starts.append(kept_from)
            length += start - kept_from
        # A free-standing tatweel is a dash in datelines ("نيسان ـ"); keep it as one so
        # "نيسان ـ 2024" cannot read as a month and year.
        if folded[start] == "\u0640" and (start == 0 or folded[start - 1] in " \n"):
            chars.append("-")
            folded_starts.append(length)
            original_starts.append(start)
            length += 1
        kept_from = end
    if kept_from < len(folded):
        chars.append(folded[kept_from:])
        folded_starts.append(length)
        original_starts.append(kept_from)
        length += len(folded) - kept_from
    return "".join(chars), _OffsetMap(folded_starts, original_starts, length, len(text))


# -- regular expressions built from the lexicon ----------------------------------------------------


def _alt(words: Iterable[str]) -> str:
    """Regex alternation of ``words``, longest first, any run of spaces inside a word."""
    unique = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


_B = r"(?<![\w])"  # word start (Arabic letters and digits are \w)
_E = r"(?![\w])"
_MONTH_ALT_TAG = _alt(lex.GREGORIAN_MONTHS)
_HMONTH_ALT = _alt(lex.HIJRI_MONTHS)
_QUAL_ALT = _alt(lex.QUALIFIER_PAST + lex.QUALIFIER_NEXT + lex.QUALIFIER_THIS)
_MOD_ALT = _alt(lex.PERIOD_MODIFIERS)
_SEASON_ALT = _alt(lex.SEASONS)
_PREP_ALT = _alt(lex.DATE_PREPOSITIONS)
_YEAR_NOUN_ALT = _alt(lex.YEAR_NOUNS)
_YEARS_PLURAL_ALT = _alt(lex.YEARS_PLURAL)
_WEEKDAY_ALT = _alt(lex.WEEKDAYS)
_DAYPART_ALT = _alt(lex.DAY_PARTS)
_GMARK = rf"(?:\s?(?:{_alt(lex.GREGORIAN_MARKERS)}){_E})?"
_HMARK = rf"(?P<hmark>{_alt(lex.HIJRI_MARKERS)}){_E}"
_ORD_ALT = _alt(lex.ORDINAL_DAYS)
_YEAR = r"(?P<y>[12]\d{3})(?!\d|[.,/\-]\d)"
_YSEP = r"(?:\s*[،,]\s*|\s+)"
_YEAR_WORD = rf"(?:(?:من\s+)?(?:{_YEAR_NOUN_ALT})\s+)?"


def _month(suffix: str = "") -> str:
    return (
        rf"(?P<mn{suffix}>{_MONTH_ALT_TAG})"
        rf"(?:\s*[/\\(-]\s*(?P<mx{suffix}>{_MONTH_ALT_TAG})\s*\)?)?"
    )


_DAY = r"(?:ال\s?)?(?P<d>[0-3]?\d)(?![\d.,:/])"
_DAY_OR_ORD = rf"(?:{_DAY}|(?P<od>{_ORD_ALT})\s+من)"
_NUMSTART = r"(?<![\d.,/:\-])"

_RX: dict[str, re.Pattern[str]] = {
    name: re.compile(rx)
    for name, rx in {
        "iso": r"(?<![\d/.\-])(?P<x>(?P<y>[12]\d{3})(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)"
        r"(?P<d>[0-3]?\d))(?!\d|[-/.]\d)",
        "dmy": r"(?<![\d/.\-])(?P<x>(?P<d>[0-3]?\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)"
        r"(?P<y>[12]\d{3}))(?!\d|[-/.]\d)",
        "day_month_year": rf"{_NUMSTART}(?P<x>{_DAY_OR_ORD}(?:\s+من)?\s+(?:شهر\s+)?{_month()}"
        rf"{_YSEP}{_YEAR_WORD}{_YEAR}{_GMARK})",
        "day_month": rf"{_NUMSTART}(?P<x>{_DAY_OR_ORD}(?:\s+من)?\s+(?:شهر\s+)?{_month()}"
        rf"(?:\s+(?P<q>{_QUAL_ALT}))?){_E}",
        "month_year": rf"{_B}[وفبل]?(?P<x>(?:(?:{_MOD_ALT})\s+)?(?:شهر\s+)?{_month()}{_YSEP}{_YEAR_WORD}"
        rf"{_YEAR}{_GMARK})",
        "month_prep": rf"{_B}[وف]?(?:{_PREP_ALT})\s+(?P<x>(?:(?:{_MOD_ALT})\s+)?(?:شهر\s+)?"
        rf"{_month()}(?:\s+(?P<q>{_QUAL_ALT}))?){_E}",
        "month_word": rf"{_B}[وفبل]?(?P<x>(?:(?:{_MOD_ALT})\s+)?شهر\s+{_month()}"
        rf"(?:\s+(?P<q>{_QUAL_ALT}))?){_E}",
        "month_mod": rf"{_B}[وفبل]?(?P<x>(?:{_MOD_ALT})\s+{_month()}"
        rf"(?:\s+(?P<q>{_QUAL_ALT}))?){_E}",
        "month_qual": rf"{_B}[وفبل]?(?P<x>{_month()}\s+(?P<q>{_QUAL_ALT})){_E}",
        "day_range": rf"{_NUMSTART}(?P<x>(?:(?P<open>من|بين|ما\s+بين)\s+)?(?:ال\s?)?(?P<d>[0-3]?\d)"
        r"\s*(?P<join>-|–|الي|حتي|لغاية|و)\s*(?:ال\s?)?(?P<d2>[0-3]?\d)(?:\s+من)?\s+(?:شهر\s+)?"
        rf"{_month()}(?:{_YSEP}{_YEAR_WORD}{_YEAR})?){_E}",
        "month_range": rf"{_B}(?P<x>(?P<open>من|بين|ما\s+بين)\s+(?:شهر\s+)?{_month('a')}\s*"
        rf"(?P<join>الي|حتي|لغاية|و|-|–)\s*(?:شهر\s+)?{_month('b')}"
        rf"(?:{_YSEP}{_YEAR_WORD}{_YEAR})?){_E}",
        "quarter_year": rf"{_B}[وفبل]?(?P<x>(?:ال)?(?:(?P<qw>ربع)|نصف)\s+(?P<qn>{_alt(lex.QUARTERS)})"
        rf"\s+(?:من\s+)?(?:(?:{_YEAR_NOUN_ALT})\s+)?{_YEAR}{_GMARK})",
        "year_noun": rf"{_B}(?:[وفبل]|لل)?(?P<x>(?:(?:{_MOD_ALT})\s+)?(?:{_YEAR_NOUN_ALT})\s+"
        rf"(?:ال\s?)?{_YEAR}{_GMARK})",
        "year_prep": rf"{_B}[وف]?(?P<pre>{_PREP_ALT})\s+(?P<x>(?:(?:{_MOD_ALT}|{_SEASON_ALT})\s+)?"
        rf"{_YEAR}{_GMARK})",
        "year_mod": rf"{_B}[وفبل]?(?P<x>(?:{_MOD_ALT}|{_SEASON_ALT})\s+{_YEAR}{_GMARK})",
        "year_range": rf"(?<![\d.,/\-])(?P<x>(?:(?:{_YEARS_PLURAL_ALT}|{_YEAR_NOUN_ALT})\s+)?"
        r"(?P<y>[12]\d{3})\s*(?:-|–|—|/)\s*(?P<y2>[12]\d{3}|\d{2}))(?!\d|[-/.,]\d)",
        "year_range_words": rf"{_B}(?P<x>(?P<open>من|بين|ما\s+بين)\s+(?:(?:{_YEAR_NOUN_ALT}|"
        rf"{_YEARS_PLURAL_ALT})\s+)?(?P<y>[12]\d{{3}})\s*(?P<join>الي|حتي|لغاية|و|-|–)\s*"
        rf"(?:(?:{_YEAR_NOUN_ALT})\s+)?(?P<y2>[12]\d{{3}}))(?!\d)",
        "hijri_day": rf"{_NUMSTART}(?P<x>(?P<d>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?"
        rf"(?P<hm>{_HMONTH_ALT}){_YSEP}(?:(?:عام|سنة)\s+)?(?P<y>1\d{{3}})(?:\s*{_HMARK})?)"
        r"(?!\d)",
        "hijri_month": rf"{_B}(?P<x>(?:شهر\s+)?(?P<hm>{_HMONTH_ALT}){_YSEP}(?:(?:عام|سنة)\s+)?"
        rf"(?P<y>1\d{{3}})(?:\s*{_HMARK})?)(?!\d)",
        "hijri_year": rf"{_B}(?:[وفبل]|لل)?(?P<x>(?:(?:{_YEAR_NOUN_ALT})\s+)?(?P<y>1\d{{3}})\s*"
        rf"{_HMARK})",
        "decade": rf"{_B}[وفبل]?(?P<x>(?:(?:عقد|حقبة|حقبه)\s+)?(?:ال)?(?P<dec>"
        rf"{_alt(lex.DECADES)})(?:ي)?ات(?:\s+(?:من\s+)?القرن\s+(?P<cent>{_alt(lex.CENTURIES)}|"
        rf"الماضي|المنصرم|الحالي|الجاري))?){_E}",
        "today_weekday": rf"{_B}[وف]?(?P<x>(?:(?P<part>{_DAYPART_ALT})\s+)?اليوم\s*[،,]?\s*"
        rf"(?P<wd>{_WEEKDAY_ALT})){_E}",
        "weekday": rf"{_B}[وفب]?(?P<x>(?:(?P<part>{_DAYPART_ALT})\s+)?(?:(?P<yawm>يوم)\s+)?"
        rf"(?P<wd>{_WEEKDAY_ALT})(?:\s+(?P<q>{_QUAL_ALT}))?){_E}",
        "relative_day": rf"{_B}[وفبل]?(?P<x>(?:(?P<part>{_DAYPART_ALT})\s+)?(?:(?P<rel>"
        rf"{_alt(lex.RELATIVE_DAYS)})|(?<=\s)(?P<ghad>الغد|غد))){_E}",
        "relative_period": rf"{_B}[وفبل]?(?P<x>(?P<early>في\s+وقت\s+(?:سابق|لاحق)\s+من\s+)?"
        rf"(?:(?P<mod>{_MOD_ALT})\s+)?(?:(?P<dem>{_alt(lex.DEMONSTRATIVES)})\s+)?"
        rf"(?P<pn>{_alt(lex.PERIOD_NOUNS)})(?:\s+(?P<bq>قبل\s+الماضي(?:ة|ه)?)|\s+(?P<q>{_QUAL_ALT}))?)"
        rf"{_E}",
        "ago": rf"{_B}(?P<x>(?P<dir>قبل|بعد)\s+(?:(?P<n>\d{{1,3}})\s+|(?P<nw>"
        rf"{_alt(lex.NUMBER_WORDS)}|بضعة|بضعه|بضع|عدة|عده)\s+)?(?P<unit>{_alt(lex.UNIT_WORDS)}))"
        rf"{_E}(?!\s+من{_E})",
        "vague": rf"{_B}[وف]?(?P<x>{_alt(lex.VAGUE)}){_E}",
        "vague_period": rf"{_B}[وفبل]?(?P<x>(?:{_alt(lex.VAGUE_PERIOD_NOUNS)})\s+"
        rf"(?:{_alt(lex.VAGUE_QUALIFIERS)})){_E}",
    }.items()
}

# Cheap evidence that a rule can match at all: one pass over the text finds which of these
# are present, and rules whose words are absent are not run (most news paragraphs have no
# Hijri month, decade or weekday).
_GATE = re.compile(
    "|".join(
        f"(?P<{name}>{rx})"
        for name, rx in {
            "month": _MONTH_ALT_TAG,
            "hijri": rf"{_HMONTH_ALT}|\d+\s*(?:{_alt(lex.HIJRI_MARKERS)})",
            "decade": r"ين(?:ي)?ات",
            "weekday": _WEEKDAY_ALT,
            "relday": rf"{_alt(lex.RELATIVE_DAYS)}|غد",
            "period": _alt(lex.PERIOD_NOUNS),
            "ago": r"(?:قبل|بعد)\s",
            "vague": rf"{_alt(lex.VAGUE)}|{_alt(lex.VAGUE_PERIOD_NOUNS)}",
        }.items()
    )
)
_RULE_GATES: dict[str, frozenset[str]] = {
    name: frozenset(gates)
    for name, gates in {
        "iso": ("num",),
        "dmy": ("num",),
        "day_month_year": ("num", "month"),
        "day_month": ("num", "month"),
        "month_year": ("num", "month"),
        "month_prep": ("month",),
        "month_word": ("month",),
        "month_mod": ("month",),
        "month_qual": ("month",),
        "day_range": ("num", "month"),
        "month_range": ("month",),
        "quarter_year": ("num",),
        "year_noun": ("num",),
        "year_prep": ("num",),
        "year_mod": ("num",),
        "year_range": ("num",),
        "year_range_words": ("num",),
        "hijri_day": ("num", "hijri"),
        "hijri_month": ("num", "hijri"),
        "hijri_year": ("num", "hijri"),
        "decade": ("decade",),
        "today_weekday": ("weekday",),
        "weekday": ("weekday",),
        "relative_day": ("relday",),
        "relative_period": ("period",),
        "ago": ("ago",),
        "vague": ("vague",),
        "vague_period": ("vague",),
    }.items()
}


# -- candidate scan: where a pattern can start ------------------------------------------------
#
# ``pattern.finditer(text)`` tries every position; with big alternations most of the time goes
# to positions where nothing can match. From a pattern's source we list the strings (up to
# _PREFIX_LEN characters) every match must start with; one Aho–Corasick pass over the text
# finds where they occur, and the pattern is tried only there (with ``pattern.match`` at each
# candidate, skipping those inside the previous match): the same matches as ``finditer``.
# \d and \s are expanded to their ASCII members, so a text holding any other digit or space
# (rare after folding) goes down the plain ``finditer`` path.

_PREFIX_LEN = 6
_PREFIX_CAP = 5_000
_ASCII_DIGITS = "".join(c for c in map(chr, range(128)) if re.match(r"\d", c))
_ASCII_SPACES = "".join(c for c in map(chr, range(128)) if re.match(r"\s", c))
# Prefixes and the scanned text both see every digit as 0 and every space as " ": \d and \s
# then cost one key instead of ten (a coarser filter, still a sound one).
_SCAN_FOLD: dict[str, str] = {c: "0" for c in _ASCII_DIGITS} | {c: " " for c in _ASCII_SPACES}


def _scan_fold(text: str) -> str:
    for old, new in _SCAN_FOLD.items():
        if old != new and old in text:
            text = text.replace(old, new)
    return text


_EXOTIC_RX: list[re.Pattern[str]] = []


def _exotic() -> re.Pattern[str]:
    """Any digit or space \\d/\\s match beyond ASCII, or any character past the BMP."""
    if not _EXOTIC_RX:
        digit_or_space = re.compile(r"[\d\s]")
        bmp = "".join(c for c in map(chr, range(128, 0x10000)) if digit_or_space.match(c))
        _EXOTIC_RX.append(re.compile(f"[{re.escape(bmp)}\U00010000-\U0010ffff]"))
    return _EXOTIC_RX[0]


class _TooMany(Exception):
    pass


_Pre = frozenset[tuple[str, bool]]  # (prefix, open: the match may go on past it)


def _seq_prefixes(items: Any, budget: int) -> _Pre:
    current: set[tuple[str, bool]] = {("", True)}
    for op, av in items:
        grown: set[tuple[str, bool]] = set()
        for s, is_open in current:
            if not is_open or len(s) >= budget:
                grown.add((s, False))
                continue
            for t, t_open in _item_prefixes(op, av, budget - len(s)):
                u = s + t
                grown.add((u, t_open and len(u) < budget))
        if len(grown) > _PREFIX_CAP:
            raise _TooMany
        current = grown
        if not any(o for _, o in current):
            break
    return frozenset(current)


def _item_prefixes(op: Any, av: Any, budget: int) -> _Pre:
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return frozenset({(_SCAN_FOLD.get(chr(av), chr(av)), True)})
    if op is c.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is c.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is c.RANGE and sub_av[1] - sub_av[0] < 256:
                chars.update(map(chr, range(sub_av[0], sub_av[1] + 1)))
            elif sub_op is c.CATEGORY and sub_av is c.CATEGORY_DIGIT:
                chars.update(_ASCII_DIGITS)
            elif sub_op is c.CATEGORY and sub_av is c.CATEGORY_SPACE:
                chars.update(_ASCII_SPACES)
            else:
                return frozenset({("", False)})  # \w, negated sets, …: any character
        return frozenset((_SCAN_FOLD.get(ch, ch), True) for ch in chars)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset({("", True)})  # zero width
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            raise _TooMany
        return _seq_prefixes(sub, budget)
    if op is c.ATOMIC_GROUP:
        return _seq_prefixes(av, budget)
    if op is c.BRANCH:
        out: set[tuple[str, bool]] = set()
        for alternative in av[1]:
            out.update(_seq_prefixes(alternative, budget))
        return frozenset(out)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        out = set()
        for r in range(lo, max(lo, min(hi, budget)) + 1):
            out.update(_seq_prefixes(list(sub) * r, budget))
        return frozenset(out)
    return frozenset({("", False)})  # back references, ANY, NOT_LITERAL, …


@functools.lru_cache(maxsize=1024)
def _prefixes(pattern: str) -> frozenset[str] | None:
    """Strings one of which starts every match of ``pattern`` (None: no useful set).

    As long as the set stays small: _PREFIX_LEN characters, fewer for patterns whose
    alternatives multiply (a digit or a space class early in the pattern).
    """
    from re import _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    for length in range(_PREFIX_LEN, 1, -1):
        try:
            found = _seq_prefixes(list(parsed), length)
        except _TooMany:
            continue
        prefixes = frozenset(s for s, _ in found)
        return None if "" in prefixes else prefixes
    return None


class _CandidateScan:
    """Where each of several patterns may start in a text, found in one pass."""

    def __init__(self, patterns: dict[Any, str]) -> None:
        self.unfiltered: set[Any] = set()
        keys: dict[str, set[Any]] = {}
        for consumer, source in patterns.items():
            prefixes = _prefixes(source)
            if prefixes is None:
                self.unfiltered.add(consumer)
                continue
            for prefix in prefixes:
                keys.setdefault(prefix, set()).add(consumer)
        # Keys wanted by the same patterns share one value: a text's hits are grouped by it.
        groups: dict[frozenset[Any], int] = {}
        automaton = ahocorasick.Automaton()
        for key, consumers in keys.items():
            group = groups.setdefault(frozenset(consumers), len(groups))
            automaton.add_word(key, (len(key) - 1, group))
        automaton.make_automaton()
        self.automaton = automaton
        self.members: dict[int, frozenset[Any]] = {g: members for members, g in groups.items()}
        self.groups_of: dict[Any, tuple[int, ...]] = {
            consumer: tuple(g for members, g in groups.items() if consumer in members)
            for consumer in patterns
        }

    def scan(self, text: str) -> _Hits | None:
        """Where the patterns may start in ``text``; None when it needs the plain path."""
        if _exotic().search(text):
            return None
        by_group: dict[int, list[int]] = {}
        for end, (back, group) in self.automaton.iter(_scan_fold(text)):
            starts = by_group.get(group)
            if starts is None:
                by_group[group] = [end - back]
            else:
                starts.append(end - back)
        return _Hits(self, by_group)


class _Hits:
    """Candidate starts of each pattern in one text (computed when first asked for)."""

    def __init__(self, scan: _CandidateScan, by_group: dict[int, list[int]]) -> None:
        self.scan = scan
        self.by_group = by_group
        self.cache: dict[Any, list[int]] = {}

    def get(self, consumer: Any) -> list[int]:
        found = self.cache.get(consumer)
        if found is None:
            starts: list[int] = []
            for group in self.scan.groups_of.get(consumer, ()):
                starts.extend(self.by_group.get(group, ()))
            found = self.cache[consumer] = sorted(set(starts))
        return found


def _finditer_at(
    rx: re.Pattern[str], text: str, positions: list[int], lo: int, hi: int
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text, lo, hi)`` for a pattern that can only start at ``positions``."""
    last = lo
    for i in range(bisect.bisect_left(positions, lo), len(positions)):
        p = positions[i]
        if p >= hi:
            break
        if p < last:
            continue
        match = rx.match(text, p, hi)
        if match is not None:
            yield match
            last = match.end()


_DIGIT = re.compile(r"\d")


def _gates(folded: str, candidates: _Hits | None = None) -> dict[str, list[int]]:
    """Where each kind of date word occurs (start offsets), by gate name."""
    anchors: dict[str, list[int]] = {}
    digit = _DIGIT.search(folded)
    if digit:
        anchors["num"] = [digit.start()]
    for match in _rule_matches(_GATE, "gate", folded, 0, len(folded), candidates):
        anchors.setdefault(match.lastgroup or "", []).append(match.start())
    return anchors


_SCAN: list[_CandidateScan] = []


def _scan_patterns() -> dict[Any, str]:
    """What the tagger scans for: its gates and rules (a caller may add its own patterns)."""
    return {"gate": _GATE.pattern, **{name: rx.pattern for name, rx in _RX.items()}}


def _date_scan() -> _CandidateScan:
    """The candidate scan of the tagger's rules and gates (built on first use)."""
    if not _SCAN:
        _SCAN.append(_CandidateScan(_scan_patterns()))
    return _SCAN[0]


def _rule_matches(
    rx: re.Pattern[str],
    name: str,
    folded: str,
    lo: int,
    hi: int,
    candidates: _Hits | None,
) -> Iterator[re.Match[str]]:
    """``rx.finditer(folded, lo, hi)``, tried only where the rule can start when known."""
    if candidates is None or name in candidates.scan.unfiltered:
        return rx.finditer(folded, lo, hi)
    return _finditer_at(rx, folded, candidates.get(name), lo, hi)


# Rules run only near their rarest anchor word: no expression reaches further than this from
# the word that gates it ("من 10 يونيو إلى 12 يوليو 2024" is built from two shorter ones).
_WINDOW = 100


def _windows(positions: list[int], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for pos in positions:
        lo, hi = max(0, pos - _WINDOW), min(length, pos + _WINDOW)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _window_matches(
    rx: re.Pattern[str], text: str, positions: list[int] | None, windows: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text, lo, hi)`` for each of ``windows`` (sorted, disjoint), in order.

    A match that runs up to a window's end short of the text's is dropped: its lookahead
    could not see past the window. ``positions``: where a match can start (sorted), when
    known; tried with ``rx.match`` there only, as :func:`_finditer_at` does. One pass serves
    every window: a match ends inside its window, so the end of the last one never reaches
    into the next window.
    """
    length = len(text)
    if positions is None:
        for lo, hi in windows:
            for found in rx.finditer(text, lo, hi):
                if hi < length and found.end() == hi:
                    continue
                yield found
        return
    last = 0
    count = len(positions)
    for lo, hi in windows:
        i = bisect.bisect_left(positions, max(lo, last))
        while i < count:
            p = positions[i]
            if p >= hi:
                break
            i += 1
            if p < last:
                continue
            match = rx.match(text, p, hi)
            if match is None:
                continue
            last = match.end()
            if hi < length and last == hi:
                continue
            yield match


_PREV_WORD = re.compile(r"([^\s\d،,.:;!?()\[\]«»\"']+)[\s،,]*$")
_NEXT_WORD = re.compile(r"^[\s،,]*([^\s\d،,.:;!?()\[\]«»\"']+)")
_COUNTED_NEXT = re.compile(r"^\s*([^\s\d،,.:;!?()\[\]«»\"']+)")
_YEAR_LIST = re.compile(r"\s*(?:،\s*|,\s*)?و?\s*(?P<y>[12]\d{3})(?![\d]|[.,]\d)")
_RANGE_JOIN = re.compile(r"^\s*(?P<join>الي|حتي|لغاية|ولغاية|وحتي|و|-|–|—)\s*$")
_RANGE_OPEN = re.compile(
    r"(?:^|[\s،,(])(?P<open>من|بين|ما\s+بين|(?:خلال|في)?\s*الفتر[ةه]\s+من)\s+$"
)
_PREFIX_ATTACH = re.compile(
    rf"(?:^|(?<=[\s،,(]))(?:(?P<early>في\s+وقت\s+(?:سابق|لاحق)\s+من)|(?P<mod>{_MOD_ALT})|"
    rf"(?P<season>{_SEASON_ALT})|(?:ال)?ربع\s+(?P<q>{_alt(lex.QUARTERS)})|"
    rf"(?:ال)?نصف\s+(?P<h>{_alt(lex.HALVES)}))\s+(?:من\s+)?$"
)
_OF_RELATIVE_YEAR = re.compile(r"^\s+(?:من\s+)?$")
_WEEKDAY_DATE_JOIN = re.compile(r"^\s*[،,]?\s*(?:الموافق\s+)?$")


@dataclass
class _Point:
    """A calendar period as far as the text gives it (``y`` None: year not given)."""

    precision: str
    y: int | None = None
    m: int | None = None
    d: int | None = None
    q: int | None = None
    week: tuple[int, int] | None = None
    basis: str = "explicit"
    qual: str | None = None  # past / next / this, for a year the text leaves out

    def value(self) -> str | None:
        if self.precision == "unknown" or self.y is None:
            return None
        if self.precision == "day" and self.m and self.d:
            return f"{self.y:04d}-{self.m:02d}-{self.d:02d}"
        if self.precision == "week" and self.week:
            return f"{self.week[0]:04d}-W{self.week[1]:02d}"
        if self.precision == "month" and self.m:
            return f"{self.y:04d}-{self.m:02d}"
        if self.precision == "quarter" and self.q:
            return f"{self.y:04d}-Q{self.q}"
        if self.precision == "year":
            return f"{self.y:04d}"
        if self.precision == "decade":
            return f"{self.y // 10:03d}X"
        return None

    def first_day(self) -> date | None:
        bounds = value_bounds(self.value(), self.precision)
        return bounds[0] if bounds else None


@dataclass
class _Cand:
    start: int
    end: int
    rule: str
    point: _Point
    end_point: _Point | None = None
    vague: bool = False


def _span(match: re.Match[str]) -> tuple[int, int]:
    return match.span("x")


def _month_of(match: re.Match[str], suffix: str = "") -> int | None:
    first = lex.GREGORIAN_MONTHS[_squash(match[f"mn{suffix}"])]
    second = match[f"mx{suffix}"]
    if second and lex.GREGORIAN_MONTHS[_squash(second)] != first:
        return None  # "يونيو/يوليو" is two months, not one month in two series
    return first


def _squash(word: str) -> str:
    return " ".join(word.split())


def _qual(word: str | None) -> str | None:
    if not word:
        return None
    if word in lex.QUALIFIER_PAST:
        return "past"
    if word in lex.QUALIFIER_NEXT:
        return "next"
    return "this"


def _valid_day(y: int | None, m: int, d: int) -> bool:
    try:
        date(2024 if y is None else y, m, d)  # 2024 is a leap year: 29 February is allowed
    except ValueError:
        return False
    return True


def _prev_word(folded: str, pos: int) -> str:
    """The word ending before ``pos`` (spaces and commas skipped), within 40 characters.

    What ``_PREV_WORD.search(folded, max(0, pos - 40), pos)`` finds, walked backwards from
    ``pos``: the regex retries at every position of the window (measured: ~10 µs a call, a
    tenth of the tagger's time on news text). ``isspace``/``isdecimal`` are what \\s and \\d
    test for ``str`` patterns.
    """
    lo = max(0, pos - 40)
    end = pos
    while end > lo and (folded[end - 1] in "،," or folded[end - 1].isspace()):
        end -= 1
    start = end
    while start > lo:
        char = folded[start - 1]
        if char in _WORD_STOPS or char.isspace() or char.isdecimal():
            break
        start -= 1
    return folded[start:end]


# What ends a word for _PREV_WORD besides spaces and digits.
_WORD_STOPS = frozenset("،,.:;!?()[]«»\"'")


def _next_word(folded: str, pos: int) -> str:
    match = _NEXT_WORD.match(folded[pos : pos + 40])
    return match.group(1) if match else ""


def _strip_clitic(word: str) -> str:
    for prefix in ("وال", "فال", "بال", "لل", "و", "ف", "ب", "ل"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            rest = word[len(prefix) :]
            return "ال" + rest if prefix in ("وال", "فال", "بال") else rest
    return word


def _is_name_head(word: str) -> bool:
    return word in lex.NAME_HEADS or _strip_clitic(word) in lex.NAME_HEADS


class _Tagger:
    """One tagging run over one folded text."""

    def __init__(self, folded: str, original: str, dct: date | None) -> None:
        self.f = folded
        self.o = original
        self.dct = dct
        self.cands: list[_Cand] = []

    # -- candidate rules ------------------------------------------------------------------

    def add(self, match: re.Match[str], rule: str, point: _Point, **kw: object) -> None:
        start, end = _span(match)
        self.cands.append(_Cand(start, end, rule, point, **kw))  # type: ignore[arg-type]

    def run(self) -> list[_Cand]:
        f = self.f
        candidates = self._hits if self._hits is not None else _date_scan().scan(f)
        anchors = _gates(f, candidates)
        windows: dict[str, list[tuple[int, int]]] = {}
        for name, handler, gates, word_gates, rx in _RULE_PLAN:
            if not all(map(anchors.get, gates)):
                continue
            positions = None
            if candidates is not None and name not in candidates.scan.unfiltered:
                positions = candidates.get(name)
                if not positions:
                    continue  # the rule's words occur nowhere
            if len(word_gates) == 1:
                rarest: str | None = word_gates[0]
            else:
                rarest = min(word_gates, key=lambda g: len(anchors[g]), default=None)
            if rarest is None:
                spans = [(0, len(f))]
            else:
                if rarest not in windows:
                    windows[rarest] = _windows(anchors[rarest], len(f))
                spans = windows[rarest]
            for match in _window_matches(rx, f, positions, spans):
                handler(self, match)
        chosen = self._select()
        chosen = self._year_lists(chosen)
        chosen = self._merge_weekday_dates(chosen)
        chosen = self._month_of_relative_year(chosen)
        chosen = self._ranges(chosen)
        chosen = self._attach_prefixes(chosen)
        for cand in chosen:
            self._resolve(cand)
        return chosen

    def _numeric(self, match: re.Match[str]) -> None:
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
        if match.re is _RX["dmy"] and m > 12 >= d:
            m, d = d, m  # month-first (06/19/2024) when day-first is impossible
        if not (1000 <= y <= 2199 and 1 <= m <= 12 and _valid_day(y, m, d)):
            return
        self.add(match, "numeric", _Point("day", y, m, d))

    def _day_of(self, match: re.Match[str]) -> int | None:
        if match["od"]:
            return lex.ORDINAL_DAYS[match["od"]]
        return int(match["d"])

    def _day_month_year(self, match: re.Match[str]) -> None:
        m = _month_of(match)
        d = self._day_of(match)
        y = int(match["y"])
        if m is None or d is None or not 1000 <= y <= 2199 or not _valid_day(y, m, d):
            return
        self.add(match, "dmy_words", _Point("day", y, m, d))

    def _day_month(self, match: re.Match[str]) -> None:
        m = _month_of(match)
        d = self._day_of(match)
        if m is None or d is None or not _valid_day(None, m, d):
            return
        start = match.start("x")
        if _is_name_head(_prev_word(self.f, start)):
            return  # "حزب 30 يونيو": a name, not a date
        self.add(
            match, "dm_words", _Point("day", None, m, d, basis="inferred", qual=_qual(match["q"]))
        )

    def _month_year(self, match: re.Match[str]) -> None:
        m = _month_of(match)
        y = int(match["y"])
        if m is None or not 1000 <= y <= 2199:
            return
        self.add(match, "month_year", _Point("month", y, m))

    def _month_only(self, match: re.Match[str]) -> None:
        m = _month_of(match)
        if m is None:
            return
        word = _squash(match["mn"])
        has_context = bool(match["mx"]) or "شهر" in match["x"] or bool(match["q"])
        if word in lex.AMBIGUOUS_MONTHS and not has_context:
            start = match.start("mn")
            if not (word == "اب" and self._original_char(start) == "آ"):
                return
        self.add(match, "month", _Point("month", None, m, basis="inferred", qual=_qual(match["q"])))

    def _original_char(self, folded_pos: int) -> str:
        return self.o[self._orig(folded_pos)] if self.o else ""

    def _orig(self, pos: int) -> int:
        offsets = self._offsets
        return offsets.to_original(pos) if offsets is not None else pos

    _offsets: _OffsetMap | None = None
    _hits: _Hits | None = None  # a scan of the folded text already made by the caller

    def _day_range(self, match: re.Match[str]) -> None:
        m = _month_of(match)
        d1, d2 = int(match["d"]), int(match["d2"])
        if m is None or d2 <= d1:
            return
        join, opener = match["join"], match["open"]
        if join == "و" and not (opener and "بين" in opener):
            return  # "10 و12 يونيو" lists two days; only "بين 10 و12" is a range
        y = int(match["y"]) if match["y"] else None
        if y is not None and not 1000 <= y <= 2199:
            return
        if not (_valid_day(y, m, d1) and _valid_day(y, m, d2)):
            return
        basis = "explicit" if y is not None else "inferred"
        self.add(
            match,
            "day_range",
            _Point("day", y, m, d1, basis=basis),
            end_point=_Point("day", y, m, d2, basis=basis),
        )

    def _month_range(self, match: re.Match[str]) -> None:
        m1, m2 = _month_of(match, "a"), _month_of(match, "b")
        if m1 is None or m2 is None or m2 <= m1:
            return
        if match["join"] == "و" and "بين" not in match["open"]:
            return
        y = int(match["y"]) if match["y"] else None
        basis = "explicit" if y is not None else "inferred"
        self.add(
            match,
            "month_range",
            _Point("month", y, m1, basis=basis),
            end_point=_Point("month", y, m2, basis=basis),
        )

    def _year(self, match: re.Match[str]) -> None:
        y = int(match["y"])
        start, end = _span(match)
        pre = match.groupdict().get("pre")
        if pre is not None:
            # A preposition alone ("في 2023") is weak evidence: keep to plausible news years and
            # refuse quantities ("في 2000 موقع") and identifiers ("في الرقم 2024" never gets
            # here; "في 2024 5555" is a phone number).
            if not 1800 <= y <= 2100:
                return
            nxt = _COUNTED_NEXT.match(self.f[end : end + 30])
            if nxt and _strip_clitic(nxt.group(1)) in lex.COUNTED_NOUNS:
                return
        if not 1000 <= y <= 2199:
            return
        if re.match(r"\s?\d", self.f[end : end + 2]):
            return  # followed by more digits: a phone or reference number
        if _strip_clitic(_prev_word(self.f, start)) in lex.NUMBER_HEADS:
            return
        self.add(match, "year", _Point("year", y))

    def _quarter(self, match: re.Match[str]) -> None:
        y, n = int(match["y"]), match["qn"]
        if match["qw"]:
            self.add(match, "year", _Point("quarter", y, q=lex.QUARTERS[n]))
        elif n in lex.HALVES:
            half = lex.HALVES[n]
            self.add(
                match,
                "year",
                _Point("quarter", y, q=2 * half - 1),
                end_point=_Point("quarter", y, q=2 * half),
            )

    def _year_range(self, match: re.Match[str]) -> None:
        y1 = int(match["y"])
        raw2 = match["y2"]
        if len(raw2) == 2:
            y2 = (y1 // 100) * 100 + int(raw2)
            if int(raw2) <= y1 % 100:
                return
        else:
            y2 = int(raw2)
        if not (1000 <= y1 < y2 <= 2199 and y2 - y1 <= 200):
            return
        groups = match.groupdict()
        if groups.get("join") == "و" and "بين" not in (groups.get("open") or ""):
            return
        if match.re is _RX["year_range"] and not groups.get("open"):
            start = match.start("x")
            if _strip_clitic(_prev_word(self.f, start)) in lex.NUMBER_HEADS:
                return
        self.add(match, "year_range", _Point("year", y1), end_point=_Point("year", y2))

    def _hijri(self, match: re.Match[str]) -> None:
        from hijridate import Hijri

        y = int(match["y"])
        groups = match.groupdict()
        if groups.get("hm") is None and not groups.get("hmark"):
            return
        if not 1 <= y <= 1600:
            return
        hm = lex.HIJRI_MONTHS[_squash(groups["hm"])] if groups.get("hm") else None
        d = int(groups["d"]) if groups.get("d") else None
        try:
            if hm is not None and d is not None:
                g = Hijri(y, hm, d).to_gregorian()
                self.add(match, "hijri", _Point("day", g.year, g.month, g.day))
                return
            if hm is not None:
                first = Hijri(y, hm, 1)
                last = Hijri(y, hm, first.month_length()).to_gregorian()
                g1 = first.to_gregorian()
                end = (
                    None
                    if (g1.year, g1.month) == (last.year, last.month)
                    else _Point("month", last.year, last.month)
                )
                self.add(match, "hijri", _Point("month", g1.year, g1.month), end_point=end)
                return
            g1 = Hijri(y, 1, 1).to_gregorian()
            h_last = Hijri(y, 12, 1)
            g2 = Hijri(y, 12, h_last.month_length()).to_gregorian()
            self.add(match, "hijri", _Point("year", g1.year), end_point=_Point("year", g2.year))
        except (OverflowError, ValueError):
            # Outside hijridate's Umm al-Qura table (1343–1500 AH) or not a calendar date:
            # the span is a date, its value unknown.
            self.add(match, "hijri", _Point("unknown"))

    def _decade(self, match: re.Match[str]) -> None:
        end = match.end("x")
        if re.match(r"^\s+من\s+(?:ال)?عمر", self.f[end : end + 20]):
            return  # "في الخمسينيات من عمره" is an age
        tens = lex.DECADES[match["dec"]]
        cent = match["cent"]
        if cent and _squash(cent) in lex.CENTURIES:
            self.add(
                match, "decade", _Point("decade", lex.CENTURIES[_squash(cent)] * 100 + tens * 10)
            )
            return
        if cent in ("الماضي", "المنصرم") and self.dct:
            century = self.dct.year // 100 - 1
            self.add(match, "decade", _Point("decade", century * 100 + tens * 10, basis="relative"))
            return
        if cent in ("الحالي", "الجاري"):
            century = self.dct.year // 100 if self.dct else 20
            basis = "relative" if self.dct else "inferred"
            self.add(match, "decade", _Point("decade", century * 100 + tens * 10, basis=basis))
            return
        self.add(match, "decade", _Point("decade", 1900 + tens * 10, basis="inferred"))

    def _weekday(self, match: re.Match[str]) -> None:
        wd_word = match["wd"]
        groups = match.groupdict()
        today = match.re is _RX["today_weekday"]
        if wd_word in lex.AMBIGUOUS_WEEKDAYS and not (
            today or groups.get("yawm") or groups.get("part") or groups.get("q")
        ):
            start, end = _span(match)
            before = self.f[max(0, start - 4) : start].rstrip(" ")
            after = self.f[end : end + 3].lstrip(" ")
            prev = _prev_word(self.f, start)
            in_commas = (before.endswith(("،", ",")) or prev == "في") and (
                not after or after[0] in "،,.؛" or after[0].isdigit()
            )
            if not in_commas:
                return  # "بين الاثنين" is "between the two"
        wd = lex.WEEKDAYS[wd_word]
        qual = _qual(groups.get("q"))
        if self.dct is None:
            self.add(match, "weekday", _Point("unknown", basis="relative"))
            return
        back = (self.dct.weekday() - wd) % 7
        if qual == "next":
            day = self.dct + timedelta(days=(wd - self.dct.weekday()) % 7 or 7)
        elif qual == "past" and back == 0:
            day = self.dct - timedelta(days=7)
        else:
            day = self.dct - timedelta(days=back)
        self.add(match, "weekday", _Point("day", day.year, day.month, day.day, basis="relative"))

    def _relative_day(self, match: re.Match[str]) -> None:
        rel = match["rel"]
        start, end = _span(match)
        if rel is not None:
            rel = _squash(rel)
            if rel == "اليوم":
                if _strip_clitic(_next_word(self.f, end)) in lex.TODAY_NOT_AFTER:
                    return
                if _strip_clitic(_prev_word(self.f, match.start("rel"))) in lex.TODAY_NOT_BEFORE:
                    return
                if re.search(r"[«\"“]\s*\S*\s*$", self.f[max(0, start - 15) : start]):
                    return  # «روسيا اليوم»: an outlet name in quotes
            offset = lex.RELATIVE_DAYS[rel]
        else:
            if not match["part"] and match["ghad"] == "غد":
                return
            offset = 1
        self._add_day_offset(match, offset)

    def _add_day_offset(self, match: re.Match[str], offset: int) -> None:
        if self.dct is None:
            self.add(match, "relative", _Point("unknown", basis="relative"))
            return
        day = self.dct + timedelta(days=offset)
        self.add(match, "relative", _Point("day", day.year, day.month, day.day, basis="relative"))

    def _relative_period(self, match: re.Match[str]) -> None:
        qual = _qual(match["q"])
        if match["bq"]:
            steps = -2
        elif match["dem"] or qual == "this":
            steps = 0
        elif qual == "past":
            steps = -1
        elif qual == "next":
            steps = 1
        else:
            return  # a bare "العام" is not a date
        self._add_period_offset(match, lex.PERIOD_NOUNS[_squash(match["pn"])], steps)

    def _add_period_offset(self, match: re.Match[str], unit: str, steps: int) -> None:
        if self.dct is None:
            self.add(match, "relative", _Point("unknown", basis="relative"))
            return
        self.add(match, "relative", _shift(self.dct, unit, steps))

    def _ago(self, match: re.Match[str]) -> None:
        unit, implied = lex.UNIT_WORDS[match["unit"]]
        if match["n"]:
            count = int(match["n"])
            if implied in (1, 2):
                return  # "قبل 3 يوم" is not Arabic; "قبل 2 يومين" neither
        elif match["nw"]:
            word = match["nw"]
            if word not in lex.NUMBER_WORDS:
                self.add(match, "vague", _Point("unknown", basis="relative"), vague=True)
                return
            count = lex.NUMBER_WORDS[word]
        elif implied:
            count = implied
        else:
            # "قبل أيام", "منذ سنوات": some days/years ago, no number.
            self.add(match, "vague", _Point("unknown", basis="relative"), vague=True)
            return
        sign = -1 if match["dir"] == "قبل" else 1
        if unit == "day":
            self._add_day_offset(match, sign * count)
        else:
            self._add_period_offset(match, unit, sign * count)

    def _vague(self, match: re.Match[str]) -> None:
        self.add(match, "vague", _Point("unknown", basis="relative"), vague=True)

    # -- combination passes ------------------------------------------------------------------

    def _select(self) -> list[_Cand]:
        """Longest non-overlapping candidates (ties: earlier rule), in text order."""
        order = _RULE_ORDER
        ranked = sorted(
            self.cands, key=lambda c: (-(c.end - c.start), order.get(c.rule, 99), c.start)
        )
        taken: list[tuple[int, int]] = []
        chosen: list[_Cand] = []
        for cand in ranked:
            pos = bisect.bisect_left(taken, (cand.start, cand.end))
            if pos > 0 and taken[pos - 1][1] > cand.start:
                continue
            if pos < len(taken) and taken[pos][0] < cand.end:
                continue
            taken.insert(pos, (cand.start, cand.end))
            chosen.append(cand)
        return sorted(chosen, key=lambda c: c.start)

    def _year_lists(self, chosen: list[_Cand]) -> list[_Cand]:
        """ "عامي 2019 و2020", "في 2019، 2020": each listed year is a date too."""
        out: list[_Cand] = []
        for i, cand in enumerate(chosen):
            out.append(cand)
            current = cand
            limit = chosen[i + 1].start if i + 1 < len(chosen) else len(self.f)
            while current.point.precision == "year" and current.end_point is None:
                match = _YEAR_LIST.match(self.f, current.end, limit)
                if not match:
                    break
                y = int(match["y"])
                if not 1000 <= y <= 2199:
                    break
                current = _Cand(match.start("y"), match.end("y"), "year", _Point("year", y))
                out.append(current)
        return out

    def _merge_weekday_dates(self, chosen: list[_Cand]) -> list[_Cand]:
        """ "الأربعاء 19 يونيو 2024": the weekday joins the date it names."""
        out: list[_Cand] = []
        i = 0
        while i < len(chosen):
            cand = chosen[i]
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if (
                nxt is not None
                and cand.rule == "weekday"
                and nxt.point.precision == "day"
                and nxt.end_point is None
                and nxt.rule in ("numeric", "dmy_words", "dm_words", "hijri")
                and _WEEKDAY_DATE_JOIN.match(self.f[cand.end : nxt.start])
            ):
                out.append(_Cand(cand.start, nxt.end, nxt.rule, nxt.point))
                i += 2
                continue
            out.append(cand)
            i += 1
        return out

    def _month_of_relative_year(self, chosen: list[_Cand]) -> list[_Cand]:
        """ "نوفمبر من العام الماضي": the month takes the relative year."""
        out: list[_Cand] = []
        i = 0
        while i < len(chosen):
            cand = chosen[i]
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if (
                nxt is not None
                and cand.point.y is None
                and cand.point.precision in ("day", "month")
                and cand.end_point is None
                and nxt.rule == "relative"
                and (nxt.point.precision == "year" or nxt.point.precision == "unknown")
                and re.search(r"(?:العام|السن[ةه])", self.f[nxt.start : nxt.end])
                and _OF_RELATIVE_YEAR.match(self.f[cand.end : nxt.start])
            ):
                point = _Point(
                    cand.point.precision, nxt.point.y, cand.point.m, cand.point.d, basis="relative"
                )
                if nxt.point.precision == "unknown":
                    point = _Point("unknown", basis="relative")
                out.append(_Cand(cand.start, nxt.end, "relative", point))
                i += 2
                continue
            out.append(cand)
            i += 1
        return out

    def _ranges(self, chosen: list[_Cand]) -> list[_Cand]:
        """ "من 10 يونيو إلى 12 يوليو 2024", "بين مارس 2023 ويناير 2024", "1950 – 1953"."""
        out: list[_Cand] = []
        i = 0
        while i < len(chosen):
            cand = chosen[i]
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            combined = self._combine(cand, nxt) if nxt is not None else None
            if combined is not None:
                out.append(combined)
                i += 2
                continue
            out.append(cand)
            i += 1
        return out

    def _combine(self, a: _Cand, b: _Cand) -> _Cand | None:
        if a.vague or b.vague or a.end_point or b.end_point:
            return None
        join = _RANGE_JOIN.match(self.f[a.end : b.start])
        if not join:
            return None
        opener = _RANGE_OPEN.search(self.f[max(0, a.start - 25) : a.start])
        word = join["join"]
        if opener is None and word not in ("-", "–", "—"):
            return None
        if opener is not None and ("بين" in opener["open"]) != (word == "و"):
            return None
        pa_, pb = a.point, b.point
        if pa_.precision == "unknown" or pb.precision == "unknown":
            if pa_.basis == pb.basis == "relative" and self.dct is None:
                start = a.start - len(opener.group(0).lstrip(" ،,(")) if opener else a.start
                return _Cand(start, b.end, "relative", _Point("unknown", basis="relative"))
            return None
        if pa_.y is None and pb.y is not None and pa_.precision in ("day", "month"):
            pa_ = _Point(pa_.precision, pb.y, pa_.m, pa_.d, basis=pb.basis)
            if pa_.precision == "day" and pa_.m and pa_.d and not _valid_day(pa_.y, pa_.m, pa_.d):
                return None
        precision = _coarser(pa_.precision, pb.precision)
        first, last = _coarsen(pa_, precision), _coarsen(pb, precision)
        if first is None or last is None:
            return None
        self._resolve_point(first)
        self._resolve_point(last)
        f1, f2 = first.first_day(), last.first_day()
        if (f1 is None or f2 is None or f2 <= f1) and not (first.y is None and last.y is None):
            return None
        start = a.start
        if opener is not None:
            start = a.start - len(opener.group(0).lstrip(" ،,("))
        return _Cand(start, b.end, "range", first, end_point=last)

    def _attach_prefixes(self, chosen: list[_Cand]) -> list[_Cand]:
        """Modifiers before a period join its span; quarters and halves refine a year."""
        for cand in chosen:
            if cand.vague or cand.point.precision == "day":
                continue
            window = self.f[max(0, cand.start - 30) : cand.start]
            match = _PREFIX_ATTACH.search(window)
            if not match:
                continue
            cand.start -= len(window) - match.start()
            point = cand.point
            if (match["q"] or match["h"]) and point.precision == "year" and not cand.end_point:
                if match["q"]:
                    point.precision, point.q = "quarter", lex.QUARTERS[match["q"]]
                else:
                    half = lex.HALVES[match["h"]]
                    point.precision, point.q = "quarter", 2 * half - 1
                    cand.end_point = _Point("quarter", point.y, q=2 * half, basis=point.basis)
        return chosen

    # -- resolution ---------------------------------------------------------------------------

    def _resolve(self, cand: _Cand) -> None:
        self._resolve_point(cand.point)
        if cand.end_point is not None:
            self._resolve_point(cand.end_point)
            if cand.end_point.precision == "unknown" or cand.point.precision == "unknown":
                cand.point = _Point("unknown", basis=cand.point.basis)
                cand.end_point = None

    def _resolve_point(self, point: _Point) -> None:
        """Fill a year the text leaves out from the document date, or mark it unknown."""
        if point.y is not None or point.precision not in ("day", "month"):
            return
        if self.dct is None or point.m is None:
            point.precision = "unknown"
            return
        dct = self.dct
        point.basis = "inferred"
        if point.qual == "this":
            point.y = dct.year
        else:
            options = [dct.year - 1, dct.year, dct.year + 1]
            if point.precision == "month":

                def key(y: int) -> int:
                    return (y - dct.year) * 12 + (point.m or 1) - dct.month
            else:

                def key(y: int) -> int:
                    try:
                        return (date(y, point.m or 1, point.d or 1) - dct).days
                    except ValueError:
                        return 10**6

            if point.qual == "past":
                options = [y for y in options if key(y) < 0]
            elif point.qual == "next":
                options = [y for y in options if key(y) > 0]
            if not options:
                point.precision = "unknown"
                return
            point.y = min(options, key=lambda y: (abs(key(y)), key(y) > 0))
        if point.precision == "day" and not _valid_day(point.y, point.m, point.d or 1):
            point.precision = "unknown"
            point.y = None


# The candidate rules in the order they run, each with its handler.
_HANDLERS: tuple[tuple[str, Callable[[_Tagger, re.Match[str]], None]], ...] = (
    ("iso", _Tagger._numeric),
    ("dmy", _Tagger._numeric),
    ("day_month_year", _Tagger._day_month_year),
    ("day_month", _Tagger._day_month),
    ("month_year", _Tagger._month_year),
    ("month_prep", _Tagger._month_only),
    ("month_word", _Tagger._month_only),
    ("month_mod", _Tagger._month_only),
    ("month_qual", _Tagger._month_only),
    ("day_range", _Tagger._day_range),
    ("month_range", _Tagger._month_range),
    ("quarter_year", _Tagger._quarter),
    ("year_noun", _Tagger._year),
    ("year_prep", _Tagger._year),
    ("year_mod", _Tagger._year),
    ("year_range", _Tagger._year_range),
    ("year_range_words", _Tagger._year_range),
    ("hijri_day", _Tagger._hijri),
    ("hijri_month", _Tagger._hijri),
    ("hijri_year", _Tagger._hijri),
    ("decade", _Tagger._decade),
    ("today_weekday", _Tagger._weekday),
    ("weekday", _Tagger._weekday),
    ("relative_day", _Tagger._relative_day),
    ("relative_period", _Tagger._relative_period),
    ("ago", _Tagger._ago),
    ("vague", _Tagger._vague),
    ("vague_period", _Tagger._vague),
)
#: Per rule, in _HANDLERS order, what _Tagger.run reads for it on every text: name,
#: handler, gates, the gates other than "num" and the regex, looked up once here instead
#: of per rule per text. The word gates keep the frozenset's own iteration order, so a
#: tie for the rarest gate goes the way it went when run() iterated the set itself.
_RULE_PLAN: tuple[
    tuple[
        str,
        Callable[[_Tagger, re.Match[str]], None],
        frozenset[str],
        tuple[str, ...],
        re.Pattern[str],
    ],
    ...,
] = tuple(
    (name, handler, _RULE_GATES[name], tuple(g for g in _RULE_GATES[name] if g != "num"), _RX[name])
    for name, handler in _HANDLERS
)


_RULE_PRIORITY = (
    "numeric",
    "dmy_words",
    "hijri",
    "range",
    "day_range",
    "month_range",
    "year_range",
    "month_year",
    "dm_words",
    "weekday",
    "relative",
    "decade",
    "year",
    "month",
    "vague",
)
_RULE_ORDER = {name: i for i, name in enumerate(_RULE_PRIORITY)}


def _shift(dct: date, unit: str, steps: int) -> _Point:
    if unit == "day":
        day = dct + timedelta(days=steps)
        return _Point("day", day.year, day.month, day.day, basis="relative")
    if unit == "week":
        iso = (dct + timedelta(days=7 * steps)).isocalendar()
        return _Point("week", iso[0], week=(iso[0], iso[1]), basis="relative")
    if unit == "month":
        total = dct.year * 12 + dct.month - 1 + steps
        return _Point("month", total // 12, total % 12 + 1, basis="relative")
    return _Point("year", dct.year + steps, basis="relative")


def _coarser(a: str, b: str) -> str:
    return a if PRECISION_ORDER.index(a) >= PRECISION_ORDER.index(b) else b


def _coarsen(point: _Point, precision: str) -> _Point | None:
    if point.precision == precision:
        return _Point(
            point.precision, point.y, point.m, point.d, point.q, point.week, point.basis, point.qual
        )
    if precision == "month" and point.precision == "day":
        return _Point("month", point.y, point.m, basis=point.basis, qual=point.qual)
    if precision == "year" and point.precision in ("day", "month", "quarter"):
        return _Point("year", point.y, basis=point.basis)
    if precision == "year" and point.precision == "week" and point.week:
        return _Point("year", point.week[0], basis=point.basis)
    return None


def _worst_basis(*bases: str) -> str:
    return max(bases, key=TAG_BASES.index)


def tag_dates(text: str, *, dct: date | None = None) -> list[DateExpression]:
    """Every date expression in ``text``, in order, with offsets into ``text``.

    Args:
        text: any text (clean article body, a headline, a sentence).
        dct: the document creation (publication) date, when known; relative and year-less
            expressions are resolved against it.

    Returns:
        Non-overlapping expressions in text order. Never raises on any input.
    """
    if not text:
        return []
    folded, offsets = _fold_for_tagging(text)
    return _tag_folded(text, folded, offsets, dct)


def _tag_folded(
    text: str,
    folded: str,
    offsets: _OffsetMap | None,
    dct: date | None,
    hits: _Hits | None = None,
) -> list[DateExpression]:
    """:func:`tag_dates` of ``text`` already folded (``fold_for_matching``).

    ``hits``: a scan of ``folded`` by a :class:`_CandidateScan` that includes
    :func:`_scan_patterns` (shared with the caller's own patterns), if one was made.
    """
    if not text:
        return []
    tagger = _Tagger(folded, text, dct)
    tagger._hits = hits
    tagger._offsets = offsets
    out: list[DateExpression] = []
    for cand in tagger.run():
        start = tagger._orig(cand.start)
        end = tagger._orig(cand.end - 1) + 1
        while end < len(text) and text[end] in _TRAILING_MARKS:
            end += 1  # tanween, shadda, tatweel written on the last letter belong to the word
        point, end_point = cand.point, cand.end_point
        value = point.value()
        precision = point.precision if value is not None else "unknown"
        end_value = end_point.value() if end_point is not None and value is not None else None
        if end_point is not None and end_value is None:
            value, precision = None, "unknown"
        basis = point.basis if end_point is None else _worst_basis(point.basis, end_point.basis)
        if end_value == value:
            end_value = None
        out.append(
            DateExpression(
                start, end, text[start:end], value, precision, basis, end_value, cand.vague
            )
        )
    return out
