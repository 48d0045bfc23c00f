"""benchmarks/load_test.py sorts page errors without a browser: a Plotly.js error from a chart
being removed is reported apart ("chart torn down mid-draw"), anything else stays an error."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
MESSAGE = "Cannot read properties of undefined (reading '_axisMatchGroups')"
PLOTLY_STACK = (
    f"TypeError: {MESSAGE}\n"
    "    at Ye (http://127.0.0.1:8501/static/js/PlotlyChart.D9Z0_fxz.js:1:123456)\n"
    "    at http://127.0.0.1:8501/static/js/PlotlyChart.D9Z0_fxz.js:1:234567"
)


@pytest.fixture(scope="module")
def load_test() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "benchmarks/load_test.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_plotly_error_after_leaving_the_page_is_a_teardown(load_test: ModuleType) -> None:
    assert load_test.torn_down_mid_draw(MESSAGE, PLOTLY_STACK, 3.0)
    other_field = "Cannot read properties of undefined (reading '_redrawFromAutoMarginCount')"
    assert load_test.torn_down_mid_draw(other_field, PLOTLY_STACK, 90.0)


@pytest.mark.parametrize(
    ("message", "stack", "since"),
    [
        (MESSAGE, PLOTLY_STACK, None),  # the session has not left a page
        (MESSAGE, PLOTLY_STACK, 10_000.0),  # long after it left one
        (MESSAGE, "    at x (http://127.0.0.1:8501/static/js/index.DormvYxC.js:1:2)", 3.0),
        ("Cannot read properties of undefined (reading 'length')", PLOTLY_STACK, 3.0),
        ("ReferenceError: x is not defined", PLOTLY_STACK, 3.0),
    ],
)
def test_anything_else_stays_an_error(
    load_test: ModuleType, message: str, stack: str, since: float | None
) -> None:
    assert not load_test.torn_down_mid_draw(message, stack, since)
