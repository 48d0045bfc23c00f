"""The Timeline page under AppTest, on the events dataset of tests/test_query_events.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.charts_timeline import TEXT
from tests.test_query_events import write_events_dataset

ROOT = Path(__file__).resolve().parents[1]


def _open(data: Path, monkeypatch: pytest.MonkeyPatch, params: dict[str, object]) -> AppTest:
    monkeypatch.setenv("RASD_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value  # type: ignore[assignment]
    at.run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_events_dataset(tmp_path_factory.mktemp("timeline"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_timeline_renders_events(data: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    at = _open(data, monkeypatch, {"lang": lang})
    assert at.get("plotly_chart")
    assert at.radio(key="timeline_lanes").value == "type"
    captions = " ".join(c.value for c in at.caption)
    assert TEXT["counts"][lang].format(shown=2, undated=1) in captions
    assert not at.warning


def test_type_filter_follows_the_url_and_writes_it(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(data, monkeypatch, {"lang": "en", "type": "armed_conflict"})
    types = at.multiselect(key="timeline_types")
    assert types.value == ["armed_conflict"]
    types.set_value(["armed_conflict", "agreement_signed"]).run()
    assert at.query_params["type"] == ["armed_conflict", "agreement_signed"]


def test_lanes_by_outlet(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(data, monkeypatch, {"lang": "en"})
    at.radio(key="timeline_lanes").set_value("outlet").run()
    assert not at.exception and at.get("plotly_chart")


def test_clicked_event_shows_evidence_with_article_links(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(data, monkeypatch, {"lang": "en"})
    at.selectbox(key="timeline_event").set_value("c-treaty").run()
    bodies = [element.proto.body for element in at.get("html")]
    evidence = next(b for b in bodies if "rasd-evidence-list" in b)
    assert evidence.count("<li") == 3
    assert 'href="articles?lang=en&amp;article=n1"' in evidence
    assert "وقع بوتين وكيم معاهدة الشراكة اليوم." in evidence
