"""The Timeline figure builder: honest precision, swimlanes, volume beneath, isolated labels."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from components.arabic import PDI, RLI, has_presentation_forms, has_rtl
from components.charts_timeline import TEXT, date_label, timeline, type_label


def _cluster(
    cid: str,
    etype: str,
    start: date | None,
    end: date | None,
    precision: str,
    basis: str,
    outlets: list[str],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "cluster_id": cid,
        "event_type": etype,
        "date_start": pd.Timestamp(start) if start else pd.NaT,
        "date_end": pd.Timestamp(end) if end else pd.NaT,
        "date_precision": precision,
        "date_basis": basis,
        "n_outlets": len(outlets),
        "outlets": outlets,
        "first_outlet": outlets[0] if outlets else None,
        "actor_ids": ["Q7747"],
        "actors_ar": ["فلاديمير بوتين"],
        "actors_en": ["Vladimir Putin"],
        **extra,
    }


CLUSTERS = pd.DataFrame(
    [
        _cluster(
            "c-treaty",
            "agreement_signed",
            date(2024, 6, 19),
            date(2024, 6, 19),
            "day",
            "relative",
            ["نيسان", "تحيا مصر", "البوابة نيوز", "العربية الآن"],
        ),
        _cluster(
            "c-visit49",
            "meeting_visit",
            date(1949, 3, 1),
            date(1949, 3, 31),
            "month",
            "explicit",
            ["نيسان"],
        ),
        _cluster(
            "c-war",
            "armed_conflict",
            date(1950, 1, 1),
            date(1953, 12, 31),
            "year",
            "explicit",
            ["نيسان", "العربية الآن"],
        ),
        _cluster(
            "c-duma",
            "ratification",
            date(2024, 10, 24),
            date(2024, 10, 24),
            "day",
            "inferred",
            ["العربية الآن"],
        ),
        _cluster(
            "c-trains",
            "resumption",
            date(2024, 7, 1),
            date(2024, 7, 31),
            "month",
            "inferred",
            ["تحيا مصر"],
        ),
        _cluster("c-undated", "statement", None, None, "unknown", "unknown", ["الأمصار"]),
    ]
)
VOLUME = pd.DataFrame({"day": [pd.Timestamp(2024, 6, 19), pd.Timestamp(2024, 11, 6)], "n": [1, 2]})


def _traces(fig: go.Figure, cluster_id: str) -> list[Any]:
    return [t for t in fig.data if t.customdata is not None and cluster_id in list(t.customdata)]


def _of(trace: Any, cluster_id: str, attribute: str) -> Any:
    """The value of a per-event ``attribute`` of ``trace`` for one event."""
    return getattr(trace, attribute)[list(trace.customdata).index(cluster_id)]


def test_day_is_a_point_and_month_or_years_are_spans() -> None:
    fig = timeline(CLUSTERS, VOLUME, lang="ar")
    (treaty,) = _traces(fig, "c-treaty")
    assert treaty.type == "scatter" and treaty.marker.symbol == "circle"
    visit = _traces(fig, "c-visit49")
    bar = next(t for t in visit if t.type == "bar")
    assert bar.orientation == "h"
    assert pd.Timestamp(_of(bar, "c-visit49", "base")) == pd.Timestamp(1949, 3, 1)
    assert _of(bar, "c-visit49", "x") == pytest.approx(
        31 * 86_400_000
    )  # the whole month, not its first day
    marker = next(t for t in visit if t.type == "scatter")
    assert marker.marker.symbol == "line-ew"
    war = next(t for t in _traces(fig, "c-war") if t.type == "bar")
    assert pd.Timestamp(_of(war, "c-war", "base")) == pd.Timestamp(1950, 1, 1)
    assert _of(war, "c-war", "x") == pytest.approx(
        (pd.Timestamp(1954, 1, 1) - pd.Timestamp(1950, 1, 1)).total_seconds() * 1000
    )


def test_spans_of_a_type_and_basis_share_one_trace() -> None:
    months = [
        _cluster(f"m{i}", "meeting_visit", date(2020, i, 1), date(2020, i, 28), "month",
                 "explicit", ["نيسان"] * (1 + i % 3))
        for i in range(1, 13)
    ]  # fmt: skip
    fig = timeline(pd.DataFrame([*months, *CLUSTERS.to_dict("records")]), VOLUME, lang="en")
    bars = [t for t in fig.data if t.type == "bar" and t.customdata is not None]
    # meeting_visit stated (12 months and c-visit49), armed_conflict stated, resumption inferred
    assert sorted(len(t.customdata) for t in bars) == [1, 1, 13]
    (meetings,) = [t for t in bars if "m5" in list(t.customdata)]
    assert pd.Timestamp(_of(meetings, "m5", "base")) == pd.Timestamp(2020, 5, 1)
    assert _of(meetings, "m5", "x") == pytest.approx(28 * 86_400_000)
    assert (
        _of(meetings, "m2", "width") > _of(meetings, "m1", "width") > _of(meetings, "m3", "width")
    )
    assert _of(meetings, "m5", "hovertext") != _of(meetings, "m4", "hovertext")


def test_inferred_dates_are_hollow_and_size_grows_with_outlets() -> None:
    fig = timeline(CLUSTERS, VOLUME, lang="en")
    (duma,) = _traces(fig, "c-duma")
    assert duma.marker.symbol == "circle-open"
    trains_bar = next(t for t in _traces(fig, "c-trains") if t.type == "bar")
    assert trains_bar.marker.pattern.shape == "/"
    (treaty,) = _traces(fig, "c-treaty")
    treaty_size = treaty.marker.size[list(treaty.customdata).index("c-treaty")]
    duma_size = duma.marker.size[list(duma.customdata).index("c-duma")]
    assert treaty_size > duma_size
    visit_bar = next(t for t in _traces(fig, "c-visit49") if t.type == "bar")
    war_bar = next(t for t in _traces(fig, "c-war") if t.type == "bar")
    assert _of(war_bar, "c-war", "width") > _of(visit_bar, "c-visit49", "width")


def test_undated_events_are_not_drawn_and_volume_is_beneath() -> None:
    fig = timeline(CLUSTERS, VOLUME, lang="ar")
    assert not _traces(fig, "c-undated")
    volume = [t for t in fig.data if t.type == "bar" and t.customdata is None]
    assert len(volume) == 1
    assert volume[0].xaxis == "x2" and volume[0].yaxis == "y2"
    assert list(volume[0].y) == [1, 2]
    assert fig.layout.xaxis.matches == "x2" or fig.layout.xaxis2.matches == "x"  # shared axis


def test_lanes_by_outlet() -> None:
    fig = timeline(CLUSTERS, VOLUME, lang="ar", lanes="outlet")
    treaty = _traces(fig, "c-treaty")
    lanes = {y for t in treaty for y, c in zip(t.y, t.customdata, strict=True) if c == "c-treaty"}
    assert lanes == {
        f"{RLI}{o}{PDI}" for o in ("نيسان", "تحيا مصر", "البوابة نيوز", "العربية الآن")
    }
    with pytest.raises(ValueError):
        timeline(CLUSTERS, VOLUME, lang="ar", lanes="colour")


def _strings(value: Any, key: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _strings(v, k)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out += _strings(v, key)
    elif isinstance(value, str):
        out.append((key, value))
    return out


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("lanes", ["type", "outlet"])
def test_every_arabic_label_is_isolated_and_nothing_is_preshaped(lang: str, lanes: str) -> None:
    fig = timeline(CLUSTERS, VOLUME, lang=lang, lanes=lanes)
    labelled = ("text", "name", "hovertext", "ticktext", "y", "categoryarray")
    checked = 0
    for key, text in _strings(fig.to_plotly_json()):
        assert not has_presentation_forms(text)
        if key in labelled and has_rtl(text):
            for line in text.split("<br>"):
                if not has_rtl(line):
                    continue
                checked += 1
                if lang == "ar" or line.startswith(RLI):
                    assert line.startswith(RLI) and line.endswith(PDI), (key, line)
                else:
                    # An English line keeps its direction; each Arabic value is isolated.
                    outside = re.sub(f"{RLI}[^{PDI}]*{PDI}", "", line)
                    assert not has_rtl(outside), (key, line)
    assert checked > 10


def test_empty_inputs_give_a_message() -> None:
    empty = CLUSTERS.iloc[0:0]
    fig = timeline(empty, VOLUME.iloc[0:0], lang="ar")
    assert fig.layout.annotations and fig.layout.annotations[0].text.startswith(RLI)


def test_labels() -> None:
    assert date_label(date(2024, 6, 1), date(2024, 6, 30), "month", "ar") == "يونيو 2024"
    assert date_label(date(1950, 1, 1), date(1953, 12, 31), "year", "en") == "1950–1953"
    assert date_label(date(1950, 1, 1), date(1959, 12, 31), "decade", "ar") == "الخمسينيات (1950)"
    assert date_label(date(2024, 4, 1), date(2024, 6, 30), "quarter", "en") == "Q2 2024"
    assert date_label(date(2024, 6, 19), date(2024, 6, 19), "day", "en") == "19 June 2024"
    assert date_label(None, None, "unknown", "en") == "date unknown"
    assert type_label("agreement_signed", "ar") == "توقيع اتفاق"
    assert type_label("new_type", "en") == "new_type"
    for key, texts in TEXT.items():
        assert texts.get("ar") and texts.get("en"), key
