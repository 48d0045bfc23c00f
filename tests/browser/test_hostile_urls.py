"""Crafted links on every page in Chromium: each page draws itself (title, sidebar) with a
visible notice for what it ignored, never a traceback and never a script.

The queries come from the Articles page's list (tests/browser/test_articles.py); six of
them, one per kind of attack, keep the page × query grid at 36 loads.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from components.i18n import MESSAGES
from components.page import PAGES
from tests.browser.helpers import wait_for_app
from tests.browser.test_articles import HOSTILE

pytestmark = pytest.mark.browser

#: invalid + reversed dates, HTML as an id, 5000 characters, NUL bytes, a path, SQL.
QUERIES = [
    HOSTILE[0],
    HOSTILE[2],
    HOSTILE[4],
    HOSTILE[5],
    HOSTILE[7],
    HOSTILE[8],
]
PAGE_PATHS = [url_path for _, url_path, _, _ in PAGES]


def test_the_queries_are_the_ones_meant() -> None:
    assert QUERIES[0].startswith("from=2024-02-30")
    assert "%3Cscript%3E" in QUERIES[1]
    assert len(QUERIES[2]) > 5000
    assert "%00" in QUERIES[3]
    assert "../" in QUERIES[4]
    assert "OR%201%3D1" in QUERIES[5]


@pytest.mark.parametrize("query", QUERIES, ids=["dates", "html", "long", "nul", "path", "sql"])
@pytest.mark.parametrize("page_path", PAGE_PATHS)
def test_a_crafted_link_gives_a_notice_on_every_page(
    page: Page, app_url: str, page_path: str, query: str
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    path = "" if page_path == "overview" else page_path
    page.goto(f"{app_url}/{path}?{query}&lang=en")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    text = page.evaluate("document.body.innerText")
    assert "Traceback" not in text
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("script:not([src])").filter(has_text="alert").count() == 0
    # the page drew itself: its own title and the sidebar filters
    title = MESSAGES[f"page_{page_path}"]["en"]
    assert page.get_by_role("heading", name=title).count() >= 1, title
    assert page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").count() == 1
    # and said what it ignored
    notices = page.locator("[data-testid='stAlert']").filter(has_text="parameter")
    assert notices.count() + page.get_by_text("ignored the date range").count() >= 1
    assert notices.first.is_visible() or page.get_by_text("ignored the date range").is_visible()
