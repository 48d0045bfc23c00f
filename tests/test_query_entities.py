"""Entity queries (rasd.query_entities) on a tiny dataset: the seeds plus a few invented
articles, with mentions from the extractor, written directly with pyarrow."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rasd import query_entities as qe
from rasd.entities import entity_rows, extract_mentions
from rasd.filters import Filters
from rasd.query import Dataset, open_dataset
from rasd.schema import TABLES
from tests.factories import write_dataset

GOLDEN = Path(__file__).resolve().parent / "golden"
NO_FILTER = Filters()


def _articles() -> list[dict[str, Any]]:
    seeds = json.loads((GOLDEN / "seeds.json").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for name, meta in sorted(seeds.items()):
        published = meta["published_at"]
        rows.append(
            {
                "article_id": name.removesuffix(".txt"),
                "outlet_id": meta["outlet_id"],
                "outlet": meta["outlet"],
                "title": meta["title"],
                "published_at": datetime.fromisoformat(published) if published else None,
                "published_precision": meta["published_precision"],
                "published_basis": meta["published_basis"],
                "text": (GOLDEN / "clean" / name).read_text(encoding="utf-8"),
                "source_ref": f"raw/{name}",
            }
        )
    rows.append(
        {
            "article_id": "x-month",
            "outlet_id": "example",
            "outlet": "مثال",
            "title": "بوتين وكيم",
            "published_at": datetime(2024, 6, 1, tzinfo=UTC),
            "published_precision": "month",
            "published_basis": "inferred",
            "text": "التقى فلاديمير بوتين كيم جونغ أون في بيونغ يانغ. وقال بوتين إن موسكو تدعم سول.",
            "source_ref": "raw/x.jsonl:1",
        }
    )
    rows.append(
        {
            "article_id": "x-copy",
            "outlet_id": "copycat",
            "outlet": "ناسخ",
            "title": rows[1]["title"],
            "published_at": datetime(2024, 6, 20, tzinfo=UTC),
            "published_precision": "day",
            "published_basis": "metadata",
            "text": rows[1]["text"],
            "duplicate_of": rows[1]["article_id"],
            "source_ref": "raw/copy.jsonl:1",
        }
    )
    return rows


def write_entity_dataset(out: Path) -> Path:
    """The seeds and two invented articles, with mentions and entities from the extractor."""
    articles = _articles()
    write_dataset(out, articles=articles, quarantine=[])
    mention_rows: list[dict[str, Any]] = []
    per_article = []
    records = []
    for article in articles:
        mentions, found = extract_mentions(article["text"])
        records.extend(found)
        per_article.append((article["article_id"], mentions))
        mention_rows += [
            {
                "article_id": article["article_id"],
                "entity_id": m.entity_id,
                "start": m.start,
                "end": m.end,
                "surface": m.surface,
                "sentence_idx": m.sentence_idx,
            }
            for m in mentions
        ]
    pq.write_table(
        pa.Table.from_pylist(mention_rows, schema=TABLES["mentions"]), out / "mentions.parquet"
    )
    pq.write_table(
        pa.Table.from_pylist(entity_rows(per_article, records), schema=TABLES["entities"]),
        out / "entities.parquet",
    )
    return out


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return open_dataset(write_entity_dataset(tmp_path_factory.mktemp("entities_ds")))


@pytest.fixture(scope="module")
def mentions(dataset: Dataset) -> pd.DataFrame:
    return dataset._df(
        "SELECT m.* FROM mentions m JOIN articles a USING (article_id) WHERE a.duplicate_of IS NULL"
    )


def test_top_entities(dataset: Dataset) -> None:
    top = qe.top_entities(dataset, NO_FILTER, limit=10)
    assert list(top.columns) == [
        "entity_id",
        "name_ar",
        "name_en",
        "type",
        "wikidata_id",
        "n_mentions",
        "n_articles",
    ]
    assert set(top["entity_id"]) >= {"Q159", "Q423", "Q7747"}
    putin = top.set_index("entity_id").loc["Q7747"]
    assert putin["n_articles"] == 6  # five seeds and x-month; the copy is not counted
    people = qe.top_entities(dataset, NO_FILTER, types=["PERSON"])
    assert set(people["type"]) == {"PERSON"}
    with_copies = qe.top_entities(dataset, NO_FILTER, include_duplicates=True).set_index(
        "entity_id"
    )
    assert with_copies.loc["Q7747", "n_articles"] == 7


def _expected_pairs(
    mentions: pd.DataFrame, window: str
) -> tuple[dict[tuple[str, str], int], dict[str, int], int]:
    windows: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in mentions.itertuples():
        s = int(row.sentence_idx) if window == "sentence" else -1
        windows[(str(row.article_id), s)].add(str(row.entity_id))
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    marg: dict[str, int] = defaultdict(int)
    for ids in windows.values():
        for a in ids:
            marg[a] += 1
            for b in ids:
                if a < b:
                    pairs[(a, b)] += 1
    return pairs, marg, len(windows)


def _llr(k11: int, n_x: int, n_y: int, n: int) -> float:
    cells = [
        (k11, n_x * n_y / n),
        (n_x - k11, n_x * (n - n_y) / n),
        (n_y - k11, (n - n_x) * n_y / n),
        (n - n_x - n_y + k11, (n - n_x) * (n - n_y) / n),
    ]
    g2 = 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)
    return math.copysign(g2, k11 - n_x * n_y / n) if k11 != n_x * n_y / n else 0.0


@pytest.mark.parametrize("window", ["sentence", "article"])
def test_cooccurrence_measures_match_a_hand_count(
    dataset: Dataset, mentions: pd.DataFrame, window: str
) -> None:
    edges = qe.cooccurrence(dataset, NO_FILTER, window=window, max_nodes=1000, max_edges=100000)
    pairs, marg, n = _expected_pairs(mentions, window)
    assert len(edges) == len(pairs)
    for row in edges.itertuples():
        k = pairs[(row.source, row.target)]
        assert row.n_xy == k and row.n_windows == n
        assert row.n_source == marg[row.source] and row.n_target == marg[row.target]
        pmi = math.log(k * n / (marg[row.source] * marg[row.target]))
        assert row.pmi == pytest.approx(pmi)
        npmi = 1.0 if k == n else pmi / -math.log(k / n)
        assert row.npmi == pytest.approx(npmi)
        assert -1 - 1e-9 <= row.npmi <= 1 + 1e-9
        assert row.llr == pytest.approx(_llr(k, marg[row.source], marg[row.target], n), abs=1e-9)
    assert (edges["source"] < edges["target"]).all()
    putin_kim = edges[(edges["source"] == "Q56226") & (edges["target"] == "Q7747")]
    assert len(putin_kim) == 1


def test_weight_min_count_min_weight(dataset: Dataset) -> None:
    by_pmi = qe.cooccurrence(dataset, NO_FILTER, measure="pmi", min_count=2)
    assert (by_pmi["weight"] == by_pmi["pmi"]).all()
    assert (by_pmi["n_xy"] >= 2).all()
    assert list(by_pmi["weight"]) == sorted(by_pmi["weight"], reverse=True)
    strong = qe.cooccurrence(dataset, NO_FILTER, measure="llr", min_weight=1.0)
    assert (strong["llr"] >= 1.0).all()
    article = qe.cooccurrence(dataset, NO_FILTER, window="article", max_nodes=5)
    assert len(set(article["source"]) | set(article["target"])) <= 5
    with pytest.raises(ValueError, match="measure"):
        qe.cooccurrence(dataset, NO_FILTER, measure="jaccard")
    with pytest.raises(ValueError, match="window"):
        qe.cooccurrence(dataset, NO_FILTER, window="paragraph")


def test_filters_apply(dataset: Dataset) -> None:
    only = Filters(entities=("org-kcna",))  # mentioned in one seed only
    top = qe.top_entities(dataset, only)
    assert top.set_index("entity_id").loc["Q159", "n_articles"] == 1
    dated = Filters(date_from=datetime(2024, 6, 19).date(), date_to=datetime(2024, 6, 19).date())
    assert set(qe.top_entities(dataset, dated)["n_articles"]) <= {1, 2}


def test_ego_network(dataset: Dataset) -> None:
    ego = qe.ego_network(dataset, NO_FILTER, "Q56226", neighbours=4)
    touching = ego[(ego["source"] == "Q56226") | (ego["target"] == "Q56226")]
    assert 1 <= len(touching) <= 4
    members = {"Q56226", *touching["source"], *touching["target"]}
    assert set(ego["source"]) | set(ego["target"]) <= members
    assert qe.ego_network(dataset, NO_FILTER, "no-such-entity").empty


def test_top_cooccurring(dataset: Dataset) -> None:
    top = qe.top_cooccurring(dataset, NO_FILTER, "Q7747", limit=5)
    assert "Q7747" not in set(top["entity_id"])
    assert top["name_ar"].notna().all() and len(top) <= 5


def test_entity_info(dataset: Dataset) -> None:
    info = qe.entity_info(dataset, "Q56226")
    assert info is not None
    assert info["name_en"] == "Kim Jong-un" and info["wikidata_id"] == "Q56226"
    assert "كيم جونج وون" in info["aliases"]
    assert qe.entity_info(dataset, "nope") is None


def test_entity_timeline_is_honest_about_dates(dataset: Dataset) -> None:
    by_month = qe.entity_timeline(dataset, NO_FILTER, "Q7747", period="month")
    dated = by_month[by_month["status"] == "dated"]
    # 001 (19 June, day) and x-month (June, month) fall in June 2024; the copy is left out.
    assert list(dated["n_articles"]) == [2]
    undated = by_month.set_index("status").loc["undated"]
    assert undated["n_articles"] == 4 and pd.isna(undated["period_start"])
    by_day = qe.entity_timeline(dataset, NO_FILTER, "Q7747", period="day").set_index("status")
    assert by_day.loc["imprecise", "n_articles"] == 1  # June-only date is not a day
    assert by_day.loc["dated", "n_articles"] == 1
    with pytest.raises(ValueError, match="period"):
        qe.entity_timeline(dataset, NO_FILTER, "Q7747", period="decade")


def test_entity_sentences_carry_exact_offsets(dataset: Dataset) -> None:
    rows = qe.entity_sentences(dataset, NO_FILTER, "Q56226", limit=100)
    texts = dataset._df("SELECT article_id, text FROM articles").set_index("article_id")["text"]
    assert not rows.empty
    for row in rows.itertuples():
        text = texts[row.article_id]
        assert text[row.sentence_start : row.sentence_end] == row.sentence
        for start, end, surface in zip(
            row.mention_starts, row.mention_ends, row.surfaces, strict=True
        ):
            assert text[start:end] == surface
            assert row.sentence_start <= start and end <= row.sentence_end
    assert "x-copy" not in set(rows["article_id"])
    assert qe.entity_sentences(dataset, NO_FILTER, "nope").empty


def test_places(dataset: Dataset) -> None:
    frame = qe.places(dataset, NO_FILTER)
    indexed = frame.set_index("entity_id")
    assert indexed.loc["gpe-pyongyang", "lat"] == pytest.approx(39.03, abs=0.05)
    assert indexed.loc["Q423", "iso3"] == "PRK"
    assert "loc-russky-island" not in indexed.index  # no coordinates: not drawn
    assert set(frame["type"]) <= {"GPE", "LOC", "FAC"}
    assert list(frame["n_articles"]) == sorted(frame["n_articles"], reverse=True)


@pytest.mark.parametrize("measure", ["count", "pmi", "llr"])
@pytest.mark.parametrize("focus", [None, "Q56226"])
def test_a_weight_floor_keeps_a_tail_of_the_strongest_first_order(
    dataset: Dataset, measure: str, focus: str | None
) -> None:
    """The page asks once and applies its weight slider to what came back: the same as
    asking again with ``min_weight``, including where few edges or neighbours are kept."""

    def ask(min_weight: float | None) -> pd.DataFrame:
        if focus is None:
            return qe.cooccurrence(
                dataset, NO_FILTER, measure=measure, max_nodes=6, max_edges=7, min_weight=min_weight
            )
        return qe.ego_network(
            dataset, NO_FILTER, focus, measure=measure, neighbours=3, min_weight=min_weight
        )

    every = ask(None)
    assert len(every) >= 3
    weights = sorted(set(every["weight"]))
    for floor in [weights[0] - 1, *weights, weights[-1] + 1]:
        expected = ask(floor)
        got = qe.at_least(every, floor, focus)
        if expected.empty:  # (an empty answer's columns have no dtype to compare)
            assert got.empty and list(got.columns) == list(expected.columns)
            continue
        pd.testing.assert_frame_equal(got, expected.reset_index(drop=True), obj=f"{floor}")


def test_top_cooccurring_lists_the_pairs_of_the_ego_network_that_include_the_entity(
    dataset: Dataset,
) -> None:
    for measure in ("count", "npmi"):
        top = qe.top_cooccurring(dataset, NO_FILTER, "Q7747", measure=measure, limit=4)
        ego = qe.ego_network(dataset, NO_FILTER, "Q7747", measure=measure, neighbours=4)
        touching = ego[(ego["source"] == "Q7747") | (ego["target"] == "Q7747")]
        partners = touching["target"].where(touching["source"] == "Q7747", touching["source"])
        assert list(top["entity_id"]) == list(partners)
        assert list(top["weight"]) == list(touching["weight"])


def test_the_windows_of_a_selection_are_found_once_for_the_pages_questions(
    tmp_path: Path,
) -> None:
    """The network, the focus's neighbourhood and its partners read one kept table of
    windows per selection and window kind, and answer as when each finds them itself."""
    ds = open_dataset(write_entity_dataset(tmp_path))
    only = Filters(entities=("Q7747",))

    def ask() -> list[pd.DataFrame]:
        return [qe.cooccurrence(ds, only, window=w) for w in ("sentence", "article")] + [
            qe.ego_network(ds, only, "Q7747", neighbours=4),
            qe.top_cooccurring(ds, only, "Q7747"),
        ]

    first = ask()
    windows = [name for name in ds._selections.values() if name.startswith("selection_windows_")]
    assert len(windows) == 2  # sentence and article windows, each made once
    for name in list(ds._selections.values()):
        ds._con.execute(f"DROP TABLE {name}")
    ds._selections.clear()
    again = ask()  # made again from nothing
    for a, b in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert not first[0].empty and not first[2].empty
