"""Exports: file names, CSV that spreadsheets read safely, Parquet, PNG through Kaleido, and
a download row under every table and chart of the pages that use it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow.parquet as pq
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from components import export
from components.arabic import isolate

ROOT = Path(__file__).resolve().parents[1]


def test_file_names_carry_dataset_page_and_name_and_nothing_else() -> None:
    assert export.file_name("outlets", "csv", page="overview", dataset_id="7cb93e58760b") == (
        "rasd_7cb93e58760b_overview_outlets.csv"
    )
    hostile = export.file_name("../../x y", "png", page="<p>", dataset_id="")
    assert hostile == "rasd_unknown_p_x-y.png"
    assert "/" not in hostile and ".." not in hostile


def test_csv_has_a_bom_keeps_arabic_and_defuses_formulas() -> None:
    df = pd.DataFrame(
        {
            "outlet": ["الأهرام", '=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-x"],
            "n": [1, -2, 3, 4, 5],
        }
    )
    data = export.csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["outlet"].tolist() == [
        "الأهرام",
        '\'=HYPERLINK("http://x","y")',
        "'+1",
        "'@SUM(A1)",
        "'-x",
    ]
    assert back["n"].tolist() == [1, -2, 3, 4, 5]  # numbers are not text: left alone
    assert df["outlet"].iat[1].startswith("=")  # the caller's frame is not changed


def test_csv_writes_list_cells_as_json_arrays() -> None:
    df = pd.DataFrame(
        {
            "outlets": [np.array(["نيسان", "=x"], dtype=object), [], None],
            "starts": [np.array([18, 229]), (1,), [np.int64(7)]],
        }
    )
    back = pd.read_csv(io.BytesIO(export.csv_bytes(df)), encoding="utf-8-sig", dtype=str)
    assert back["outlets"].tolist()[:2] == ['["نيسان", "=x"]', "[]"]
    assert [json.loads(v) for v in back["starts"]] == [[18, 229], [1], [7]]
    assert isinstance(df["outlets"].iat[0], np.ndarray)  # the caller's frame is not changed


def test_a_second_frame_of_a_chart_gets_no_second_png() -> None:
    def page() -> None:
        import pandas as pd
        import plotly.graph_objects as go

        from components.export import export_buttons

        fig = go.Figure(go.Bar(x=[1], y=[2]))
        frame = pd.DataFrame({"x": [1], "y": [2]})
        export_buttons(frame, name="a", key="t_a", lang="en", fig=fig)
        export_buttons(frame, name="b", key="t_b", lang="en", fig=fig, png=False)

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert {str(b.key) for b in at.download_button} == {
        "t_a_csv",
        "t_a_parquet",
        "t_a_png",
        "t_b_csv",
        "t_b_parquet",
    }
    helps = {str(b.key): b.help for b in at.download_button}
    assert helps["t_b_csv"] == helps["t_a_csv"]  # both labelled as the chart's data


def test_parquet_round_trips_and_survives_mixed_columns() -> None:
    df = pd.DataFrame(
        {"a": ["x", None], "t": pd.to_datetime(["2024-06-19", None], utc=True), "n": [1, 2]}
    )
    back = pq.read_table(io.BytesIO(export.parquet_bytes(df))).to_pandas()
    assert back["a"].tolist()[0] == "x" and back["n"].tolist() == [1, 2]
    mixed = pd.DataFrame({"v": [1, "x", {"k": 1}, [1, 2]]})
    back = pq.read_table(io.BytesIO(export.parquet_bytes(mixed))).to_pandas()
    assert back["v"].tolist() == ["1", "x", "{'k': 1}", "[1, 2]"]


def test_plotly_config_names_the_modebar_png() -> None:
    config = export.plotly_config("outlets", page="overview")
    options = config["toImageButtonOptions"]
    assert options["format"] == "png"
    assert options["filename"].startswith("rasd_") and options["filename"].endswith(
        "_overview_outlets"
    )


def test_png_is_rendered_by_kaleido_from_unshaped_labels() -> None:
    assert export.png_available(), "Kaleido and a Chromium are needed for PNG export"
    fig = go.Figure(go.Bar(x=[isolate("نشر 10,000 جندي"), isolate("Putin بوتين")], y=[2, 1]))
    fig.update_layout(title=isolate("المقالات لكل منفذ"), height=300)
    data = export.png_bytes(fig)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (export.PNG_WIDTH * export.PNG_SCALE, 300 * export.PNG_SCALE)
    assert fig.layout.paper_bgcolor is None  # the caller's figure is not changed
    assert fig.layout.title.text == isolate("المقالات لكل منفذ")


# -- the pages ----------------------------------------------------------------------------


def _open(data: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("RASD_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("overview", {"overview_volume", "overview_outlets"}),
        ("articles", {"articles_list"}),
        (
            "data",
            {
                "data_build",
                "data_counts",
                "data_tables",
                "data_stages",
                "data_quarantine",
                "data_duplicates",
                "data_inputs",
                "data_timings",
            },
        ),
    ],
)
def test_every_table_and_chart_has_downloads(
    page: str, expected: set[str], factory_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(factory_dataset, page, monkeypatch)
    keys = {str(b.key) for b in at.download_button}
    prefixes = {k.rsplit("_", 1)[0] for k in keys}
    assert prefixes == expected
    for prefix in expected:
        assert {f"{prefix}_csv", f"{prefix}_parquet"} <= keys
    charts = {"overview_volume", "overview_outlets"} & expected
    assert {f"{c}_png" for c in charts} <= keys  # Kaleido is available here
    assert all(k.startswith(f"{page}_") for k in keys)
    labels = {b.label for b in at.download_button}
    assert labels <= {"CSV", "Parquet", "PNG"}
