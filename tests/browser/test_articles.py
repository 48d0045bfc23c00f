"""Shared links in a real browser: the Articles page lists exactly the linked outlet's
articles, the Arabic reaches the DOM unshaped, and crafted URLs give notices, not tracebacks."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from playwright.sync_api import Page

from tests.browser.helpers import presentation_form_chars, wait_for_app

pytestmark = pytest.mark.browser


def seed_articles(seed_dataset: Path) -> pd.DataFrame:
    return pd.read_parquet(seed_dataset / "articles.parquet")


def listed(page: Page) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "table.rasd-articles tr.rasd-article",
        "rows => rows.map(r => ({id: r.dataset.articleId, outlet: r.dataset.outletId,"
        " text: r.innerText}))",
    )


def test_outlet_link_lists_exactly_that_outlets_articles(
    page: Page, app_url: str, seed_dataset: Path
) -> None:
    articles = seed_articles(seed_dataset)
    for outlet_id in sorted(articles["outlet_id"].unique()):
        page.goto(f"{app_url}/articles?outlet={outlet_id}")
        wait_for_app(page)
        # Under load the first visit's table can arrive a moment after the app is idle.
        page.wait_for_selector("table.rasd-articles tr.rasd-article", timeout=30_000)
        rows = listed(page)
        expected = set(articles.loc[articles["outlet_id"] == outlet_id, "article_id"])
        assert {r["id"] for r in rows} == expected, outlet_id
        assert {r["outlet"] for r in rows} == {outlet_id}
        outlet_name = articles.loc[articles["outlet_id"] == outlet_id, "outlet"].iat[0]
        assert all(outlet_name in r["text"] for r in rows)
        body = page.evaluate("document.body.textContent")
        assert presentation_form_chars(body) == [], outlet_id


def test_reader_shows_clean_text_rtl_from_a_shared_link(
    page: Page, app_url: str, seed_dataset: Path
) -> None:
    articles = seed_articles(seed_dataset)
    row = articles[articles["outlet_id"] == "nysn"].iloc[0]
    page.goto(f"{app_url}/articles?outlet=nysn&article={row['article_id']}")
    wait_for_app(page)
    paragraphs = page.eval_on_selector_all(
        "div.rasd-article-text p", "ps => ps.map(p => [p.getAttribute('dir'), p.textContent])"
    )
    assert [text for _, text in paragraphs] == row["text"].split("\n")
    assert {direction for direction, _ in paragraphs} == {"rtl"}
    provenance = page.inner_text("dl.rasd-provenance")
    assert "001_d4c75918ac5c958f.txt" in provenance
    assert page.evaluate(
        "getComputedStyle(document.querySelector('div.rasd-article-text p')).textAlign"
    ) in {"right", "start"}


def test_english_link_and_filters_survive_navigation(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/articles?outlet=nysn&lang=en&from=2024-06-01")
    wait_for_app(page)
    assert page.evaluate("document.documentElement.textContent").count("Articles") >= 1
    assert {r["outlet"] for r in listed(page)} == {"nysn"}
    page.get_by_role("link", name="Overview").first.click()
    wait_for_app(page)
    page.get_by_role("link", name="Articles").first.click()
    wait_for_app(page)
    assert "outlet=nysn" in page.url and "lang=en" in page.url and "from=2024-06-01" in page.url
    assert {r["outlet"] for r in listed(page)} == {"nysn"}


HOSTILE = [
    "from=2024-02-30&to=2024-01-01",
    "from=2024-07-01&to=2024-06-01",
    "outlet=" + quote("<script>alert(1)</script>"),
    "outlet=does-not-exist&outlet=nysn",
    "q=" + "ك" * 5000,
    "q=%00%00&lang=%00",
    "lang=fr",
    "entity=../../etc/passwd",
    "article=" + quote("' OR 1=1 --"),
    "type=x&type=y&type=" + "z" * 300,
    "zzz=1&outlet=nysn,nysn,,",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_crafted_links_show_notices_not_tracebacks(page: Page, app_url: str, query: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{app_url}/articles?{query}")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    text = page.evaluate("document.body.innerText")
    assert "Traceback" not in text
    assert dialogs == []
    # The page rendered its own content: the sidebar filters and a list or its empty notice.
    assert page.locator("[data-testid='stSidebar']").count() == 1
    assert (
        page.locator("table.rasd-articles").count()
        + page.locator("[data-testid='stAlert']").count()
        >= 1
    )


@pytest.mark.parametrize(
    "query",
    [
        "from=2024-02-30",
        "from=2024-07-01&to=2024-06-01",
        "outlet=does-not-exist",
        "lang=fr",
        "zzz=1",
    ],
)
def test_a_bad_value_is_named_in_a_visible_notice(page: Page, app_url: str, query: str) -> None:
    page.goto(
        f"{app_url}/articles?{query}&lang=en"
        if "lang=" not in query
        else f"{app_url}/articles?{query}"
    )
    wait_for_app(page)
    alerts = page.locator("[data-testid='stAlert']")
    assert alerts.count() >= 1
    assert alerts.first.is_visible()


def test_manifest_counts_on_the_data_page(page: Page, app_url: str, seed_dataset: Path) -> None:
    manifest = json.loads((seed_dataset / "manifest.json").read_text(encoding="utf-8"))
    page.goto(f"{app_url}/data?lang=en")
    wait_for_app(page)
    # st.dataframe draws on a canvas; its cells' text is in the accessibility grid, which
    # fills in after the script run ends, so wait for it rather than read once.
    page.wait_for_function(
        "id => document.body.textContent.includes(id)", arg=manifest["dataset_id"], timeout=20_000
    )
    text = page.evaluate("document.body.textContent")
    assert str(manifest["counts"]["read"]) in text
    assert presentation_form_chars(page.evaluate("document.body.textContent")) == []
