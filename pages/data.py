"""Data and quality: what the build read, kept, merged and rejected, and from which inputs."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components import tables
from components.data import query
from components.i18n import t
from components.page import start
from rasd.filters import Filters

ctx = start("data")
lang = ctx.lang
manifest = ctx.dataset.manifest


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


st.subheader(t("data_build", lang))
build = {
    "dataset_id": manifest.get("dataset_id"),
    "schema_version": manifest.get("schema_version"),
    "rasd_version": manifest.get("rasd_version"),
    "built_at": manifest.get("built_at"),
    "path": str(ctx.dataset.path),
}
st.dataframe(tables.key_values(build, lang=lang), hide_index=True, key="data_build")

counts_col, tables_col = st.columns(2)
with counts_col:
    st.subheader(t("data_counts", lang))
    st.caption(t("data_counts_note", lang))
    st.dataframe(
        tables.key_values(_mapping(manifest.get("counts")), lang=lang),
        hide_index=True,
        key="data_counts",
    )
with tables_col:
    st.subheader(t("data_tables", lang))
    st.dataframe(
        tables.table_sizes(query(ctx.loaded, "table_sizes"), lang=lang),
        hide_index=True,
        key="data_tables",
    )
    stages = _mapping(manifest.get("stages"))
    if stages:
        st.subheader(t("data_stages", lang))
        st.dataframe(tables.key_values(stages, lang=lang), hide_index=True, key="data_stages")

st.subheader(t("data_quarantine", lang))
quarantine = query(ctx.loaded, "quarantine")
if quarantine.empty:
    st.info(t("data_no_quarantine", lang))
else:
    st.dataframe(tables.quarantine(quarantine, lang=lang), hide_index=True, key="data_quarantine")

st.subheader(t("duplicates_title", lang))
duplicates = query(ctx.loaded, "duplicates", Filters(lang=lang))
if duplicates.empty:
    st.info(t("no_duplicates", lang))
else:
    st.dataframe(tables.duplicates(duplicates, lang=lang), hide_index=True, key="data_duplicates")

inputs = manifest.get("inputs")
if isinstance(inputs, list) and inputs:
    st.subheader(t("data_inputs", lang))
    st.dataframe(tables.inputs(inputs, lang=lang), hide_index=True, key="data_inputs")

timings = _mapping(manifest.get("timings"))
if timings:
    st.subheader(t("data_timings", lang))
    st.dataframe(tables.key_values(timings, lang=lang), hide_index=True, key="data_timings")

with st.expander(t("data_manifest_raw", lang)):
    st.json(dict(manifest), expanded=False)
