"""Write a synthetic but realistic Arabic news corpus for scale runs.

    .venv/bin/python benchmarks/make_corpus.py --n 100000 --out /tmp/corpus100k

Writes JSON Lines files (``--format parquet`` for Parquet) with the columns scrapers
produce — ``source, url, date_extracted, title, author, content`` — so a build needs
``--map published_at=date_extracted`` (content and source are recognised). Articles are
about 1,700 characters of news prose: names, places, dates and event phrases in varied
spellings, page chrome around the body (mastheads, prompts, tag lists), a share of exact
and near duplicates across outlets, and a share of broken records (malformed lines, empty
content, impossible dates). Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

OUTLETS = [
    ("الأهرام", "ahram.example"),
    ("الشرق الأوسط", "aawsat.example"),
    ("الجزيرة نت", "aljazeera.example"),
    ("سكاي نيوز عربية", "skynews.example"),
    ("الخليج", "alkhaleej.example"),
    ("النهار", "annahar.example"),
    ("هسبريس", "hespress.example"),
    ("الشروق", "shorouk.example"),
    ("العربي الجديد", "alaraby.example"),
    ("روسيا اليوم", "rt.example"),
    ("الوطن", "elwatan.example"),
    ("القدس العربي", "alquds.example"),
]
PEOPLE = [
    ["فلاديمير بوتين", "بوتين"],
    ["كيم جونغ أون", "كيم جونج أون", "كيم يونج أون"],
    ["سيرغي لافروف", "سيرجي لافروف"],
    ["أنتوني بلينكن"],
    ["شي جين بينغ", "شي جين بينج"],
    ["رجب طيب أردوغان", "أردوغان"],
    ["أنطونيو غوتيريش", "غوتيريش"],
    ["فولوديمير زيلينسكي", "زيلينسكي"],
    ["إيمانويل ماكرون", "ماكرون"],
    ["عبد الفتاح السيسي", "السيسي"],
]
PLACES = [
    "موسكو",
    "بيونغ يانغ",
    "بيونج يانج",
    "واشنطن",
    "بكين",
    "أنقرة",
    "القاهرة",
    "كييف",
    "باريس",
    "الرياض",
    "طهران",
    "سيول",
    "طوكيو",
    "دمشق",
    "بغداد",
    "عمّان",
    "الدوحة",
    "فلاديفوستوك",
]
COUNTRIES = [
    "روسيا",
    "كوريا الشمالية",
    "الولايات المتحدة",
    "الصين",
    "تركيا",
    "مصر",
    "أوكرانيا",
    "فرنسا",
    "السعودية",
    "إيران",
    "كوريا الجنوبية",
    "اليابان",
]
ORGS = [
    "الأمم المتحدة",
    "مجلس الأمن الدولي",
    "حلف الناتو",
    "الوكالة الدولية للطاقة الذرية",
    "الاتحاد الأوروبي",
    "جامعة الدول العربية",
    "وزارة الخارجية",
    "البيت الأبيض",
    "الكرملين",
]
MONTHS = [
    ["يناير", "كانون الثاني"],
    ["فبراير", "شباط"],
    ["مارس", "آذار"],
    ["أبريل", "نيسان"],
    ["مايو", "أيار"],
    ["يونيو", "حزيران"],
    ["يوليو", "تموز"],
    ["أغسطس", "آب"],
    ["سبتمبر", "أيلول"],
    ["أكتوبر", "تشرين الأول"],
    ["نوفمبر", "تشرين الثاني"],
    ["ديسمبر", "كانون الأول"],
]
WEEKDAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EVENTS = [
    "وقّع {p1} و{p2} اتفاقية للتعاون الاستراتيجي الشامل خلال زيارة رسمية إلى {place}",
    "التقى {p1} نظيره {p2} في {place} لبحث العلاقات الثنائية والتطورات الإقليمية",
    "صادق البرلمان في {country} على معاهدة الدفاع المشترك مع {country2}",
    "أعلنت {org} فرض عقوبات جديدة على {country} بسبب برنامجها الصاروخي",
    "أطلقت {country} صاروخا باليستيا قصير المدى باتجاه البحر صباح {weekday}",
    "قال {p1} في تصريحات للصحفيين إن بلاده لن تتراجع عن مواقفها المعلنة",
    "نشرت {country} آلاف الجنود قرب الحدود مع {country2} وفق تقارير استخباراتية",
    "دعت {org} إلى ضبط النفس ووقف التصعيد بين {country} و{country2}",
    "استأنفت {country} رحلات الطيران المباشرة مع {country2} بعد توقف دام سنوات",
]
# Filler prose is assembled from parts, so unrelated articles share words but not whole
# sentences — as in real news, where only boilerplate repeats verbatim.
SUBJECTS = [
    "وأضاف المسؤول",
    "وقال مصدر دبلوماسي",
    "وأكد المتحدث باسم الوزارة",
    "وأوضح محللون",
    "وذكرت مصادر مطلعة",
    "وأشار خبراء",
    "وقالت الحكومة",
    "وصرح نائب الوزير",
    "وبيّن تقرير رسمي",
    "ولفت مراقبون",
]
CLAIMS = [
    "أن المحادثات تناولت ملفات الطاقة والتجارة",
    "أن الجانبين اتفقا على مواصلة التشاور",
    "أن هذه الخطوة تعكس تحولا في موازين القوى",
    "أن العلاقات شهدت فتورا قبل أن تعود إلى التحسن",
    "أن بلاده ملتزمة بالقانون الدولي",
    "أن حجم التبادل التجاري ارتفع بشكل ملحوظ",
    "أن جولة جديدة من المفاوضات ستعقد قريبا",
    "أن الوضع الأمني ما زال هشا",
    "أن الاستثمارات المشتركة ستتضاعف",
    "أن الخلافات حول الحدود لم تحسم بعد",
]
CONTEXTS = [
    "في ظل توترات متصاعدة تشهدها المنطقة",
    "بعد أشهر من الجمود السياسي",
    "وسط ضغوط اقتصادية متزايدة",
    "عقب سلسلة من الاجتماعات التحضيرية",
    "رغم تحفظات عدد من الدول الغربية",
    "مع اقتراب موعد الانتخابات",
    "في أعقاب الأزمة الأخيرة",
    "بالتزامن مع زيارة وفد رفيع المستوى",
]
FIGURES = [
    "بنسبة {n} في المئة",
    "خلال {n} شهرا",
    "بقيمة {n} مليون دولار",
    "بمشاركة {n} دولة",
    "منذ {n} عاما",
]
CHROME_TOP = ["عاجل", "رئيس التحرير", "تابعونا على تطبيق واتساب", "اتصل بنا"]
CHROME_BOTTOM = [
    "شارك هذا المقال",
    "كلمات دلالية: {country} {country2} {place}",
    "اقرأ أيضا:",
    "أضف تعليق",
]


def _date_phrase(rng: random.Random, d: date) -> str:
    month = rng.choice(MONTHS[d.month - 1])
    form = rng.random()
    if form < 0.4:
        return f"{d.day} {month} {d.year}"
    if form < 0.6:
        return f"{d.day} {MONTHS[d.month - 1][0]}/{MONTHS[d.month - 1][1]} {d.year}"
    if form < 0.8:
        return f"{month} {d.year}"
    return f"يوم {WEEKDAYS[d.weekday()]}"


def _filler(rng: random.Random) -> str:
    figure = rng.choice(FIGURES).format(n=rng.randrange(2, 900))
    return f"{rng.choice(SUBJECTS)} {rng.choice(CLAIMS)} {figure}، {rng.choice(CONTEXTS)}."


def _sentence(rng: random.Random, d: date) -> str:
    p1, p2 = rng.sample(PEOPLE, 2)
    c1, c2 = rng.sample(COUNTRIES, 2)
    text = rng.choice(EVENTS).format(
        p1=rng.choice(p1),
        p2=rng.choice(p2),
        place=rng.choice(PLACES),
        country=c1,
        country2=c2,
        org=rng.choice(ORGS),
        weekday=rng.choice(WEEKDAYS),
    )
    return f"{text} في {_date_phrase(rng, d)}."


def article(rng: random.Random, i: int, start: date, span_days: int) -> dict[str, object]:
    outlet, host = rng.choice(OUTLETS)
    published = start + timedelta(days=rng.randrange(span_days))
    body: list[str] = []
    while sum(len(p) for p in body) < 1700:
        body.append(" ".join([_sentence(rng, published), _filler(rng), _filler(rng)]))
    c1, c2 = rng.sample(COUNTRIES, 2)
    top = rng.sample(CHROME_TOP, 2)
    bottom = [
        line.format(country=c1, country2=c2, place=rng.choice(PLACES))
        for line in rng.sample(CHROME_BOTTOM, 2)
    ]
    title = _sentence(rng, published).rstrip(".")[:90]
    return {
        "source": outlet,
        "url": f"https://{host}/news/{i}",
        "date_extracted": f"{published.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00+03:00",
        "title": title,
        "author": rng.choice(["محمد علي", "سارة أحمد", "وكالات", None]),
        "content": "\n".join([*top, title, *body, *bottom]),
    }


def corpus(n: int, seed: int) -> list[dict[str, object] | str]:
    """``n`` records: mostly articles, some copies, some broken (raw strings are bad lines)."""
    rng = random.Random(seed)
    start, span = date(2019, 1, 1), 6 * 365
    records: list[dict[str, object] | str] = []
    for i in range(n):
        roll = rng.random()
        originals = [r for r in records[-200:] if isinstance(r, dict) and r.get("content")]
        if roll < 0.05 and originals:  # syndicated exact copy in another outlet
            copy = dict(rng.choice(originals))
            outlet, host = rng.choice(OUTLETS)
            copy.update(source=outlet, url=f"https://{host}/news/{i}")
            records.append(copy)
        elif roll < 0.08 and originals:  # near copy: intro rewritten, tail trimmed
            copy = dict(rng.choice(originals))
            lines = str(copy["content"]).split("\n")
            lines[3] = "أفادت مصادر مطلعة " + lines[3]
            copy.update(
                content="\n".join(lines[:-2]), url=f"https://{rng.choice(OUTLETS)[1]}/n/{i}"
            )
            records.append(copy)
        elif roll < 0.085:
            records.append('{"source": "broken", "content": "unterminated')
        elif roll < 0.09:
            records.append(
                {"source": rng.choice(OUTLETS)[0], "url": f"https://x.example/{i}", "content": ""}
            )
        elif roll < 0.092:
            bad = article(rng, i, start, span)
            bad["date_extracted"] = "2023-02-30"
            records.append(bad)
        else:
            records.append(article(rng, i, start, span))
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of records")
    parser.add_argument("--out", type=Path, required=True, help="directory to write")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument(
        "--files", type=int, default=0, help="number of files (default: one per 50k)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    n_files = args.files or max(1, -(-args.n // 50_000))
    per_file = -(-args.n // n_files)
    made = 0
    for f in range(n_files):
        count = min(per_file, args.n - made)
        if count <= 0:
            break
        records = corpus(count, args.seed * 1000 + f)
        made += count
        if args.format == "jsonl":
            with (args.out / f"part-{f:04d}.jsonl").open("w", encoding="utf-8") as handle:
                for rec in records:
                    handle.write(
                        (rec if isinstance(rec, str) else json.dumps(rec, ensure_ascii=False))
                        + "\n"
                    )
        else:
            rows = [r for r in records if isinstance(r, dict)]
            pq.write_table(pa.Table.from_pylist(rows), args.out / f"part-{f:04d}.parquet")
    print(f"wrote {made} records in {n_files} file(s) to {args.out}")


if __name__ == "__main__":
    main()
