"""Entity chart builders (components/charts_entities.py): pure figures, Arabic isolated."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from components import charts_entities as charts
from components.arabic import PDI, RLI, has_presentation_forms, has_rtl
from rasd.config import ROOT

NODES = pd.DataFrame(
    [
        {
            "entity_id": "Q159",
            "name_ar": "روسيا",
            "name_en": "Russia",
            "type": "GPE",
            "n_mentions": 20,
            "n_articles": 6,
        },
        {
            "entity_id": "Q7747",
            "name_ar": "فلاديمير بوتين",
            "name_en": "Vladimir Putin",
            "type": "PERSON",
            "n_mentions": 12,
            "n_articles": 5,
        },
        {
            "entity_id": "Q56226",
            "name_ar": "كيم جونغ أون",
            "name_en": "Kim Jong-un",
            "type": "PERSON",
            "n_mentions": 9,
            "n_articles": 5,
        },
        {
            "entity_id": "org-kcna",
            "name_ar": "وكالة الأنباء المركزية الكورية",
            "name_en": None,
            "type": "ORG",
            "n_mentions": 1,
            "n_articles": 1,
        },
        {
            "entity_id": "per-0123456789",
            "name_ar": "ماركوس ليندبرغ",
            "name_en": None,
            "type": "PERSON",
            "n_mentions": 2,
            "n_articles": 1,
        },
    ]
)
EDGES = pd.DataFrame(
    [
        {"source": "Q159", "target": "Q7747", "n_xy": 6, "weight": 6.0},
        {"source": "Q56226", "target": "Q7747", "n_xy": 5, "weight": 5.0},
        {"source": "Q159", "target": "Q56226", "n_xy": 3, "weight": 3.0},
        {"source": "Q159", "target": "org-kcna", "n_xy": 1, "weight": 1.0},
        {"source": "Q7747", "target": "per-0123456789", "n_xy": 1, "weight": -0.5},
    ]
)


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            yield from _strings(value)


def _assert_isolated(fig: go.Figure) -> None:
    """Every drawn string with Arabic is RLI … PDI (per <br> line) and not pre-shaped."""
    blob = fig.to_plotly_json()
    for text in _strings(blob):
        assert not has_presentation_forms(text), text
        if has_rtl(text):
            for line in re.split(r"<br\s*/?>", text):
                if has_rtl(line):
                    assert line.startswith(RLI) and line.endswith(PDI), line


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_network(lang: str) -> None:
    fig = charts.network(NODES, EDGES, lang=lang, measure="count")
    _assert_isolated(fig)
    node_traces = [t for t in fig.data if t.mode == "markers+text"]
    ids = {i for t in node_traces for i in t.customdata}
    assert ids == {"Q159", "Q7747", "Q56226", "org-kcna", "per-0123456789"}
    names = " ".join(str(x) for t in node_traces for x in t.text)
    assert ("Vladimir Putin" if lang == "en" else "فلاديمير بوتين") in names
    # Unknown English name falls back to Arabic.
    assert "ماركوس ليندبرغ" in names
    # One legend entry per type drawn.
    assert len(node_traces) == 3
    # Bigger coverage, bigger node.
    sizes = {i: s for t in node_traces for i, s in zip(t.customdata, t.marker.size, strict=True)}
    assert sizes["Q159"] > sizes["org-kcna"]


def test_network_is_deterministic_and_centres_the_focus() -> None:
    a = charts.network(NODES, EDGES, lang="ar", seed=3)
    b = charts.network(NODES, EDGES, lang="ar", seed=3)
    assert a.to_json() == b.to_json()
    ego = charts.network(NODES, EDGES, lang="ar", focus="Q7747")
    for trace in ego.data:
        if trace.mode == "markers+text" and "Q7747" in trace.customdata:
            index = list(trace.customdata).index("Q7747")
            assert (trace.x[index], trace.y[index]) == (0.0, 0.0)
            assert trace.marker.line.width[index] == 4


def test_network_lays_out_each_group_in_its_own_box() -> None:
    """Two groups of entities that never co-occur: each is laid out on its own and they sit
    side by side, each spread over its box (not pushed apart into two small clumps)."""
    ids = [f"e{i}" for i in range(8)]
    nodes = pd.DataFrame(
        [
            {"entity_id": e, "name_ar": e, "name_en": e, "type": "PERSON", "n_mentions": 1,
             "n_articles": 1}
            for e in ids
        ]
    )  # fmt: skip
    pairs = [(a, b) for group in (ids[:5], ids[5:]) for a in group for b in group if a < b]
    edges = pd.DataFrame([{"source": a, "target": b, "n_xy": 1, "weight": 1.0} for a, b in pairs])
    fig = charts.network(nodes, edges, lang="en")
    xy = {
        i: (x, y)
        for t in fig.data
        if t.mode == "markers+text"
        for i, x, y in zip(t.customdata, t.x, t.y, strict=True)
    }
    big = [xy[e][0] for e in ids[:5]]
    small = [xy[e][0] for e in ids[5:]]
    assert max(big) < min(small)  # side by side, the larger group first
    spread = max(big) - min(big)
    assert spread > 0.5 * (max(small) - min(big)) / 2  # a group fills its own box
    assert max(small) - min(small) > 0.5 * spread * (3 / 5) ** 0.5


def test_network_is_the_same_picture_in_another_process() -> None:
    """The layout does not depend on Python's string hashing (a new seed per process):
    three disconnected groups, drawn in processes with different hash seeds."""
    script = """
