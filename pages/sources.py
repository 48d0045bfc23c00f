"""Sources: who covered what, when, how differently, and who copied whom.

Thin: the global filters come from the URL (components/page.py), every number from
rasd.query_sources, every figure from components/charts_sources.py. Each chart has a
caption saying what is normalised by what, and downloads of the data it draws (CSV and
Parquet through components/export.py, which every page uses).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components import charts_sources as charts
from components import tables
from components.arabic import isolate_inline
from components.charts import COARSER, MAX_BARS, coarsened_note
from components.data import Loaded, query
from components.export import export_buttons, plotly_config
from components.i18n import t
from components.page import start
from components.text import md_escape
from rasd import query_sources
from rasd.aggregates import TERMS_SAMPLE_PER_OUTLET
from rasd.filters import Filters


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(
    _loaded: Loaded, key: str, name: str, filters: Filters, kwargs: tuple[Any, ...]
) -> pd.DataFrame:
    del key  # part of the cache key only: which build the answer belongs to
    result: pd.DataFrame = getattr(query_sources, name)(_loaded.dataset, filters, **dict(kwargs))
    return result


def sources(name: str, filters: Filters, **kwargs: Any) -> pd.DataFrame:
    """``rasd.query_sources.<name>(dataset, filters, **kwargs)``, cached across sessions."""
    return _cached(ctx.loaded, ctx.loaded.key, name, filters.with_(), tuple(sorted(kwargs.items())))


def chart(figure: Any, frame: pd.DataFrame, name: str) -> None:
    """A chart, then the downloads of the data it draws (CSV, Parquet, PNG)."""
    st.plotly_chart(
        figure, width="stretch", key=f"sources_chart_{name}", config=plotly_config(name)
    )
    export_buttons(frame, name=name, key=f"sources_{name}", lang=lang, fig=figure)


ctx = start("sources")
lang, filters = ctx.lang, ctx.filters

st.caption(t("sources_intro", lang))
summary = query(ctx.loaded, "outlet_summary", filters)
if summary.empty:
    st.info(t("no_articles", lang))
    st.stop()
st.dataframe(tables.outlet_summary(summary, lang=lang), hide_index=True, key="sources_outlets")
include_copies = st.toggle(
    t("sources_include_copies", lang),
    value=False,
    key="sources_include_copies",
    help=t("sources_include_copies_help", lang),
)
sizes = query(ctx.loaded, "table_sizes").set_index("table")["n_rows"]

# -- (1) volume ---------------------------------------------------------------------------------
st.subheader(t("sources_volume_header", lang))
left, right = st.columns(2)
period = left.radio(
    t("period", lang),
    options=list(query_sources.PERIODS),
    format_func=lambda p: t(f"period_{p}", lang),
    horizontal=True,
    index=1,
    key="sources_period",
)
measure = right.radio(
    t("sources_measure", lang),
    options=["n", "share"],
    format_func=lambda m: t(f"sources_measure_{m}", lang),
    horizontal=True,
    key="sources_measure",
)
volume = sources("volume", filters, period=period, include_duplicates=include_copies)
drawn = period  # a coarser period when there are too many bars to send to the browser
while len(volume) > MAX_BARS and drawn in COARSER:
    drawn = COARSER[drawn]
    volume = sources("volume", filters, period=drawn, include_duplicates=include_copies)
if volume.empty:
    st.info(t("no_dated", lang))
else:
    figure = charts.volume(volume, lang=lang, period=drawn, measure=measure)
    if drawn != period:
        st.caption(coarsened_note(period, drawn, lang=lang))
    chart(figure, volume, f"volume_{period}")
left_out = sources("volume_left_out", filters, period=period, include_duplicates=include_copies)
st.caption(
    t("sources_volume_caption", lang)
    + " "
    + t(
        "not_placed_caption",
        lang,
        undated=int(left_out["undated"].sum()),
        imprecise=int(left_out["imprecise"].sum()),
        period=t(f"period_{period}", lang).lower(),
    )
)

# -- (2) share of voice ---------------------------------------------------------------------
st.subheader(t("sources_sov_header", lang))
by = st.radio(
    t("sources_sov_by", lang),
    options=list(query_sources.SHARE_BY),
    format_func=lambda b: t(f"sources_by_{b}", lang),
    horizontal=True,
    key="sources_sov_by",
)
st.caption(t("sources_sov_caption", lang))
share = sources("share_of_voice", filters, by=by, include_duplicates=include_copies)
if share.empty:
    source_table = "entities" if by == "entity" else "events"
    built = int(sizes.get(source_table, 0)) > 0
    st.info(t("sources_sov_none" if built else f"sources_sov_not_built_{by}", lang))
else:
    chart(charts.share_of_voice(share, lang=lang, by=by), share, f"share_of_voice_{by}")

# -- (3) event coverage ---------------------------------------------------------------------
st.subheader(t("sources_cov_header", lang))
st.caption(t("sources_cov_caption", lang))
coverage = sources("coverage", filters)
if coverage.empty:
    built = int(sizes.get("events", 0)) > 0
    st.info(t("sources_cov_none" if built else "sources_cov_not_built", lang))
else:
    chart(charts.coverage(coverage, lang=lang), coverage, "coverage")

# -- (4) distinctive vocabulary -------------------------------------------------------------
st.subheader(t("sources_terms_header", lang))
st.caption(t("sources_terms_caption", lang, sample=f"{TERMS_SAMPLE_PER_OUTLET:,}"))
terms = sources("distinctive_terms", filters, k=10, include_duplicates=include_copies)
if terms.empty:
    st.info(t("sources_terms_need_two", lang))
else:
    chart(charts.distinctive_terms(terms, lang=lang), terms, "distinctive_terms")
    read = terms.groupby("outlet_id", sort=False)[["outlet", "outlet_articles"]].first()
    counts = "، " if lang == "ar" else ", "
    st.caption(
        t(
            "sources_terms_read",
            lang,
            counts=counts.join(
                f"{isolate_inline(md_escape(row.outlet))} {int(row.outlet_articles):,}"
                for row in read.itertuples()
            ),
        )
    )

# -- (5) syndication ------------------------------------------------------------------------
st.subheader(t("duplicates_title", lang))
st.caption(t("sources_synd_caption", lang))
pairs = sources("syndication", filters)
if pairs.empty:
    st.info(t("no_duplicates", lang))
else:
    flows = sources("syndication_flows", filters)
    chart(charts.syndication_flows(flows, lang=lang), flows, "syndication_flows")
    st.dataframe(charts.syndication_table(pairs, lang=lang), hide_index=True, key="sources_pairs")
    export_buttons(pairs, name="syndication_pairs", key="sources_pairs", lang=lang)

# -- (6) outlet profile ---------------------------------------------------------------------
st.subheader(t("sources_profile_header", lang))
names = {str(o): str(n) for o, n in zip(summary["outlet_id"], summary["outlet"], strict=True)}
chosen = st.selectbox(
    t("sources_profile_select", lang),
    options=list(names),
    index=None,
    format_func=lambda o: names.get(o, o),
    placeholder=t("sources_profile_placeholder", lang),
    key="sources_profile_outlet",
)
if chosen is not None:
    profile = sources("outlet_profile", filters, outlet_id=chosen)
    if profile.empty:
        st.info(t("no_articles", lang))
    else:
        row = profile.iloc[0]
        cols = st.columns(5)
        cols[0].metric(t("metric_articles", lang), int(row["articles"]))
        cols[1].metric(t("metric_copies", lang), int(row["copies"]))
        cols[2].metric(t("metric_undated", lang), int(row["undated"]))
        cols[3].metric(t("sources_metric_copies_of_others", lang), int(row["copies_of_others"]))
        cols[4].metric(t("sources_metric_copied_by_others", lang), int(row["copied_by_others"]))
        st.markdown(t("sources_profile_span", lang, span=charts.profile_span(row, lang=lang)))
        st.caption(t("sources_profile_caption", lang))
        left, right = st.columns(2)
        for column, kind in ((left, "entity"), (right, "event_type")):
            items = sources("outlet_top_items", filters, outlet_id=chosen, by=kind, limit=10)
            with column:
                if items.empty:
                    st.info(t(f"sources_profile_no_{kind}", lang))
                else:
                    figure = charts.top_items(items, lang=lang, by=kind)
                    chart(figure, items, f"profile_{chosen}_{kind}")
        own_terms = terms[terms["outlet_id"] == chosen] if not terms.empty else terms
        if own_terms.empty:
            st.info(t("sources_terms_need_two", lang))
        else:
            figure = charts.distinctive_terms(own_terms, lang=lang)
            chart(figure, own_terms, f"profile_{chosen}_terms")
            st.dataframe(
                charts.terms_table(own_terms, lang=lang),
                hide_index=True,
                key="sources_profile_terms",
            )
        export_buttons(profile, name=f"profile_{chosen}", key="sources_profile", lang=lang)
