"""Entity extraction (rasd.entities): golden floors, offsets, clitics, rules, generality."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.entities import (
    EntityRecord,
    Mention,
    entity_rows,
    extract_mentions,
    gazetteer_records,
    near_misses,
    place_coordinates,
    place_info,
)
from rasd.filters import _ID_RE
from rasd.sentences import sentence_index, split_sentences
from tests.eval_entities import TYPES, evaluate, format_report, load_golden

# Floors on the seed golden set (lenient spans, see tests/eval_entities.py). They only rise.
FLOOR_PRECISION = 0.95
FLOOR_RECALL = 0.95
FLOOR_TYPE_PRECISION = 0.85
FLOOR_TYPE_RECALL = 0.90
FLOOR_LINKING = 0.95


def _pairs(text: str) -> list[tuple[str, str]]:
    mentions, _records = extract_mentions(text)
    return [(m.surface, m.entity_id) for m in mentions]


def _types(text: str) -> list[tuple[str, str]]:
    types = {k: v.type for k, v in gazetteer_records().items()}
    mentions, records = extract_mentions(text)
    types |= {r.entity_id: r.type for r in records}
    return [(m.surface, types[m.entity_id]) for m in mentions]


# --- golden evaluation ---------------------------------------------------------------------------


def test_golden_floors() -> None:
    report = evaluate()
    print(format_report(report))
    total = report.total("lenient")
    assert total.precision >= FLOOR_PRECISION, format_report(report)
    assert total.recall >= FLOOR_RECALL, format_report(report)
    for etype in TYPES:
        counts = report.lenient[etype]
        if counts.tp + counts.fn:
            assert counts.precision >= FLOOR_TYPE_PRECISION, (etype, format_report(report))
            assert counts.recall >= FLOOR_TYPE_RECALL, (etype, format_report(report))
    assert report.linked / report.matched >= FLOOR_LINKING
    assert not [e for e in report.errors if e.startswith("offset")]


def test_golden_file_spans_match_the_clean_text() -> None:
    from tests.eval_entities import _text

    for article_id, spans in load_golden().items():
        text = _text(article_id)
        for span in spans:
            assert text[span["start"] : span["end"]] == span["surface"]
            assert span["type"] in TYPES


# --- offsets ----------------------------------------------------------------------------------------


def test_mentions_are_sorted_exact_and_in_their_sentence() -> None:
    for article_id in load_golden():
        from tests.eval_entities import _text

        text = _text(article_id)
        mentions, _ = extract_mentions(text)
        assert mentions == sorted(mentions, key=lambda m: m.start)
        sentences = split_sentences(text)
        for m in mentions:
            assert text[m.start : m.end] == m.surface
            assert m.sentence_idx == sentence_index(sentences, m.start)
        spans = [(m.start, m.end) for m in mentions]
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # no overlaps


MARKS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0640", "\u200f"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=200), st.sampled_from(MARKS)), max_size=12
    )
)
def test_offsets_survive_tashkeel_and_tatweel(insertions: list[tuple[int, str]]) -> None:
    base = (
        "قال الرئيس الروسي فلاديمير بوتين في موسكو إن كوريا الشمالية حليف، وأكد كيم جونغ أون ذلك."
    )
    text = base
    for position, mark in sorted(insertions, reverse=True):
        # Marks go after a letter (where writers put them), never before the first one.
        position = min(position, len(text))
        if position and text[position - 1].isalpha():
            text = text[:position] + mark + text[position:]
    mentions, _ = extract_mentions(text)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
        assert not m.surface[0].isspace() and not m.surface[-1].isspace()
    # Every entity is still found whatever marks were sprinkled in.
    assert [m.entity_id for m in mentions] == ["Q159", "Q7747", "gpe-moscow", "Q423", "Q56226"]


def test_marks_on_the_last_letter_belong_to_the_mention() -> None:
    text = "زار بوتينُ موسكوَ."
    assert _pairs(text) == [("بوتينُ", "Q7747"), ("موسكوَ", "gpe-moscow")]


# --- matching ------------------------------------------------------------------------------------


def test_clitics_and_word_boundaries() -> None:
    assert _pairs("وبروسيا ولروسيا فروسيا كروسيا") == [("روسيا", "Q159")] * 4
    assert _pairs("والولايات المتحدة وبالكرملين") == [
        ("الولايات المتحدة", "Q30"),
        ("الكرملين", "org-kremlin"),
    ]
    # ل + الأمم -> للأمم: the preposition stays outside the span.
    assert _pairs("وللأمم المتحدة") == [("لأمم المتحدة", "Q1065")]
    # Never inside a longer word.
    assert _pairs("مصرف روسياتي تعزيز") == []


def test_longest_match_wins() -> None:
    assert _pairs("صادق مجلس الاتحاد الروسي") == [("مجلس الاتحاد الروسي", "org-federation-council")]
    assert _pairs("وكالة الأنباء الكورية الشمالية") == [
        ("وكالة الأنباء الكورية الشمالية", "org-kcna")
    ]
    assert _pairs("في الشرق الأقصى الروسي") == [("الشرق الأقصى الروسي", "loc-russian-far-east")]


def test_next_word_vetoes_and_common_words() -> None:
    assert _pairs("اجتمع مجلس الأمن القومي") == []
    assert _pairs("اجتمع مجلس الأمن أمس") == [("مجلس الأمن", "Q37470")]
    # مالي is Mali and "financial": never matched on its own.
    assert _pairs("قدمت الدعم المالي والمساعدة المالية") == []
    assert _pairs("في مسقط رأسه") == []
    assert _pairs("وصل إلى مسقط أمس") == [("مسقط", "gpe-muscat")]


def test_demonyms_link_to_their_country() -> None:
    assert _pairs("الجيش الروسي والقوات الكورية الشمالية وجنود كوريون شماليون") == [
        ("الروسي", "Q159"),
        ("الكورية الشمالية", "Q423"),
        ("كوريون شماليون", "Q423"),
    ]
    # الكورية alone could be either Korea: left alone.
    assert _pairs("الحرب الكورية والدولة الكورية") == [("الحرب الكورية", "evt-korean-war")]


# --- people --------------------------------------------------------------------------------------


def test_spelling_variants_merge_but_different_people_do_not() -> None:
    ids = [
        m for _s, m in _pairs("كيم جونغ أون، كيم جونج وون، كيم يونج أون، كيم جونغ إيل، كيم إل سونغ")
    ]
    assert ids == ["Q56226", "Q56226", "Q56226", "Q10665", "Q41117"]


def test_short_forms_need_a_full_mention_and_take_the_latest() -> None:
    assert _pairs("قال كيم إن الاتفاق مهم.") == []
    text = "التقى كيم إيل سونغ بالوفد. وقال كيم إنه سعيد. ثم تحدث كيم جونغ أون. وأضاف كيم أن"
    assert [e for _s, e in _pairs(text)] == ["Q41117", "Q41117", "Q56226", "Q56226"]


def test_unknown_people_after_titles() -> None:
    text = (
        "وقال وزير الخارجية الفنلندي ماركوس ليندبرغ يوم الإثنين إن بلاده مستعدة. "
        "وأكد ليندبرغ أن هلسنكي ستدعم كييف."
    )
    mentions, records = extract_mentions(text)
    people = [m for m in mentions if m.entity_id.startswith("per-")]
    assert [m.surface for m in people] == ["ماركوس ليندبرغ", "ليندبرغ"]
    assert len({m.entity_id for m in people}) == 1
    assert records == [
        EntityRecord(
            people[0].entity_id, "ماركوس ليندبرغ", None, "PERSON", None, ("ماركوس ليندبرغ",)
        )
    ]
    # The id is stable across articles and spellings that fold alike.
    again, _ = extract_mentions("قالت المتحدثة باسم الحكومة ماركوس ليندبرغُ، إن")
    assert again[-1].entity_id == people[0].entity_id


def test_unknown_people_by_apposition_and_family_name_first() -> None:
    text = "وقال أوليج كوزيمياكو، حاكم الإقليم، إن القطارات ستسير. ونقلت الوكالة عن كوزيمياكو قوله."
    assert [s for s, e in _pairs(text) if e.startswith("per-")] == ["أوليج كوزيمياكو", "كوزيمياكو"]
    text = "التقى الرئيس بوزيرة الخارجية تشوي سون هاي، وأكدت تشوي دعم بلادها."
    people = [(s, e) for s, e in _pairs(text) if e.startswith("per-")]
    assert [s for s, _e in people] == ["تشوي سون هاي", "تشوي"]
    assert people[0][1] == people[1][1]


def test_titles_followed_by_ordinary_words_make_no_person() -> None:
    text = (
        "قال المحلل السياسي إن الحكومة تواجه تحديات كبيرة. وأكد المتحدث أن الرئيس سيلتقي نظيره "
        "الأسبوع المقبل. وقال الرئيس إن البلاد بحاجة إلى الدعم المالي والمساعدة العسكرية المتاحة. "
        "وحضر الاجتماع وزير الدفاع ووزير الداخلية ورئيس الأركان. وصرح مسؤول كبير بأن المحادثات "
        "كانت مثمرة. وبلغ الحد الأقصى لدرجات الحرارة أربعين درجة. وتقديم كل مساعدة عسكرية متاحة."
    )
    assert extract_mentions(text) == ([], [])


# --- generality: invented articles about other places and people ---------------------------------

INVENTED = [
    (
        "قال الأمين العام للأمم المتحدة أنطونيو غوتيريش، يوم الجمعة، إن الوضع الإنساني في قطاع غزة "
        "كارثي. وقال المتحدث باسم الخارجية المصرية أحمد أبو زيد إن القاهرة تواصل اتصالاتها مع الدوحة "
        "وواشنطن. ورد رئيس الوزراء الإسرائيلي بنيامين نتنياهو بأن إسرائيل لن توقف عملياتها في رفح.",
        [
            ("لأمم المتحدة", "ORG"),
            ("أنطونيو غوتيريش", "PERSON"),
            ("قطاع غزة", "GPE"),
            ("المصرية", "GPE"),
            ("أحمد أبو زيد", "PERSON"),
            ("القاهرة", "GPE"),
            ("الدوحة", "GPE"),
            ("واشنطن", "GPE"),
            ("الإسرائيلي", "GPE"),
            ("بنيامين نتنياهو", "PERSON"),
            ("إسرائيل", "GPE"),
            ("رفح", "GPE"),
        ],
    ),
    (
        "التقى وزير الخارجية الإيراني عباس عراقجي نظيره العماني بدر البوسعيدي في مسقط. وقال عراقجي إن "
        "طهران مستعدة للحوار مع الوكالة الدولية للطاقة الذرية، فيما أكد المدير العام للوكالة رافائيل "
        "غروسي أن المفتشين سيزورون منشأة فوردو.",
        [
            ("الإيراني", "GPE"),
            ("عباس عراقجي", "PERSON"),
            ("العماني", "GPE"),
            ("بدر البوسعيدي", "PERSON"),
            ("مسقط", "GPE"),
            ("عراقجي", "PERSON"),
            ("طهران", "GPE"),
            ("الوكالة الدولية للطاقة الذرية", "ORG"),
            ("رافائيل غروسي", "PERSON"),
            ("منشأة فوردو", "FAC"),
        ],
    ),
    (
        "قالت رئيسة المفوضية الأوروبية أورسولا فون دير لاين في بروكسل إن الاتحاد الأوروبي سيدعم "
        "أوكرانيا، بينما اعترض رئيس الوزراء المجري فيكتور أوربان. وأوضح أوربان أن بودابست لن تعرقل القرار.",
        [
            ("المفوضية الأوروبية", "ORG"),
            ("أورسولا فون دير لاين", "PERSON"),
            ("بروكسل", "GPE"),
            ("الاتحاد الأوروبي", "ORG"),
            ("أوكرانيا", "GPE"),
            ("المجري", "GPE"),
            ("فيكتور أوربان", "PERSON"),
            ("أوربان", "PERSON"),
            ("بودابست", "GPE"),
        ],
    ),
    (
        "أعلن قائد الجيش السوداني عبد الفتاح البرهان رفضه لمبادرة الاتحاد الأفريقي. وقالت منسقة الشؤون "
        "الإنسانية كليمنتاين نكويتا سلامي إن الوضع في الفاشر يتدهور، وأشار البرهان إلى انتهاكات قوات "
        "الدعم السريع في دارفور.",
        [
            ("السوداني", "GPE"),
            ("عبد الفتاح البرهان", "PERSON"),
            ("الاتحاد الأفريقي", "ORG"),
            ("كليمنتاين نكويتا سلامي", "PERSON"),
            ("الفاشر", "GPE"),
            ("البرهان", "PERSON"),
            ("قوات الدعم السريع", "ORG"),
            ("دارفور", "LOC"),
        ],
    ),
    (
        "وصل الرئيس الصيني شي جين بينغ إلى موسكو، حسبما أفادت وكالة شينخوا. وقال شي إن العلاقات في "
        "أفضل حالاتها. وفي بكين، قالت المتحدثة باسم الخارجية الصينية ماو نينغ إن بلادها ترفض الاتهامات.",
        [
            ("الصيني", "GPE"),
            ("شي جين بينغ", "PERSON"),
            ("موسكو", "GPE"),
            ("وكالة شينخوا", "ORG"),
            ("شي", "PERSON"),
            ("بكين", "GPE"),
            ("الصينية", "GPE"),
            ("ماو نينغ", "PERSON"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), INVENTED)
def test_invented_articles(text: str, expected: list[tuple[str, str]]) -> None:
    assert _types(text) == expected


# --- records, places, near misses ----------------------------------------------------------------


def test_gazetteer_records_and_ids() -> None:
    records = gazetteer_records()
    putin = records["Q7747"]
    assert (putin.name_ar, putin.name_en, putin.type, putin.wikidata_id) == (
        "فلاديمير بوتين",
        "Vladimir Putin",
        "PERSON",
        "Q7747",
    )
    assert "بوتين" in putin.aliases
    assert all(_ID_RE.match(entity_id) for entity_id in records)
    mentions, found = extract_mentions("قال المتحدث باسم الحكومة ماركوس ليندبرغ، إن")
    assert all(_ID_RE.match(r.entity_id) for r in found)


def test_place_coordinates() -> None:
    places = place_coordinates()
    lat, lon = places["gpe-pyongyang"]
    assert lat == pytest.approx(39.03, abs=0.05) and lon == pytest.approx(125.75, abs=0.05)
    assert "Q7747" not in places  # people have no coordinates
    assert "loc-russky-island" not in places  # GeoNames has no point for it: none invented
    assert place_info()["Q423"]["iso3"] == "PRK"


def test_near_misses_are_reported_not_merged() -> None:
    _, rule = extract_mentions(
        "التقى الرئيس بوزيرة الخارجية تشوي سون هاي، وقال وزير الدفاع ماركوس ليندبرغ، إن"
    )
    _, other = extract_mentions("وقال وزير الدفاع ماركوس ليندبيرغ إن")
    records = [*rule, *other, *gazetteer_records().values()]
    misses = near_misses(records)
    pairs = {frozenset((m["name"], m["other_name"])) for m in misses}
    assert frozenset(("ماركوس ليندبرغ", "ماركوس ليندبيرغ")) in pairs
    assert any("تشوي سون هاي" in p for p in pairs)
    # Both curated: Kim Jong-un and Kim Jong-il are different men and not re-reported.
    assert not any({m["entity_id"], m["other_id"]} == {"Q56226", "Q10665"} for m in misses)
    assert all(m["type"] == "PERSON" and int(m["distance"]) <= 2 for m in misses)


def test_entity_rows_count_mentions_and_articles() -> None:
    m1, r1 = extract_mentions("قال بوتين في موسكو إن بوتين")
    m2, r2 = extract_mentions("زار بوتين بكين")
    rows = {row["entity_id"]: row for row in entity_rows([("a1", m1), ("a2", m2)], [*r1, *r2])}
    assert rows["Q7747"]["n_mentions"] == 3 and rows["Q7747"]["n_articles"] == 2
    assert rows["gpe-moscow"]["n_articles"] == 1
    assert rows["Q7747"]["name_en"] == "Vladimir Putin"


def test_empty_and_latin_text() -> None:
    assert extract_mentions("") == ([], [])
    assert _pairs("NATO and the EU met.") == [("NATO", "Q7184"), ("EU", "Q458")]


def test_mention_dataclass_shape() -> None:
    mention = Mention("Q159", 0, 5, "روسيا", 0)
    assert re.fullmatch(r"Q\d+", mention.entity_id)
    with pytest.raises(AttributeError):
        mention.start = 3  # type: ignore[misc]
