"""Arabic labels for browser-rendered and non-browser output.

Browsers shape and order Arabic themselves (DESIGN.md, "Arabic text: what we measured"). What
they cannot know is the base direction of a short label inside a left-to-right context such
as Plotly's SVG text: ``10,000 جندي`` then reads in the wrong order. :func:`isolate` wraps such
labels in RIGHT-TO-LEFT ISOLATE … POP DIRECTIONAL ISOLATE, which fixes the order (measured).

:func:`shape_for_image` is the opposite tool, for renderers that do not shape text at all
(PIL, matplotlib, PDF libraries). Its output is visual-order presentation forms: a browser
would reverse it again, so pages never use it.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

RLI = "\u2067"  # RIGHT-TO-LEFT ISOLATE
FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
_ISOLATE_OPENERS = ("\u2066", RLI, FSI)  # LRI, RLI, FSI

# Plotly draws each "<br>"-separated line as its own SVG tspan, and an isolate cannot span
# two of them, so each line is isolated separately.
_BR = re.compile(r"(<br\s*/?>)", re.IGNORECASE)


def _is_rtl_char(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


@functools.cache
def _rtl_class() -> re.Pattern[str]:
    """A character class of every code point whose bidirectional type is R or AL, made
    once from ``unicodedata`` (a search in C instead of a Python call per character of
    each hover text: the Timeline's 400 hovers)."""
    runs: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if _is_rtl_char(chr(code)):
            if runs and runs[-1][1] == code - 1:
                runs[-1] = (runs[-1][0], code)
            else:
                runs.append((code, code))
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in runs) + "]")


def has_rtl(text: str) -> bool:
    """True when ``text`` has a strong right-to-left character (Arabic, Hebrew, …)."""
    return not text.isascii() and _rtl_class().search(text) is not None


def _is_isolated(text: str) -> bool:
    """True when the whole of ``text`` is one RLI … PDI run (so wrapping again is a no-op)."""
    if len(text) < 2 or not text.startswith(RLI) or not text.endswith(PDI):
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch in _ISOLATE_OPENERS:
            depth += 1
        elif ch == PDI:
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False  # the first isolate closes before the end: two runs
    return depth == 0


def _isolate_line(line: str) -> str:
    if not has_rtl(line) or _is_isolated(line):
        return line
    return f"{RLI}{line}{PDI}"


def isolate(label: str) -> str:
    """Wrap a label that contains right-to-left text in RLI … PDI; idempotent.

    Labels without Arabic (numbers, dates, Latin names) are returned unchanged. A label with
    Plotly ``<br>`` line breaks is isolated line by line.

    Args:
        label: text for a chart title, axis or tick label, legend entry, hover text or
            annotation.

    Returns:
        The label, isolated when it holds right-to-left text.
    """
    if "<" in label and _BR.search(label):
        parts = _BR.split(label)
        return "".join(part if _BR.fullmatch(part) else _isolate_line(part) for part in parts)
    return _isolate_line(label)


def isolate_inline(value: str) -> str:
    """Wrap a value spliced into a sentence in FSI … PDI so its direction cannot leak out.

    Used for user-supplied values (URL parameters, ids) quoted inside UI messages.
    """
    return f"{FSI}{value}{PDI}"


def has_presentation_forms(text: str) -> bool:
    """True when ``text`` holds Arabic Presentation Forms (U+FB50–U+FDFF, U+FE70–U+FEFF).

    Those code points are what :func:`shape_for_image` produces; in anything a browser
    renders they mean a label was pre-shaped and will read backwards.
    """
    return any(0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF for ch in text)


def shape_for_image(text: str) -> str:
    """Shape and reorder Arabic for renderers that do neither (PIL, matplotlib, some PDFs).

    ONLY for non-browser output. The result is in visual order and uses presentation forms;
    a browser (Streamlit, Plotly, Kaleido export) would reverse it again, so pages and chart
    builders must never call this.
    """
    # Imported here: the UI never needs these packages at runtime.
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text)))
