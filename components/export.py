"""Downloads under every table and chart: CSV, Parquet and, for a chart, PNG.

One call under each table or chart::

    from components.export import export_buttons, plotly_config

    st.plotly_chart(fig, key="overview_outlets", config=plotly_config("outlets"))
    export_buttons(frame, name="outlets", key="overview_outlets", lang=lang, fig=fig)

``export_buttons(df, *, name, key, lang, fig=None)``

* ``df``: the data behind the table or chart. Pass the query layer's frame (stable column
  names, typed values, dates with their precision and basis columns), not the translated
  display table: an export is for further analysis. Offered as CSV (UTF-8 with a byte-order
  mark, so spreadsheet programs read Arabic) and Parquet.
* ``name``: what the table or chart is (``"outlets"``); part of the file name.
* ``key``: widget key prefix, starting with the page id (``"overview_outlets"``); the
  buttons are ``{key}_csv``, ``{key}_parquet`` and ``{key}_png``.
* ``lang``: UI language of the labels.
* ``fig``: when given, the CSV/Parquet are labelled as the chart's data and a PNG of the
  figure is offered, rendered by Kaleido in a headless Chromium (a browser: labels are sent
  as they are, never pre-shaped, and the bidi isolates of ``components.arabic`` keep mixed
  labels in order). When Kaleido or a Chromium is missing on the server, the PNG button is
  left out; :func:`plotly_config` gives every chart Plotly's own modebar "download as PNG",
  drawn by the viewer's browser, so a PNG is always available.
* ``png``: ``False`` leaves the PNG out for a second frame of a chart whose PNG is already
  offered (the article strip under the timeline): its data, labelled as the chart's.

File names are ``rasd_<dataset id>_<page>_<name>.<ext>``. Nothing is computed until a button
is clicked: each button gets a callable (``st.download_button`` runs it on click, in another
thread) and ``on_click="ignore"`` so a download does not rerun the page. PNG renders run one
at a time per server process (each starts a Chromium for a few seconds).
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import re
import shutil
import threading
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.i18n import t

_LOG = logging.getLogger(__name__)

#: Session-state key where :func:`components.page.start` records the page id.
PAGE_ID_KEY = "rasd_page_id"
#: PNG size: wide enough for a legend of several outlets, at twice the pixel density.
PNG_WIDTH = 1200
PNG_SCALE = 2
#: What makes a spreadsheet treat a CSV cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# One Chromium at a time: each render starts a browser (~100 MB, a few seconds).
_PNG_LOCK = threading.BoundedSemaphore(1)


def _safe(part: str) -> str:
    return _UNSAFE_NAME.sub("-", part).strip("-")[:60] or "x"


def file_name(name: str, ext: str, *, page: str, dataset_id: str) -> str:
    """``rasd_<dataset id>_<page>_<name>.<ext>``, with only ``[A-Za-z0-9_-]`` in each part."""
    return f"rasd_{_safe(dataset_id or 'unknown')}_{_safe(page)}_{_safe(name)}.{ext}"


def _defuse(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as CSV in UTF-8 with a byte-order mark (spreadsheets then read Arabic).

    Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab,
    carriage return first) get a leading ``'``: titles and outlet names come from scraped
    pages nobody vetted. List cells are written as JSON arrays (``["نيسان", "العربية"]``).
    Parquet keeps the values as they are (lists stay lists).
    """
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            cells = [_defuse(_cell(v)) for v in out[column]]
            out[column] = pd.Series(cells, index=out.index, dtype=object)
    return out.to_csv(index=False).encode("utf-8-sig")


def _cell(value: object) -> object:
    """A list cell (outlets of an event, actor ids …) as a JSON array, not Python's repr."""
    if isinstance(value, (list, tuple, np.ndarray)):
        items = value.tolist() if isinstance(value, np.ndarray) else list(value)
        return json.dumps(items, ensure_ascii=False, default=_json_value)
    return value


