"""Figures built as dicts (components/figure.py): the same figure as Plotly's own way."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from components.figure import CHECK_ENV, Spec, merge, subplots


def _json(fig: go.Figure) -> object:
    return json.loads(pio.to_json(fig, validate=False))


def test_merge_is_update_layouts_merge() -> None:
    base = {"title": {"text": "a", "x": 0}, "margin": {"t": 1}, "annotations": [{"text": "x"}]}
    extra = {"title": {"x": 1}, "margin": 5, "annotations": [{"text": "y"}], "height": 30}
    fig = go.Figure(layout=base)
    fig.update_layout(title={"x": 1}, annotations=[{"text": "y"}], height=30)
    merged = merge(json.loads(json.dumps(base)), extra)
    assert merged == {
        "title": {"text": "a", "x": 1},
        "margin": 5,
        "annotations": [{"text": "y"}],
        "height": 30,
    }
    assert fig.layout.title.x == 1 and fig.layout.title.text == "a"  # the same rule
    nested = {"font": {"size": 1}}
    target: dict[str, object] = {}
    merge(target, nested)
    nested["font"]["size"] = 2  # the merged value is a copy, not the caller's dict
    assert target == {"font": {"size": 1}}


def test_a_spec_is_the_figure_plotly_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CHECK_ENV, raising=False)
    spec = Spec()
    spec.add_trace("bar", {"x": [1, 2], "y": [3, 4], "name": "\u2068روسيا\u2069"})
    spec.update_layout(title={"text": "t"}, legend={"title": {"text": "l"}})
    spec.add_annotation(text="n", showarrow=False)
    expected = go.Figure(go.Bar(x=[1, 2], y=[3, 4], name="\u2068روسيا\u2069"))
    expected.update_layout(title_text="t", legend_title_text="l")
    expected.add_annotation(text="n", showarrow=False)
    assert _json(spec.figure()) == _json(expected)


def test_subplot_cells_and_layout_are_make_subplots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CHECK_ENV, raising=False)
    options = {
        "rows": 2,
        "cols": 2,
        "specs": [[{}, {}], [{}, None]],
        "subplot_titles": ["a", "b", "c"],
        "vertical_spacing": 0.1,
    }
    spec = subplots(**options)
    expected = make_subplots(**options)  # type: ignore[arg-type]
    for cell in ((1, 1), (1, 2), (2, 1)):
        spec.add_trace("scatter", {"x": [cell[0]], "y": [cell[1]]}, cell=cell)
        expected.add_trace(go.Scatter(x=[cell[0]], y=[cell[1]]), row=cell[0], col=cell[1])
    spec.axis("y", (2, 1), side="right", title={"text": "y"})
    expected.update_yaxes(side="right", title_text="y", row=2, col=1)
    assert _json(spec.figure()) == _json(expected)
    # the grid is made once and copied: a change to one spec does not reach the next
    spec.update_layout(height=999)
    assert "height" not in subplots(**options).layout


def test_under_the_check_a_misspelt_property_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHECK_ENV, "1")
    spec = Spec()
    spec.add_trace("bar", {"x": [1], "colour": "red"})
    with pytest.raises(ValueError, match="colour"):
        spec.figure()


def test_under_the_check_a_value_plotly_would_rewrite_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A named colour scale is expanded by Plotly's checks; sent unchecked, the browser
    would draw plotly.js's scale of that name, which is another one."""
    monkeypatch.setenv(CHECK_ENV, "1")
    spec = Spec()
    spec.add_trace("heatmap", {"z": [[1]], "colorscale": "Blues"})
    with pytest.raises(AssertionError, match="colorscale"):
        spec.figure()
    monkeypatch.delenv(CHECK_ENV)
    assert spec.figure().data[0].colorscale == "Blues"  # (unchecked: sent as written)
