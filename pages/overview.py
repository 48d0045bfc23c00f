"""Overview: headline figures, articles per outlet over time, and per outlet."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts
from components.data import query
from components.export import export_buttons, plotly_config
from components.i18n import format_date, t
from components.page import start

ctx = start("overview")
lang, filters = ctx.lang, ctx.filters

head = query(ctx.loaded, "headline", filters)
cols = [*st.columns(4), *st.columns(4)]
cols[0].metric(t("metric_articles", lang), head["articles"], help=t("metric_articles_help", lang))
cols[1].metric(t("metric_outlets", lang), head["outlets"])
cols[2].metric(t("metric_copies", lang), head["copies"])
cols[3].metric(t("metric_undated", lang), head["undated"])
span = query(ctx.loaded, "date_span", filters).iloc[0]
first = format_date(
    span["first"] if pd.notna(span["first"]) else None, span["first_precision"], lang
)
last = format_date(span["last"] if pd.notna(span["last"]) else None, span["last_precision"], lang)
dated = pd.notna(span["first"])
none = t("none_value", lang)
cols[4].metric(t("metric_first", lang), first if dated else none)
cols[5].metric(t("metric_last", lang), last if dated else none)
cols[6].metric(
    t("metric_quarantined", lang), head["quarantined"], help=t("metric_quarantined_help", lang)
)

if head["articles"] == 0 and head["copies"] == 0:
    st.info(t("no_articles", lang))
    st.stop()

period = st.radio(
    t("period", lang),
    options=["day", "week", "month"],
    format_func=lambda p: t(f"period_{p}", lang),
    horizontal=True,
    key="overview_period",
)
volume = query(ctx.loaded, "counts_by_outlet_period", filters, period=period)
drawn = period  # a coarser period when there are too many bars to send to the browser
while len(volume) > charts.MAX_BARS and drawn in charts.COARSER:
    drawn = charts.COARSER[drawn]
    volume = query(ctx.loaded, "counts_by_outlet_period", filters, period=drawn)
if volume.empty:
    st.info(t("no_dated", lang))
else:
    volume_fig = charts.volume_by_outlet(volume, lang=lang, period=drawn)
    if drawn != period:
        st.caption(charts.coarsened_note(period, drawn, lang=lang))
    st.plotly_chart(
        volume_fig,
        width="stretch",
        key="overview_volume",
        config=plotly_config(f"volume_{period}"),
    )
    export_buttons(
        volume, name=f"volume_{period}", key="overview_volume", lang=lang, fig=volume_fig
    )
undated = (
    query(ctx.loaded, "undated_excluded", filters) if filters.has_date_range else head["undated"]
)
imprecise = query(ctx.loaded, "imprecise_excluded", filters, period=period)
st.caption(
    t(
        "not_placed_caption",
        lang,
        undated=undated,
        imprecise=imprecise,
        period=t(f"period_{period}", lang).lower(),
    )
)

by_outlet = query(ctx.loaded, "counts_by_outlet", filters)
outlets_fig = charts.outlet_bars(by_outlet, lang=lang)
st.plotly_chart(
    outlets_fig, width="stretch", key="overview_outlets", config=plotly_config("outlets")
)
export_buttons(by_outlet, name="outlets", key="overview_outlets", lang=lang, fig=outlets_fig)
