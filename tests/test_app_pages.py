"""AppTest for every page: renders in both languages, follows the URL, never a traceback.

Pages run under ``st.navigation`` from ``app.py``: ``AppTest.from_file("app.py")``, one run,
then ``switch_page("pages/<page>.py")``. Query parameters stand in for the URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.i18n import MESSAGES
from components.page import PAGES
from rasd.query import open_dataset
from rasd.query_sources import event_type_labels
from tests.factories import HOSTILE_ARTICLE

ROOT = Path(__file__).resolve().parents[1]
PAGE_IDS = [url_path for _, url_path, _, _ in PAGES]
BIDI_CONTROLS = re.compile("[\u2066-\u2069]")


def open_page(
    data_dir: Path | str,
    page: str,
    params: Mapping[str, str | list[str]] | None = None,
) -> AppTest:
    """Run the app as if ``/<page>?<params>`` was opened."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at


def plain(text: str) -> str:
    """Message text without Markdown escapes and bidi isolates, for comparisons."""
    return BIDI_CONTROLS.sub("", re.sub(r"\\(.)", r"\1", text))


def html_bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def listed(at: AppTest) -> list[tuple[str, str]]:
    """(article_id, outlet_id) of every row in the Articles list."""
    rows: list[tuple[str, str]] = []
    for body in html_bodies(at):
        rows += re.findall(
            r'<tr class="rasd-article[^"]*" data-article-id="([^"]*)" '
            r'data-outlet-id="([^"]*)"',
            body,
        )
    return rows


