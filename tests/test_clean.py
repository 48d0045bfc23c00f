"""Cleaner: the seed goldens, and the same rules on pages from outlets we have never seen."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.clean import classify, clean_text
from rasd.normalize import normalize_for_search

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = sorted(p.name for p in RAW.glob("*.txt"))
with (RAW / "metadata.csv").open(encoding="utf-8") as _handle:
    SIDECAR = {row["file"]: row for row in csv.DictReader(_handle)}
META = json.loads((GOLDEN / "seeds.json").read_text(encoding="utf-8"))


def test_five_seeds_are_bundled_with_a_sidecar() -> None:
    assert len(SEEDS) == 5
    assert set(SIDECAR) == set(SEEDS)


@pytest.mark.parametrize("name", SEEDS)
def test_seed_clean_text_matches_golden(name: str) -> None:
    cleaned = clean_text((RAW / name).read_text(encoding="utf-8"), outlet=SIDECAR[name]["outlet"])
    expected = (GOLDEN / "clean" / name).read_text(encoding="utf-8").rstrip("\n")
    assert cleaned.body == expected
    assert cleaned.title == META[name]["title"]


@pytest.mark.parametrize(
    "chrome",
    [
        "رئيس التحرير",  # masthead
        "تابع موقع تحيا مصر علي",  # follow prompt
        "كلمات دلالية:",  # tag list
        "إقرأ أيضاً:",  # glued second article
        "Photo of author",
        "By العربية الآن",
        "أضف تعليق",
        "reCAPTCHA",
        "مقالات مشابهة",
        "الكلمات الأكثر بحثاً",
        "ممنوع على الأجانب",  # the glued article's headline
        "منتجع",  # ... and its body
    ],
)
def test_no_seed_keeps_chrome(chrome: str) -> None:
    for name in SEEDS:
        body = (GOLDEN / "clean" / name).read_text(encoding="utf-8")
        assert chrome not in body, (name, chrome)


# A page from an invented outlet: different names, same kinds of chrome.
UNSEEN_PAGE = """الرئيسية
الخميس ٠٣ أكتوبر ٢٠٢٤
رئيس مجلس الإدارة ورئيس التحرير: سمير الحلبي
وزير المالية يعلن خطة لخفض العجز خلال ثلاث سنوات
كتب: هشام عادل
تاريخ النشر: 2 أكتوبر 2024 - 18:20
أعلن وزير المالية في مؤتمر صحفي عقده بالعاصمة، اليوم الأربعاء، عن خطة جديدة لخفض عجز الموازنة خلال ثلاث سنوات عبر إصلاح منظومة الدعم وتوسيع القاعدة الضريبية.
الوزير يتحدث للصحفيين - رويترز
وأضاف الوزير أن الحكومة ستعرض الخطة على البرلمان الشهر المقبل، مشيرا إلى أن الإصلاحات لن تمس الفئات الأكثر احتياجا بحسب تعبيره.
تفاصيل الخطة
وتشمل الخطة مراجعة الإعفاءات الضريبية ورفع كفاءة التحصيل وتقليص النفقات الحكومية غير الضرورية خلال العام المالي المقبل.
تابعونا على تطبيق واتساب
اقرأ أيضا
أسعار الذهب اليوم في السوق المحلية
ارتفعت أسعار الذهب في السوق المحلية اليوم بنحو عشرين جنيها للجرام مع صعود الأوقية عالميا بفعل توقعات خفض الفائدة الأمريكية في الاجتماع المقبل.
جميع الحقوق محفوظة © 2024
"""


def test_unseen_outlet_page_is_cleaned_by_the_same_rules() -> None:
    cleaned = clean_text(UNSEEN_PAGE)
    assert cleaned.title == "وزير المالية يعلن خطة لخفض العجز خلال ثلاث سنوات"
    lines = cleaned.body.split("\n")
    assert lines[0].startswith("أعلن وزير المالية")
    assert lines[-1].startswith("وتشمل الخطة")
    assert "تفاصيل الخطة" in lines  # a sub-heading inside the body stays
    for chrome in ("سمير الحلبي", "هشام عادل", "رويترز", "واتساب", "الذهب", "محفوظة"):
        assert chrome not in cleaned.body
    kinds = {d.kind: d for d in cleaned.date_lines}
    assert kinds["publication"].parsed is not None
    assert kinds["publication"].parsed.value.isoformat() == "2024-10-02T18:20:00+00:00"
    assert kinds["header"].parsed is not None  # the masthead's "today", set aside


def test_given_title_is_not_searched_for_and_its_copy_is_dropped() -> None:
    body = (
        "جملة أولى طويلة بما يكفي لتكون فقرة من فقرات الخبر الذي نقرؤه الآن في هذا الاختبار البسيط."
    )
    cleaned = clean_text(f"عنوان الخبر المعطى هنا\n{body}", title="عنوان الخبر المعطى هنا")
    assert cleaned.title == "عنوان الخبر المعطى هنا"
    assert cleaned.body == body


def test_text_without_paragraph_lines_is_kept_not_emptied() -> None:
    text = "سطر أول قصير\nسطر ثان قصير أيضا.\nسطر ثالث وأخير هنا"
    assert clean_text(text).body != ""


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("عاجل", "navigation"),
        ("نشر في 2024-06-19 الساعة 14:49", "publication"),
        ("الإثنين 01 يوليو 2024 الموافق 25 ذو الحجة 1445", "date"),
        ("رئيس التحرير", "masthead"),
        ("بقلم: أحمد علي", "byline"),
        ("تابع أحدث الأخبار عبر تطبيق", "prompt"),
        ("صورة: الرئيس خلال الزيارة", "caption"),
        ("x", "navigation"),
        ("—", "junk"),
        ("اتفاق دفاعي مشترك بين روسيا وكوريا الشمالية", "heading"),
        ("تابع الرئيس كلمته أمام البرلمان مؤكدا أن الحكومة ماضية في خطتها الإصلاحية.", "paragraph"),
    ],
)
def test_classify(line: str, kind: str) -> None:
    assert classify(line) == kind


# --- fast paths equal the plain rules -------------------------------------------------------


def test_legal_starts_cover_every_alternative_of_legal_re() -> None:
    """_is_legal skips lines without one of _LEGAL_STARTS: every match must begin with one."""
    import re._parser as parser  # the regex's own parse: its top-level alternatives

    from rasd import boilerplate as bp
    from rasd import clean

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    op, (_, alternatives) = parser.parse(bp.LEGAL_RE.pattern, bp.LEGAL_RE.flags).data[0]
    assert op is parser.BRANCH
    for alternative in alternatives:
        literal = ""
        for item_op, value in alternative.data:
            if item_op is not parser.LITERAL:
                break
            literal += chr(value)
        assert literal, "an alternative of LEGAL_RE must start with a literal"
        # Everything that matches the first letter ignoring case is a start, or the start is
        # a word whose letters match only themselves.
        first = re.findall(re.escape(literal[0]), every, re.IGNORECASE)
        if all(c in clean._LEGAL_STARTS for c in first):
            continue
        start = next((s for s in clean._LEGAL_STARTS if literal.startswith(s)), None)
        assert start, f"no start in _LEGAL_STARTS for {literal!r}"
        for letter in start:
            assert re.findall(re.escape(letter), every, re.IGNORECASE) == [letter]


@pytest.mark.parametrize(
    "folded",
    [
        "this site is protected by recaptcha and the google privacy policy",
        "PRIVACY POLICY",
        "terms of service",
        "we use cookies",
        "cookiesx",
        "coo\u017fkies",
        "jميع",
        "جميع الحقوق محفوظه 2024",
        "© 2024",
        "جميع المشاركين",
        "كلمات عربيه فقط",
        "",
    ],
)
def test_is_legal_equals_legal_re(folded: str) -> None:
    from rasd import boilerplate as bp
    from rasd.clean import _is_legal

    assert _is_legal(folded) == bool(bp.LEGAL_RE.search(folded))


@given(
    st.text(
        alphabet=st.sampled_from(list("recaptchpivyolsfunkCRPTKſ ©جميعالحقوقمحفوظه")), max_size=40
    )
)
def test_is_legal_equals_legal_re_on_any_text(folded: str) -> None:
    from rasd import boilerplate as bp
    from rasd.clean import _is_legal

    assert _is_legal(folded) == bool(bp.LEGAL_RE.search(folded))


def test_exotic_and_repeated_spaces_become_one_space() -> None:
    line = "قال\u00a0 المتحدث\t\tباسم  الوزارة\u2003إن المحادثات ستستأنف الأسبوع المقبل في العاصمة بعد توقف طويل."
    cleaned = clean_text(line + "\n" + line.replace("\u00a0", " "))
    expected = " ".join(line.split())
    assert cleaned.body == expected + "\n" + expected


@pytest.mark.parametrize("name", SEEDS)
def test_body_norm_is_the_body_folded_for_search(name: str) -> None:
    raw = (RAW / name).read_text(encoding="utf-8")
    for outlet in (SIDECAR[name]["outlet"], None):
        cleaned = clean_text(raw, outlet=outlet)
        assert cleaned.body_norm == normalize_for_search(cleaned.body)
