"""Global filters and their URL form, both ways.

The dashboard's view is fully described by a :class:`Filters` value; ``parse_params`` reads it
from a URL query string (as ``{key: [values...]}``) and ``to_params`` writes it back. Parsing
never raises: a value that cannot be used is dropped and reported as a :class:`Notice`, so a
crafted link shows a visible message instead of a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from rasd.normalize import normalize_for_search

LANGS = ("ar", "en")
#: Keys the app owns in the URL. Anything else is reported once as unknown. ``ds`` is the id
#: of the dataset a link was made on (``manifest.json``'s ``dataset_id``); ``article`` and
#: ``event`` are the selected article and event cluster. None of them is ever a file path:
#: every id is checked against ``_ID_RE``, which admits no ``/``, ``\\`` or leading dot.
KNOWN_KEYS = ("outlet", "from", "to", "q", "lang", "entity", "type", "article", "event", "ds")

# Bounds on what a URL may carry: long enough for real use, short enough that a crafted link
# cannot make a query expensive.
MAX_VALUE_CHARS = 200
MAX_VALUES_PER_KEY = 50
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Notice:
    """Why part of a URL was ignored. ``key`` names a message in the UI's i18n table."""

    key: str
    param: str
    value: str = ""


@dataclass(frozen=True)
class Filters:
    """What the analyst is looking at. Empty tuples and ``None`` mean "no restriction"."""

    outlets: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    entities: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    lang: str = "ar"
    article: str | None = None
    event: str | None = None
    #: Dataset id the link was made on (``ds``); the view does not depend on it.
    dataset: str | None = None
    notices: tuple[Notice, ...] = field(default=(), compare=False)

    @property
    def q_norm(self) -> str:
        """The free-text query folded like ``articles.text_norm``."""
        return normalize_for_search(self.q)

    @property
    def has_date_range(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def with_(self, **changes: object) -> Filters:
        """A copy with some fields changed (notices are dropped: they belong to one parse)."""
        return replace(self, notices=(), **changes)  # type: ignore[arg-type]


def _clean(value: str) -> str:
    return _CONTROL_RE.sub("", value).strip()


def _split_values(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(part for part in (_clean(p) for p in value.split(",")) if part)
    return out


def _parse_ids(
    param: str,
    values: Sequence[str],
    known: Iterable[str] | None,
    notices: list[Notice],
) -> tuple[str, ...]:
    known_set = set(known) if known is not None else None
    ids: list[str] = []
    for value in _split_values(values):
        if len(ids) >= MAX_VALUES_PER_KEY:
            notices.append(Notice("too_many_values", param, str(MAX_VALUES_PER_KEY)))
            break
        if not _ID_RE.match(value):
            notices.append(Notice("bad_id", param, value[:40]))
        elif known_set is not None and value not in known_set:
            notices.append(Notice("unknown_id", param, value))
        elif value not in ids:
            ids.append(value)
    return tuple(ids)


def _parse_one_id(param: str, values: Sequence[str], notices: list[Notice]) -> str | None:
    """A single id (the first valid one; more are reported as repeated)."""
    ids = _parse_ids(param, values, None, notices)
    if len(ids) > 1:
        notices.append(Notice("repeated_key", param, ids[-1]))
    return ids[0] if ids else None


def _parse_date(param: str, values: Sequence[str], notices: list[Notice]) -> date | None:
    cleaned = [v for v in (_clean(v) for v in values) if v]
    if not cleaned:
        return None
    if len(cleaned) > 1:
        notices.append(Notice("repeated_key", param, cleaned[-1][:40]))
    value = cleaned[0]
    if not _DATE_RE.match(value):
        notices.append(Notice("bad_date", param, value[:40]))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        notices.append(Notice("bad_date", param, value[:40]))
        return None


def parse_params(
    params: Mapping[str, Sequence[str] | str],
    *,
    known_outlets: Iterable[str] | None = None,
    known_entities: Iterable[str] | None = None,
    known_types: Iterable[str] | None = None,
    dataset_id: str | None = None,
) -> Filters:
    """Read filters from URL query parameters; never raises.

    Args:
        params: query parameters, each key mapped to its values (a bare string is one value).
        known_outlets: when given, outlet ids not in it are dropped with a notice.
        known_entities: likewise for ``entity``.
        known_types: likewise for ``type``.
        dataset_id: id of the dataset being shown; a ``ds`` that differs is kept but
            reported (``dataset_changed``): the link was made on another build.

    Returns:
        The filters, with ``notices`` saying what was ignored and why.
    """
    notices: list[Notice] = []
    values: dict[str, list[str]] = {}
    for raw_key, raw_values in params.items():
        key = _clean(str(raw_key))[:40]
        seq = [raw_values] if isinstance(raw_values, str) else list(raw_values)
        seq = [str(v) for v in seq]
        if _CONTROL_RE.search(str(raw_key)) or any(_CONTROL_RE.search(v) for v in seq):
            notices.append(Notice("control_chars", key))
        if key not in KNOWN_KEYS:
            notices.append(Notice("unknown_param", key))
            continue
        if any(len(v) > MAX_VALUE_CHARS for v in seq):
            notices.append(Notice("too_long", key, str(MAX_VALUE_CHARS)))
            seq = [v for v in seq if len(v) <= MAX_VALUE_CHARS]
        values[key] = seq

    lang = "ar"
    lang_values = [v for v in (_clean(v) for v in values.get("lang", [])) if v]
    if lang_values:
        if lang_values[0] in LANGS:
            lang = lang_values[0]
        else:
            notices.append(Notice("bad_lang", "lang", lang_values[0][:40]))

    date_from = _parse_date("from", values.get("from", []), notices)
    date_to = _parse_date("to", values.get("to", []), notices)
    if date_from and date_to and date_from > date_to:
        notices.append(Notice("reversed_range", "from", f"{date_from}…{date_to}"))
        date_from = date_to = None

    q_values = [v for v in (_clean(v) for v in values.get("q", [])) if v]
    if len(q_values) > 1:
        notices.append(Notice("repeated_key", "q", q_values[-1][:40]))
    q = q_values[0] if q_values else ""

    article = _parse_one_id("article", values.get("article", []), notices)
    event = _parse_one_id("event", values.get("event", []), notices)
    dataset = _parse_one_id("ds", values.get("ds", []), notices)
    if dataset and dataset_id and dataset != dataset_id:
        notices.append(Notice("dataset_changed", "ds", dataset))

    return Filters(
        outlets=_parse_ids("outlet", values.get("outlet", []), known_outlets, notices),
        date_from=date_from,
        date_to=date_to,
        q=q,
        entities=_parse_ids("entity", values.get("entity", []), known_entities, notices),
        types=_parse_ids("type", values.get("type", []), known_types, notices),
        lang=lang,
        article=article,
        event=event,
        dataset=dataset,
        notices=tuple(notices),
    )


def to_params(filters: Filters) -> dict[str, list[str]]:
    """The canonical URL query parameters of ``filters`` (defaults omitted)."""
    params: dict[str, list[str]] = {}
    if filters.outlets:
        params["outlet"] = list(filters.outlets)
    if filters.date_from:
        params["from"] = [filters.date_from.isoformat()]
    if filters.date_to:
        params["to"] = [filters.date_to.isoformat()]
    if filters.q:
        params["q"] = [filters.q]
    if filters.entities:
        params["entity"] = list(filters.entities)
    if filters.types:
        params["type"] = list(filters.types)
    if filters.lang != "ar":
        params["lang"] = [filters.lang]
    if filters.article:
        params["article"] = [filters.article]
    if filters.event:
        params["event"] = [filters.event]
    if filters.dataset:
        params["ds"] = [filters.dataset]
    return params
