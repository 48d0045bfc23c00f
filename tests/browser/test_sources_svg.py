"""The Sources page in Chromium: chart text reaches the SVG unshaped and in reading order.

Reads the SVG ``<text>`` that Plotly draws for the page's charts and measures, with
``getStartPositionOfChar``, where the glyphs of mixed labels land: read from the right,
"أسبوع 17 يونيو 2024" must read week, 17, June, 2024, and an outlet named "Rasd News رصد" must start with its
Latin part (DESIGN.md, "Arabic text: what we measured", finding 3).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import StartServer
from tests.browser.helpers import presentation_form_chars, wait_for_app
from tests.test_query_sources import write_sources_dataset

pytestmark = pytest.mark.browser

_SVG_TEXTS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')]
    .map(t => t.textContent)"""

# x of the first glyph of each character in ``chars`` inside the first chart <text> whose
# content contains ``needle`` (null when there is none).
_POSITIONS = """([needle, chars]) => {
    const texts = [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')];
    const text = texts.find(t => t.textContent.includes(needle));
    if (!text) return null;
    const content = text.textContent;
    return chars.map(ch => text.getStartPositionOfChar(content.indexOf(ch)).x);
}"""


_CHART_TEXTS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .map(chart => [...chart.querySelectorAll('svg text')].map(t => t.textContent))"""


def _chart_texts(page: Page, title: str) -> list[str]:
    """The SVG text of the chart whose texts include ``title``."""
    charts = [[str(t) for t in chart] for chart in page.evaluate(_CHART_TEXTS)]
    matching = [texts for texts in charts if any(title in t for t in texts)]
    assert len(matching) == 1, title
    return matching[0]


def _open(page: Page, url: str, *, charts: int) -> None:
    """Open ``url`` and wait until at least ``charts`` charts are drawn and the run is over.

    A deep link opened first on a fresh server runs twice (components/page.py reruns it
    through app.py), and the app can look idle between the two runs.
    """
    page.goto(url)
    page.wait_for_function(
        """n => document.querySelectorAll('[data-testid="stPlotlyChart"] svg.main-svg').length
               >= n""",
        arg=charts,
        timeout=60_000,
    )
    wait_for_app(page)


def _svg_texts(page: Page) -> list[str]:
    return [str(t) for t in page.evaluate(_SVG_TEXTS)]


def _positions(page: Page, needle: str, chars: list[str]) -> list[float] | None:
    found = page.evaluate(_POSITIONS, [needle, chars])
    return None if found is None else [float(x) for x in found]


@pytest.fixture(scope="module")
def sources_url(streamlit_server: StartServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The app serving the hand-made dataset (an outlet named in Latin and Arabic)."""
    data = write_sources_dataset(tmp_path_factory.mktemp("browser_sources") / "processed")
    return streamlit_server(data)


def test_seed_sources_charts_are_unshaped_and_dates_read_right_to_left(
    page: Page, app_url: str, seed_dataset: Path
) -> None:
    _open(page, f"{app_url}/sources", charts=2)  # volume and distinctive words
    texts = _svg_texts(page)
    assert texts, "no chart text on the Sources page"
    assert presentation_form_chars("".join(texts)) == []
    body = page.evaluate("document.body.textContent")
    assert presentation_form_chars(body) == []
    # distinctive words: one panel per seed outlet, titled with its name
    for outlet in ("تحيا مصر", "نيسان", "البوابة نيوز", "الأمصار", "العربية الآن"):
        assert any(outlet in t for t in texts), outlet
    assert any("قطارات" in t for t in texts)  # تحيا مصر's story: the trains
    # the volume chart's week tick "أسبوع 17 يونيو 2024", read from the right:
    # week, 17, June, 2024
    positions = _positions(page, "أسبوع 17 يونيو 2024", ["أ", "1", "ي", "2"])
    assert positions is not None, texts
    week, day, month, year = positions
    assert week > day > month > year, positions


def test_mixed_latin_arabic_outlet_name_reads_in_logical_order(
    page: Page, sources_url: str
) -> None:
    _open(page, f"{sources_url}/sources", charts=5)
    texts = _svg_texts(page)
    assert presentation_form_chars("".join(texts)) == []
    # the share-of-voice axis label "Rasd News رصد (2 مقالة)": Latin name first, from the right
    positions = _positions(page, "Rasd News رصد (", ["R", "ر", "2"])
    assert positions is not None, texts
    latin, arabic, count = positions
    assert latin > arabic > count, positions
    # every chart title is drawn, in Arabic, from an isolated label
    assert any("تغطية الأحداث" in t for t in texts)
    assert any("حصة الحضور" in t for t in texts)


def test_english_page_and_two_outlet_link(page: Page, sources_url: str) -> None:
    _open(page, f"{sources_url}/sources?lang=en&outlet=rasd&outlet=jeem", charts=5)
    texts = _svg_texts(page)
    coverage = _chart_texts(page, "Event coverage")
    assert any("Rasd News رصد" in t for t in coverage)
    assert any("الجيم" in t for t in coverage)
    assert not any("وكالة ألف" in t for t in coverage)  # alef is filtered out
    # syndication keeps pairs with one side in the filter: rasd's copy of alef's article
    assert any("وكالة ألف" in t for t in _chart_texts(page, "Who copies whom"))
    # in an English page the isolated Arabic word still follows the Latin one
    positions = _positions(page, "Rasd News رصد", ["R", "ر"])
    assert positions is not None
    assert presentation_form_chars("".join(texts)) == []
