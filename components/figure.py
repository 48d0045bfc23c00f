"""Figures assembled as plain dicts and handed to Plotly once, unchecked.

Plotly's graph objects check every property as it is set, and ``update_layout`` /
``update_yaxes(row=…, col=…)`` walk the layout by string paths each time: on a filter
change at 1M articles, building the Sources page's five figures that way took ~0.2 s of the
rerun and the Timeline's ~0.1 s, where the same figures as dicts take a few milliseconds.
The chart builders write traces and layout as dicts (:class:`Spec`), and :meth:`Spec.figure`
wraps them in a ``go.Figure`` without Plotly's checks.

The checks are not dropped, they move to the tests: with ``RASD_CHECK_FIGURES=1`` (set by
``tests/conftest.py``) every figure is also built the checked way, and its JSON must equal
the unchecked one's, so a misspelt property or a value Plotly would have rewritten (a
named colour scale, say) fails the suite instead of reaching a browser.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

#: Set (to "1") where every figure must also pass Plotly's own checks: the test suite.
CHECK_ENV = "RASD_CHECK_FIGURES"


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``extra`` merged into ``base`` (in place, and returned), as ``update_layout`` does:
    a dict merges into a dict key by key, any other value replaces."""
    for key, value in extra.items():
        old = base.get(key)
        if isinstance(value, Mapping) and isinstance(old, dict):
            merge(old, value)
        else:
            base[key] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    return base


class Spec:
    """A figure's traces and layout as plain dicts.

    Args:
        layout: the starting layout (copied), e.g. from :func:`subplots`.
        cells: a subplot grid's ``(row, col)`` -> the axis references of its traces.
    """

    def __init__(
        self,
        layout: Mapping[str, Any] | None = None,
        cells: Mapping[tuple[int, int], tuple[str, str]] | None = None,
    ) -> None:
        self.data: list[dict[str, Any]] = []
        self.layout: dict[str, Any] = copy.deepcopy(dict(layout or {}))
        self._cells = dict(cells or {})

    def add_trace(
        self, kind: str, trace: Mapping[str, Any], *, cell: tuple[int, int] | None = None
    ) -> None:
        """A trace of Plotly type ``kind`` (``bar``, ``scatter``, ``heatmap``…); in a subplot
        grid, ``cell`` is its ``(row, col)``, counted from 1."""
        item = {"type": kind, **trace}
        if cell is not None:
            x, y = self._cells[cell]
            item["xaxis"], item["yaxis"] = x, y
        self.data.append(item)

    def update_layout(self, **values: Any) -> None:
        """Like ``go.Figure.update_layout`` with nested dicts (no ``a_b`` shorthand)."""
        merge(self.layout, values)

    def axis(self, which: str, cell: tuple[int, int], **values: Any) -> None:
        """Update the ``x`` or ``y`` axis of the subplot at ``cell``."""
        ref = self._cells[cell][0 if which == "x" else 1]
        key = f"{which}axis{ref[1:]}"
        merge(self.layout.setdefault(key, {}), values)

    def add_annotation(self, **values: Any) -> None:
        self.layout.setdefault("annotations", []).append(dict(values))

    def figure(self) -> go.Figure:
        """The figure, built without Plotly's checks (with them too under ``CHECK_ENV``)."""
        spec = {"data": self.data, "layout": self.layout}
        fig = go.Figure(spec, _validate=False)
        if os.environ.get(CHECK_ENV) == "1":
            checked = go.Figure(copy.deepcopy(spec))
            _same(checked, fig)
            return checked
        return fig


def _same(checked: go.Figure, unchecked: go.Figure) -> None:
    a = json.loads(pio.to_json(checked, validate=False))
    b = json.loads(pio.to_json(unchecked, validate=False))
    if a != b:
        raise AssertionError(f"figure changed by Plotly's checks: {_first_difference(a, b)}")


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}[{index}]")
    return f"{path or 'figure'}: checked {str(a)[:200]!r}, unchecked {str(b)[:200]!r}"


def subplots(**options: Any) -> Spec:
    """An empty :class:`Spec` with ``make_subplots(**options)``'s layout and cells.

    ``make_subplots`` itself costs ~10 ms; its result depends only on the options, so the
    layout of each grid is made once per process and copied.
    """
    layout, cells = _grid(json.dumps(options, sort_keys=True, ensure_ascii=False))
    return Spec(json.loads(layout), dict(cells))


@lru_cache(maxsize=64)
def _grid(options_json: str) -> tuple[str, tuple[tuple[tuple[int, int], tuple[str, str]], ...]]:
    options = json.loads(options_json)
    fig = make_subplots(**options)
    rows, cols = int(options.get("rows", 1)), int(options.get("cols", 1))
    specs: Sequence[Sequence[Any]] = options.get("specs") or [[{}] * cols for _ in range(rows)]
    cells = []
    for r in range(rows):
        for c in range(cols):
            if specs[r][c] is None:
                continue
            # Where add_trace(row, col) would put a trace: its axis references.
            fig.add_trace(go.Scatter(), row=r + 1, col=c + 1)
            probe = fig.data[-1]
            cells.append(((r + 1, c + 1), (str(probe.xaxis), str(probe.yaxis))))
    return json.dumps(fig.layout.to_plotly_json(), ensure_ascii=False), tuple(cells)
