"""components/charts.py: pure figures, every Arabic label isolated, nothing pre-shaped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from components import charts
from components.arabic import PDI, RLI, has_presentation_forms, has_rtl

VOLUME = pd.DataFrame(
    {
        "period_start": [date(2024, 6, 19), date(2024, 6, 19), date(2024, 6, 20)],
        "outlet_id": ["ahram", "youm7", "ahram"],
        "outlet": ["الأهرام", "اليوم السابع", "الأهرام"],
        "n": [2, 1, 3],
    }
)
OUTLETS = pd.DataFrame(
    {
        "outlet_id": ["ahram", "youm7", "bbc"],
        "outlet": ["الأهرام", "اليوم السابع", "BBC عربي"],
        "articles": [5, 3, 1],
        "copies": [0, 2, 0],
        "undated": [1, 0, 0],
    }
)
BASIS = pd.DataFrame(
    {
        "published_basis": ["explicit", "unknown", "metadata", "inferred"],
        "published_precision": ["day", "unknown", "minute", "month"],
        "n": [4, 2, 3, 1],
    }
)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _check_labels(fig: go.Figure) -> None:
    as_json = fig.to_json()
    assert not has_presentation_forms(as_json)
    for text in _strings(json.loads(as_json)):
        for line in text.replace("<br/>", "<br>").split("<br>"):
            if has_rtl(line):
                assert line.startswith(RLI) and line.endswith(PDI), repr(line)


def _all_builders(lang: str) -> list[go.Figure]:
    return [
        charts.volume_by_outlet(VOLUME, lang=lang, period="day"),
        charts.volume_by_outlet(VOLUME, lang=lang, period="week"),
        charts.volume_by_outlet(VOLUME, lang=lang, period="month"),
        charts.outlet_bars(OUTLETS, lang=lang),
        charts.date_basis(BASIS, lang=lang),
        charts.volume_by_outlet(VOLUME.iloc[0:0], lang=lang),
        charts.outlet_bars(OUTLETS.iloc[0:0], lang=lang),
        charts.date_basis(BASIS.iloc[0:0], lang=lang),
    ]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_label_with_arabic_is_isolated_and_unshaped(lang: str) -> None:
    for fig in _all_builders(lang):
        assert isinstance(fig, go.Figure)
        _check_labels(fig)


def test_volume_by_outlet_stacks_one_trace_per_outlet() -> None:
    fig = charts.volume_by_outlet(VOLUME, lang="ar", period="day")
    assert fig.layout.barmode == "stack"
    assert [tr.name for tr in fig.data] == [f"{RLI}الأهرام{PDI}", f"{RLI}اليوم السابع{PDI}"]
    assert [list(tr.y) for tr in fig.data] == [[2, 3], [1]]
    assert f"{RLI}19 يونيو 2024{PDI}" in fig.layout.xaxis.ticktext
    assert fig.layout.title.text.startswith(RLI)


def test_volume_by_outlet_month_ticks_say_the_month_not_a_day() -> None:
    frame = VOLUME.assign(period_start=[date(2024, 6, 1), date(2024, 6, 1), date(2024, 8, 1)])
    fig = charts.volume_by_outlet(frame, lang="en", period="month")
    assert list(fig.layout.xaxis.ticktext) == ["June 2024", "July 2024", "August 2024"]
    # each bar spans most of its month, so it cannot be read as a single day
    assert min(fig.data[0].width) > 20 * 86_400_000


def test_volume_by_outlet_does_not_change_its_input() -> None:
    before = VOLUME.copy()
    charts.volume_by_outlet(VOLUME, lang="ar")
    pd.testing.assert_frame_equal(VOLUME, before)


def test_outlet_bars_rtl_layout_and_values() -> None:
    fig = charts.outlet_bars(OUTLETS, lang="ar")
    assert len(fig.data) == 2
    assert list(fig.data[0].x) == [5, 3, 1] and list(fig.data[1].x) == [0, 2, 0]
    assert fig.layout.xaxis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    assert list(fig.data[0].y)[2] == f"{RLI}BBC عربي{PDI}"
    english = charts.outlet_bars(OUTLETS, lang="en")
    assert english.layout.yaxis.side == "left"
    assert english.data[0].name == "Unique articles"


def test_outlet_bars_disambiguates_shared_names() -> None:
    frame = OUTLETS.assign(outlet=["الأهرام", "الأهرام", "x"])
    fig = charts.outlet_bars(frame, lang="en")
    labels = list(fig.data[0].y)
    assert len(set(labels)) == 3


def test_date_basis_translates_categories() -> None:
    fig = charts.date_basis(BASIS, lang="en")
    assert list(fig.data[0].x) == ["from metadata", "printed in the text", "inferred", "unknown"]
    assert sum(sum(tr.y) for tr in fig.data) == int(BASIS["n"].sum())


def test_empty_frames_give_an_annotated_figure() -> None:
    fig = charts.outlet_bars(OUTLETS.iloc[0:0], lang="ar")
    assert not fig.data
    assert fig.layout.annotations[0].text == f"{RLI}لا بيانات لعرضها{PDI}"


def test_period_label() -> None:
    assert charts.period_label(date(2024, 6, 17), period="week", lang="ar") == "أسبوع 17 يونيو 2024"
    assert charts.period_label(date(2024, 1, 1), period="year", lang="en") == "2024"
