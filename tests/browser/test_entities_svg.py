"""Entities page in Chromium: network and heatmap labels reach the SVG unshaped, isolated,
and in logical reading order from the right."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page

from tests.browser.helpers import presentation_form_chars, wait_for_app

pytestmark = pytest.mark.browser
ARABIC = re.compile(r"[\u0600-\u06ff]")

# For each SVG text containing Arabic: its string and the x of its first and last glyphs.
READ_LABELS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')]
  .filter(t => /[\\u0600-\\u06ff]/.test(t.textContent) && t.getNumberOfChars() > 1)
  .map(t => {
    const n = t.getNumberOfChars();
    let first = null, last = null;
    for (let i = 0; i < n; i++) {
      const ch = t.textContent[i];
      if (/[\\u0600-\\u06ff]/.test(ch)) { if (first === null) first = i; last = i; }
    }
    return {text: t.textContent,
            firstX: t.getStartPositionOfChar(first).x, lastX: t.getStartPositionOfChar(last).x};
  })
"""


def test_entity_labels_are_isolated_unshaped_and_read_right_to_left(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/entities")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] svg text', timeout=30_000)
    labels = page.evaluate(READ_LABELS)
    assert len(labels) >= 5, labels
    for label in labels:
        assert presentation_form_chars(label["text"]) == [], label
        assert label["text"].startswith("\u2067") or label["text"].startswith("\u202b"), label
        # Logical first Arabic letter is drawn to the right of the last one.
        if label["firstX"] != label["lastX"]:
            assert label["firstX"] > label["lastX"], label
    assert presentation_form_chars(page.evaluate("document.body.textContent")) == []


def test_entity_link_lists_the_articles_that_mention_it(
    page: Page, app_url: str, seed_dataset: Path
) -> None:
    mentions = pd.read_parquet(seed_dataset / "mentions.parquet")
    articles = pd.read_parquet(seed_dataset / "articles.parquet")
    per_entity = mentions.groupby("entity_id")["article_id"].apply(set)
    for entity_id in (per_entity.map(len).idxmax(), per_entity.map(len).idxmin()):
        page.goto(f"{app_url}/articles?entity={entity_id}")
        wait_for_app(page)
        listed = page.eval_on_selector_all(
            "tr.rasd-article", "rs => rs.map(r => r.dataset.articleId)"
        )
        assert set(listed) == per_entity[entity_id] & set(articles["article_id"]), entity_id


# Boxes on screen of the column names of the co-occurrence matrix (the chart whose texts
# include ``title``), left to right.
_HEATMAP_COLUMNS = """title => {
    const chart = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .find(c => [...c.querySelectorAll('svg text')].some(t => t.textContent.includes(title)));
    if (!chart) return null;
    return [...chart.querySelectorAll('.xtick text')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    }).sort((a, b) => a.left - b.left);
}"""


@pytest.mark.parametrize(("lang", "title"), [("ar", "مصفوفة"), ("en", "Co-occurrence matrix")])
def test_matrix_column_names_do_not_run_into_each_other(
    page: Page, app_url: str, lang: str, title: str
) -> None:
    page.goto(f"{app_url}/entities?lang={lang}")
    wait_for_app(page)
    page.wait_for_function(
        """title => [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')]
                    .some(t => t.textContent.includes(title))""",
        arg=title,
        timeout=30_000,
    )
    columns = page.evaluate(_HEATMAP_COLUMNS, title)
    # The seed corpus fills the matrix: 12 entities, some with long names.
    assert columns is not None and len(columns) >= 10, columns
    for a, b in zip(columns, columns[1:], strict=False):
        assert a["right"] <= b["left"] + 0.5, (a, b)
    for column in columns:
        assert presentation_form_chars(column["text"]) == [], column
