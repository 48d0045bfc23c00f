"""The Timeline page under AppTest, on the events dataset of tests/test_query_events.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.charts_timeline import TEXT
from tests.downloads import Downloads, figures, values
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
    # The figure goes to the browser as UTF-8 (orjson): Arabic is not escaped (as
    # \\uXXXX it took three times the bytes).
    spec = at.get("plotly_chart")[0].proto.spec
    assert "\\u06" not in spec and "\\u20" not in spec
    assert "البوابة نيوز" in spec  # an outlet named in a hover


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


# -- downloads ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_chart_and_table_downloads_hold_what_is_drawn(
    data: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    downloads = Downloads(monkeypatch)
    at = _open(data, monkeypatch, {"lang": lang})
    keys = {str(b.key) for b in at.download_button}
    assert keys == {
        "timeline_events_csv",
        "timeline_events_parquet",
        "timeline_events_png",  # Kaleido and a Chromium are available here
        "timeline_volume_csv",
        "timeline_volume_parquet",
    }  # the undated events' table is read (and offered) once its expander is open
    chart = figures(at)["timeline_chart"]
    assert chart["config"]["toImageButtonOptions"]["filename"].endswith("_timeline_events")
    name, png = downloads.file(at, "timeline_events_png")  # rendered from the chart's data
    assert name.endswith("_timeline_events.png") and png.startswith(b"\x89PNG\r\n\x1a\n")

    # The events: one row per event the chart places, with the dates it places it at.
    events = downloads.csv(at, "timeline_events")
    drawn = {
        str(cluster)
        for trace in chart["data"]
        if trace.get("type") == "scatter"
        for cluster in values(trace.get("customdata"))
    }
    assert set(events["cluster_id"]) == drawn == {"c-war", "c-treaty"}
    treaty = events.set_index("cluster_id").loc["c-treaty"]
    assert treaty["date_start"] == "2024-06-19" and treaty["event_type"] == "agreement_signed"
    assert json.loads(str(treaty["outlets"])) == ["البوابة نيوز", "العربية الآن", "نيسان"]
    parquet = downloads.parquet(at, "timeline_events")
    assert list(parquet["cluster_id"]) == list(events["cluster_id"])
    assert list(parquet["outlets"].iloc[1]) == json.loads(str(treaty["outlets"]))  # a real list

    # The article strip: the bars' days and heights.
    volume = downloads.csv(at, "timeline_volume")
    bars = next(t for t in chart["data"] if t.get("type") == "bar" and t.get("yaxis") == "y2")
    assert list(volume["day"]) == [str(x)[:10] for x in values(bars["x"])]
    assert [int(n) for n in volume["n"]] == [int(y) for y in values(bars["y"])]

    # The undated events table, once its expander is opened.
    title = TEXT["undated_title"][lang].format(n=1)
    (box,) = [e for e in at.expander if e.label == title]
    assert not box.children  # closed: nothing read
    at.session_state["timeline_undated_open"] = True
    at.run()
    assert {"timeline_undated_csv", "timeline_undated_parquet"} <= {
        str(b.key) for b in at.download_button
    }
    (box,) = [e for e in at.expander if e.label == title]
    assert len(box.dataframe) == 1
    undated = downloads.csv(at, "timeline_undated")
    assert list(undated["cluster_id"]) == ["c-missile"] and set(undated["date_start"]) == {""}


def test_downloads_follow_the_type_filter(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = Downloads(monkeypatch)
    at = _open(data, monkeypatch, {"lang": "en", "type": "agreement_signed"})
    assert list(downloads.csv(at, "timeline_events")["cluster_id"]) == ["c-treaty"]
    name, _ = downloads.file(at, "timeline_events_csv")
    assert name.startswith("rasd_") and name.endswith("_timeline_events.csv")
