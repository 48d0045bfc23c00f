"""AppTest of the Entities page on a dataset with entities: renders in both languages,
controls work, and picking an entity writes ``?entity=<id>`` (repeatable) to the URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.arabic import has_presentation_forms
from tests.test_query_entities import write_entity_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def entity_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_entity_dataset(tmp_path_factory.mktemp("entities_page"))


@pytest.fixture
def data_env(entity_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RASD_DATA", str(entity_data))
    yield


def _open(params: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/entities.py").run()
    return at


def _figures(at: AppTest) -> list[dict[str, object]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.usefixtures("data_env")
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_page_renders_network_heatmap_detail_and_map(lang: str) -> None:
    at = _open({"lang": lang})
    assert not at.exception, at.exception
    figures = _figures(at)
    assert len(figures) == 4  # network, heatmap, mentions over time, map
    blob = json.dumps(figures, ensure_ascii=False)
    assert not has_presentation_forms(blob)
    assert ("Vladimir Putin" if lang == "en" else "فلاديمير بوتين") in blob


@pytest.mark.usefixtures("data_env")
def test_controls_switch_measure_window_and_focus() -> None:
    at = _open()
    at.radio(key="entities_measure").set_value("npmi").run()
    at.radio(key="entities_window").set_value("article").run()
    at.selectbox(key="entities_focus").set_value("Q56226").run()
    assert not at.exception, at.exception
    network = _figures(at)[0]
    assert "NPMI" in json.dumps(network, ensure_ascii=False)


@pytest.mark.usefixtures("data_env")
def test_picking_entities_sets_the_repeatable_url_filter() -> None:
    at = _open()
    at.selectbox(key="entities_pick").set_value("Q7747").run()
    assert at.query_params["entity"] in ("Q7747", ["Q7747"])
    at.selectbox(key="entities_pick").set_value("Q56226").run()
    assert not at.exception, at.exception
    assert at.query_params["entity"] == ["Q7747", "Q56226"]
    # The detail view follows the first entity of the filter.
    assert any("فلاديمير بوتين" in m.value for m in at.markdown)


@pytest.mark.usefixtures("data_env")
def test_shared_entity_link_opens_its_detail() -> None:
    at = _open({"entity": "Q56226", "lang": "en"})
    assert not at.exception, at.exception
    detail = [m.value for m in at.markdown]
    assert any("Kim Jong-un" in v for v in detail)
