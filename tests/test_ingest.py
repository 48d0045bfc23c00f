"""Record -> article: field aliases, --map, outlet ids, dates with precision and basis."""

from __future__ import annotations

from pathlib import Path

from rasd.ingest import Article, outlet_id_for, resolve_mapping, to_article
from rasd.io import RawRecord, Rejected

BODY = (
    Path(__file__).resolve().parents[1] / "tests" / "golden" / "clean" / "004_d99eb047aeee1334.txt"
).read_text(encoding="utf-8")


def record(**fields: object) -> RawRecord:
    return RawRecord(dict(fields), "feed.jsonl#L1", "jsonl")


def test_aliases_are_recognised() -> None:
    assert resolve_mapping(["Content", "Source", "Date", "Link"], {}) == {
        "text": "Content",
        "outlet": "Source",
        "published_at": "Date",
        "url": "Link",
    }


def test_map_overrides_aliases_and_falls_back_when_absent() -> None:
    cols = ["content", "body", "date_extracted", "date"]
    assert resolve_mapping(cols, {"text": "body", "published_at": "date_extracted"}) == {
        "text": "body",
        "published_at": "date_extracted",
    }
    assert resolve_mapping(["text"], {"text": "content"}) == {"text": "text"}


def test_metadata_date_has_metadata_basis() -> None:
    art = to_article(record(content=BODY, source="وكالة", date="2024-11-06T10:00:00+03:00"))
    assert isinstance(art, Article)
    assert art.published_basis == "metadata"
    assert art.published_precision == "day"
    assert art.published_at is not None and art.published_at.hour == 7


def test_month_only_metadata_keeps_month_precision() -> None:
    art = to_article(record(content=BODY, date="2024-11"))
    assert isinstance(art, Article)
    assert art.published_precision == "month"


def test_impossible_date_keeps_article_and_says_so() -> None:
    art = to_article(record(content=BODY, date="2024-02-30"))
    assert isinstance(art, Article)
    assert art.published_at is None
    assert art.published_basis == "unknown"
    assert art.warnings[0].reason == "impossible_date"
    assert "2024-02-30" in (art.published_evidence or "")


def test_printed_publication_line_is_explicit() -> None:
    text = "عنوان خبر تجريبي عن المعاهدة\nنشر في 2024-06-19 الساعة 14:49\n" + BODY
    art = to_article(record(text=text))
    assert isinstance(art, Article)
    assert (art.published_basis, art.published_precision) == ("explicit", "day")
    assert art.title == "عنوان خبر تجريبي عن المعاهدة"


def test_page_header_date_is_recorded_but_not_used() -> None:
    text = "الخميس 01 أغسطس 2024\nعنوان خبر تجريبي عن المعاهدة\n" + BODY
    art = to_article(record(text=text))
    assert isinstance(art, Article)
    assert art.published_at is None
    assert art.published_evidence == "page header, not used: الخميس 01 أغسطس 2024"


def test_no_text_and_too_short_are_rejected_with_reasons() -> None:
    no_text = to_article(record(title="x"))
    assert isinstance(no_text, Rejected) and no_text.reason == "no_text"
    assert "--map text=" in no_text.detail
    short = to_article(record(text="خبر قصير جدا."))
    assert isinstance(short, Rejected) and short.reason == "too_short"


def test_outlet_ids_are_stable_and_url_safe() -> None:
    assert outlet_id_for("تحيا مصر", None) == outlet_id_for("تحيا مصر", "https://x.com/a")
    assert outlet_id_for(None, "https://www.example.co/a") == "example-co"
    assert outlet_id_for(None, None) == "unknown"
    for name in ("الأمصار", "نيسان", "<script>", "💥"):
        oid = outlet_id_for(name, None)
        assert oid and all(c.isalnum() or c == "-" for c in oid)


def test_html_goes_through_trafilatura() -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in BODY.split("\n"))
    html = (
        "<html><head><title>عنوان الصفحة</title>"
        '<meta property="article:published_time" content="2024-11-06"></head>'
        f"<body><nav>الرئيسية</nav><article><h1>عنوان الصفحة</h1>{paragraphs}</article>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    art = to_article(RawRecord({"html": html}, "page.html", "html"))
    assert isinstance(art, Article)
    assert "الرئيسية" not in art.text and "محفوظة" not in art.text
    assert art.text.split("\n")[0] == BODY.split("\n")[0]


def test_text_norm_is_headline_and_body_folded_for_search() -> None:
    from rasd.normalize import normalize_for_search

    for title in ("عنوان الخبر: روسيا وكوريا", None, "ـ"):
        article = to_article(record(text=BODY, title=title, source="نيسان"))
        assert isinstance(article, Article)
        expected = normalize_for_search(f"{title or article.title or ''}\n{article.text}")
        assert article.text_norm == expected
