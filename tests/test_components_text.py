"""components/text.py: article HTML, links and the article list are escaped and safe."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.text import (
    PARAGRAPH_OPEN,
    Highlight,
    ListRow,
    article_html,
    articles_list_html,
    is_safe_url,
    md_escape,
    query_href,
    safe_link,
)

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</p><script>x</script>",
]


def _no_live_markup(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "<svg" not in lowered
    assert not re.search(r"<[^>]*\bon[a-z]+\s*=", lowered), "event handler attribute"


@pytest.mark.parametrize("attack", ATTACKS)
def test_article_html_escapes_everything(attack: str) -> None:
    html = article_html(f"قبل {attack} بعد\n{attack}")
    _no_live_markup(html)
    assert "&lt;" in html


def test_article_html_paragraphs_are_rtl_and_plaintext() -> None:
    html = article_html("الفقرة الأولى.\n\nالفقرة الثانية.\n  \nEnglish paragraph.")
    paragraphs = re.findall(r"<p [^>]*>", html)
    assert len(paragraphs) == 3
    assert all(p == PARAGRAPH_OPEN for p in paragraphs)
    assert 'dir="rtl"' in PARAGRAPH_OPEN and "unicode-bidi: plaintext" in PARAGRAPH_OPEN
    assert "text-align: right" in PARAGRAPH_OPEN


def test_article_html_empty_text() -> None:
    assert "<p" not in article_html("")
    assert "<p" not in article_html(None)


def test_highlights_mark_exact_offsets_and_escape_segments() -> None:
    text = "قال <b>بوتين</b> اليوم"
    start = text.index("بوتين")
    html = article_html(text, highlights=[(start, start + 5, "entity", 'Putin "<x>"')])
    assert '<mark class="entity" title="Putin &quot;&lt;x&gt;&quot;">بوتين</mark>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_nested_highlights_nest_and_crossing_ones_are_skipped() -> None:
    text = "abcdefghij"
    html = article_html(
        text,
        highlights=[
            Highlight(0, 6, "outer"),
            Highlight(2, 4, "inner"),
            Highlight(5, 9, "crossing"),  # crosses outer's end: skipped
            Highlight(7, 9, "after"),
        ],
    )
    assert '<mark class="outer">ab<mark class="inner">cd</mark>ef</mark>g' in html
    assert "crossing" not in html
    assert '<mark class="after">hi</mark>j' in html


def test_highlight_across_paragraphs_is_split() -> None:
    text = "abc\ndef"
    html = article_html(text, highlights=[(1, 6, "span")])
    assert html.count('<mark class="span">') == 2
    assert '<mark class="span">bc</mark>' in html and '<mark class="span">de</mark>' in html


def test_bad_highlights_are_ignored() -> None:
    html = article_html(
        "abcdef",
        highlights=[(4, 2, "empty"), (-5, 100, 'x" onmouseover="alert(1)'), (10, 20, "outside")],
    )
    _no_live_markup(html)
    assert "<mark" not in html


@given(st.text(max_size=200), st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60))))
def test_article_html_text_survives_any_highlights(text: str, spans: list[tuple[int, int]]) -> None:
    html = article_html(text, highlights=[(a, b, "h") for a, b in spans])
    assert html.count("<mark") == html.count("</mark>")
    _no_live_markup(html)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a?b=1&c=<x>",
        "http://example.com",
        "HTTPS://EXAMPLE.COM/",
    ],
)
def test_safe_link_links_http_urls_escaped(url: str) -> None:
    link = safe_link(url)
    assert link.startswith("<a href=")
    assert 'rel="noopener noreferrer nofollow"' in link
    assert "<x>" not in link


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/x",
        "/relative/path",
        "https://",
        "https://exa mple.com",
        "",
        None,
    ],
)
def test_safe_link_refuses_other_urls(url: str | None) -> None:
    assert not is_safe_url(url)
    link = safe_link(url)
    assert "<a " not in link and "href" not in link
    _no_live_markup(link)


def test_safe_link_escapes_label() -> None:
    link = safe_link("https://example.com", "<img src=x onerror=alert(1)>")
    _no_live_markup(link)


def test_md_escape_neutralises_markdown() -> None:
    escaped = md_escape("[x](javascript:alert(1)) **b** :red[c] $m$ <i>")
    for raw in ("[x]", "](", "**", ":red[", "$m$", "<i>"):
        assert raw not in escaped
    assert md_escape("2024-02-30") == "2024-02-30"


def test_query_href_encodes_values() -> None:
    href = query_href({"outlet": ["a", "b"], "q": ['"بوتين" & <x>']})
    assert href.startswith("?outlet=a&outlet=b&q=")
    assert "<" not in href and '"' not in href and " " not in href
    assert query_href({}) == "?"


def test_articles_list_html_escapes_and_marks_rows() -> None:
    rows = [
        ListRow(
            article_id="x1",
            outlet_id="evil",
            outlet="<script>alert(1)</script>",
            title="<img src=x onerror=alert(1)>",
            has_title=True,
            date_label="19 يونيو 2024",
            basis_label="مطبوع في النص",
            is_copy=True,
            href='?article=x1&q="><script>',
            selected=True,
        ),
        ListRow("a2", "ahram", "الأهرام", "(بلا عنوان)", False, "يونيو 2024", "مستنتج", False, "?"),
    ]
    html = articles_list_html(
        rows, headers={"title": "T", "outlet": "O", "date": "D", "basis": "B"}, copy_label="copy"
    )
    _no_live_markup(html)
    assert html.startswith('<div class="rasd-articles-scroll"><table class="rasd-articles">')
    assert html.count('<tr class="rasd-article') == 2
    assert 'data-outlet-id="evil"' in html and 'data-article-id="a2"' in html
    assert "rasd-selected" in html and "rasd-copy" in html and "rasd-no-title" in html


def test_evidence_is_localised_and_escaped() -> None:
    from components.text import evidence_html

    ar = evidence_html("page header, not used: الإثنين 01 يوليو 2024", lang="ar")
    assert (
        ar.startswith("تاريخ رأس الصفحة") and '<bdi dir="auto">«الإثنين 01 يوليو 2024»</bdi>' in ar
    )
    en = evidence_html("field date_extracted: 2024-06-19T14:49:00+03:00", lang="en")
    assert en.startswith("from field date_extracted: ")
    hostile = evidence_html("printed: <script>alert(1)</script>", lang="en")
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    assert "<img" not in evidence_html("<img src=x onerror=alert(1)>", lang="ar")
