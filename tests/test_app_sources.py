"""AppTest of the Sources page: the five views, the outlet profile, captions, downloads.

Runs the page through app.py like tests/test_app_pages.py, on the hand-made dataset of
tests/test_query_sources.py (entities, events, copies across outlets) and on the factory
dataset (no entities or events yet).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.i18n import MESSAGES, t
from rasd.aggregates import TERMS_SAMPLE_PER_OUTLET
from tests.test_app_pages import no_failures, open_page, plain, use
from tests.test_query_sources import write_sources_dataset

CHARTS = {
    "sources_chart_volume",
    "sources_chart_share_of_voice",
    "sources_chart_coverage",
    "sources_chart_terms",
    "sources_chart_flows",
}
DOWNLOADS = {
    "sources_volume_week_csv",
    "sources_share_of_voice_entity_csv",
    "sources_coverage_csv",
    "sources_distinctive_terms_csv",
    "sources_syndication_flows_csv",
    "sources_pairs_csv",
}


@pytest.fixture(scope="module")
def sources_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sources_dataset(tmp_path_factory.mktemp("app_sources") / "processed")


def _chart_specs(at: AppTest) -> list[dict[str, object]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _download_keys(at: AppTest) -> set[str]:
    keys: set[str] = set()
    for element in at.get("download_button"):
        proto_id = str(element.proto.id)
        keys.update(k for k in DOWNLOADS if k in proto_id)
    return keys


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_sources_page_shows_every_view_with_captions_and_downloads(
    lang: str, sources_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, sources_dataset)
    at = open_page(sources_dataset, "sources", {"lang": lang} if lang == "en" else None)
    no_failures(at)
    assert not at.warning
    assert [title.value for title in at.title] == [MESSAGES["page_sources"][lang]]
    assert len(at.get("plotly_chart")) == len(CHARTS)
    captions = " ".join(plain(c.value) for c in at.caption)
    for key in (
        "sources_volume_caption",
        "sources_sov_caption",
        "sources_cov_caption",
        "sources_synd_caption",
    ):
        assert plain(MESSAGES[key][lang]) in captions, key
    # The distinctive terms say how they were sampled and how many articles were read.
    sample = f"{TERMS_SAMPLE_PER_OUTLET:,}"
    assert plain(t("sources_terms_caption", lang, sample=sample)) in captions
    read = plain(t("sources_terms_read", lang, counts="")).strip()
    assert read in captions
    assert re.match(r"\s*\S.* \d", captions.split(read, 1)[1])  # "<outlet> <articles read>"
    assert _download_keys(at) == DOWNLOADS
    # no Arabic presentation forms anywhere in the figures
    for spec in _chart_specs(at):
        text = json.dumps(spec, ensure_ascii=False)
        assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in text)


def test_widgets_change_the_views(sources_dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, sources_dataset)
    at = open_page(sources_dataset, "sources", {"lang": "en"})
    at.radio(key="sources_measure").set_value("share").run()
    no_failures(at)
    volume = _chart_specs(at)[0]
    assert volume["layout"]["yaxis"]["tickformat"] == ".0%"  # type: ignore[index]
    at.radio(key="sources_sov_by").set_value("event_type").run()
    no_failures(at)
    assert any(
        "sources_share_of_voice_event_type_csv" in str(b.proto.id)
        for b in at.get("download_button")
    )
    at.toggle(key="sources_include_copies").set_value(True).run()
    no_failures(at)


def test_outlet_profile_on_selection(
    sources_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, sources_dataset)
    at = open_page(sources_dataset, "sources", {"lang": "en"})
    assert not at.metric  # nothing until an outlet is chosen
    at.selectbox(key="sources_profile_outlet").select("rasd").run()
    no_failures(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "2" and metrics["Copies (duplicates)"] == "1"
    assert metrics["Copies of other outlets"] == "1"
    assert metrics["Copied by other outlets"] == "1"
    assert any("June 2024 to 20 June 2024" in plain(m.value) for m in at.markdown)
    assert len(at.get("plotly_chart")) == len(CHARTS) + 3  # entities, event types, words
    terms = [df.value for df in at.dataframe if "Word" in df.value.columns]
    assert terms and "الصواريخ" in list(terms[0]["Word"])


def test_outlet_filter_in_the_url_narrows_every_view(
    sources_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, sources_dataset)
    at = open_page(sources_dataset, "sources", {"lang": "en", "outlet": ["rasd", "jeem"]})
    no_failures(at)
    coverage = [s for s in _chart_specs(at) if "Event coverage" in json.dumps(s)][0]
    assert len(coverage["data"][0]["x"]) == 2  # type: ignore[index]
    one = open_page(sources_dataset, "sources", {"lang": "en", "outlet": "rasd"})
    no_failures(one)
    assert MESSAGES["sources_terms_need_two"]["en"] in [i.value for i in one.info]


def test_without_entities_and_events_the_page_says_so(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "sources", {"lang": "en"})
    no_failures(at)
    infos = [i.value for i in at.info]
    assert MESSAGES["sources_sov_not_built_entity"]["en"] in infos
    assert MESSAGES["sources_cov_not_built"]["en"] in infos
    # volume, distinctive words and syndication still work on articles alone
    assert len(at.get("plotly_chart")) == 3
