"""The temporal tagger: a table of real-looking cases and properties over arbitrary text.

Each case is ``(text, dct, expected)``; ``expected`` lists every expression the tagger must
report, in order, as ``(span text, value, precision, basis)`` or, for ranges, with
``end_value`` as a fifth item. The table doubles as the gold set of
``benchmarks/bench_dates.py`` (span F1 against dateparser).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.dates import PRECISION_ORDER, TAG_BASES, tag_dates, value_bounds

WED = date(2024, 6, 19)  # a Wednesday: the day of the Putin–Kim treaty
NOV = date(2024, 11, 6)

Expected = tuple[str, str | None, str, str] | tuple[str, str | None, str, str, str]

CASES: list[tuple[str, date | None, list[Expected]]] = [
    # -- Egyptian / Gulf series -------------------------------------------------------------
    (
        "وقع الاتفاق في 19 يونيو 2024 في بيونغ يانغ",
        None,
        [("19 يونيو 2024", "2024-06-19", "day", "explicit")],
    ),
    (
        "نشر يوم الأربعاء 19 يونيو 2024",
        None,
        [("يوم الأربعاء 19 يونيو 2024", "2024-06-19", "day", "explicit")],
    ),
    (
        "بدأت المحادثات في 3 فبراير 2023.",
        None,
        [("3 فبراير 2023", "2023-02-03", "day", "explicit")],
    ),
    (
        "في 1 إبريل 2022 أعلنت الحكومة خطتها",
        None,
        [("1 إبريل 2022", "2022-04-01", "day", "explicit")],
    ),
    (
        "صدر القرار يوم 5 يوليه 2021 بعد جدل",
        None,
        [("5 يوليه 2021", "2021-07-05", "day", "explicit")],
    ),
    (
        "تراجعت الأسعار في أغسطس 2020 بشكل حاد",
        None,
        [("أغسطس 2020", "2020-08", "month", "explicit")],
    ),
    ("يستمر البرنامج حتى ديسمبر 2025", None, [("ديسمبر 2025", "2025-12", "month", "explicit")]),
    (
        "صادق الدوما على المعاهدة في 24 أكتوبر",
        NOV,
        [("24 أكتوبر", "2024-10-24", "day", "inferred")],
    ),
    (
        "ستستأنف الرحلات في يوليو المقبل",
        date(2024, 6, 26),
        [("يوليو المقبل", "2024-07", "month", "inferred")],
    ),
    (
        "زار الرئيس بيونغ يانغ في يونيو الماضي",
        NOV,
        [("يونيو الماضي", "2024-06", "month", "inferred")],
    ),
    (
        "انطلقت الحملة في مارس الماضي",
        date(2024, 2, 1),
        [("مارس الماضي", "2023-03", "month", "inferred")],
    ),
    (
        "جرت الانتخابات في نوفمبر من العام الماضي",
        WED,
        [("نوفمبر من العام الماضي", "2023-11", "month", "relative")],
    ),
    (
        "في الأول من يوليو 2024 دخل القانون حيز التنفيذ",
        None,
        [("الأول من يوليو 2024", "2024-07-01", "day", "explicit")],
    ),
    ("في 19 من شهر يونيو 2024", None, [("19 من شهر يونيو 2024", "2024-06-19", "day", "explicit")]),
    (
        "القمة الأولى كانت في أبريل عام 2019",
        None,
        [("أبريل عام 2019", "2019-04", "month", "explicit")],
    ),
    # -- Levantine / Iraqi series -----------------------------------------------------------
    (
        "وصل الوفد في 3 كانون الثاني 2023",
        None,
        [("3 كانون الثاني 2023", "2023-01-03", "day", "explicit")],
    ),
    (
        "في تشرين الأول 2023 اندلعت المواجهات",
        None,
        [("تشرين الأول 2023", "2023-10", "month", "explicit")],
    ),
    (
        "في 15 آذار 2011 خرجت أولى التظاهرات",
        None,
        [("15 آذار 2011", "2011-03-15", "day", "explicit")],
    ),
    ("صدر التقرير في أيار 2024", None, [("أيار 2024", "2024-05", "month", "explicit")]),
    ("انهار المرفأ في آب الماضي", NOV, [("آب الماضي", "2024-08", "month", "inferred")]),
    ("تبدأ الامتحانات في شهر آب", WED, [("شهر آب", "2024-08", "month", "inferred")]),
    (
        "جرت الانتخابات في تشرين ثاني 2019",
        None,
        [("تشرين ثاني 2019", "2019-11", "month", "explicit")],
    ),
    (
        "أغلق المعبر في 31 كانون الأول 2022",
        None,
        [("31 كانون الأول 2022", "2022-12-31", "day", "explicit")],
    ),
    ("عُقد المؤتمر في 10 أيلول 2020", None, [("10 أيلول 2020", "2020-09-10", "day", "explicit")]),
    ("وصلت القوات في 2 شباط 2022", None, [("2 شباط 2022", "2022-02-02", "day", "explicit")]),
    # -- combined series ----------------------------------------------------------------------
    (
        "وقعت المعاهدة في 19 يونيو/حزيران 2024",
        None,
        [("19 يونيو/حزيران 2024", "2024-06-19", "day", "explicit")],
    ),
    (
        "في ١٩ حزيران (يونيو) ٢٠٢٤ وقع الزعيمان",
        None,
        [("١٩ حزيران (يونيو) ٢٠٢٤", "2024-06-19", "day", "explicit")],
    ),
    (
        "بزيارة إلى موسكو في مارس/آذار 1949 شهدت التوقيع",
        None,
        [("مارس/آذار 1949", "1949-03", "month", "explicit")],
    ),
    ("أعلنت النتائج في أيار/مايو 2023", None, [("أيار/مايو 2023", "2023-05", "month", "explicit")]),
    (
        "التقى الزعيمان في يونيو/حزيران الماضي",
        NOV,
        [("يونيو/حزيران الماضي", "2024-06", "month", "inferred")],
    ),
    (
        "في 7 تشرين الأول/أكتوبر 2023",
        None,
        [("7 تشرين الأول/أكتوبر 2023", "2023-10-07", "day", "explicit")],
    ),
    # -- Maghreb series -----------------------------------------------------------------------
    ("أجريت الانتخابات في 12 جوان 2022", None, [("12 جوان 2022", "2022-06-12", "day", "explicit")]),
    ("استقلت الجزائر في 5 جويلية 1962", None, [("5 جويلية 1962", "1962-07-05", "day", "explicit")]),
    ("انطلق الحراك في فيفري 2019", None, [("فيفري 2019", "2019-02", "month", "explicit")]),
    ("نفي الملك في 20 غشت 1953", None, [("20 غشت 1953", "1953-08-20", "day", "explicit")]),
    ("ضرب الزلزال المغرب في شتنبر 2023", None, [("شتنبر 2023", "2023-09", "month", "explicit")]),
    ("اندلعت الثورة في 1 نونبر 1954", None, [("1 نونبر 1954", "1954-11-01", "day", "explicit")]),
    # -- Eastern and Persian digits -------------------------------------------------------------
    ("صادق المجلس في ٢٤ أكتوبر ٢٠٢٤", None, [("٢٤ أكتوبر ٢٠٢٤", "2024-10-24", "day", "explicit")]),
    ("۱۹ يونيو ۲۰۲۴", None, [("۱۹ يونيو ۲۰۲۴", "2024-06-19", "day", "explicit")]),
    ("اندلعت الحرب عام ١٩٥٠", None, [("عام ١٩٥٠", "1950", "year", "explicit")]),
    ("بتاريخ ١٩/٦/٢٠٢٤", None, [("١٩/٦/٢٠٢٤", "2024-06-19", "day", "explicit")]),
    # -- ISO and numeric dates -----------------------------------------------------------------
    ("نشر في 2024-06-19 الساعة 14:49", None, [("2024-06-19", "2024-06-19", "day", "explicit")]),
    (
        "بتاريخ 19/06/2024 أصدرت المحكمة حكمها",
        None,
        [("19/06/2024", "2024-06-19", "day", "explicit")],
    ),
    ("آخر تحديث 19.6.2024", None, [("19.6.2024", "2024-06-19", "day", "explicit")]),
    ("2024/06/19 - بيونغ يانغ", None, [("2024/06/19", "2024-06-19", "day", "explicit")]),
    ("Posted 06/19/2024", None, [("06/19/2024", "2024-06-19", "day", "explicit")]),
    # -- Hijri ----------------------------------------------------------------------------------
    (
        "الإثنين 25 ذو الحجة 1445 هـ",
        None,
        [("25 ذو الحجة 1445 هـ", "2024-07-01", "day", "explicit")],
    ),
    (
        "الأربعاء 19 يونيو 2024 الموافق 13 ذي الحجة 1445",
        None,
        [
            ("الأربعاء 19 يونيو 2024", "2024-06-19", "day", "explicit"),
            ("13 ذي الحجة 1445", "2024-06-19", "day", "explicit"),
        ],
    ),
    (
        "خلال شهر رمضان 1445 هـ",
        None,
        [("شهر رمضان 1445 هـ", "2024-03", "month", "explicit", "2024-04")],
    ),
    ("تأسست الجمعية عام 1445 هـ", None, [("عام 1445 هـ", "2023", "year", "explicit", "2024")]),
    (
        "يبدأ العام الجديد في 1 محرم 1446هـ",
        None,
        [("1 محرم 1446هـ", "2024-07-07", "day", "explicit")],
    ),
    (
        "صدر المرسوم في شوال 1444 للهجرة",
        None,
        [("شوال 1444 للهجرة", "2023-04", "month", "explicit", "2023-05")],
    ),
    # -- years ------------------------------------------------------------------------------------
    ("أول زيارة منذ عام 2000", None, [("عام 2000", "2000", "year", "explicit")]),
    ("في 2023، ارتفعت صادرات النفط", None, [("2023", "2023", "year", "explicit")]),
    ("القمة الأولى كانت في العام 2019", None, [("العام 2019", "2019", "year", "explicit")]),
    ("تسعى الحكومة إلى الحياد الكربوني بحلول 2030", None, [("2030", "2030", "year", "explicit")]),
    (
        "ارتفع الإنتاج خلال عامي 2019 و2020",
        None,
        [("عامي 2019", "2019", "year", "explicit"), ("2020", "2020", "year", "explicit")],
    ),
    ("خلال سنة 1990 انهار الاتحاد", None, [("سنة 1990", "1990", "year", "explicit")]),
    ("افتتح المتحف في 2022م", None, [("2022م", "2022", "year", "explicit")]),
    ("القرار 2231 لعام 2015", None, [("عام 2015", "2015", "year", "explicit")]),
    (
        "ثورة 25 يناير 2011 أطاحت بالرئيس",
        None,
        [("25 يناير 2011", "2011-01-25", "day", "explicit")],
    ),
    # -- ranges -------------------------------------------------------------------------------------
    (
        "وخلال فترة الحرب الكورية في أعوام 1950 - 1953، مد الاتحاد السوفييتي يد العون",
        None,
        [("أعوام 1950 - 1953", "1950", "year", "explicit", "1953")],
    ),
    (
        "منذ نهاية الحرب الكورية 1950-1953.",
        None,
        [("1950-1953", "1950", "year", "explicit", "1953")],
    ),
    (
        "امتدت الحرب من 1950 إلى 1953",
        None,
        [("من 1950 إلى 1953", "1950", "year", "explicit", "1953")],
    ),
    (
        "تضاعفت الصادرات بين عامي 2019 و2021",
        None,
        [("بين عامي 2019 و2021", "2019", "year", "explicit", "2021")],
    ),
    (
        "يعقد المعرض من 10 إلى 12 يونيو 2024",
        None,
        [("من 10 إلى 12 يونيو 2024", "2024-06-10", "day", "explicit", "2024-06-12")],
    ),
    (
        "يعقد المعرض بين 10 و12 يونيو 2024",
        None,
        [("بين 10 و12 يونيو 2024", "2024-06-10", "day", "explicit", "2024-06-12")],
    ),
    (
        "تستمر الحملة من 10 يونيو إلى 12 يوليو 2024",
        None,
        [("من 10 يونيو إلى 12 يوليو 2024", "2024-06-10", "day", "explicit", "2024-07-12")],
    ),
    (
        "يستمر الموسم من يونيو إلى أغسطس 2024",
        None,
        [("من يونيو إلى أغسطس 2024", "2024-06", "month", "explicit", "2024-08")],
    ),
    (
        "تراجع التضخم بين مارس 2023 ويناير 2024",
        None,
        [("بين مارس 2023 ويناير 2024", "2023-03", "month", "explicit", "2024-01")],
    ),
    (
        "في الفترة 1950-53 تغير كل شيء",
        None,
        [("الفترة 1950-53", "1950", "year", "explicit", "1953")],
    ),
    (
        "المهرجان 10-12 يونيو 2024",
        None,
        [("10-12 يونيو 2024", "2024-06-10", "day", "explicit", "2024-06-12")],
    ),
    (
        "موسم 2024/2025 ينطلق قريباً",
        None,
        [("2024/2025", "2024", "year", "explicit", "2025"), ("قريباً", None, "unknown", "relative")],
    ),
    # -- month-only and year-less -------------------------------------------------------------------
    ("وقعها خلال زيارته إلى بيونغ يانغ في يونيو", NOV, [("يونيو", "2024-06", "month", "inferred")]),
    ("وقعها خلال زيارته إلى بيونغ يانغ في يونيو", None, [("يونيو", None, "unknown", "inferred")]),
    ("تنتهي المهلة منتصف يوليو", WED, [("منتصف يوليو", "2024-07", "month", "inferred")]),
    ("صادق الدوما على المعاهدة في 24 أكتوبر", None, [("24 أكتوبر", None, "unknown", "inferred")]),
    # -- decades --------------------------------------------------------------------------------------
    ("نشأت الحركة في الخمسينيات", None, [("الخمسينيات", "195X", "decade", "inferred")]),
    (
        "عاشت البلاد أزمة خلال عقد التسعينيات",
        None,
        [("عقد التسعينيات", "199X", "decade", "inferred")],
    ),
    ("منذ ثمانينيات القرن الماضي", WED, [("ثمانينيات القرن الماضي", "198X", "decade", "relative")]),
    ("في سبعينات القرن العشرين", None, [("سبعينات القرن العشرين", "197X", "decade", "explicit")]),
    # -- weekdays ------------------------------------------------------------------------------------
    (
        "صادق مجلس الاتحاد يوم الأربعاء على المعاهدة",
        WED,
        [("يوم الأربعاء", "2024-06-19", "day", "relative")],
    ),
    (
        "وكان بوتين قد وصل إلى كوريا الشمالية، الثلاثاء، في مستهل زيارة",
        WED,
        [("الثلاثاء", "2024-06-18", "day", "relative")],
    ),
    (
        "قال المتحدث يوم الإثنين الماضي",
        WED,
        [("يوم الإثنين الماضي", "2024-06-17", "day", "relative")],
    ),
    ("تم التوصل إليه الأربعاء الماضي", WED, [("الأربعاء الماضي", "2024-06-12", "day", "relative")]),
    ("يصل الوفد يوم الخميس المقبل", WED, [("يوم الخميس المقبل", "2024-06-20", "day", "relative")]),
    (
        "وصل القطار صباح الثلاثاء الماضي",
        WED,
        [("صباح الثلاثاء الماضي", "2024-06-18", "day", "relative")],
    ),
    ("أطلقت كوريا الشمالية صواريخ يوم الجمعة", None, [("يوم الجمعة", None, "unknown", "relative")]),
    ("قال الرئيس، اليوم الأربعاء، إن", WED, [("اليوم الأربعاء", "2024-06-19", "day", "relative")]),
    (
        "يوم الإثنين، التقى بوتين بوزير الخارجية",
        WED,
        [("يوم الإثنين", "2024-06-17", "day", "relative")],
    ),
    # -- relative expressions ---------------------------------------------------------------------------
    ("إن معاهدة الشراكة الموقعة اليوم تنص", WED, [("اليوم", "2024-06-19", "day", "relative")]),
    ("وصل الوفد أمس إلى العاصمة", WED, [("أمس", "2024-06-18", "day", "relative")]),
    ("اجتمع الطرفان أول أمس", WED, [("أول أمس", "2024-06-17", "day", "relative")]),
    ("اجتمع الطرفان أمس الأول", WED, [("أمس الأول", "2024-06-17", "day", "relative")]),
    ("اندلع حريق مساء أمس", WED, [("مساء أمس", "2024-06-18", "day", "relative")]),
    ("يصل الوزير غداً إلى القاهرة", WED, [("غداً", "2024-06-20", "day", "relative")]),
    (
        "والأسبوع الماضي، زار الرئيس كوريا الشمالية",
        WED,
        [("الأسبوع الماضي", "2024-W24", "week", "relative")],
    ),
    (
        "عززت روسيا وكوريا الشمالية تحالفهما هذا الأسبوع",
        WED,
        [("هذا الأسبوع", "2024-W25", "week", "relative")],
    ),
    ("تبدأ المفاوضات الشهر المقبل", WED, [("الشهر المقبل", "2024-07", "month", "relative")]),
    ("ارتفعت الأسعار الشهر الماضي", WED, [("الشهر الماضي", "2024-05", "month", "relative")]),
    ("تحالف تم تشكيله العام الماضي", WED, [("العام الماضي", "2023", "year", "relative")]),
    ("تجرى الانتخابات العام المقبل", WED, [("العام المقبل", "2025", "year", "relative")]),
    ("وقع الهجوم قبل يومين", WED, [("قبل يومين", "2024-06-17", "day", "relative")]),
    (
        "زار الوزير المنطقة قبل ثلاثة أسابيع",
        WED,
        [("قبل ثلاثة أسابيع", "2024-W22", "week", "relative")],
    ),
    ("انتخب قبل عامين", WED, [("قبل عامين", "2022", "year", "relative")]),
    (
        "ارتفعت الأسعار منذ مطلع العام الجاري",
        WED,
        [("مطلع العام الجاري", "2024", "year", "relative")],
    ),
    (
        "بعد زيارة بوتين في وقت سابق من الشهر الجاري",
        WED,
        [("في وقت سابق من الشهر الجاري", "2024-06", "month", "relative")],
    ),
    ("تبدأ المرحلة الثانية السنة المقبلة", WED, [("السنة المقبلة", "2025", "year", "relative")]),
    (
        "نما الاقتصاد في الربع الثاني من 2024",
        None,
        [("الربع الثاني من 2024", "2024-Q2", "quarter", "explicit")],
    ),
    (
        "تراجع العجز في النصف الأول من العام الجاري",
        WED,
        [("النصف الأول من العام الجاري", "2024-Q1", "quarter", "relative", "2024-Q2")],
    ),
    ("قال بوتين اليوم إن", None, [("اليوم", None, "unknown", "relative")]),
    (
        "والأسبوع الماضي، أعلنت كوريا الشمالية",
        None,
        [("الأسبوع الماضي", None, "unknown", "relative")],
    ),
    ("جرت الانتخابات العام قبل الماضي", WED, [("العام قبل الماضي", "2022", "year", "relative")]),
    # -- vague references -------------------------------------------------------------------------------
    ("وجرى مؤخراً اللقاء الثاني", WED, [("مؤخراً", None, "unknown", "relative")]),
    (
        "ويستعدون للانضمام إلى القتال في الأيام المقبلة",
        WED,
        [("الأيام المقبلة", None, "unknown", "relative")],
    ),
    ("وقع الهجوم قبل أيام", WED, [("قبل أيام", None, "unknown", "relative")]),
    # -- traps: not dates -------------------------------------------------------------------------------
    ("أعلن حزب 30 يونيو مشاركته", WED, []),
    ("في ذكرى ثورة 25 يناير خرج المتظاهرون", WED, []),
    ("ازدحام على جسر 6 أكتوبر", WED, []),
    ("للاستفسار اتصل على 0123456789", WED, []),
    ("للحجز: 01012345678 أو 2024 5555", WED, []),
    ("بما يتماشى مع المادة 51 من ميثاق الأمم المتحدة", WED, []),
    ("تنص مادة 2024 من القانون على", WED, []),
    ("بعد نشر 10,000 جندي كوري شمالي في روسيا", WED, []),
    ("في أول زيارة لسيد الكرملين منذ 24 عاماً", WED, []),
    ("بعد توقفها لـ 4 سنوات بسبب وباء فيروس كورونا", WED, []),
    ("نيسان ـ قال مسؤول إن", WED, []),
    ("انتشرت القوات في 2000 موقع", WED, []),
    ("قبل ساعات من الانتخابات الرئاسية", WED, []),
    ("قبل يومين من الانتخابات الرئاسية", WED, []),
    ("في اليوم التالي للقمة", WED, []),
    ("بحسب صحيفة المصري اليوم", WED, []),
    ("احتفلت البلاد باليوم الوطني", WED, []),
    ("تحدث مع أب فقد ابنه", WED, []),
    ("مارس الضغط على الحكومة", WED, []),
    ("نشر في 2024-02-30", WED, []),
    ("اتفق الاثنين على مواصلة الحوار بين الاثنين", WED, []),
    ("في الخمسينيات من عمره", WED, []),
    ("زيارة الرئيس الروسي التي استغرقت يومين", WED, []),
]


def _as_tuple(expr: object) -> Expected:
    text, value, precision, basis = (
        expr.text,
        expr.value,
        expr.precision,
        expr.basis,  # type: ignore[attr-defined]
    )
    end_value = expr.end_value  # type: ignore[attr-defined]
    if end_value is None:
        return (text, value, precision, basis)
    return (text, value, precision, basis, end_value)


def test_at_least_80_cases() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("text", "dct", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_table(text: str, dct: date | None, expected: list[Expected]) -> None:
    found = tag_dates(text, dct=dct)
    assert [_as_tuple(e) for e in found] == expected
    for expr in found:
        assert text[expr.start : expr.end] == expr.text


def test_vague_flag_and_bounds() -> None:
    (vague,) = tag_dates("التقى الزعيمان مؤخراً", dct=WED)
    assert vague.vague and vague.value is None and vague.bounds() is None
    (war,) = tag_dates("الحرب الكورية 1950-1953")
    assert war.is_range
    assert war.bounds() == (date(1950, 1, 1), date(1953, 12, 31))
    (month,) = tag_dates("في يونيو 2024")
    assert month.bounds() == (date(2024, 6, 1), date(2024, 6, 30))
    assert value_bounds("195X", "decade") == (date(1950, 1, 1), date(1959, 12, 31))
    assert value_bounds("2024-W25", "week") == (date(2024, 6, 17), date(2024, 6, 23))
    assert value_bounds("2024-Q2", "quarter") == (date(2024, 4, 1), date(2024, 6, 30))


def test_tashkeel_and_tatweel_keep_offsets() -> None:
    text = "وصلَ الوفدُ في ١٩ حُزَيْران ٢٠٢٤ ثمّ غادرَ في أيّـار ٢٠٢٥"
    found = tag_dates(text)
    assert [(e.text, e.value) for e in found] == [
        ("١٩ حُزَيْران ٢٠٢٤", "2024-06-19"),
        ("أيّـار ٢٠٢٥", "2025-05"),
    ]


# -- properties ------------------------------------------------------------------------------------

_VALUE_FORMS = {
    "day": r"\d{4}-\d{2}-\d{2}",
    "week": r"\d{4}-W\d{2}",
    "month": r"\d{4}-\d{2}",
    "quarter": r"\d{4}-Q[1-4]",
    "year": r"\d{4}",
    "decade": r"\d{3}X",
}

_TOKENS = [
    "في",
    "يوم",
    "الأربعاء",
    "الاثنين",
    "اليوم",
    "أمس",
    "من",
    "إلى",
    "بين",
    "و",
    "-",
    "/",
    "،",
    "عام",
    "العام",
    "الماضي",
    "المقبل",
    "الجاري",
    "قبل",
    "منذ",
    "يونيو",
    "حزيران",
    "آب",
    "(",
    ")",
    "شهر",
    "هـ",
    "رمضان",
    "ذو الحجة",
    "الخمسينيات",
    "القرن",
    "الربع",
    "الأول",
    "مطلع",
    "1950",
    "1953",
    "2024",
    "1445",
    "19",
    "31",
    "٢٠٢٤",
    "١٩",
    "06",
    "2024-06-19",
    "19/06/2024",
    "30",
    "يومين",
    "أسابيع",
    "ثلاثة",
    "الأسبوع",
    "مؤخراً",
    "\u0640",
    "\u064e",
    "حزب",
    "المادة",
    "10,000",
    "جندي",
    " ",
]


def _check(text: str, dct: date | None) -> None:
    found = tag_dates(text, dct=dct)
    previous_end = 0
    for expr in found:
        assert text[expr.start : expr.end] == expr.text
        assert expr.start >= previous_end and expr.end > expr.start
        previous_end = expr.end
        assert expr.precision in PRECISION_ORDER
        assert expr.basis in TAG_BASES
        if expr.value is None:
            assert expr.precision == "unknown" and expr.end_value is None
            continue
        pattern = _VALUE_FORMS[expr.precision]
        # No value finer than its precision: the value has exactly the precision's form.
        assert re.fullmatch(pattern, expr.value), (expr.value, expr.precision)
        if expr.end_value is not None:
            assert re.fullmatch(pattern, expr.end_value)
            assert expr.end_value > expr.value
        assert expr.bounds() is not None


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=120),
    st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
def test_arbitrary_text_never_raises(text: str, dct: date | None) -> None:
    _check(text, dct)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_TOKENS), max_size=14).map(" ".join),
    st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
def test_date_like_text_properties(text: str, dct: date | None) -> None:
    _check(text, dct)


# -- fast paths equal their plain definitions ------------------------------------------------------

# Marks that folding drops, a free-standing tatweel, exotic spaces and digits, punctuation.
_FOLD_ALPHABET = "اأبيّـَ \n\t\u200f\ufeff\u00a0\u2028\x1c1٣،,.:؛«»\"'()"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_FOLD_ALPHABET, max_size=40))
def test_offset_map_equals_one_offset_per_character(text: str) -> None:
    """The run-based offset map answers as the list of original offsets it replaces."""
    import bisect

    from rasd.dates import _fold_for_tagging, fold_for_matching

    folded, offsets = _fold_for_tagging(text)
    assert fold_for_matching(text)[0] == folded
    if offsets is None:
        assert len(folded) == len(text)
        return
    index = offsets.as_list()
    assert fold_for_matching(text)[1] == index
    assert len(index) == len(folded)
    for pos in range(len(folded) + 2):
        assert offsets.to_original(pos) == (index[pos] if pos < len(index) else len(text))
    for pos in range(len(text) + 2):
        assert offsets.to_folded(pos) == bisect.bisect_left(index, pos)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_FOLD_ALPHABET, max_size=60), st.integers(0, 60))
def test_prev_word_equals_its_regex(text: str, pos: int) -> None:
    from rasd.dates import _PREV_WORD, _prev_word

    pos = min(pos, len(text))
    match = _PREV_WORD.search(text, max(0, pos - 40), pos)
    assert _prev_word(text, pos) == (match.group(1) if match else "")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_TOKENS), max_size=30).map(" ".join),
    st.lists(st.integers(0, 400), max_size=4),
)
def test_window_matches_equal_finditer_per_window(text: str, anchors: list[int]) -> None:
    """One pass over candidate starts finds what ``finditer`` finds window by window."""
    from rasd.dates import _RX, _window_matches, _windows

    windows = _windows(sorted(a for a in anchors if a < len(text)), len(text)) or [(0, len(text))]
    for rx in _RX.values():
        expected = [
            m.span()
            for lo, hi in windows
            for m in rx.finditer(text, lo, hi)
            if not (hi < len(text) and m.end() == hi)
        ]
        starts = sorted({start for start, _ in expected} | set(range(0, len(text), 3)))
        assert [m.span() for m in _window_matches(rx, text, None, windows)] == expected
        assert [m.span() for m in _window_matches(rx, text, starts, windows)] == expected


# -- the ``rasd dates`` command ------------------------------------------------------------------


def test_cli_prints_one_json_object_per_expression(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from rasd.cli import main

    article = tmp_path / "a.txt"
    article.write_text(
        "قال بوتين اليوم إن المعاهدة وقعت في 19 يونيو 2024 بعد حرب 1950-1953.", encoding="utf-8"
    )
    assert main(["dates", str(article), "--dct", "2024-06-19"]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["text"] for r in records] == ["اليوم", "19 يونيو 2024", "1950-1953"]
    assert records[0] == {
        "file": str(article),
        "start": 10,
        "end": 15,
        "text": "اليوم",
        "value": "2024-06-19",
        "precision": "day",
        "basis": "relative",
        "end_value": None,
    }
    assert records[2]["end_value"] == "1953"
    assert "اليوم" in lines[0]  # ensure_ascii=False


def test_cli_bad_inputs_fail_in_one_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from rasd.cli import main

    good = tmp_path / "good.txt"
    good.write_text("في عام 2000", encoding="utf-8")
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    assert main(["dates", str(tmp_path / "missing.txt"), str(binary), str(good)]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1  # the good file is still tagged
    assert len(err.splitlines()) == 2 and "Traceback" not in err
    assert main(["dates", str(good), "--dct", "19-06-2024"]) == 2
    assert "--dct" in capsys.readouterr().err