import json, sys
import pandas as pd
from components import charts_entities as charts
ids = [f"e{i}" for i in range(12)]
groups = (ids[:6], ids[6:9], ids[9:])
nodes = pd.DataFrame([{"entity_id": e, "name_ar": e, "name_en": e, "type": "PERSON",
                       "n_mentions": 1, "n_articles": 1} for e in ids])
pairs = [(a, b) for g in groups for a in g for b in g if a < b]
edges = pd.DataFrame([{"source": a, "target": b, "n_xy": 1, "weight": 1.0} for a, b in pairs])
sys.stdout.write(charts.network(nodes, edges, lang="en").to_json())
"""
    drawn = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(drawn) == 1


def test_network_empty() -> None:
    fig = charts.network(NODES.iloc[0:0], EDGES.iloc[0:0], lang="ar")
    assert fig.layout.annotations[0].text == charts.isolate(charts.label("empty", "ar"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_heatmap(lang: str) -> None:
    fig = charts.heatmap(NODES, EDGES, lang=lang, measure="pmi")
    _assert_isolated(fig)
    z = fig.data[0].z
    size = len(z)
    assert size == 5
    assert all(z[i][j] == z[j][i] for i in range(size) for j in range(size))
    ticks = list(fig.layout.xaxis.ticktext)
    first = "روسيا" if lang == "en" else "ماركوس ليندبرغ"
    assert first in ticks[0] or (lang == "en" and "Russia" in ticks[0])
    assert "PMI" in fig.layout.title.text


def test_heatmap_empty() -> None:
    assert charts.heatmap(NODES, EDGES.iloc[0:0], lang="en").layout.annotations


TIMELINE = pd.DataFrame(
    [
        {"status": "dated", "period_start": date(2024, 6, 1), "n_mentions": 7, "n_articles": 3},
        {"status": "dated", "period_start": date(2024, 10, 1), "n_mentions": 2, "n_articles": 1},
        {"status": "imprecise", "period_start": None, "n_mentions": 1, "n_articles": 1},
        {"status": "undated", "period_start": None, "n_mentions": 9, "n_articles": 4},
    ]
)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_mentions_over_time_places_only_dated_articles(lang: str) -> None:
    fig = charts.mentions_over_time(TIMELINE, lang=lang, period="month", name="بوتين")
    _assert_isolated(fig)
    bar = fig.data[0]
    assert list(bar.y) == [7, 2]
    assert ("يونيو 2024" if lang == "ar" else "June 2024") in bar.x[0]
    note = fig.layout.annotations[0].text
    assert "4" in note and "1" in note  # undated and imprecise are said, not drawn
    assert "بوتين" in fig.layout.title.text


def test_mentions_over_time_nothing_dated() -> None:
    fig = charts.mentions_over_time(
        TIMELINE[TIMELINE["status"] != "dated"], lang="en", name="Putin"
    )
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "4 undated" in texts


PLACES = pd.DataFrame(
    [
        {
            "entity_id": "Q159",
            "name_ar": "روسيا",
            "name_en": "Russia",
            "type": "GPE",
            "n_mentions": 20,
            "n_articles": 6,
            "lat": 55.75,
            "lon": 37.6,
            "coord_basis": "capital",
            "iso3": "RUS",
        },
        {
            "entity_id": "gpe-pyongyang",
            "name_ar": "بيونغ يانغ",
            "name_en": "Pyongyang",
            "type": "GPE",
            "n_mentions": 8,
            "n_articles": 4,
            "lat": 39.03,
            "lon": 125.75,
            "coord_basis": "city",
            "iso3": None,
        },
        {
            "entity_id": "gpe-kursk-oblast",
            "name_ar": "منطقة كورسك",
            "name_en": "Kursk Oblast",
            "type": "GPE",
            "n_mentions": 1,
            "n_articles": 1,
            "lat": 51.7,
            "lon": 36.2,
            "coord_basis": "administrative centre",
            "iso3": None,
        },
    ]
)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_places_map(lang: str) -> None:
    fig = charts.places_map(PLACES, lang=lang)
    _assert_isolated(fig)
    choropleth = [t for t in fig.data if t.type == "choropleth"][0]
    assert list(choropleth.locations) == ["RUS"] and list(choropleth.customdata) == ["Q159"]
    points = [t for t in fig.data if t.type == "scattergeo"]
    assert {i for t in points for i in t.customdata} == {"gpe-pyongyang", "gpe-kursk-oblast"}
    assert fig.layout.geo.resolution == 110
    hover = " ".join(h for t in points for h in t.hovertext)
    assert ("المركز الإداري" if lang == "ar" else "administrative centre") in hover


def test_places_map_empty() -> None:
    assert charts.places_map(PLACES.iloc[0:0], lang="ar").layout.annotations


def test_labels_exist_in_both_languages() -> None:
    for key, texts in charts.LABELS.items():
        assert texts.get("ar") and texts.get("en"), key


def test_base_map_is_vendored_for_offline_use() -> None:
    assert charts.TOPOJSON_URL == "app/static/topojson/"
    topo = json.loads(
        (ROOT / "static" / "topojson" / "world_110m.json").read_text(encoding="utf-8")
    )
    assert {"countries", "land", "coastlines"} <= set(topo["objects"])
    assert (ROOT / "static" / "topojson" / "LICENSE").is_file()


def test_large_counts_are_grouped_as_on_the_other_pages() -> None:
    import numpy as np

    ar = charts.label("page_counts", "ar", mentions=np.int64(552209), articles=438933)
    assert "552,209" in ar and "438,933" in ar
    en = charts.label("page_counts", "en", mentions=12, articles=9)
    assert "12" in en and "9" in en and "," not in en.split("(")[0]
