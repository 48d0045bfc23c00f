"""Arabic normalisation for matching and search only, never for display.

Folds the variation that spelling, typing and keyboards introduce but that does not change
the word: tashkeel and tatweel, hamza-carrying alefs, alef maqsura, ta marbuta, Persian
letters, Eastern digits and exotic spaces. Every function here maps one input character to
at most one output character (or drops it), so the result is never longer than the input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Harakat, shadda, sukun, superscript alef, Quranic marks: they change pronunciation, not
# the word a reader searches for.
_TASHKEEL = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
)
_TATWEEL = "\u0640"
# Zero-width and directional marks that scraped text carries invisibly.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"

_DROP = {ord(c): None for c in _TASHKEEL + _TATWEEL + _INVISIBLE}

_LETTERS = {
    # Alef with hamza above/below, madda, wasla: searched for as bare alef.
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    # Alef maqsura is written for final ya and vice versa in much Egyptian text.
    "ى": "ي",
    # Persian/Urdu keyboards produce these for Arabic ya and kaf (seen in tag lists).
    "ی": "ي",
    "ې": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "ە": "ه",
    "ۀ": "ه",
}
_TA_MARBUTA = {"ة": "ه"}
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")} | {
    ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")
}
_SPACES = {
    ord(c): " "
    for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
}

#: Every character :func:`normalize_arabic` changes, and what it becomes ("" = dropped).
_BASE_MAP: dict[str, str] = {
    **{c: "" for c in _TASHKEEL + _TATWEEL + _INVISIBLE},
    **_LETTERS,
    **{chr(k): v for k, v in _DIGITS.items()},
    **{chr(k): v for k, v in _SPACES.items()},
}
_SEARCH_MAP = {**_BASE_MAP, **_TA_MARBUTA}
#: The changed characters news text is full of: hamza-carrying alefs, alef maqsura, ta
#: marbuta, the common harakat (tanween in أيضاً, shadda) and tatweel.
_FREQUENT = "أإآىة" + "".join(chr(c) for c in range(0x064B, 0x0653)) + _TATWEEL


class _CharMap:
    """``text.translate(table)`` for a table that maps characters to at most one character.

    Why not ``str.translate``: for non-ASCII text it looks up every character in the table,
    about 0.1 µs a character, and normalisation runs on every line cleaned, every article
    stored and every text fingerprinted. Here each frequent character is replaced with one
    ``str.replace`` (a C scan, about a microsecond when the character is absent) and one
    regex catches the rare rest (measured on 2,000-character articles: 0.07 ms instead of
    0.2 ms; a fully vowelled text is also faster, since the harakat are frequent).

    The result equals ``str.translate`` because no replacement is itself a changed
    character (checked here), so the order the characters are replaced in does not matter.
    """

    def __init__(self, mapping: dict[str, str], frequent: str) -> None:
        if set("".join(mapping.values())) & set(mapping):
            raise ValueError("a replacement is itself replaced: passes would depend on order")
        self._frequent = tuple((c, mapping[c]) for c in frequent if c in mapping)
        rare = "".join(sorted(c for c in mapping if c not in frequent))
        self._rare = re.compile("[" + re.escape(rare) + "]")
        self._lookup = mapping.__getitem__

    def __call__(self, text: str) -> str:
        for char, replacement in self._frequent:
            text = text.replace(char, replacement)
        return self._rare.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        return self._lookup(match.group())


_fold_base = _CharMap(_BASE_MAP, _FREQUENT)
_fold_search = _CharMap(_SEARCH_MAP, _FREQUENT)
# A word for tokens(): everything that is neither punctuation nor whitespace.
_WORD = re.compile(r"\w+")
#: Punctuation (none of it \w or whitespace) that tokens() turns into spaces.
_COMMON_PUNCTUATION = ".،,:؛؟!?«»()\"'/-"
# One substitution instead of a str.replace pass per mark: measured on the corpus, 30%
# faster on evidence sentences (where fourteen calls cost more than the scans) and 13% on
# whole articles. Same text: the replacement, a space, is none of the marks.
_COMMON_PUNCTUATION_RX = re.compile("[" + re.escape(_COMMON_PUNCTUATION) + "]")


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII 0-9; nothing else changes."""
    return text.translate(_DIGITS)


def normalize_spaces(text: str) -> str:
    """NBSP, thin and other spaces to a plain space; nothing else changes."""
    return text.translate(_SPACES)


def normalize_arabic(text: str, *, fold_ta_marbuta: bool = False) -> str:
    """Character-level folding used for matching.

    Args:
        text: any text.
        fold_ta_marbuta: also fold ة to ه (search wants it; some matching does not).

    Returns:
        The folded text; characters are dropped or replaced one for one, never added.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _fold_search(text) if fold_ta_marbuta else _fold_base(text)


def _search_fold(text: str) -> str:
    """:func:`normalize_for_search` before whitespace is collapsed."""
    return normalize_arabic(text, fold_ta_marbuta=True).casefold()


def normalize_for_search(text: str) -> str:
    """Fold everything search should ignore, lower-case Latin, collapse whitespace.

    Whitespace is collapsed with ``split``/``join`` rather than a ``\\s+`` regex (three times
    faster): both use the same definition of whitespace (``str.isspace``, checked for every
    code point in the tests), so the result is the same.
    """
    return " ".join(_search_fold(text).split())


def normalize_lines_for_search(lines: Sequence[str]) -> list[str]:
    """``[normalize_for_search(line) for line in lines]``, folding all the lines at once.

    Why: the cleaner folds every line of every page, and one pass over the page costs the
    same as one pass per line minus a dozen calls' overhead. The results are the same
    because folding works character by character and a newline is a safe place to cut:
    it is never changed, never produced, and never combines with its neighbours under
    NFC (a starter that composes with nothing; Unicode guarantees normalising at such
    points piece by piece equals normalising the whole). Lines must not contain a newline;
    if one does, the lines are folded one by one.
    """
    folded = _search_fold("\n".join(lines)).split("\n")
    if len(folded) != len(lines):
        return [normalize_for_search(line) for line in lines]
    return [" ".join(line.split()) for line in folded]


def tokens(text: str) -> list[str]:
    """Search-normalised word tokens, punctuation removed.

    The tokens are the runs of word characters (``\\w+``) of the folded text: what replacing
    punctuation (``[^\\w\\s]``) with spaces and splitting on whitespace leaves. Found the
    fast way when possible (fingerprinting tokenises every article): the punctuation news
    text is full of becomes spaces, and if every whitespace-separated chunk is then made of
    letters and digits only, the chunks are the runs. Otherwise a regex finds them.
    """
    folded = _COMMON_PUNCTUATION_RX.sub(" ", _search_fold(text))
    chunks = folded.split()
    if all(map(str.isalnum, chunks)):  # \\w is a letter, a digit or "_"
        return chunks
    return _WORD.findall(folded)
