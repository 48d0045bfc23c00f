"""Helpers for browser tests: waiting for Streamlit, and spotting pre-shaped Arabic.

Import them as ``from tests.browser.helpers import wait_for_app, presentation_form_chars``.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

# Streamlit (>= 1.3x, checked in 1.67's bundle) publishes its state on the root element:
#   <div data-testid="stApp" data-test-connection-state="CONNECTED"
#        data-test-script-state="initial|running|notRunning|...">
# Streamlit's own e2e suite waits on these attributes; the running-man
# `stStatusWidget` only appears after a delay, so waiting for it to vanish can pass
# before a run has even started.
_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
_NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"

# Arabic Presentation Forms-A and -B: glyph-level code points that only appear when
# text was reshaped on the server (arabic_reshaper). A browser must never receive them.
_PRESENTATION_FORMS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def wait_for_app(page: Page, *, timeout_ms: int = 30_000, initial_wait_ms: int = 250) -> None:
    """Block until the Streamlit script has finished running and its output is drawn.

    Call after ``page.goto`` and after every interaction that triggers a rerun.

    Args:
        page: A page showing a Streamlit app.
        timeout_ms: Upper bound for each wait.
        initial_wait_ms: Pause first, because after a click the root still says
            ``notRunning`` until the rerun request reaches the server (Streamlit's own
            tests use ~210 ms for the same reason).
    """
    page.wait_for_timeout(initial_wait_ms)
    page.locator(_CONNECTED).wait_for(state="attached", timeout=timeout_ms)
    page.locator(_NOT_RUNNING).wait_for(state="attached", timeout=timeout_ms)
    # Skeletons are placeholders for elements not yet delivered.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)
    # Plotly draws after the script ends; wait until every chart has its SVG.
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                 .every(chart => chart.querySelector('svg.main-svg'))""",
        timeout=timeout_ms,
    )


def presentation_form_chars(text: str) -> list[str]:
    """Return the Arabic Presentation Form characters in ``text`` (empty when clean)."""
    return [ch for ch in text if any(lo <= ord(ch) <= hi for lo, hi in _PRESENTATION_FORMS)]
