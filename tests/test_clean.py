"""Cleaner: the seed goldens, and the same rules on pages from outlets we have never seen."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from rasd.clean import classify, clean_text

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