def _json_value(value: object) -> object:
    """NumPy scalars as numbers, anything else JSON cannot write (dates …) as text."""
    return value.item() if isinstance(value, np.generic) else str(value)


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as Parquet; columns Arrow cannot type (mixed objects) are written as text."""
    buffer = io.BytesIO()
    try:
        df.to_parquet(buffer, index=False)
    except (TypeError, ValueError, ArithmeticError, ImportError) as err:
        # pyarrow.ArrowInvalid / ArrowTypeError subclass ValueError / TypeError.
        _LOG.info("parquet export: writing object columns as text (%s)", type(err).__name__)
        text = df.copy()
        for column in text.columns:
            if text[column].dtype == object:
                text[column] = [None if v is None else str(v) for v in text[column]]
        buffer = io.BytesIO()
        text.to_parquet(buffer, index=False)
    return buffer.getvalue()


@functools.cache
def browser_path() -> str | None:
    """The Chromium Kaleido will drive (``BROWSER_PATH``, ``RASD_CHROMIUM``, or on PATH)."""
    for var in ("BROWSER_PATH", "RASD_CHROMIUM"):
        value = os.environ.get(var, "").strip()
        if value and os.access(value, os.X_OK):
            return value
    for exe in _CHROMIUM_NAMES:
        found = shutil.which(exe)
        if found:
            return found
    return None


@functools.cache
def png_available() -> bool:
    """True when Kaleido is installed and a Chromium is on this server."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    path = browser_path()
    if path is None:
        return False
    # Kaleido's browser finder reads BROWSER_PATH first; pin it to the one found here.
    os.environ.setdefault("BROWSER_PATH", path)
    return True


def png_bytes(fig: go.Figure | dict[str, Any]) -> bytes:
    """``fig`` (a figure or its dict) as a PNG, rendered by Kaleido (headless Chromium); one
    render at a time."""
    import plotly.io as pio

    figure = go.Figure(fig)
    # Streamlit's own template leaves colours to its front end (bars come out black without
    # it); a file gets a plain light template, and axes grow to fit long Arabic labels.
    figure.update_layout(template=pio.templates["plotly_white"], paper_bgcolor="white")
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    height = figure.layout.height or 450
    with _PNG_LOCK:
        image = pio.to_image(figure, format="png", width=PNG_WIDTH, height=height, scale=PNG_SCALE)
    return bytes(image)


def plotly_config(name: str, *, page: str | None = None) -> dict[str, Any]:
    """``config`` for ``st.plotly_chart``: the modebar's PNG download gets our file name.

    The modebar's camera button renders in the viewer's browser, so it works even where
    the server has no Chromium for Kaleido.
    """
    page_id, dataset_id = _where(page, name)
    stem = file_name(name, "png", page=page_id, dataset_id=dataset_id).removesuffix(".png")
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": stem, "scale": PNG_SCALE},
    }


def _where(page: str | None, key: str) -> tuple[str, str]:
    """(page id, dataset id) of this run, from the page context."""
    page_id = page or st.session_state.get(PAGE_ID_KEY) or key.split("_", 1)[0]
    dataset_id = ""
    try:
        from components.page import CONTEXT_KEY

        context = st.session_state.get(CONTEXT_KEY)
        loaded = getattr(context, "loaded", None)
        if loaded is not None:
            dataset_id = loaded.dataset.dataset_id
    except Exception:  # a file name must never break a page
        dataset_id = ""
    return str(page_id), dataset_id


def export_buttons(
    df: pd.DataFrame,
    *,
    name: str,
    key: str,
    lang: str,
    fig: go.Figure | None = None,
    png: bool = True,
) -> None:
    """CSV and Parquet downloads of ``df`` (and a PNG of ``fig``) in one row.

    See the module docstring for the arguments. Nothing is computed before a click.
    """
    page_id, dataset_id = _where(None, key)
    frame = df  # the callables below close over the frame; it is only read

    def named(ext: str) -> str:
        return file_name(name, ext, page=page_id, dataset_id=dataset_id)

    chart = fig is not None
    row = st.container(horizontal=True, gap="small", key=f"{key}_export")
    with row:
        st.download_button(
            t("export_csv", lang),
            data=lambda: csv_bytes(frame),
            file_name=named("csv"),
            mime="text/csv",
            key=f"{key}_csv",
            help=t("export_chart_csv_help" if chart else "export_csv_help", lang),
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            t("export_parquet", lang),
            data=lambda: parquet_bytes(frame),
            file_name=named("parquet"),
            mime="application/vnd.apache.parquet",
            key=f"{key}_parquet",
            help=t("export_parquet_help", lang),
            on_click="ignore",
            icon=":material/download:",
        )
        if fig is not None and png and png_available():
            # A copy (the page may keep changing its own), as plain data: copying the
            # Figure revalidated every trace (77 ms for the Timeline's 400 events; 15 ms).
            figure = fig.to_dict()
            st.download_button(
                t("export_png", lang),
                data=lambda: png_bytes(figure),
                file_name=named("png"),
                mime="image/png",
                key=f"{key}_png",
                help=t("export_png_help", lang),
                on_click="ignore",
                icon=":material/image:",
            )
