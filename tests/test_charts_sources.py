"""components/charts_sources.py: pure figures, Arabic labels isolated, nothing pre-shaped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from components import charts_sources as cs
from components.arabic import PDI, RLI, has_presentation_forms, has_rtl

UTC = "UTC"

VOLUME = pd.DataFrame(
    {
        "period_start": [date(2024, 6, 17), date(2024, 6, 17), date(2024, 6, 24)],
        "outlet_id": ["ahram", "bbc", "ahram"],
        "outlet": ["الأهرام", "BBC عربي", "الأهرام"],
        "n": [2, 1, 6],
        "outlet_placed": [8, 1, 8],
        "share": [0.25, 1.0, 0.75],
    }
)
SHARE = pd.DataFrame(
    {
        "item_id": ["putin", "putin", "kim", "kim"],
        "label_ar": ["فلاديمير بوتين", "فلاديمير بوتين", "كيم جونغ أون", "كيم جونغ أون"],
        "label_en": ["Vladimir Putin", "Vladimir Putin", "Kim Jong Un", "Kim Jong Un"],
        "item_type": ["PERSON"] * 4,
        "item_articles": [7, 7, 2, 2],
        "outlet_id": ["ahram", "bbc", "ahram", "bbc"],
        "outlet": ["الأهرام", "BBC عربي", "الأهرام", "BBC عربي"],
        "outlet_articles": [10, 4, 10, 4],
        "n_articles": [6, 1, 2, 0],
        "share": [0.6, 0.25, 0.2, 0.0],
    }
)
COVERAGE = pd.DataFrame(
    {
        "cluster_id": ["K1", "K1", "K1", "K2"],
        "event_type": ["meeting_visit"] * 3 + ["agreement_signed"],
        "event_label_ar": ["لقاء / زيارة"] * 3 + ["توقيع اتفاق"],
        "event_label_en": ["Meeting / visit"] * 3 + ["Agreement signed"],
        "date_start": [pd.Timestamp("2024-06-19")] * 3 + [pd.Timestamp("2024-06-01")],
        "date_precision": ["day"] * 3 + ["month"],
        "evidence": ["<script>alert(1)</script> وصل بوتين إلى بيونغ يانغ"] * 3 + [None],
        "cluster_outlets": [3, 3, 3, 1],
        "cluster_articles": [4, 4, 4, 1],
        "cluster_first_at": [pd.Timestamp("2024-06-19 08:30", tz=UTC)] * 3 + [pd.NaT],
        "cluster_first_precision": ["minute"] * 3 + [None],
        "outlet_id": ["ahram", "bbc", "masr", "ahram"],
        "outlet": ["الأهرام", "BBC عربي", "مصر 24", "الأهرام"],
        "n_articles": [2, 1, 1, 1],
        "n_copies": [0, 1, 0, 0],
        "first_at": [
            pd.Timestamp("2024-06-19 08:30", tz=UTC),
            pd.Timestamp("2024-06-19 10:00", tz=UTC),
            pd.NaT,
            pd.NaT,
        ],
        "first_precision": ["minute", "minute", None, None],
        "lag_days": [0, 0, None, None],
        "lag_hours": [0.0, 1.5, None, None],
        "status": ["first", "later", "unknown", "unknown"],
    }
)
TERMS = pd.DataFrame(
    {
        "outlet_id": ["ahram", "ahram", "bbc", "bbc"],
        "outlet": ["الأهرام", "الأهرام", "BBC عربي", "BBC عربي"],
        "rank": [1, 2, 1, 2],
        "term": ["قطارات", "ركاب", "جندي", "قتال"],
        "label": ["قطارات", "الركاب", "10,000 جندي", "القتال"],
        "count": [4, 3, 3, 3],
        "count_rest": [0, 0, 0, 1],
        "per_10k": [40.0, 30.0, 50.0, 50.0],
        "per_10k_rest": [0.0, 0.0, 0.0, 2.5],
        "z": [1.8, 1.5, 1.6, 1.2],
        "delta": [1.0, 0.9, 1.1, 0.8],
        "outlet_articles": [1, 1, 1, 1],
        "outlet_tokens": [1000, 1000, 600, 600],
    }
)
FLOWS = pd.DataFrame(
    {
        "copy_outlet_id": ["bbc", "ahram"],
        "copy_outlet": ["BBC عربي", "الأهرام"],
        "original_outlet_id": ["ahram", "ahram"],
        "original_outlet": ["الأهرام", "الأهرام"],
        "n_copies": [3, 1],
        "mean_similarity": [0.91, 1.0],
        "copy_outlet_articles": [5, 10],
    }
)
PAIRS = pd.DataFrame(
    {
        "copy_id": ["b1", "c2"],
        "copy_outlet_id": ["bbc", "masr"],
        "copy_outlet": ["BBC عربي", "مصر 24"],
        "copy_title": ["بوتين في بيونغ يانغ", None],
        "copy_published_at": [pd.Timestamp("2024-06-19 10:00", tz=UTC), pd.NaT],
        "copy_precision": ["minute", "unknown"],
        "original_id": ["a1", "b2"],
        "original_outlet_id": ["ahram", "bbc"],
        "original_outlet": ["الأهرام", "BBC عربي"],
        "original_title": ["بوتين في بيونغ يانغ", "صواريخ"],
        "original_published_at": [
            pd.Timestamp("2024-06-19 08:30", tz=UTC),
            pd.Timestamp("2024-06-20", tz=UTC),
        ],
        "original_precision": ["minute", "day"],
        "kind": ["near", "exact"],
        "similarity": [0.92, 1.0],
        "cross_outlet": [True, True],
        "first": ["original", "unknown"],
        "lag_hours": [1.5, None],
        "lag_days": [0, None],
    }
)
TOP = pd.DataFrame(
    {
        "item_id": ["putin", "agreement_signed"],
        "label_ar": ["فلاديمير بوتين", None],
        "label_en": ["Vladimir Putin", None],
        "item_type": ["PERSON", "EVENT_TYPE"],
        "n_articles": [3, 1],
        "outlet_articles": [4, 4],
        "share": [0.75, 0.25],
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


def _builders(lang: str) -> list[go.Figure]:
    return [
        cs.volume(VOLUME, lang=lang, period="week"),
        cs.volume(VOLUME, lang=lang, period="week", measure="share"),
        cs.share_of_voice(SHARE, lang=lang),
        cs.share_of_voice(SHARE, lang=lang, by="event_type"),
        cs.top_items(TOP, lang=lang),
        cs.coverage(COVERAGE, lang=lang),
        cs.distinctive_terms(TERMS, lang=lang),
        cs.distinctive_terms(TERMS[TERMS["outlet_id"] == "bbc"], lang=lang),
        cs.syndication_flows(FLOWS, lang=lang),
        cs.volume(VOLUME.iloc[0:0], lang=lang),
        cs.share_of_voice(SHARE.iloc[0:0], lang=lang),
        cs.coverage(COVERAGE.iloc[0:0], lang=lang),
        cs.distinctive_terms(TERMS.iloc[0:0], lang=lang),
        cs.syndication_flows(FLOWS.iloc[0:0], lang=lang),
        cs.top_items(TOP.iloc[0:0], lang=lang),
    ]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_label_with_arabic_is_isolated_and_unshaped(lang: str) -> None:
    for fig in _builders(lang):
        assert isinstance(fig, go.Figure)
        _check_labels(fig)


def test_builders_do_not_change_their_input() -> None:
    frames = [VOLUME, SHARE, COVERAGE, TERMS, FLOWS, PAIRS, TOP]
    before = [f.copy() for f in frames]
    _builders("ar")
    cs.syndication_table(PAIRS, lang="ar")
    cs.terms_table(TERMS, lang="ar")
    for frame, copy in zip(frames, before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_volume_counts_or_shares_one_line_per_outlet() -> None:
    counts = cs.volume(VOLUME, lang="ar", period="week")
    assert [tr.name for tr in counts.data] == [f"{RLI}الأهرام{PDI}", f"{RLI}BBC عربي{PDI}"]
    assert [list(tr.y) for tr in counts.data] == [[2, 6], [1]]
    shares = cs.volume(VOLUME, lang="en", period="week", measure="share")
    assert [list(tr.y) for tr in shares.data] == [[0.25, 0.75], [1.0]]
    assert shares.layout.yaxis.tickformat == ".0%"
    assert "25% of the outlet's output" in shares.data[0].hovertext[0]
    assert all(isinstance(tr, go.Bar) for tr in counts.data)
    # outlets side by side: the same period, different offsets, no overlap
    first, second = counts.data[0], counts.data[1]
    assert first.offset[0] + first.width[0] <= second.offset[0] + 1e-6
    lines = cs.volume(VOLUME, lang="ar", period="week", max_bar_periods=1)
    assert all(isinstance(tr, go.Scatter) for tr in lines.data)
    with pytest.raises(ValueError, match="measure"):
        cs.volume(VOLUME, lang="en", measure="ratio")


def test_share_of_voice_heatmap_values_and_raw_counts_in_hover() -> None:
    fig = cs.share_of_voice(SHARE, lang="ar")
    heat = fig.data[0]
    assert [list(row) for row in heat.z] == [[0.6, 0.25], [0.2, 0.0]]
    assert list(heat.y) == [f"{RLI}فلاديمير بوتين{PDI}", f"{RLI}كيم جونغ أون{PDI}"]
    assert heat.x[0] == f"{RLI}الأهرام (10 مقالة){PDI}"
    assert "6 من 10 مقالة (60%)" in heat.hovertext[0][0]
    assert fig.layout.xaxis.autorange == "reversed"  # first outlet on the right
    assert fig.layout.yaxis.side == "right"
    english = cs.share_of_voice(SHARE, lang="en")
    assert list(english.data[0].y) == ["Vladimir Putin", "Kim Jong Un"]
    assert "6 of 10 articles (60%)" in english.data[0].hovertext[0][0]


def test_coverage_marks_first_lag_and_unknown() -> None:
    fig = cs.coverage(COVERAGE, lang="en")
    known, unknown = fig.data
    # rows: K1, K2; columns: ahram, bbc, masr
    assert list(known.z[0]) == [0.0, 1.5 / 24, None]
    assert list(unknown.z[0]) == [None, None, 1.0]  # masr's report is undated: grey
    assert list(known.text[0]) == ["first", "+1.5 h", "? unknown"]
    assert known.text[1][1] == ""  # bbc did not report K2
    assert "did not report this story" in known.hovertext[1][1]
    assert list(known.y) == ["Meeting / visit · 19 June 2024", "Agreement signed · June 2024"]
    # article text in a hover label is escaped, never markup
    assert "<script>" not in fig.to_json()
    assert "&lt;script&gt;" in known.hovertext[0][0]
    arabic = cs.coverage(COVERAGE, lang="ar")
    assert arabic.data[0].text[0][0] == f"{RLI}الأول{PDI}"
    assert arabic.data[0].y[0] == f"{RLI}لقاء / زيارة · 19 يونيو 2024{PDI}"


def test_distinctive_terms_one_panel_per_outlet_best_first() -> None:
    fig = cs.distinctive_terms(TERMS, lang="ar")
    assert len(fig.data) == 2
    titles = [a.text for a in fig.layout.annotations]
    assert f"{RLI}الأهرام{PDI}" in titles and f"{RLI}BBC عربي{PDI}" in titles
    bars = {tr.name: tr for tr in fig.data}
    bbc = bars[f"{RLI}BBC عربي{PDI}"]
    assert list(bbc.y) == [f"{RLI}10,000 جندي{PDI}", f"{RLI}القتال{PDI}"]
    assert list(bbc.x) == [1.6, 1.2]
    # right to left: the first outlet's panel is on the right
    assert bars[f"{RLI}الأهرام{PDI}"].xaxis == "x2"
    assert fig.layout.xaxis2.domain[0] > fig.layout.xaxis.domain[0]


def test_distinctive_terms_grid_leaves_no_empty_panel() -> None:
    four = pd.concat(
        [TERMS.assign(outlet_id=TERMS["outlet_id"] + str(i)) for i in range(2)], ignore_index=True
    )
    fig = cs.distinctive_terms(four, lang="ar")
    assert len(fig.data) == 4
    assert len([a for a in fig.layout.annotations if a.text]) == 4 + 1  # titles + axis note
    assert "xaxis5" not in fig.layout


def test_syndication_flows_heatmap() -> None:
    fig = cs.syndication_flows(FLOWS, lang="en")
    heat = fig.data[0]
    assert list(heat.x) == [f"{RLI}الأهرام{PDI}"]
    assert [list(r) for r in heat.z] == [[3], [1]]
    assert "copied 3 articles from" in heat.hovertext[0][0]


def test_syndication_table_reads_right_to_left_with_dates_at_precision() -> None:
    table = cs.syndication_table(PAIRS, lang="ar")
    assert list(table.columns)[-1] == "المنفذ"  # first column on the right
    assert table["من نُشر أولًا"].tolist() == ["الأصل", "غير معروف"]
    assert table["نشر الأصل"].tolist() == ["19 يونيو 2024", "20 يونيو 2024"]
    assert table["تاريخ النشر"].tolist()[1] == "تاريخ غير معروف"
    assert table["العنوان"].tolist()[1] == "(بلا عنوان)"
    english = cs.syndication_table(PAIRS, lang="en")
    assert english["Copy's lag"].tolist() == ["+1.5 h", "—"]


def test_terms_table_and_profile_span() -> None:
    table = cs.terms_table(TERMS[TERMS["outlet_id"] == "bbc"], lang="en")
    assert list(table.columns) == ["Word", "Count", "Per 10,000 words", "Elsewhere per 10,000", "z"]
    row = pd.Series(
        {
            "first": pd.Timestamp("2024-06-01"),
            "first_precision": "month",
            "last": pd.Timestamp("2024-06-20"),
            "last_precision": "day",
        }
    )
    assert cs.profile_span(row, lang="en") == "June 2024 to 20 June 2024"
    none = pd.Series(
        {"first": pd.NaT, "first_precision": None, "last": pd.NaT, "last_precision": None}
    )
    assert cs.profile_span(none, lang="ar") == "تاريخ غير معروف"


def test_names_from_the_data_are_text_not_markup() -> None:
    hostile = "<b>x</b><a href='javascript:alert(1)'>y</a>"
    frame = SHARE.assign(outlet=hostile, label_en=hostile)
    fig = cs.share_of_voice(frame, lang="en")
    as_json = fig.to_json()
    assert "<b>" not in as_json and "<a href" not in as_json
    assert "&lt;b&gt;x&lt;/b&gt;" in fig.data[0].x[0]
    terms = cs.distinctive_terms(TERMS.assign(label="<i>w</i>"), lang="en")
    assert "<i>" not in terms.to_json()


def test_item_label_falls_back_to_the_other_language_then_the_id() -> None:
    assert cs.item_label(TOP.iloc[0], lang="en") == "Vladimir Putin"
    assert cs.item_label(TOP.iloc[1], lang="ar") == "agreement_signed"


def test_many_outlets_are_slanted_below_the_title_a_few_stay_level() -> None:
    """Up to LEVEL_OUTLETS outlet names are written level; more may be slanted (Plotly
    slants them when they would overlap), with room above them for the title."""
    few = cs.share_of_voice(SHARE, lang="ar")
    assert few.layout.xaxis.tickangle == 0 and few.layout.margin.t == 120
    n = cs.LEVEL_OUTLETS + 1
    many = pd.concat(
        [SHARE.assign(outlet_id=f"o{i}", outlet=f"منفذ {i}") for i in range(n)],
        ignore_index=True,
    )
    fig = cs.share_of_voice(many, lang="ar")
    assert len(fig.data[0].x) == n
    assert fig.layout.xaxis.tickangle is None and fig.layout.margin.t > 120
