"""Entity evaluation on the seed golden set: precision and recall per type.

Run ``.venv/bin/python -m tests.eval_entities`` to print the table. Two span criteria:

* **lenient** (the pinned floor): a predicted span matches a golden span of the same type
  when they overlap; each golden span is matched at most once (largest overlap first).
  Boundary choices such as "موقع فوستوتشني للإطلاق الفضائي" vs "فوستوتشني" are then not
  counted as two errors.
* **strict**: identical start, end and type.

Linking accuracy is reported over lenient matches: the predicted entity id must equal the
golden one; a golden ``?Name`` (a person the gazetteer does not know) must map to a
rule-found id, the same one for every mention of that person.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.entities import EntityRecord, Mention, extract_mentions, gazetteer_records

GOLDEN = Path(__file__).resolve().parent / "golden"
TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    lenient: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    strict: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    linked: int = 0
    matched: int = 0
    errors: list[str] = field(default_factory=list)

    def total(self, which: str = "lenient") -> Counts:
        table = self.lenient if which == "lenient" else self.strict
        out = Counts()
        for counts in table.values():
            out.tp += counts.tp
            out.fp += counts.fp
            out.fn += counts.fn
        return out


def load_golden() -> dict[str, list[dict[str, Any]]]:
    data = json.loads((GOLDEN / "entities.json").read_text(encoding="utf-8"))
    articles: dict[str, list[dict[str, Any]]] = data["articles"]
    return articles


def _text(article_id: str) -> str:
    return (GOLDEN / "clean" / f"{article_id}.txt").read_text(encoding="utf-8")


def evaluate() -> Report:
    """Run the extractor on every seed and compare with the golden spans."""
    report = Report()
    types = {entity_id: record.type for entity_id, record in gazetteer_records().items()}
    unknown_to_predicted: dict[str, set[str]] = defaultdict(set)
    for article_id, gold in load_golden().items():
        text = _text(article_id)
        mentions, records = extract_mentions(text)
        _check_offsets(text, mentions, report)
        local_types = types | {r.entity_id: r.type for r in records}
        predicted = [(m, local_types.get(m.entity_id, "PERSON")) for m in mentions]
        # strict
        gold_keys = {(g["start"], g["end"], g["type"]) for g in gold}
        pred_keys = {(m.start, m.end, t) for m, t in predicted}
        for etype in TYPES:
            g = {k for k in gold_keys if k[2] == etype}
            p = {k for k in pred_keys if k[2] == etype}
            report.strict[etype].tp += len(g & p)
            report.strict[etype].fp += len(p - g)
            report.strict[etype].fn += len(g - p)
        # lenient: one-to-one by largest overlap
        pairs = []
        for gi, g in enumerate(gold):
            for pi, (m, t) in enumerate(predicted):
                overlap = min(g["end"], m.end) - max(g["start"], m.start)
                if overlap > 0 and t == g["type"]:
                    pairs.append((overlap, gi, pi))
        pairs.sort(reverse=True)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _overlap, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, (m, _t) = gold[gi], predicted[pi]
            report.lenient[g["type"]].tp += 1
            report.matched += 1
            if g["entity"].startswith("?"):
                if m.entity_id not in types:
                    unknown_to_predicted[g["entity"]].add(m.entity_id)
                    report.linked += 1
                else:
                    report.errors.append(f"{article_id}: link {g['surface']} -> {m.entity_id}")
            elif m.entity_id == g["entity"]:
                report.linked += 1
            else:
                report.errors.append(
                    f"{article_id}: link {g['surface']} gold {g['entity']} got {m.entity_id}"
                )
        for gi, g in enumerate(gold):
            if gi not in used_g:
                report.lenient[g["type"]].fn += 1
                report.errors.append(
                    f"{article_id}: missed {g['type']} {g['surface']} @{g['start']}"
                )
        for pi, (m, t) in enumerate(predicted):
            if pi not in used_p:
                report.lenient[t].fp += 1
                report.errors.append(
                    f"{article_id}: spurious {t} {m.surface} ({m.entity_id}) @{m.start}"
                )
    for name, ids in unknown_to_predicted.items():
        if len(ids) > 1:  # one person split over several ids: count the extra links as wrong
            report.linked -= len(ids) - 1
            report.errors.append(f"{name} split over {sorted(ids)}")
    return report


def _check_offsets(text: str, mentions: list[Mention], report: Report) -> None:
    for m in mentions:
        if text[m.start : m.end] != m.surface:
            report.errors.append(f"offset mismatch {m}")


def format_report(report: Report) -> str:
    lines = [
        "type     lenient P   R     F1   | strict P   R     | gold  pred",
        "-" * 66,
    ]
    for etype in (*TYPES, "ALL"):
        if etype == "ALL":
            lc, sc = report.total("lenient"), report.total("strict")
            lines.append("-" * 66)
        else:
            lc, sc = report.lenient[etype], report.strict[etype]
        gold = lc.tp + lc.fn
        pred = lc.tp + lc.fp
        if etype != "ALL" and gold == 0 and pred == 0:
            continue
        lines.append(
            f"{etype:<8} {lc.precision:9.3f} {lc.recall:5.3f} {lc.f1:5.3f} |"
            f" {sc.precision:8.3f} {sc.recall:5.3f} | {gold:5d} {pred:5d}"
        )
    accuracy = report.linked / report.matched if report.matched else 1.0
    lines.append(
        f"linking accuracy over lenient matches: {accuracy:.3f} ({report.linked}/{report.matched})"
    )
    return "\n".join(lines)


def records_for_seeds() -> list[EntityRecord]:
    """Rule-found records over all seeds (for near-miss demonstrations)."""
    out: list[EntityRecord] = []
    for article_id in load_golden():
        out.extend(extract_mentions(_text(article_id))[1])
    return out


if __name__ == "__main__":
    result = evaluate()
    print(format_report(result))
    if result.errors:
        print("\nerrors:")
        print("\n".join(f"  {e}" for e in result.errors))
