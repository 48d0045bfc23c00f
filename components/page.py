"""The frame every page shares: context, direction, notices and dataset errors.

``app.py`` checks sign-in (:mod:`components.auth`), calls :func:`load_context` once per run
(open the dataset, parse the URL), builds the navigation, then :func:`render_chrome` (CSS,
sidebar filters, the link to this view). Each page starts with :func:`start`, which titles
the page, shows every URL notice, and stops with a clear message and the fix command when
the dataset cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import pandas as pd
import streamlit as st

from components import auth
from components import filters as filter_bar
from components.arabic import isolate_inline
from components.data import Loaded, LoadError, load_dataset, query
from components.export import PAGE_ID_KEY
from components.i18n import has_message, t
from components.text import md_escape
from rasd.filters import Filters, Notice
from rasd.query import Dataset
from rasd.query_sources import event_type_labels

CONTEXT_KEY = "rasd_context"
#: Set by ``app.py`` just before it runs the page; a page that starts without it was run on
#: its own (see :func:`_run_through_app`).
FRAME_KEY = "rasd_frame"

#: (file, url_path, message id of the title, icon); the first is the default page ("/").
#: Icons are emoji, drawn by the viewer's browser: a ":material/…:" page icon can become the
#: tab's favicon, which Streamlit fetches from fonts.gstatic.com (tests/test_offline_assets.py).
PAGES = (
    ("pages/overview.py", "overview", "page_overview", "📊"),
    ("pages/timeline.py", "timeline", "page_timeline", "🕒"),
    ("pages/sources.py", "sources", "page_sources", "📰"),
    ("pages/entities.py", "entities", "page_entities", "👥"),
    ("pages/articles.py", "articles", "page_articles", "📄"),
    ("pages/data.py", "data", "page_data", "🧾"),
)


def pages_for(lang: str) -> list[st.Page]:
    """The six pages for ``st.navigation``, titled in ``lang``, with stable URL paths."""
    return [
        st.Page(path, title=t(title, lang), icon=icon, url_path=url_path, default=i == 0)
        for i, (path, url_path, title, icon) in enumerate(PAGES)
    ]


@dataclass(frozen=True)
class AppContext:
    """What this run shows: the parsed view and the dataset (or why there is none)."""

    filters: Filters
    loaded: Loaded | None
    error: LoadError | None
    outlet_names: dict[str, str]

    @property
    def lang(self) -> str:
        return self.filters.lang


@dataclass(frozen=True)
class PageContext:
    """A page's view of a run whose dataset opened."""

    filters: Filters
    loaded: Loaded
    outlet_names: dict[str, str]

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def dataset(self) -> Dataset:
        return self.loaded.dataset


def load_context() -> AppContext:
    """Open the dataset and read the view from the URL; never raises."""
    result = load_dataset()
    if isinstance(result, LoadError):
        filters = filter_bar.current_filters()
        context = AppContext(filters, None, result, {})
    else:
        outlets: pd.DataFrame = query(result, "outlets")
        names = {
            str(oid): (str(name) if pd.notna(name) else str(oid))
            for oid, name in zip(outlets["outlet_id"], outlets["outlet"], strict=True)
        }
        filters = filter_bar.current_filters(
            known_outlets=names,
            known_entities=query(result, "entity_ids"),
            known_types=query(result, "event_types"),
            dataset_id=result.dataset.dataset_id,
        )
        context = AppContext(filters, result, None, names)
    st.session_state[CONTEXT_KEY] = context
    return context


def _item_names(context: AppContext) -> dict[str, str]:
    """Names, in the UI language, of the entities and event types the view filters by."""
    filters, loaded = context.filters, context.loaded
    if loaded is None or not (filters.entities or filters.types):
        return {}
    pick = 0 if context.lang == "ar" else 1
    names = {i: pair[pick] for i, pair in event_type_labels().items() if i in filters.types}
    if filters.entities:
        found = query(loaded, "entity_names", tuple(sorted(filters.entities)))
        names.update({i: pair[pick] for i, pair in found.items()})
    return names


