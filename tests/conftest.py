"""Suite-wide policy: under CI=true a skipped test is a failed test.

DESIGN.md: browser tests "in CI must run, never skip". Applying it to every test means
a missing dependency or binary cannot turn a red build green by skipping quietly.
Expected failures (xfail) are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1"}


def _fail_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    if _ci() and report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run every test: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    _fail_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    # Module-level pytest.skip(allow_module_level=True) / importorskip land here.
    report = yield
    _fail_skip(report)
    return report