def no_failures(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture
def data_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch


def use(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> None:
    monkeypatch.setenv("RASD_DATA", str(path))


# -- every page, both languages ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("page", PAGE_IDS)
def test_every_page_renders_on_the_built_corpus(
    page: str, lang: str, built_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, built_dataset)
    at = open_page(built_dataset, page, {"lang": lang} if lang == "en" else None)
    no_failures(at)
    assert [title.value for title in at.title] == [MESSAGES[f"page_{page}"][lang]]
    assert not at.warning, [w.value for w in at.warning]
    # the sidebar filters are drawn on every page
    assert at.multiselect(key="filter_outlets") is not None
    assert at.radio(key="filter_lang").value == lang


@pytest.mark.parametrize("page", PAGE_IDS)
def test_every_page_renders_the_factory_dataset(
    page: str, factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    no_failures(open_page(factory_dataset, page))


def test_all_pages_are_registered() -> None:
    files = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    assert files == sorted(Path(path).name for path, _, _, _ in PAGES)
    assert PAGE_IDS == ["overview", "timeline", "sources", "entities", "articles", "data"]


# -- the URL ------------------------------------------------------------------------------


def test_outlet_in_the_url_lists_only_that_outlet(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles", {"outlet": "youm7", "lang": "en"})
    no_failures(at)
    rows = listed(at)
    assert sorted(rows) == [("b1", "youm7"), ("b2", "youm7")]
    assert at.multiselect(key="filter_outlets").value == ["youm7"]
    assert at.title[0].value == "Articles"


def test_repeated_outlets_and_dates_reproduce_the_view(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    params = {"outlet": ["ahram", "masrawy"], "from": "2024-06-01", "to": "2024-06-30"}
    at = open_page(factory_dataset, "articles", params)
    no_failures(at)
    # a1 (day), a2 (June 2024 overlaps the range); c1 undated and c2 (2023) are out
    assert sorted(a for a, _ in listed(at)) == ["a1", "a2"]
    assert at.date_input(key="filter_from").value.isoformat() == "2024-06-01"
    assert at.query_params["outlet"] == ["ahram", "masrawy"]


def test_overview_headline_follows_the_filters(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "overview", {"outlet": "youm7", "lang": "en"})
    no_failures(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "1"
    assert metrics["Copies (duplicates)"] == "1"
    assert metrics["Outlets"] == "1"
    # first/last are over unique articles: the copy b2 (19 June) is not one
    assert metrics["First publication date"] == "20 June 2024"
    assert metrics["Last publication date"] == "20 June 2024"
    at = open_page(factory_dataset, "overview", {"lang": "en"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["First publication date"] == "2023"  # c2 is dated to a year only
    assert metrics["Last publication date"] == "20 June 2024"


def test_overview_caption_counts_articles_not_placed(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "overview", {"lang": "en"})
    captions = " ".join(c.value for c in at.caption)
    # c1 undated; a2 (month) and c2 (year) cannot be placed on days
    assert "1 undated article(s) and 2 article(s)" in captions


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2024-02-30"}, "ignored parameter 'from': '2024-02-30' is not a valid date"),
        ({"lang": "fr"}, "تم تجاهل المعامل 'lang': 'fr' ليست لغة مدعومة"),  # UI stays Arabic
        ({"outlet": "nope"}, "ignored parameter 'outlet': 'nope' is not in this dataset"),
        ({"utm_source": "x"}, "ignored parameter 'utm_source': unknown parameter"),
        ({"from": "2024-07-01", "to": "2024-06-01"}, "ignored the date range"),
        ({"outlet": "bad id!"}, "is not a valid id"),
        ({"q": "x" * 5000}, "longer than 200 characters"),
        ({"from": "2024-06-01\x00"}, None),
        ({"outlet": "\x00" * 10}, None),
        ({"q": "<script>alert(1)</script>"}, None),
    ],
)
def test_bad_parameters_give_a_visible_warning_never_a_traceback(
    params: dict[str, str],
    expected: str | None,
    factory_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use(monkeypatch, factory_dataset)
    for page in ("articles", "overview"):
        at = open_page(factory_dataset, page, {"lang": "en", **params})
        no_failures(at)
        warnings = [plain(w.value) for w in at.warning]
        if expected is not None:
            assert any(expected in w for w in warnings), warnings


def test_notices_are_in_the_ui_language(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "overview", {"from": "2024-02-30"})
    assert any("تم تجاهل المعامل 'from'" in plain(w.value) for w in at.warning)


def test_markdown_in_a_crafted_parameter_is_escaped(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "overview", {"[x](javascript:alert(1))": "1"})
    (warning,) = at.warning
    assert "[x](javascript" not in warning.value
    assert r"\[x\]\(javascript\:alert\(1\)\)" in warning.value


def test_changing_a_widget_writes_the_url(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles")
    at.multiselect(key="filter_outlets").select("masrawy").run()
    no_failures(at)
    assert at.query_params["outlet"] == "masrawy"
    assert {o for _, o in listed(at)} == {"masrawy"}
    at.text_input(key="filter_q").input("جندي").run()
    assert at.query_params["q"] == "جندي"
    assert [a for a, _ in listed(at)] == ["c2"]
    at.radio(key="filter_lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == "Articles"
    at.button(key="filter_clear").click().run()
    assert dict(at.query_params) == {"lang": "en"}
    assert len(listed(at)) == 6


def test_filters_survive_a_page_switch_that_drops_the_query_string(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "overview", {"outlet": "ahram", "lang": "en"})
    # st.navigation's menu opens the next page with an empty query string
    at.query_params.clear()
    at.switch_page("pages/articles.py").run()
    no_failures(at)
    assert at.query_params == {"outlet": "ahram", "lang": "en"}
    assert {o for _, o in listed(at)} == {"ahram"}
    assert at.title[0].value == "Articles"


# -- the Articles reader ----------------------------------------------------------------


def test_dates_are_listed_at_their_precision(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles")
    (table,) = [b for b in html_bodies(at) if '<table class="rasd-articles">' in b]
    cells = dict(re.findall(r'data-article-id="([^"]+)".*?<td class="rasd-date">([^<]*)<', table))
    assert cells == {
        "b1": "20 يونيو 2024",
        "a1": "19 يونيو 2024",
        "b2": "19 يونيو 2024",
        "a2": "يونيو 2024",
        "c2": "2023",
        "c1": "تاريخ غير معروف",
    }
    assert "(بلا عنوان)" in table and "rasd-no-title" in table


def test_article_in_the_url_opens_the_reader_with_provenance(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles", {"article": "b2", "lang": "en"})
    no_failures(at)
    assert at.selectbox(key="articles_reader").value == "b2"
    assert at.subheader[0].value.startswith("بوتين يصل")
    bodies = "\n".join(html_bodies(at))
    assert '<p dir="rtl" style="unicode-bidi: plaintext; text-align: right">' in bodies
    assert "raw/youm7.csv:3" in bodies
    assert "19 June 2024" in bodies and "from metadata" in bodies
    assert 'href="?lang=en&amp;article=a1"' in bodies  # duplicate_of links to the original
    assert 'href="https://youm7.example/b2"' in bodies


def test_choosing_an_article_writes_the_url(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles", {"outlet": "ahram"})
    at.selectbox(key="articles_reader").select("a2").run()
    no_failures(at)
    assert at.query_params == {"outlet": "ahram", "article": "a2"}
    assert plain(at.subheader[0].value) == "(بلا عنوان)"
    at.selectbox(key="articles_reader").select("").run()
    assert at.query_params == {"outlet": "ahram"}
    assert not at.subheader


def test_unknown_article_is_a_warning(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles", {"article": "zzz", "lang": "en"})
    no_failures(at)
    assert any("no article with id 'zzz'" in plain(w.value) for w in at.warning)


# -- hostile data -------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGE_IDS)
def test_hostile_data_is_escaped_everywhere(
    page: str, hostile_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, hostile_dataset)
    params = {"article": "x1"} if page == "articles" else {}
    at = open_page(hostile_dataset, page, params)
    no_failures(at)
    for body in html_bodies(at):
        lowered = body.lower()
        assert "<script" not in lowered and "<img" not in lowered, body[:300]
        assert 'href="javascript' not in lowered
    if page == "articles":
        bodies = "\n".join(html_bodies(at))
        assert 'data-outlet-id="evil"' in bodies
        assert "&lt;img src=x onerror=alert(1)&gt;" in bodies
        assert "javascript:alert(1)" in bodies  # shown as text, not as a link
        assert "&lt;script&gt;" in bodies
        # the title heading is Markdown: escaped, never HTML
        assert at.subheader[0].value != HOSTILE_ARTICLE["title"]


# -- the dataset cannot be read -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("page", PAGE_IDS)
def test_missing_data_dir_shows_the_fix_command(
    page: str, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere"
    use(monkeypatch, missing)
    at = open_page(missing, page, {"lang": lang, "outlet": "ahram"})
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert f"no dataset at {missing}" in plain(error.value)
    assert (MESSAGES["error_reason_missing_dir"][lang]) in error.value
    assert [code.value for code in at.code] == [f"rasd build data/raw --out {missing}"]
    assert at.title[0].value == MESSAGES[f"page_{page}"][lang]


def test_wrong_schema_version_shows_the_fix(
    tmp_path: Path, factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    data = tmp_path / "old"
    shutil.copytree(factory_dataset, data)
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    (data / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 0}))
    use(monkeypatch, data)
    at = open_page(data, "data", {"lang": "en"})
    assert not at.exception
    assert "schema version 0" in plain(at.error[0].value)
    assert at.code[0].value == f"rasd build data/raw --out {data}"


def test_unreadable_table_shows_the_fix(
    tmp_path: Path, factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    data = tmp_path / "broken"
    shutil.copytree(factory_dataset, data)
    (data / "articles.parquet").write_bytes(b"not parquet at all")
    use(monkeypatch, data)
    at = open_page(data, "overview", {"lang": "en"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and at.code[0].value == f"rasd build data/raw --out {data}"


# -- data page ----------------------------------------------------------------------------


def test_data_page_shows_manifest_quarantine_and_duplicates(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "data", {"lang": "en"})
    no_failures(at)
    frames = [df.value for df in at.dataframe]
    items: dict[str, str] = {}
    for frame in frames:
        if list(frame.columns) == ["Item", "Value"]:
            items.update(zip(frame["Item"], frame["Value"], strict=True))
    assert items["dataset_id"] == "test"
    assert items["read"] == "7" and items["quarantined_by_reason"] == "malformed_json: 1"
    (quarantine,) = [f for f in frames if "Disposition" in f.columns]
    assert set(quarantine["Source record"]) == {"raw/broken.jsonl:7", "raw/ahram.jsonl:2"}
    (duplicates,) = [f for f in frames if "Original title" in f.columns]
    assert list(duplicates["Original title"]) == ["بوتين يصل إلى بيونغ يانغ"]


def test_entities_and_timeline_say_what_is_not_built(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    entities = open_page(factory_dataset, "entities", {"lang": "en"})
    assert [i.value for i in entities.info] == [MESSAGES["entities_not_built"]["en"]]
    assert not entities.dataframe and not entities.get("plotly_chart")
    timeline = open_page(factory_dataset, "timeline", {"lang": "en"})
    assert MESSAGES["events_not_built"]["en"] in [i.value for i in timeline.info]


# -- shared links carry the dataset id (issue 8) ----------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("page", PAGE_IDS)
def test_a_link_from_a_rebuilt_dataset_says_the_numbers_may_differ(
    page: str, lang: str, factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, page, {"lang": lang, "ds": "0123abcd", "outlet": "ahram"})
    no_failures(at)
    expected = plain(MESSAGES["notice_dataset_changed"][lang].format(value="0123abcd"))
    assert [plain(w.value) for w in at.warning] == [expected]
    assert at.multiselect(key="filter_outlets").value == ["ahram"]  # the view still opens


def test_a_link_from_the_same_dataset_has_no_notice(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles", {"ds": "test", "lang": "en"})
    no_failures(at)
    assert not at.warning


@pytest.mark.parametrize("page", PAGE_IDS)
def test_the_sidebar_link_reproduces_the_view(
    page: str, factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    params = {"outlet": ["ahram", "youm7"], "from": "2024-06-01", "q": "بوتين", "lang": "en"}
    if page == "articles":
        params["article"] = "a1"
    at = open_page(factory_dataset, page, {**params, "ds": "stale"})
    (code,) = at.sidebar.code
    link = code.value
    path = "" if page == "overview" else page
    assert link.startswith(f"/{path}?")  # no browser address in AppTest: a relative link
    query = link.split("?", 1)[1]
    assert "ds=test" in query and "stale" not in query  # the loaded dataset's id
    assert "q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86" in query
    # Opening the link gives the same view, with no notice.
    from urllib.parse import parse_qs

    again = open_page(factory_dataset, page, parse_qs(query))
    no_failures(again)
    assert not again.warning
    assert again.sidebar.code[0].value == link
    if page == "articles":
        assert listed(again) == listed(at)
        assert again.selectbox(key="articles_reader").value == "a1"


# -- corrupt, partial and older datasets -------------------------------------------------------


def _broken_copy(factory_dataset: Path, tmp_path: Path, how: str) -> Path:
    import shutil

    data = tmp_path / how
    shutil.copytree(factory_dataset, data)
    if how == "truncated_parquet":
        table = data / "mentions.parquet"
        table.write_bytes(table.read_bytes()[: table.stat().st_size // 2])
    elif how == "missing_table":
        (data / "events.parquet").unlink()
    elif how == "missing_manifest":
        (data / "manifest.json").unlink()
    elif how == "bad_manifest":
        (data / "manifest.json").write_text('{"schema_version": 1,', encoding="utf-8")
    elif how == "old_schema":
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        (data / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 0}))
    return data


@pytest.mark.parametrize(
    ("how", "reason", "detail"),
    [
        ("truncated_parquet", "unreadable_table", "mentions.parquet cannot be read"),
        ("missing_table", "missing_table", "events.parquet is missing"),
        ("missing_manifest", "missing_manifest", "has no manifest.json"),
        ("bad_manifest", "bad_manifest", "manifest.json is unreadable"),
        ("old_schema", "schema_version", "schema version 0"),
    ],
)
@pytest.mark.parametrize("page", ["overview", "articles", "data"])
def test_a_broken_dataset_says_what_is_wrong_and_the_command(
    how: str,
    reason: str,
    detail: str,
    page: str,
    tmp_path: Path,
    factory_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _broken_copy(factory_dataset, tmp_path, how)
    use(monkeypatch, data)
    at = open_page(data, page, {"lang": "en"})
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert MESSAGES[f"error_reason_{reason}"]["en"] in error.value
    assert detail in plain(error.value)
    assert [c.value for c in at.main.code] == [f"rasd build data/raw --out {data}"]
    assert at.title[0].value == MESSAGES[f"page_{page}"]["en"]
    assert not at.metric and not at.sidebar.code  # no figures, no link to a broken view


def test_changing_the_view_drops_the_links_dataset_notice(
    factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, factory_dataset)
    at = open_page(factory_dataset, "articles", {"ds": "0123abcd", "lang": "en"})
    assert len(at.warning) == 1
    at.multiselect(key="filter_outlets").select("masrawy").run()
    no_failures(at)
    assert "ds" not in at.query_params and not at.warning
    assert "ds=test" in at.sidebar.code[0].value


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_entity_and_type_filters_from_a_link_are_named(
    lang: str, built_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, built_dataset)
    ds = open_dataset(built_dataset)
    entity, kind = ds.entity_ids()[0], ds.event_types()[0]
    (name_ar, name_en) = ds.entity_names([entity])[entity]
    label_ar, label_en = event_type_labels()[kind]
    at = open_page(built_dataset, "timeline", {"entity": entity, "type": kind, "lang": lang})
    no_failures(at)
    captions = [plain(c.value) for c in at.sidebar.caption]
    name, label = (name_ar, label_ar) if lang == "ar" else (name_en, label_en)
    assert any(name in c for c in captions), captions
    assert any(label in c for c in captions), captions
    # the name stands for the id: it is not listed again (and is isolated from the sentence)
    assert not any(entity in c for c in captions if name != entity)
    assert any("\u2068" in c.value for c in at.sidebar.caption)
