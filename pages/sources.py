"""Sources: each outlet's coverage under the filters, and duplicated (syndicated) articles."""

from __future__ import annotations

import streamlit as st

from components import tables
from components.data import query
from components.i18n import t
from components.page import start

ctx = start("sources")
lang, filters = ctx.lang, ctx.filters

st.caption(t("sources_intro", lang))
summary = query(ctx.loaded, "outlet_summary", filters)
if summary.empty:
    st.info(t("no_articles", lang))
else:
    st.dataframe(tables.outlet_summary(summary, lang=lang), hide_index=True, key="sources_outlets")

st.subheader(t("duplicates_title", lang))
duplicates = query(ctx.loaded, "duplicates", filters)
if duplicates.empty:
    st.info(t("no_duplicates", lang))
else:
    st.dataframe(
        tables.duplicates(duplicates, lang=lang), hide_index=True, key="sources_duplicates"
    )