# Arabic is laid out right to left; charts and code keep their own left-to-right layout
# (Plotly positions SVG text with text-anchor, which flips under direction: rtl, and its
# labels are isolated instead).
_CSS = """
<style>
[data-testid="stMain"], [data-testid="stSidebar"] {{
  direction: {direction};
  text-align: {align};
}}
[data-testid="stMain"] .stElementContainer, [data-testid="stSidebar"] .stElementContainer {{
  text-align: start;
}}
/* Glide's canvas grid has no right-to-left mode: keep it consistent left-to-right (the
   browser still orders the Arabic inside each cell). */
[data-testid="stPlotlyChart"], .js-plotly-plot, [data-testid="stDataFrame"],
[data-testid="stCode"], pre, code {{
  direction: ltr;
  text-align: left;
}}
/* Dates are typed and shown as YYYY-MM-DD, which reads backwards in a right-to-left box. */
[data-testid="stDateInputField"] {{ direction: ltr; }}
.rasd-articles-scroll {{ overflow-x: auto; }}
table.rasd-articles {{ width: 100%; border-collapse: collapse; margin: 0.5rem 0 1rem; }}
table.rasd-articles th, table.rasd-articles td {{
  padding: 0.4rem 0.6rem;
  border-bottom: 1px solid rgba(128, 128, 128, 0.25);
  text-align: start;
  vertical-align: top;
}}
table.rasd-articles tr.rasd-selected {{ background: rgba(255, 75, 75, 0.08); }}
table.rasd-articles td.rasd-no-title {{ font-style: italic; opacity: 0.75; }}
table.rasd-articles td.rasd-title {{ width: 45%; }}
table.rasd-articles td {{ overflow-wrap: break-word; }}
table.rasd-articles td.rasd-date {{ white-space: nowrap; }}
.rasd-article-text p {{ font-size: 1.1rem; line-height: 1.9; margin: 0 0 0.9rem; }}
dl.rasd-provenance {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; }}
dl.rasd-provenance dt {{ font-weight: 700; }}
dl.rasd-provenance dd {{
  margin: 0;
  unicode-bidi: plaintext;
  text-align: {align};
  overflow-wrap: anywhere;
}}
</style>
"""


def render_chrome(context: AppContext, *, page_path: str = "") -> None:
    """Direction CSS for the UI language, the sidebar filters and the link to this view.

    ``page_path`` is the running page's ``url_path`` (``""`` for the default page).
    """
    rtl = context.lang == "ar"
    st.html(_CSS.format(direction="rtl" if rtl else "ltr", align="right" if rtl else "left"))
    filter_bar.render_sidebar(
        context.filters,
        outlet_names=context.outlet_names,
        lang=context.lang,
        item_names=_item_names(context),
    )
    if context.loaded is not None:  # without a dataset there is no view to share
        filter_bar.render_share_link(
            context.filters,
            dataset_id=context.loaded.dataset.dataset_id,
            page_path=page_path,
            lang=context.lang,
        )
    auth.render_account(context.lang)


def notice_message(notice: Notice, lang: str) -> str:
    """A notice as a sentence in ``lang`` (values escaped for Markdown, direction-isolated)."""
    key = f"notice_{notice.key}"
    if not has_message(key):
        key = "notice_other"
    return t(
        key,
        lang,
        param=isolate_inline(md_escape(notice.param)),
        value=isolate_inline(md_escape(notice.value)),
    )


def show_notices(notices: tuple[Notice, ...], lang: str) -> None:
    """One visible warning per notice."""
    for notice in notices:
        st.warning(notice_message(notice, lang), icon="⚠️")


def show_load_error(error: LoadError, lang: str) -> None:
    """What is wrong with the dataset, and the exact command that fixes it."""
    reason_key = f"error_reason_{error.reason}"
    lines = [f"**{t('error_title', lang)}**"]
    if has_message(reason_key):
        lines.append(t(reason_key, lang))
    detail = error.detail
    if error.unexpected:
        detail = t("error_unexpected", lang, kind=detail)
    lines.append(t("error_detail", lang, detail=isolate_inline(md_escape(detail))))
    lines.append(t("error_path", lang, path=isolate_inline(md_escape(error.path))))
    st.error("\n\n".join(lines))
    fix_key = f"error_fix_{error.reason}"
    st.markdown(t(fix_key if has_message(fix_key) else "error_fix", lang))
    st.code(error.fix, language="bash")


def context() -> AppContext:
    """This run's context (set by ``app.py``; loaded here if a page runs on its own)."""
    value = st.session_state.get(CONTEXT_KEY)
    return value if isinstance(value, AppContext) else load_context()


def _stop() -> NoReturn:
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def _run_through_app() -> NoReturn:
    """Rerun this page through ``app.py`` when Streamlit ran it on its own.

    Streamlit 1.67 treats a ``pages/`` folder beside the entry script as a legacy multipage
    app until ``st.navigation`` has been called once in the process (and ``AppTest`` resets
    that flag before every run). A deep link such as ``/articles?outlet=x`` opened first on
    a fresh server then runs ``pages/articles.py`` alone: no sidebar, no filters, legacy
    page names. Calling ``st.navigation`` switches the process to navigation mode, and the
    rerun (same URL, same page) goes through ``app.py``.
    """
    lang = filter_bar.current_filters().lang
    st.navigation(pages_for(lang))
    st.rerun()
    raise AssertionError("st.rerun() returned")  # pragma: no cover


def start(page_id: str) -> PageContext:
    """Title the page, show URL notices, and stop with the fix if there is no dataset."""
    if not st.session_state.pop(FRAME_KEY, False):
        _run_through_app()
    app = context()
    st.session_state[PAGE_ID_KEY] = page_id
    st.title(t(f"page_{page_id}", app.lang))
    show_notices(app.filters.notices, app.lang)
    if app.loaded is None:
        if app.error is not None:
            show_load_error(app.error, app.lang)
        _stop()
    return PageContext(app.filters, app.loaded, app.outlet_names)
