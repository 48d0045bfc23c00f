"""Event extraction and clustering: unit cases, and the golden evaluation on the seeds.

The golden set (``tests/golden/events.json``) was annotated by reading the seed texts. The
evaluation prints precision and recall; the floors below only ever rise. Run it alone with
``.venv/bin/python tests/test_events.py`` to see the figures and every miss.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from rasd.event_lexicon import EVENT_TYPE_IDS, EVENT_TYPES, TRIGGERS
from rasd.events import EventMention, cluster_events, event_id, extract_events

GOLDEN = Path(__file__).parent / "golden"
WED = date(2024, 6, 19)

# Floors of the golden evaluation (see _evaluate). Raise them when the extractor improves.
FLOOR_TYPED_PRECISION = 0.80
FLOOR_TYPED_RECALL = 0.85
FLOOR_DATED_PRECISION = 0.75
FLOOR_DATED_RECALL = 0.80
FLOOR_CLUSTER_F1 = 0.70


@dataclass(frozen=True)
class M:
    """A stand-in entity mention."""

    entity_id: str
    start: int
    end: int


def _mentions(text: str, names: dict[str, str]) -> list[M]:
    out: list[M] = []
    for surface, entity in names.items():
        pos = text.find(surface)
        while pos >= 0:
            out.append(M(entity, pos, pos + len(surface)))
            pos = text.find(surface, pos + 1)
    return sorted(out, key=lambda m: m.start)


def _types(events: list[EventMention]) -> list[str]:
    return [e.event_type for e in events]


# -- lexicon --------------------------------------------------------------------------------


def test_lexicon_is_consistent() -> None:
    assert len(set(EVENT_TYPE_IDS)) == len(EVENT_TYPE_IDS)
    for spec in EVENT_TYPES:
        assert spec.label_ar and spec.label_en and spec.why
        assert spec.id.replace("_", "").isalnum() and spec.id.islower()
    for trigger in TRIGGERS:
        assert trigger.event_type in EVENT_TYPE_IDS
        assert trigger.why and 0 < trigger.weight <= 1


# -- extraction -----------------------------------------------------------------------------


def test_signing_today_is_dated_by_the_publication_date() -> None:
    text = "وقع الزعيمان اتفاقية شراكة استراتيجية اليوم في بيونغ يانغ."
    (event,) = extract_events(text, [], dct=WED, entity_types={})
    assert event.event_type == "agreement_signed"
    assert (event.date_start, event.date_end, event.date_precision, event.date_basis) == (
        WED,
        WED,
        "day",
        "relative",
    )
    assert text[event.evidence_start : event.evidence_end] == event.evidence == text


def test_the_publication_date_is_never_an_event_date_by_itself() -> None:
    text = "وقع الزعيمان اتفاقية شراكة استراتيجية في بيونغ يانغ."
    (event,) = extract_events(text, [], dct=WED, entity_types={})
    assert event.date_start is None and event.date_precision == "unknown"
    assert event.date_basis == "unknown"


def test_historical_references_are_events_at_their_own_date() -> None:
    text = (
        "قام كيم إل سونغ بزيارة إلى موسكو في مارس/آذار 1949 شهدت التوقيع على اتفاقية التعاون "
        "الاقتصادي. وخلال فترة الحرب الكورية في أعوام 1950 - 1953، مد الاتحاد السوفييتي يد العون."
    )
    events = extract_events(text, [], dct=WED, entity_types={})
    by_type = {e.event_type: e for e in events}
    assert set(by_type) == {"meeting_visit", "agreement_signed", "armed_conflict"}
    visit = by_type["meeting_visit"]
    assert (visit.date_start, visit.date_end, visit.date_precision) == (
        date(1949, 3, 1),
        date(1949, 3, 31),
        "month",
    )
    war = by_type["armed_conflict"]
    assert (war.date_start, war.date_end, war.date_precision, war.date_basis) == (
        date(1950, 1, 1),
        date(1953, 12, 31),
        "year",
        "explicit",
    )


def test_a_date_across_a_relation_word_belongs_to_the_other_event() -> None:
    text = "جاءت مصادقة مجلس الاتحاد على المعاهدة عقب تصديق الدوما عليها في 24 أكتوبر."
    events = extract_events(text, [], dct=date(2024, 11, 6), entity_types={})
    assert [(e.event_type, e.date_start) for e in events] == [
        ("ratification", None),
        ("ratification", date(2024, 10, 24)),
    ]


def test_a_report_date_does_not_date_what_is_reported() -> None:
    text = "أفادت وكالة الأنباء، اليوم الأربعاء، أن روسيا ستستأنف حركة القطارات في يوليو المقبل."
    events = extract_events(text, [], dct=date(2024, 6, 26), entity_types={})
    by_type = {e.event_type: e for e in events}
    assert by_type["statement"].date_start == date(2024, 6, 26)
    resumption = by_type["resumption"]
    assert (resumption.date_start, resumption.date_end, resumption.date_precision) == (
        date(2024, 7, 1),
        date(2024, 7, 31),
        "month",
    )
    assert resumption.date_basis == "inferred"


@pytest.mark.parametrize(
    "text",
    [
        "إذا تعرض أحد الطرفين لهجوم مسلح فإن الطرف الآخر يقدم المساعدة.",
        "تنص المعاهدة على عدم التوقيع على معاهدات مع دولة ثالثة.",
        "لن يوقعا أي معاهدة مع دولة ثالثة.",
        "قال إنه لا يستبعد احتمال إرسال أسلحة إلى كوريا الشمالية.",
        "قال المسؤول إن المفاوضات مستمرة.",
        "يتعارض التعاون مع قرارات مجلس الأمن والعديد من العقوبات الدولية.",
        "نشرت الصحيفة تقريرا مطولا عن الاقتصاد.",
        "الحرب التي تخوضها موسكو في أوكرانيا مستمرة.",
        "علقت لافتات ضخمة على أعمدة الإنارة.",
        "وهناك صفقة محتملة لتزويد موسكو بالسلاح.",
    ],
)
def test_what_the_text_does_not_assert_is_not_an_event(text: str) -> None:
    assert extract_events(text, [], dct=WED, entity_types={}) == []


def test_dated_remarks_are_statements_and_undated_quotes_are_not() -> None:
    dated = "قال المتحدث باسم الخارجية يوم الإثنين إن 10,000 جندي موجودون في كورسك."
    events = extract_events(dated, [], dct=WED, entity_types={})
    by_type = {e.event_type: e for e in events}
    assert by_type["statement"].date_start == date(2024, 6, 17)
    assert by_type["military_deployment"].date_start is None  # the remark's date is not theirs
    assert extract_events("وقال كيم إن المعاهدة قوية.", [], dct=WED, entity_types={}) == []


def test_actors_and_place_come_from_entity_mentions() -> None:
    text = "زار الرئيس فلاديمير بوتين كوريا الشمالية والتقى كيم جونغ أون في بيونغ يانغ أمس."
    mentions = _mentions(
        text,
        {
            "فلاديمير بوتين": "Q7747",
            "كوريا الشمالية": "Q423",
            "كيم جونغ أون": "Q56226",
            "بيونغ يانغ": "gpe-pyongyang",
        },
    )
    types = {"Q7747": "PERSON", "Q423": "GPE", "Q56226": "PERSON", "gpe-pyongyang": "GPE"}
    (event,) = extract_events(text, mentions, dct=WED, entity_types=types)
    assert event.event_type == "meeting_visit"
    assert event.actor_ids == ("Q7747", "Q423", "Q56226")
    assert event.location_id == "gpe-pyongyang"
    assert event.date_start == date(2024, 6, 18)
    assert 0 < event.confidence <= 1


def test_offsets_survive_tashkeel() -> None:
    text = "وَقَّعَ الزعيمان اتفاقيةً اليومَ. ثم غادر الوفد."
    (event,) = extract_events(text, [], dct=WED, entity_types={})
    assert text[event.evidence_start : event.evidence_end] == event.evidence
    assert event.date_start == WED


def test_empty_and_odd_input() -> None:
    assert extract_events("", [], dct=None, entity_types={}) == []
    assert extract_events("   \n ", [], dct=None, entity_types={}) == []
    assert extract_events("ـــ ١٩ ٢٠٢٤ هـ", [], dct=None, entity_types={}) == []


def test_event_mentions_equal_the_dataclass_constructor() -> None:
    # extract_events builds mentions without the frozen dataclass's __init__ (for speed):
    # they must be the same objects in every way the build and the clustering can tell.
    from dataclasses import FrozenInstanceError, asdict, fields

    from rasd.events import _event_mention

    values: dict[str, Any] = {
        "event_type": "agreement_signed",
        "date_start": WED,
        "date_end": WED,
        "date_precision": "day",
        "date_basis": "relative",
        "actor_ids": ("Q159", "Q423"),
        "location_id": None,
        "evidence": "وقع الزعيمان اتفاقية اليوم.",
        "evidence_start": 0,
        "evidence_end": 27,
        "confidence": 0.95,
    }
    assert set(values) == {f.name for f in fields(EventMention)}
    fast, slow = _event_mention(**values), EventMention(**values)
    assert type(fast) is EventMention
    assert fast == slow and hash(fast) == hash(slow) and asdict(fast) == asdict(slow)
    with pytest.raises(FrozenInstanceError):
        fast.confidence = 0.5  # type: ignore[misc]
    (event,) = extract_events("وقع الزعيمان اتفاقية اليوم.", [], dct=WED, entity_types={})
    assert event == EventMention(**asdict(event))


def test_event_ids_are_stable() -> None:
    (event,) = extract_events("وقع الزعيمان اتفاقية اليوم.", [], dct=WED, entity_types={})
    assert event_id("a1", event) == event_id("a1", event) != event_id("a2", event)


# -- clustering -----------------------------------------------------------------------------


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    base = {"date_start": None, "date_end": None, "date_precision": "unknown", "actor_ids": []}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_cluster_same_event_across_outlets_and_keep_others_apart() -> None:
    frame = _frame(
        [
            {
                "article_id": "a",
                "event_type": "agreement_signed",
                "date_start": WED,
                "date_end": WED,
                "date_precision": "day",
                "actor_ids": ["putin", "kim"],
                "evidence": "وقع بوتين وكيم معاهدة الشراكة",
            },
            {
                "article_id": "b",
                "event_type": "agreement_signed",
                "date_start": date(2024, 6, 1),
                "date_end": date(2024, 6, 30),
                "date_precision": "month",
                "actor_ids": ["kim", "putin"],
                "evidence": "المعاهدة التي وقعها بوتين مع كيم في يونيو",
            },
            {
                "article_id": "c",
                "event_type": "agreement_signed",
                "actor_ids": ["putin", "kim"],
                "evidence": "معاهدة بوتين التي تم التوصل إليها مع كيم",
            },
            {
                "article_id": "d",
                "event_type": "agreement_signed",
                "date_start": date(1949, 3, 1),
                "date_end": date(1949, 3, 31),
                "date_precision": "month",
                "actor_ids": ["kim_il_sung"],
                "evidence": "التوقيع على اتفاقية التعاون الاقتصادي عام 1949",
            },
            {
                "article_id": "a",
                "event_type": "meeting_visit",
                "date_start": WED,
                "date_end": WED,
                "date_precision": "day",
                "actor_ids": ["putin", "kim"],
                "evidence": "محادثات بوتين وكيم",
            },
        ]
    )
    ids = cluster_events(frame)
    assert ids[0] == ids[1] == ids[2]
    assert len({ids[0], ids[3], ids[4]}) == 3
    # Stable: the same rows in another order, or in a larger corpus, keep their ids.
    assert cluster_events(frame.iloc[::-1].reset_index(drop=True))[::-1] == ids
    bigger = pd.concat(
        [
            frame,
            _frame(
                [{"article_id": "z", "event_type": "election", "evidence": "الانتخابات الرئاسية"}]
            ),
        ],
        ignore_index=True,
    )
    assert cluster_events(bigger)[:5] == ids


def test_cluster_without_actors_uses_wording() -> None:
    frame = _frame(
        [
            {
                "article_id": "a",
                "event_type": "missile_test",
                "date_start": WED,
                "date_end": WED,
                "date_precision": "day",
                "evidence": "أطلقت كوريا الشمالية صواريخ باليستية قصيرة المدى في بحر اليابان",
            },
            {
                "article_id": "b",
                "event_type": "missile_test",
                "date_start": WED,
                "date_end": WED,
                "date_precision": "day",
                "evidence": "إطلاق صواريخ باليستية قصيرة المدى باتجاه بحر اليابان",
            },
            {
                "article_id": "c",
                "event_type": "missile_test",
                "date_start": date(2023, 1, 1),
                "date_end": date(2023, 1, 1),
                "date_precision": "day",
                "evidence": "أطلقت كوريا الشمالية صواريخ باليستية قصيرة المدى في بحر اليابان",
            },
        ]
    )
    ids = cluster_events(frame)
    assert ids[0] == ids[1] != ids[2]


def test_cluster_empty_frame() -> None:
    assert (
        cluster_events(
            _frame([]).reindex(
                columns=[
                    "event_type",
                    "date_start",
                    "date_end",
                    "date_precision",
                    "actor_ids",
                    "evidence",
                    "article_id",
                ]
            )
        )
        == []
    )


# -- golden evaluation ----------------------------------------------------------------------


def _seed_entities() -> tuple[Any, dict[str, str]]:
    """The entities stage when it is present (actors make clustering sharper)."""
    try:
        from rasd.entities import extract_mentions, gazetteer_records
    except ImportError:  # pragma: no cover - the entities stage is part of the package
        return None, {}
    types = {k: v.type for k, v in gazetteer_records().items()}
    return extract_mentions, types


def _extract_seeds() -> pd.DataFrame:
    seeds = json.loads((GOLDEN / "seeds.json").read_text(encoding="utf-8"))
    mention_fn, types = _seed_entities()
    rows: list[dict[str, Any]] = []
    for name, meta in seeds.items():
        text = (GOLDEN / "clean" / name).read_text(encoding="utf-8")
        published = meta["published_at"]
        dct = date.fromisoformat(published[:10]) if published else None
        mentions: list[Any] = []
        entity_types = dict(types)
        if mention_fn is not None:
            mentions, records = mention_fn(text)
            entity_types.update({r.entity_id: r.type for r in records})
        for event in extract_events(text, mentions, dct=dct, entity_types=entity_types):
            rows.append(
                {
                    **event.__dict__,
                    "article_id": name,
                    "outlet_id": meta["outlet_id"],
                    "published_at": published,
                    "event_id": event_id(name, event),
                }
            )
    frame = pd.DataFrame(rows)
    frame["cluster_id"] = cluster_events(frame)
    return frame


def _date_ok(gold: dict[str, Any], row: pd.Series) -> bool:
    if gold.get("date_any"):
        return True
    start = row["date_start"].isoformat() if row["date_start"] else None
    end = row["date_end"].isoformat() if row["date_end"] else None
    return (start, end, row["date_precision"]) == (
        gold["date_start"],
        gold["date_end"],
        gold["precision"],
    )


def _evaluate(frame: pd.DataFrame) -> dict[str, Any]:
    golden = json.loads((GOLDEN / "events.json").read_text(encoding="utf-8"))
    typed_tp = dated_tp = fp = fp_dated = 0
    matched_gold: dict[tuple[str, int], pd.Series] = {}
    misses: list[str] = []
    for name, gold_events in golden["articles"].items():
        predicted = frame[frame["article_id"] == name]
        for _, row in predicted.iterrows():
            candidates = [
                (gi, g)
                for gi, g in enumerate(gold_events)
                if g["type"] == row["event_type"] and g["anchor"] in row["evidence"]
            ]
            if not candidates:
                fp += 1
                fp_dated += 1
                misses.append(f"FP {name[:3]} {row['event_type']}: {row['evidence'][:70]}")
                continue
            with_date = [(gi, g) for gi, g in candidates if _date_ok(g, row)]
            pool = with_date or candidates
            # One gold mention per prediction, preferring one not matched yet.
            gi, g = next(((gi, g) for gi, g in pool if (name, gi) not in matched_gold), pool[0])
            if g.get("optional"):
                continue
            typed_tp += 1
            if with_date:
                dated_tp += 1
                matched_gold[(name, gi)] = row
            else:
                fp_dated += 1
                misses.append(
                    f"DATE {name[:3]} {row['event_type']} {row['date_start']}.."
                    f"{row['date_end']} {row['date_precision']}: {g['anchor']}"
                )
                matched_gold.setdefault((name, gi), row)
        for gi, g in enumerate(gold_events):
            if not g.get("optional") and (name, gi) not in matched_gold:
                misses.append(f"FN {name[:3]} {g['type']}: {g['anchor']}")
    required = [
        (n, gi, g)
        for n, evs in golden["articles"].items()
        for gi, g in enumerate(evs)
        if not g.get("optional")
    ]
    recalled = {
        (n, gi)
        for n, gi, g in required
        if any(
            g["type"] == r["event_type"] and g["anchor"] in r["evidence"]
            for _, r in frame[frame["article_id"] == n].iterrows()
        )
    }
    dated_recalled = {
        (n, gi)
        for n, gi, g in required
        if any(
            g["type"] == r["event_type"] and g["anchor"] in r["evidence"] and _date_ok(g, r)
            for _, r in frame[frame["article_id"] == n].iterrows()
        )
    }
    # Pairwise clustering over gold mentions that were found: same gold cluster ⇔ same id.
    keyed = [
        (golden["articles"][n][gi].get("cluster") or f"{n}#{gi}", row["cluster_id"])
        for (n, gi), row in matched_gold.items()
    ]
    c_tp = c_fp = c_fn = 0
    for x in range(len(keyed)):
        for y in range(x + 1, len(keyed)):
            same_gold, same_pred = keyed[x][0] == keyed[y][0], keyed[x][1] == keyed[y][1]
            c_tp += same_gold and same_pred
            c_fp += same_pred and not same_gold
            c_fn += same_gold and not same_pred
    c_p = c_tp / (c_tp + c_fp) if c_tp + c_fp else 1.0
    c_r = c_tp / (c_tp + c_fn) if c_tp + c_fn else 1.0
    return {
        "typed_precision": typed_tp / (typed_tp + fp) if typed_tp + fp else 0.0,
        "typed_recall": len(recalled) / len(required),
        "dated_precision": dated_tp / (typed_tp + fp_dated) if typed_tp + fp_dated else 0.0,
        "dated_recall": len(dated_recalled) / len(required),
        "cluster_precision": c_p,
        "cluster_recall": c_r,
        "cluster_f1": 2 * c_p * c_r / (c_p + c_r) if c_p + c_r else 0.0,
        "n_required": len(required),
        "n_predicted": len(frame),
        "misses": misses,
    }


@pytest.fixture(scope="module")
def seed_events() -> pd.DataFrame:
    return _extract_seeds()


def test_golden_evaluation_floor(seed_events: pd.DataFrame) -> None:
    result = _evaluate(seed_events)
    print(
        f"\nevents: typed P={result['typed_precision']:.2f} R={result['typed_recall']:.2f}  "
        f"dated P={result['dated_precision']:.2f} R={result['dated_recall']:.2f}  "
        f"clusters P={result['cluster_precision']:.2f} R={result['cluster_recall']:.2f}"
    )
    assert result["typed_precision"] >= FLOOR_TYPED_PRECISION
    assert result["typed_recall"] >= FLOOR_TYPED_RECALL
    assert result["dated_precision"] >= FLOOR_DATED_PRECISION
    assert result["dated_recall"] >= FLOOR_DATED_RECALL
    assert result["cluster_f1"] >= FLOOR_CLUSTER_F1


def test_the_june_2024_treaty_is_one_cluster_reported_by_several_outlets(
    seed_events: pd.DataFrame,
) -> None:
    golden = json.loads((GOLDEN / "events.json").read_text(encoding="utf-8"))
    expected = golden["clusters"]["treaty_2024"]
    signed = seed_events[seed_events["event_type"] == "agreement_signed"]
    dated = signed[signed["date_start"] == date(2024, 6, 19)]
    assert not dated.empty
    cluster = dated["cluster_id"].iloc[0]
    assert (dated["cluster_id"] == cluster).all()
    members = seed_events[seed_events["cluster_id"] == cluster]
    assert set(members["outlet_id"]) == set(expected["outlets"])
    # The 1949 agreement is another event.
    old = signed[signed["date_start"] == date(1949, 3, 1)]
    assert not old.empty and (old["cluster_id"] != cluster).all()


def test_the_korean_war_is_a_multi_year_span_in_one_cluster(seed_events: pd.DataFrame) -> None:
    war = seed_events[seed_events["event_type"] == "armed_conflict"]
    assert set(war["outlet_id"]) == {"nysn", "l-rbyh-lan"}
    assert war["cluster_id"].nunique() == 1
    assert set(war["date_start"]) == {date(1950, 1, 1)}
    assert set(war["date_end"]) == {date(1953, 12, 31)}
    assert set(war["date_precision"]) == {"year"}


def test_no_seed_event_is_dated_by_the_page_header(seed_events: pd.DataFrame) -> None:
    # Only seed 001 has a publication date; every dated event elsewhere comes from the text.
    undated_articles = seed_events[seed_events["published_at"].isna()]
    assert set(undated_articles["date_basis"]) <= {"explicit", "unknown"}


if __name__ == "__main__":
    outcome = _evaluate(_extract_seeds())
    for line in outcome.pop("misses"):
        print(line)
    print(json.dumps(outcome, indent=1))
    sys.exit(0)
