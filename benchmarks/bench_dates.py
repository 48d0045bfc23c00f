"""Temporal tagging: span F1 and documents/second of ``rasd.dates.tag_dates`` vs dateparser.

Run from the repository root::

    .venv/bin/python benchmarks/bench_dates.py [--runs 3] [--synthetic 200]

Both taggers see the same documents in one run: every case of the tagger's table test
(``tests/test_dates_tagger.py``) as a document, the five seed articles, and synthetic news
paragraphs built from templates (dates in every series and digit system, relative
expressions, ranges, Hijri dates, and traps that are not dates). Gold spans are ours: the
table's expected spans, hand-marked spans in the seeds, and the inserted date text in the
synthetic paragraphs.

Span F1 is reported twice: *strict* (identical offsets) and *relaxed* (the spans overlap,
matched one to one, as in TempEval's relaxed match). dateparser's ``search_dates`` returns
substrings, not offsets; they are located in order in the document. Speed is documents per
second, median of ``--runs`` runs, single process. Timing never goes into a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.dates import tag_dates  # noqa: E402
from tests.test_dates_tagger import CASES  # noqa: E402

Span = tuple[int, int]

# Hand-marked date expressions of the seed articles, in order (read from the texts).
SEED_GOLD: dict[str, list[str]] = {
    "000_c168bb8e8ae2a459.txt": [
        "اليوم الأربعاء",
        "يوليو المقبل",
        "في وقت سابق من الشهر الجاري",
        "الأسبوع الماضي",
        "عام 2000",
        "الأسبوع الماضي",
    ],
    "001_d4c75918ac5c958f.txt": [
        "اليوم الأربعاء",
        "اليوم",
        "اليوم الأربعاء",
        "الثلاثاء",
        "اليوم",
        "عام 2000",
        "مارس/آذار 1949",
        "أعوام 1950 - 1953",
    ],
    "002_c049f791414bdfc0.txt": [
        "هذا الأسبوع",
        "العام الماضي",
        "اليوم",
        "يوم الأربعاء الماضي",
        "يوم الثلاثاء الماضي",
    ],
    "003_8a1ec9f8eb136ea6.txt": [
        "مؤخرا",
        "أبريل عام 2019",
        "اليوم الأحد",
        "هذا الأسبوع",
        "الأسبوع الماضي",
        "صباح الثلاثاء الماضي",
    ],
    "004_d99eb047aeee1334.txt": [
        "يوم الأربعاء",
        "يونيو",
        "24 أكتوبر",
        "يوم الإثنين",
        "الأيام المقبلة",
        "1950-1953",
        "يوم الإثنين",
        "الأسبوع الماضي",
        "في السابق",
        "يوم الثلاثاء",
    ],
}
SEED_DCT = {"001_d4c75918ac5c958f.txt": date(2024, 6, 19)}


@dataclass
class Doc:
    text: str
    gold: list[Span]
    dct: date | None


def _locate(text: str, pieces: Sequence[str]) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for piece in pieces:
        at = text.find(piece, pos)
        if at < 0:
            continue
        spans.append((at, at + len(piece)))
        pos = at + len(piece)
    return spans


# -- synthetic paragraphs ----------------------------------------------------------------------

_EG = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
_LEV = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
_MAG = [
    "جانفي",
    "فيفري",
    "مارس",
    "أفريل",
    "ماي",
    "جوان",
    "جويلية",
    "أوت",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
_HIJRI = [
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
]
_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _date_forms(rng: random.Random) -> tuple[str, str]:
    """A (preposition, date text) pair; the date text is the gold span."""
    y = rng.randint(1950, 2025)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    kind = rng.randrange(16)
    if kind == 0:
        return "في ", f"{d} {_EG[m - 1]} {y}"
    if kind == 1:
        return "في ", f"{d} {_LEV[m - 1]} {y}"
    if kind == 2:
        return "في ", f"{d} {_EG[m - 1]}/{_LEV[m - 1]} {y}"
    if kind == 3:
        return "في ", f"{d} {_MAG[m - 1]} {y}"
    if kind == 4:
        return "في ", f"{d} {_EG[m - 1]} {y}".translate(_EASTERN)
    if kind == 5:
        return "في ", f"{_EG[m - 1]} {y}"
    if kind == 6:
        return "منذ ", f"عام {y}"
    if kind == 7:
        return "بتاريخ ", f"{d:02d}/{m:02d}/{y}"
    if kind == 8:
        return "", rng.choice(
            [
                "أمس",
                "اليوم",
                "الأسبوع الماضي",
                "الشهر المقبل",
                "العام الماضي",
                "يوم الأربعاء",
                "يوم الإثنين الماضي",
                "قبل يومين",
                "مطلع العام الجاري",
                "هذا الأسبوع",
            ]
        )
    if kind == 9:
        return "خلال ", f"أعوام {y} - {y + rng.randint(1, 5)}"
    if kind == 10:
        return "", f"من {y} إلى {y + rng.randint(1, 9)}"
    if kind == 11:
        return "في ", f"{d} {_HIJRI[m - 1]} {rng.randint(1400, 1446)} هـ"
    if kind == 12:
        return "في ", rng.choice(["الخمسينيات", "عقد التسعينيات", "ثمانينيات القرن الماضي"])
    if kind == 13:
        return "في ", f"{y}-{m:02d}-{d:02d}"
    if kind == 14:
        return "في ", f"{_LEV[m - 1]} ({_EG[m - 1]}) {y}"
    return "في ", f"{d} {_EG[m - 1]}"


_SUBJECTS = [
    "الرئيس الروسي",
    "وزير الخارجية",
    "المتحدث باسم الحكومة",
    "مجلس الأمن",
    "البرلمان",
    "رئيس الوزراء",
    "الجيش",
    "وفد رسمي",
    "وكالة الأنباء الرسمية",
]
_VERBS = ["أعلن", "زار", "وقع", "صادق على", "التقى", "أكد", "نفى", "استقبل", "افتتح"]
_OBJECTS = [
    "اتفاقية التعاون",
    "العاصمة",
    "المعاهدة الجديدة",
    "نظيره الكوري",
    "القرار",
    "الوفد الزائر",
    "المشروع",
    "الموقع العسكري",
]
_TRAPS = [
    "وأكد المسؤول نشر 10,000 جندي على الحدود.",
    "وذلك بما يتماشى مع المادة 51 من الميثاق.",
    "للاستفسار اتصل على 0123456789.",
    "وشارك حزب 30 يونيو في الاجتماع.",
    "وهي أول زيارة منذ 24 عاماً.",
    "واستمرت المحادثات نحو ساعتين.",
    "ونقلت وكالة الأنباء عن مصدر مطلع قوله إن المفاوضات مستمرة.",
    "وتنص مادة 2024 من القانون على ذلك.",
]


def synthetic_docs(n: int, seed: int = 7) -> list[Doc]:
    """``n`` paragraphs of 4–8 sentences with known date spans."""
    rng = random.Random(seed)
    docs: list[Doc] = []
    for _ in range(n):
        parts: list[str] = []
        gold: list[Span] = []
        length = 0
        for _ in range(rng.randint(4, 8)):
            if rng.random() < 0.3:
                sentence = rng.choice(_TRAPS)
                parts.append(sentence)
                length += len(sentence) + 1
                continue
            prep, when = _date_forms(rng)
            head = f"و{rng.choice(_VERBS)} {rng.choice(_SUBJECTS)} {rng.choice(_OBJECTS)} {prep}"
            tail = rng.choice(
                [" في إطار جولة إقليمية.", "، بحسب بيان رسمي.", ".", " وسط ترقب دولي."]
            )
            gold.append((length + len(head), length + len(head) + len(when)))
            sentence = head + when + tail
            parts.append(sentence)
            length += len(sentence) + 1
        text = " ".join(parts)
        docs.append(Doc(text, gold, date(2024, 6, 19) if rng.random() < 0.5 else None))
    return docs


def corpus(n_synthetic: int) -> list[Doc]:
    docs = [
        Doc(text, _locate(text, [e[0] for e in expected]), dct) for text, dct, expected in CASES
    ]
    seeds = ROOT / "tests" / "golden" / "clean"
    for name, pieces in SEED_GOLD.items():
        text = (seeds / name).read_text(encoding="utf-8")
        docs.append(Doc(text, _locate(text, pieces), SEED_DCT.get(name)))
    return docs + synthetic_docs(n_synthetic)


# -- the two systems ------------------------------------------------------------------------------


def rasd_spans(doc: Doc) -> list[Span]:
    return [(e.start, e.end) for e in tag_dates(doc.text, dct=doc.dct)]


def dateparser_spans(doc: Doc) -> list[Span]:
    from dateparser.search import search_dates

    settings = {}
    if doc.dct is not None:
        settings["RELATIVE_BASE"] = datetime(doc.dct.year, doc.dct.month, doc.dct.day)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(doc.text, languages=["ar"], settings=settings) or []
    return _locate(doc.text, [piece.strip(" ،,.") or piece for piece, _ in found])


# -- scoring -----------------------------------------------------------------------------------------


def score(
    docs: Sequence[Doc], predicted: Sequence[list[Span]], *, relaxed: bool
) -> dict[str, float]:
    tp = fp = fn = 0
    for doc, spans in zip(docs, predicted, strict=True):
        gold = list(doc.gold)
        for span in spans:
            hit = next(
                (
                    g
                    for g in gold
                    if (g == span if not relaxed else g[0] < span[1] and span[0] < g[1])
                ),
                None,
            )
            if hit is None:
                fp += 1
            else:
                tp += 1
                gold.remove(hit)
        fn += len(gold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def timed(
    system: Callable[[Doc], list[Span]], docs: Sequence[Doc], runs: int
) -> tuple[list[list[Span]], float]:
    """Predictions and the median documents/second over ``runs`` runs."""
    rates: list[float] = []
    predicted: list[list[Span]] = []
    for _ in range(runs):
        start = time.perf_counter()
        predicted = [system(doc) for doc in docs]
        rates.append(len(docs) / (time.perf_counter() - start))
    return predicted, statistics.median(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per system (median)")
    parser.add_argument("--synthetic", type=int, default=200, help="synthetic documents")
    args = parser.parse_args(argv)
    docs = corpus(args.synthetic)
    n_gold = sum(len(d.gold) for d in docs)
    print(
        f"cores: {os.cpu_count()}  documents: {len(docs)}  gold spans: {n_gold}  "
        f"runs: {args.runs} (median)"
    )
    dateparser_spans(docs[0])  # warm up dateparser's language data outside the timing
    rasd_pred, rasd_rate = timed(rasd_spans, docs, args.runs)
    dp_pred, dp_rate = timed(dateparser_spans, docs, args.runs)
    print(
        f"{'system':<12}{'strict P':>9}{'R':>7}{'F1':>7}{'relaxed P':>11}{'R':>7}{'F1':>7}"
        f"{'docs/s':>10}"
    )
    for name, pred, rate in (("rasd", rasd_pred, rasd_rate), ("dateparser", dp_pred, dp_rate)):
        strict, relaxed = score(docs, pred, relaxed=False), score(docs, pred, relaxed=True)
        print(
            f"{name:<12}{strict['precision']:>9.3f}{strict['recall']:>7.3f}{strict['f1']:>7.3f}"
            f"{relaxed['precision']:>11.3f}{relaxed['recall']:>7.3f}{relaxed['f1']:>7.3f}"
            f"{rate:>10.1f}"
        )
    print(f"speed ratio rasd/dateparser: {rasd_rate / dp_rate:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
