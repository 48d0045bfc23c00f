"""Smoke test for the browser harness itself: no app, just Chromium and Arabic text.

It re-measures DESIGN.md finding 3: SVG text (what Plotly draws) has a left-to-right base
direction, so a mixed label reads in the wrong order unless wrapped in RLI ... PDI.
"""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import presentation_form_chars

FONT = Path(__file__).resolve().parents[2] / "static/fonts/NotoNaskhArabic-Regular.ttf"
LABEL = "10,000 جندي"
RLI, PDI = "\u2067", "\u2069"


def _label_page() -> str:
    # The bundled font is inlined so glyph metrics do not depend on the machine's fonts
    # (a data: page cannot load file:// URLs), and its loading proves the TTF is valid.
    font = base64.b64encode(FONT.read_bytes()).decode()
    html = f"""<!doctype html><meta charset="utf-8">
<style>
  @font-face {{ font-family: RasdNaskh; src: url(data:font/ttf;base64,{font}); }}
  text {{ font: 24px RasdNaskh; }}
</style>
<svg xmlns="http://www.w3.org/2000/svg" width="600" height="120">
  <text id="isolated" x="10" y="40">{RLI}{LABEL}{PDI}</text>
  <text id="bare" x="10" y="90">{LABEL}</text>
</svg>"""
    return "data:text/html;charset=utf-8," + quote(html)


def _start_x(page: Page, element_id: str, char: str) -> float:
    """x of the glyph for the first ``char`` in the SVG <text> ``element_id``."""
    x = page.evaluate(
        """([id, ch]) => {
            const text = document.getElementById(id);
            return text.getStartPositionOfChar(text.textContent.indexOf(ch)).x;
        }""",
        [element_id, char],
    )
    return float(x)


@pytest.mark.browser
def test_rli_wrapped_mixed_label_reads_right_to_left(page: Page) -> None:
    page.goto(_label_page())
    loaded = page.evaluate("document.fonts.load('24px RasdNaskh', 'ج').then(f => f.length)")
    assert loaded == 1, "bundled Noto Naskh Arabic did not load in Chromium"

    # Isolated: the label starts at the right, so the number sits right of the word.
    assert _start_x(page, "isolated", "1") > _start_x(page, "isolated", "ج")
    # Control: without isolation the number lands left of the word (the bug we guard
    # against), which shows the assertion above can fail.
    assert _start_x(page, "bare", "1") < _start_x(page, "bare", "ج")
    assert presentation_form_chars(page.text_content("svg") or "") == []


def test_presentation_form_chars() -> None:
    assert presentation_form_chars("جندي 10") == []
    # U+FE9F is ARABIC LETTER JEEM INITIAL FORM, U+FDF2 the ALLAH ligature.
    assert presentation_form_chars("\ufe9f\u0646\ufdf2") == ["\ufe9f", "\ufdf2"]
