"""From a page flattened to text to the article body, its headline and its date lines.

The cleaner works on lines. It finds where the body starts (the first line that reads as a
paragraph), treats what comes before as the page header (headline, masthead, bylines,
captions, date lines), and cuts the body at the first end-of-article marker (source credit,
tag list, "read also", related list, comment form). Inside the body it drops chrome lines
(prompts, captions with photo credits, notices). The rules describe kinds of lines, listed in
:mod:`rasd.boilerplate`, never the wording of one site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasd import boilerplate as bp
from rasd.dates import ImpossibleDate, ParsedDate, find_date
from rasd.normalize import normalize_for_search, normalize_lines_for_search

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# The spaces above other than a plain space: with none of them and no double space in a
# page, _SPACES would replace every lone space with itself. Searching for one character
# class is five times faster than that substitution, and most pages need no substitution.
_EXOTIC_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BULLET = re.compile(r"^\s*(?:[•▪●◦\-–—*]|\d{1,2}[.)])\s+")
# A line made only of a date (weekday, day, month, year, Hijri equivalent, time).
_DATE_LINE_LEFTOVER = re.compile(
    r"^[\s\d:،,/\-.()]*(?:(?:ال)?(?:اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت|احد)|الموافق|هـ|ه|م|"
    r"محرم|صفر|ربيع|جمادي|رجب|شعبان|رمضان|شوال|ذو|القعده|الحجه|الاول|الثاني|الاخر|الاخره|الاولي|"
    r"[\s\d:،,/\-.()])*$"
)


@dataclass
class DateLine:
    """A date printed on the page outside the body, with what kind of line carried it."""

    kind: str  # "publication" (a نشر/updated line), "header" (bare date above the headline),
    # "byline" (bare date under the headline)
    line: str
    parsed: ParsedDate | None
    error: str | None = None


@dataclass
class Cleaned:
    """The result of cleaning one page."""

    body: str
    title: str | None
    date_lines: list[DateLine] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    #: ``normalize_for_search(body)``, from the lines already folded for cleaning.
    body_norm: str = ""


def _words(line: str) -> int:
    # The number of \S+ runs: split() returns exactly those (re and str agree on what is
    # whitespace), and is several times faster than a regex findall.
    return len(line.split())


def _is_paragraph(line: str) -> bool:
    words = _words(line)
    if words >= bp.PARAGRAPH_MIN_WORDS:
        return True
    return words >= bp.SENTENCE_MIN_WORDS and line.rstrip().rstrip(bp.CLOSING_QUOTES).endswith(
        bp.SENTENCE_END
    )


# One alternation for all markers: checked on every body line, so it must be cheap.
_END_MARKER_RE = re.compile(
    r"^(?P<marker>"
    + "|".join(re.escape(m) for m in sorted(bp.END_MARKERS, key=len, reverse=True))
    + r")(?=$|[ :])\s*(?P<colon>:)?"
)


def _end_marker(folded: str, words: int) -> bool:
    match = _END_MARKER_RE.match(folded)
    if match is None:
        return False
    return (
        bool(match["colon"]) or match["marker"] in bp.LIST_MARKERS or words <= bp.SHORT_LINE_WORDS
    )


def _is_date_line(folded: str) -> bool:
    try:
        found = find_date(folded)
    except ImpossibleDate:
        return True
    if found is None:
        return False
    rest = folded[: found.start] + " " + folded[found.end :]
    return bool(_DATE_LINE_LEFTOVER.match(rest))


#: Punctuation that frames a line (bullets, separators) and says nothing about its kind.
_FRAME = " .:|-–—•"


def _fold(line: str) -> str:
    return normalize_for_search(line).strip(_FRAME)


# LEGAL_RE ignores case, and a case-insensitive pattern cannot skip ahead to where a match
# could begin: the engine tries every alternative at every position (half of classify's
# time). Every match begins with one of these: the first letter of a Latin alternative in
# either case (no other character matches them ignoring case), the Arabic alternative's
# first word, ©. A case-sensitive search finds them quickly, and the full pattern then runs
# from the first one. tests/test_clean.py keeps this list in step with LEGAL_RE.
_LEGAL_STARTS = ("r", "R", "c", "C", "p", "P", "t", "T", "جميع", "©")
_LEGAL_CANDIDATE = re.compile("|".join(map(re.escape, _LEGAL_STARTS)))


def _is_legal(folded: str) -> bool:
    """``bp.LEGAL_RE.search(folded)``, quick on the lines it cannot match."""
    candidate = _LEGAL_CANDIDATE.search(folded)
    return candidate is not None and bp.LEGAL_RE.search(folded, candidate.start()) is not None


#: A masthead line is a role alone or a role followed by a space or a colon (and a name).
_MASTHEAD_STARTS = tuple(role + sep for role in bp.MASTHEAD_ROLES for sep in " :")


def classify(line: str, folded: str | None = None) -> str:
    """The kind of a non-blank line: paragraph, heading, or a chrome kind to drop.

    ``folded`` is ``line`` after :func:`_fold`, when the caller already has it.
    """
    if folded is None:
        folded = _fold(line)
    words = folded.count(" ") + 1 if folded else 0
    if not folded:
        return "junk"
    if folded in bp.NAVIGATION_LINES:
        return "navigation"
    if _is_legal(folded):
        return "legal"
    if words <= bp.PUBLICATION_LINE_MAX_WORDS and bp.PUBLICATION_LINE_RE.match(folded):
        return "publication"
    if words <= 12 and _is_date_line(folded):
        return "date"
    if words <= 8 and (folded in bp.MASTHEAD_ROLES or folded.startswith(_MASTHEAD_STARTS)):
        return "masthead"
    if words <= bp.BYLINE_MAX_WORDS and bp.BYLINE_RE.match(folded):
        return "byline"
    if (
        words <= bp.SHORT_LINE_WORDS
        and bp.PROMPT_START_RE.match(folded)
        and any(w in bp.PROMPT_WORDS for w in folded.split()[1:])
    ):
        return "prompt"
    if words <= bp.CAPTION_MAX_WORDS and (
        bp.PHOTO_CREDIT_RE.search(folded) or bp.CAPTION_START_RE.match(folded)
    ):
        return "caption"
    if not _ARABIC_LETTER.search(line) and words <= 3:
        return "junk"
    return "paragraph" if _is_paragraph(line) else "heading"


def _strip_dateline(line: str, outlet: str | None) -> str:
    """Drop a leading "<outlet> ـ " stamp: the outlet's name, not the story's words."""
    if not outlet:
        return line
    stripped = line.lstrip()
    if not stripped.startswith(outlet):
        return line
    rest = stripped[len(outlet) :].lstrip()
    if rest[:1] and rest[0] in bp.DATELINE_SEPARATORS:
        return rest[1:].lstrip()
    return line


def _date_line(kind: str, line: str) -> DateLine:
    try:
        return DateLine(kind, line, find_date(line))
    except ImpossibleDate as exc:
        return DateLine(kind, line, None, str(exc))


def clean_text(raw: str, *, title: str | None = None, outlet: str | None = None) -> Cleaned:
    """Extract the article body and headline from page text.

    Args:
        raw: the page as text, one block per line.
        title: the headline when the input already gives it (then it is not searched for,
            and a copy of it at the top of the text is dropped).
        outlet: the outlet's name, to recognise its dateline stamp.

    Returns:
        The clean body (paragraphs joined by newlines), the headline (given or found, else
        None), date lines seen outside the body, and counts of dropped lines by kind.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text or _EXOTIC_SPACE.search(text):
        text = _SPACES.sub(" ", text)  # no newline in _SPACES: the same as line by line
    lines = [ln for ln in (ln.strip() for ln in text.split("\n")) if ln]
    # Each line folded for search once: _fold strips the frame from it, and the kept lines'
    # folds make the body's (see normalize_lines_for_search for why that is the same).
    items = [
        (ln, kind, folded, norm)
        for ln, norm in zip(lines, normalize_lines_for_search(lines), strict=True)
        for folded in (norm.strip(_FRAME),)
        for kind in (classify(ln, folded),)
    ]
    dropped: dict[str, int] = {}

    def drop(kind: str) -> None:
        dropped[kind] = dropped.get(kind, 0) + 1

    first_body = next((i for i, item in enumerate(items) if item[1] == "paragraph"), None)
    if first_body is None:
        # No line reads as a paragraph (short-line layouts): keep every non-chrome line.
        first_body = 0
    header, body_items = items[:first_body], items[first_body:]

    date_lines: list[DateLine] = []
    found_title: str | None = None
    given_title = _fold(title) if title else None
    for line, kind, folded, _norm in header:
        if kind == "publication":
            date_lines.append(_date_line("publication", line))
        elif kind == "date":
            date_lines.append(_date_line("byline" if (found_title or title) else "header", line))
        elif (
            title is None
            and found_title is None
            and kind == "heading"
            and bp.TITLE_MIN_WORDS <= _words(line) <= bp.TITLE_MAX_WORDS
            and not _BULLET.match(line)
        ):
            found_title = line
            continue
        elif given_title and folded == given_title:
            pass
        drop(f"header_{kind}")

    kept: list[tuple[str, str, str]] = []  # line, kind, normalize_for_search(line)
    for position, (line, kind, folded, norm) in enumerate(body_items):
        if kind in ("heading", "paragraph") and _end_marker(folded, folded.count(" ") + 1):
            drop("tail")
            # Everything after the marker belongs to the page's tail; publication lines in
            # a footer are still worth reading for the date.
            for rest_line, rest_kind, _, _ in body_items[position + 1 :]:
                if rest_kind == "publication":
                    date_lines.append(_date_line("publication", rest_line))
                drop("tail")
            break
        if kind == "publication":
            date_lines.append(_date_line("publication", line))
            drop(kind)
            continue
        if kind not in ("heading", "paragraph"):
            drop(kind)
            continue
        if given_title and folded == given_title and not kept:
            drop("repeated_title")
            continue
        if not kept:
            stripped = _strip_dateline(line, outlet)
            if stripped != line:
                line, norm = stripped, normalize_for_search(stripped)
        kept.append((line, kind, norm))

    # Headings left at the end have no paragraph to introduce: footer widgets, not body.
    has_paragraph = any(kind == "paragraph" for _, kind, _ in kept)
    while has_paragraph and kept and kept[-1][1] != "paragraph":
        kept.pop()
        drop("trailing")
    return Cleaned(
        body="\n".join(line for line, _, _ in kept),
        title=title.strip() if title else found_title,
        date_lines=date_lines,
        dropped=dropped,
        body_norm=" ".join(norm for _, _, norm in kept if norm),
    )
