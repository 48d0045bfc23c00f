"""Timeline: extracted events at the date they happened, their evidence, and publishing volume.

Lanes by event type or by outlet (``timeline_lanes``); the ``type`` filter (``?type=``,
repeatable) is offered here (``timeline_types``). Dragging across the chart sets the global
``from``/``to`` (event time on this page) in the URL; clicking an event lists the sentences
that report it, each linking to its article (``articles?article=<id>``).

Downloads (components/export.py): under the chart, its events (``timeline_events``: CSV,
Parquet, PNG of the chart) and its article strip (``timeline_volume``: CSV, Parquet); under
the undated events, that table (``timeline_undated``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components import charts_timeline as ct
from components import filters as filter_bar
from components.data import query
from components.export import export_buttons, plotly_config
from components.i18n import fill, format_date, t
from components.page import start
from components.text import esc, query_href
from rasd import query_events
from rasd.filters import Filters, parse_params, to_params
from rasd.query import Dataset

CHART_KEY = "timeline_chart"
CLUSTER_KEY = "timeline_event"
TYPES_KEY = "timeline_types"
LANES_KEY = "timeline_lanes"
UNDATED_KEY = "timeline_undated_open"

ctx = start("timeline")
lang, filters = ctx.lang, ctx.filters


@st.cache_data(show_spinner=False, max_entries=256)
def _ask(_ds: Dataset, dataset_key: str, name: str, view: Filters, **kwargs: Any) -> Any:
    """``rasd.query_events.<name>(ds, view, **kwargs)``, cached across sessions per build."""
    del dataset_key  # part of the cache key only
    return getattr(query_events, name)(_ds, view, **kwargs)


def ask(name: str, view: Filters, **kwargs: Any) -> Any:
    return _ask(ctx.dataset, ctx.loaded.key, name, view.with_(), **kwargs)


def _url_view() -> Filters:
    return parse_params(filter_bar.read_url())


def _on_types() -> None:
    chosen = tuple(st.session_state.get(TYPES_KEY) or ())
    filter_bar.write_url(to_params(_url_view().with_(types=chosen)))


def _timestamp(value: Any) -> pd.Timestamp | None:
    try:
        stamp = (
            pd.Timestamp(value, unit="ms")
            if isinstance(value, (int, float))
            else pd.Timestamp(value)
        )
    except (TypeError, ValueError):
        return None
    return None if pd.isna(stamp) else stamp


def _on_select() -> None:
    """A dragged range becomes the URL's from/to; a clicked event opens its evidence."""
    state = st.session_state.get(CHART_KEY) or {}
    selection = state.get("selection") or {}
    for box in selection.get("box") or []:
        xs = [s for s in (_timestamp(v) for v in box.get("x") or []) if s is not None]
        if len(xs) >= 2:
            lo, hi = min(xs).date(), max(xs).date()
            filter_bar.write_url(to_params(_url_view().with_(date_from=lo, date_to=hi)))
            return
    for point in selection.get("points") or []:
        custom = point.get("customdata")
        cluster = custom[0] if isinstance(custom, list) and custom else custom
        if isinstance(cluster, str) and cluster:
            st.session_state[CLUSTER_KEY] = cluster
            return


sizes = query(ctx.loaded, "table_sizes")
if int(sizes.loc[sizes["table"] == "events", "n_rows"].sum()) == 0:
    st.info(t("events_not_built", lang), icon="ℹ️")

st.caption(ct.tr("intro", lang))
left, right = st.columns([1, 2])
with left:
    lanes = st.radio(
        ct.tr("lanes", lang),
        options=["type", "outlet"],
        format_func=lambda v: ct.tr(f"lanes_{v}", lang),
        horizontal=True,
        key=LANES_KEY,
    )
with right:
    present = [str(v) for v in query(ctx.loaded, "event_types")]
    options = present + [v for v in filters.types if v not in present]
    if st.session_state.get(TYPES_KEY) != list(filters.types):
        st.session_state[TYPES_KEY] = list(filters.types)
    st.multiselect(
        ct.tr("types", lang),
        options=options,
        format_func=lambda v: ct.type_label(v, lang),
        placeholder=ct.tr("types_placeholder", lang),
        key=TYPES_KEY,
        on_change=_on_types,
    )

