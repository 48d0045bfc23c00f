"""The sidebar's "link to this view" in Chromium: the copied link, opened by someone else (a
fresh browser context), lists the same articles with the same reader and language; a link
from another build says the numbers may differ; downloads carry the data they promise."""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import wait_for_app

pytestmark = pytest.mark.browser


def copy_link(page: Page) -> str:
    """Open the sidebar's link box and read the link from its code block."""
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander'] summary").filter(
        has_text="link"
    ).first.click()
    code = page.locator(".st-key-share_link [data-testid='stCode'] code")
    expect(code).to_have_count(1)
    return str(code.text_content()).strip()


def rows(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "table.rasd-articles tr.rasd-article[data-article-id]",
        "rows => rows.map(r => r.dataset.articleId)",
    )


def test_the_copied_link_reproduces_the_view_in_a_fresh_browser(
    page: Page, chromium_browser: Browser, app_url: str, seed_dataset: Path
) -> None:
    manifest = json.loads((seed_dataset / "manifest.json").read_text(encoding="utf-8"))
    articles = pd.read_parquet(seed_dataset / "articles.parquet")
    dated = articles[articles["published_at"].notna()]  # the view has a date range
    outlets = sorted(dated["outlet_id"].unique())[:2]
    selected = articles.loc[articles["outlet_id"] == outlets[0], "article_id"].iat[0]
    query = (
        "&".join(f"outlet={o}" for o in outlets) + f"&from=2023-01-01&lang=en&article={selected}"
    )
    page.goto(f"{app_url}/articles?{query}")
    wait_for_app(page)
    # one more change made with a widget, not the URL: type a search word
    search = page.get_by_role("textbox", name="Search text")
    search.fill("بوتين")
    search.press("Enter")
    wait_for_app(page)
    before = rows(page)
    assert before, "the view lists articles"

    link = copy_link(page)
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.netloc == urlsplit(app_url).netloc
    assert parts.path == "/articles"
    params = parse_qs(parts.query)
    assert params["outlet"] == outlets and params["lang"] == ["en"]
    assert params["from"] == ["2023-01-01"] and params["q"] == ["بوتين"]
    assert params["article"] == [selected] and params["ds"] == [manifest["dataset_id"]]

    context = chromium_browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        other = context.new_page()
        other.goto(link)
        wait_for_app(other)
        assert rows(other) == before
        assert (
            other.locator("tr.rasd-article.rasd-selected").get_attribute("data-article-id")
            == selected
        )
        assert other.locator("div.rasd-article-text").count() == 1
        assert other.get_by_role("heading", name="Articles").count() >= 1
        assert other.locator("[data-testid='stAlert']").count() == 0  # same build: no notice
        assert copy_link(other) == link
    finally:
        context.close()


def test_the_overview_link_keeps_its_page_and_filters(
    page: Page, app_url: str, seed_dataset: Path
) -> None:
    outlet = sorted(pd.read_parquet(seed_dataset / "articles.parquet")["outlet_id"])[0]
    page.goto(f"{app_url}/?outlet={outlet}&lang=en")
    wait_for_app(page)
    link = copy_link(page)
    parts = urlsplit(link)
    assert parts.path in {"", "/"}
    assert parse_qs(parts.query)["outlet"] == [outlet]
    page.goto(f"{app_url}/data?lang=en")
    wait_for_app(page)
    assert urlsplit(copy_link(page)).path == "/data"


def test_a_link_from_another_build_says_the_numbers_may_differ(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/articles?lang=en&ds=0000deadbeef")
    wait_for_app(page)
    alert = page.locator("[data-testid='stAlert']").filter(has_text="rebuilt since")
    expect(alert).to_have_count(1)
    assert "0000deadbeef" in str(alert.text_content())
    page.goto(f"{app_url}/articles?ds=0000deadbeef")
    wait_for_app(page)
    expect(page.locator("[data-testid='stAlert']").filter(has_text="أُعيد بناؤها")).to_have_count(1)


def test_downloads_carry_the_listed_rows_and_the_chart(
    page: Page, app_url: str, seed_dataset: Path
) -> None:
    manifest = json.loads((seed_dataset / "manifest.json").read_text(encoding="utf-8"))
    page.goto(f"{app_url}/articles?lang=en")
    wait_for_app(page)
    listed = rows(page)
    with page.expect_download() as info:
        page.locator(".st-key-articles_list_csv button").first.click()
    download = info.value
    assert download.suggested_filename == f"rasd_{manifest['dataset_id']}_articles_articles.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame["article_id"]) == listed

    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    with page.expect_download(timeout=90_000) as info:
        page.locator(".st-key-overview_outlets_png button").first.click()
    png = info.value
    assert png.suggested_filename == f"rasd_{manifest['dataset_id']}_overview_outlets.png"
    assert Path(png.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
