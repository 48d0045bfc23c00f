"""Timeline: publishing volume over time per outlet, and how the dates were obtained.

Event extraction is a later stage; until ``events`` has rows this page says so and shows
publication dates only, never invented events.
"""

from __future__ import annotations

import streamlit as st

from components import charts, tables
from components.data import query
from components.i18n import t
from components.page import start

ctx = start("timeline")
lang, filters = ctx.lang, ctx.filters

sizes = query(ctx.loaded, "table_sizes")
n_events = int(sizes.loc[sizes["table"] == "events", "n_rows"].sum())
if n_events == 0:
    st.info(t("events_not_built", lang), icon="ℹ️")

st.caption(t("timeline_intro", lang))
period = st.radio(
    t("period", lang),
    options=["day", "week", "month", "year"],
    format_func=lambda p: t(f"period_{p}", lang),
    horizontal=True,
    index=2,
    key="timeline_period",
)
volume = query(ctx.loaded, "counts_by_outlet_period", filters, period=period)
if volume.empty:
    st.info(t("no_dated", lang))
else:
    st.plotly_chart(
        charts.volume_by_outlet(volume, lang=lang, period=period),
        width="stretch",
        key="timeline_volume",
    )
head = query(ctx.loaded, "headline", filters)
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

basis = query(ctx.loaded, "date_basis_counts", filters)
if not basis.empty:
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.date_basis(basis, lang=lang), width="stretch", key="timeline_basis")
    with right:
        st.subheader(t("basis_table_title", lang))
        st.dataframe(
            tables.date_basis(basis, lang=lang), hide_index=True, key="timeline_basis_table"
        )

if n_events:
    st.subheader(t("events_title", lang))
    events = query(ctx.loaded, "events_list", filters)
    if events.empty:
        st.info(t("events_none_match", lang))
    else:
        st.dataframe(tables.events(events, lang=lang), hide_index=True, key="timeline_events")
