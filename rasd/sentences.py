"""Sentence boundaries in clean article text, as offsets (shared by entities and events).

Arabic news prose ends sentences with . ! ? ؟ and the Arabic full stop; paragraphs are lines.
Abbreviations with a dot (د. for doctor, أ.ب for AP) must not end a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Why: a dot after one or two letters is an abbreviation (د. رائد، أ.ب، U.S.), not a full stop.
# The leading lookahead lets the regex engine skip to candidate characters instead of trying
# the lookbehinds at every position (measured: 2x faster, identical spans on 2,000 articles).
_BOUNDARY = re.compile(
    r"(?=[.!?؟۔…\n])(?:(?<![\s.][^\s.])(?<![\s.][^\s.][^\s.])[.!?؟۔…]+[\"”»')]*(?=\s|$)|\n)"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of each sentence in ``text``, whitespace trimmed, in order."""
    return list(_split_cached(text))


@lru_cache(maxsize=4)
def _split_cached(text: str) -> tuple[tuple[int, int], ...]:
    """The spans, remembered for the last few texts.

    Why: the build splits each article twice, once for its entity mentions and once for its
    events; the second call costs a dictionary lookup. Spans are returned as a tuple so no
    caller can change what the next one gets.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end() if match.group() != "\n" else match.start()
        _append(text, start, end, spans)
        start = match.end()
    _append(text, start, len(text), spans)
    return tuple(spans)


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentence_index(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence containing ``offset`` (the last one starting at or before it)."""
    lo, hi = 0, len(spans) - 1
    found = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if spans[mid][0] <= offset:
            found, lo = mid, mid + 1
        else:
            hi = mid - 1
    return found
