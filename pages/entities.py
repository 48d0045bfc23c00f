"""Entities: who is mentioned in the filtered articles.

Entity extraction is a later stage; until ``entities`` has rows this page says so and shows
nothing else (no placeholder chart, no sample data).
"""

from __future__ import annotations

import streamlit as st

from components import tables
from components.data import query
from components.i18n import t
from components.page import start

ctx = start("entities")
lang, filters = ctx.lang, ctx.filters

sizes = query(ctx.loaded, "table_sizes")
if int(sizes.loc[sizes["table"] == "entities", "n_rows"].sum()) == 0:
    st.info(t("entities_not_built", lang), icon="ℹ️")
    st.stop()

st.caption(t("entities_intro", lang))
entities = query(ctx.loaded, "top_entities", filters)
if entities.empty:
    st.info(t("entities_none_match", lang))
else:
    st.dataframe(tables.entities(entities, lang=lang), hide_index=True, key="entities_table")