# At most this many events are drawn (their figure is ~1.3 kB per event by type, ~7 kB by
# outlet): the dated ones reported in most articles, said so below the chart. Undated
# events cannot be placed in time; they are counted apart and listed below.
shown_max = 400 if lanes == "type" else 80
dated: pd.DataFrame = ask("timeline_clusters", filters, top=shown_max, dated_only=True)
volume: pd.DataFrame = ask("article_volume", filters)
figure = ct.timeline(dated, volume, lang=lang, lanes=lanes)
st.plotly_chart(
    figure,
    key=CHART_KEY,
    on_select=_on_select,
    selection_mode=("points", "box"),
    width="stretch",
    config=plotly_config("events"),
)
undated_count = int(ask("undated_clusters", filters))
st.caption(ct.tr("counts", lang, shown=len(dated), undated=undated_count))
if len(dated) >= shown_max and (
    matching := int(ask("count_clusters", filters, dated_only=True))
) > len(dated):
    st.caption(
        fill(
            "يعرض الرسم {shown} حدثًا من {matching}: الأكثر تغطية في المقالات."
            if lang == "ar"
            else "The chart shows {shown} of {matching} events: those in most articles.",
            {"shown": len(dated), "matching": matching},
        )
    )
if filters.has_date_range:
    st.caption(ct.tr("range_note", lang))
# The chart draws two frames: the dated events, and the articles per day beneath them.
events_col, volume_col = st.columns(2)
with events_col:
    st.caption(ct.tr("title", lang))
    export_buttons(dated, name="events", key="timeline_events", lang=lang, fig=figure)
with volume_col:
    st.caption(ct.tr("legend_volume", lang))
    export_buttons(
        volume, name="article_volume", key="timeline_volume", lang=lang, fig=figure, png=False
    )

# -- evidence of the clicked (or picked) event ------------------------------------------------
st.subheader(ct.tr("evidence_title", lang))
labels = {
    str(row["cluster_id"]): ct.tr(
        "event_option" if int(row["n_outlets"]) != 1 else "event_option_one",
        lang,
        date=ct.date_label(
            ct.as_date(row["date_start"]),
            ct.as_date(row["date_end"]),
            str(row["date_precision"]),
            lang,
        ),
        type=ct.type_label(str(row["event_type"]), lang),
        n=int(row["n_outlets"]),
    )
    for row in dated.to_dict("records")
}
if st.session_state.get(CLUSTER_KEY) not in labels:
    st.session_state[CLUSTER_KEY] = None
chosen = st.selectbox(
    ct.tr("event_pick", lang),
    options=list(labels),
    format_func=labels.__getitem__,
    index=None,
    placeholder=ct.tr("event_pick_none", lang),
    key=CLUSTER_KEY,
)
if not chosen:
    st.caption(ct.tr("evidence_none", lang))
else:
    reports: pd.DataFrame = ask("cluster_evidence", filters, cluster_id=str(chosen))
    items = []
    for rec in reports.to_dict("records"):
        href = query_href(to_params(Filters(lang=lang, article=str(rec["article_id"]))), "articles")
        published = rec["published_at"] if not pd.isna(rec["published_at"]) else None
        published_label = format_date(published, rec.get("published_precision"), lang)
        items.append(
            '<li class="rasd-evidence">'
            f'<div><bdi dir="auto">{esc(rec["outlet"] or rec["outlet_id"])}</bdi> · '
            f"{esc(ct.tr('evidence_published', lang, date=published_label))} · "
            f'<a href="{esc(href)}" target="_self">{esc(ct.tr("evidence_open", lang))}</a></div>'
            f'<blockquote dir="rtl" lang="ar">{esc(rec["evidence"])}</blockquote></li>'
        )
    st.html(f'<ul class="rasd-evidence-list">{"".join(items)}</ul>')

# -- events the text does not date ------------------------------------------------------------
# The most covered first (they have no time to be ordered by). The list is read only while
# its expander is open: at a million articles it is a second question of every cluster.
UNDATED_MAX = 500
if undated_count:
    listed = min(undated_count, UNDATED_MAX)
    title = (
        ct.tr("undated_title_top", lang, n=listed, total=undated_count)
        if undated_count > listed
        else ct.tr("undated_title", lang, n=listed)
    )
    box = st.expander(title, key=UNDATED_KEY, on_change="rerun")
    if box.open:
        undated = ask(
            "timeline_clusters",
            filters.with_(date_from=None, date_to=None),
            undated_only=True,
            top=UNDATED_MAX,
            limit=UNDATED_MAX,
        ).sort_values(["n_articles", "n_reports", "cluster_id"], ascending=[False, False, True])
        with box:
            st.dataframe(
                pd.DataFrame(
                    {
                        t("col_articles", lang): list(undated["n_articles"]),
                        t("col_event_type", lang): [
                            ct.type_label(str(v), lang) for v in undated["event_type"]
                        ],
                        t("col_outlet", lang): [
                            "، ".join(v) if lang == "ar" else ", ".join(v)
                            for v in undated["outlets"]
                        ],
                        t("col_evidence", lang): list(undated["evidence"]),
                    }
                ),
                hide_index=True,
                key="timeline_undated",
            )
            export_buttons(
                undated.reset_index(drop=True),
                name="undated_events",
                key="timeline_undated",
                lang=lang,
            )
