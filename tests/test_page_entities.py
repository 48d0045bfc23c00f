"""AppTest of the Entities page on a dataset with entities: renders in both languages,
controls work, and picking an entity writes ``?entity=<id>`` (repeatable) to the URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.arabic import has_presentation_forms
from tests.downloads import Downloads, figures, values
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


# -- downloads ----------------------------------------------------------------------------

CHARTS = ("entities_network", "entities_heatmap", "entities_timeline", "entities_map")
TABLES = ("entities_partners", "entities_sentences")


@pytest.mark.usefixtures("data_env")
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_chart_and_table_has_downloads_of_what_it_draws(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = Downloads(monkeypatch)
    at = _open({"lang": lang})
    assert not at.exception, at.exception
    keys = {str(b.key) for b in at.download_button}
    expected = {f"{c}_{ext}" for c in CHARTS for ext in ("csv", "parquet", "png")}
    expected |= {f"{t}_{ext}" for t in TABLES for ext in ("csv", "parquet")}
    assert keys == expected  # PNG too: Kaleido and a Chromium are available here
    charts = figures(at)
    assert set(charts) == set(CHARTS)
    for key, chart in charts.items():
        assert chart["config"]["toImageButtonOptions"]["filename"].startswith("rasd_"), key

    # Network: one row per drawn pair (each has an invisible hover point at its middle),
    # between exactly the drawn nodes, each side named.
    pairs = downloads.csv(at, "entities_network")
    network = charts["entities_network"]["data"]
    nodes = {str(e) for t in network if t.get("customdata") for e in values(t["customdata"])}
    middles = next(t for t in network if t.get("mode") == "markers")
    assert len(pairs) == len(values(middles["x"])) > 0
    assert set(pairs["source"]) | set(pairs["target"]) == nodes
    putin = pairs[pairs["source"].eq("Q7747") | pairs["target"].eq("Q7747")]
    assert not putin.empty
    side = "source" if putin["source"].iat[0] == "Q7747" else "target"
    assert putin[f"{side}_name_ar"].iat[0] == "فلاديمير بوتين"
    assert putin[f"{side}_name_en"].iat[0] == "Vladimir Putin"

    # Heatmap: one row per filled cell pair, with the cell's weight.
    cells = downloads.csv(at, "entities_heatmap")
    z = values(charts["entities_heatmap"]["data"][0]["z"])
    filled = sorted(
        float(z[i][j]) for i in range(len(z)) for j in range(i + 1, len(z)) if z[i][j] is not None
    )
    assert sorted(float(w) for w in cells["weight"]) == filled
    assert set(cells["source"]) | set(cells["target"]) <= nodes

    # Mentions over time: the bars, plus the rows the chart's note counts.
    timeline = downloads.csv(at, "entities_timeline")
    bars = charts["entities_timeline"]["data"][0]
    dated = timeline[timeline["status"] == "dated"]
    assert [int(v) for v in dated["n_mentions"]] == [int(v) for v in values(bars["y"])]
    assert set(timeline["status"]) == {"dated", "imprecise", "undated"}

    # Map: every place drawn (shaded countries and markers), nothing else.
    places = downloads.csv(at, "entities_map")
    drawn = {str(e) for t in charts["entities_map"]["data"] for e in values(t.get("customdata"))}
    assert set(places["entity_id"]) == drawn
    countries = places[places["iso3"] != ""]
    choropleth = next(t for t in charts["entities_map"]["data"] if t["type"] == "choropleth")
    assert list(countries["iso3"]) == values(choropleth["locations"])

    # Tables: the co-occurring entities and the sentences, as the page lists them.
    partners = downloads.csv(at, "entities_partners")
    assert "Q56226" in set(partners["entity_id"])
    sentences = downloads.csv(at, "entities_sentences")
    assert sentences["sentence"].str.contains("بوتين").all()
    assert json.loads(str(sentences["surfaces"].iat[0]))  # list cells are JSON arrays
    assert all(isinstance(n, int) for n in json.loads(str(sentences["mention_starts"].iat[0])))
    parquet = downloads.parquet(at, "entities_sentences")
    assert list(parquet["sentence"]) == list(sentences["sentence"])


@pytest.mark.usefixtures("data_env")
def test_downloads_follow_the_controls(monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = Downloads(monkeypatch)
    at = _open({"lang": "en"})
    at.radio(key="entities_measure").set_value("npmi").run()
    at.selectbox(key="entities_focus").set_value("Q56226").run()
    assert not at.exception, at.exception
    pairs = downloads.csv(at, "entities_network")
    name, _ = downloads.file(at, "entities_network_csv")
    assert name.endswith("_entities_network_npmi_sentence.csv")
    # The ego network: Kim Jong-un and the entities around him, weighted by NPMI.
    assert "Q56226" in set(pairs["source"]) | set(pairs["target"])
    assert all(-1.0 <= float(w) <= 1.0 for w in pairs["weight"])
    assert [float(w) for w in pairs["weight"]] == [float(w) for w in pairs["npmi"]]


@pytest.mark.usefixtures("data_env")
def test_weight_floor_offers_the_weights_of_the_pairs() -> None:
    """The strength floor steps through the weights the pairs have (no empty steps),
    written as the rest of the page writes numbers; raising it thins the network."""
    at = _open({"lang": "en"})
    floor = at.select_slider(key="entities_min_weight_count")
    counts = [int(o.replace(",", "")) for o in floor.options]
    assert counts == sorted(set(counts)) and len(counts) > 1
    assert floor.value == counts[0]
    edges_before = len(_figures(at)[0]["data"])
    floor.set_value(counts[-1]).run()
    assert not at.exception, at.exception
    assert len(_figures(at)[0]["data"]) < edges_before
    at.radio(key="entities_measure").set_value("npmi").run()
    npmi = at.select_slider(key="entities_min_weight_npmi")
    values_npmi = [float(o) for o in npmi.options]
    assert values_npmi == sorted(set(values_npmi)) and npmi.value == values_npmi[0]
