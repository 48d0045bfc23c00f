"""Data and quality: what the build read, kept, merged and rejected, and from which inputs."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import tables
from components.data import query
from components.export import export_buttons
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
export_buttons(tables.key_value_frame(build), name="build", key="data_build", lang=lang)

counts_col, tables_col = st.columns(2)
with counts_col:
    st.subheader(t("data_counts", lang))
    st.caption(t("data_counts_note", lang))
    st.dataframe(
        tables.key_values(_mapping(manifest.get("counts")), lang=lang),
        hide_index=True,
        key="data_counts",
    )
    export_buttons(
        tables.key_value_frame(_mapping(manifest.get("counts"))),
        name="counts",
        key="data_counts",
        lang=lang,
    )
with tables_col:
    st.subheader(t("data_tables", lang))
    sizes = query(ctx.loaded, "table_sizes")
    st.dataframe(tables.table_sizes(sizes, lang=lang), hide_index=True, key="data_tables")
    export_buttons(sizes, name="tables", key="data_tables", lang=lang)
    stages = _mapping(manifest.get("stages"))
    if stages:
        st.subheader(t("data_stages", lang))
        st.dataframe(tables.key_values(stages, lang=lang), hide_index=True, key="data_stages")
        export_buttons(tables.key_value_frame(stages), name="stages", key="data_stages", lang=lang)

st.subheader(t("data_quarantine", lang))
quarantine = query(ctx.loaded, "quarantine")
if quarantine.empty:
    st.info(t("data_no_quarantine", lang))
else:
    st.dataframe(tables.quarantine(quarantine, lang=lang), hide_index=True, key="data_quarantine")
    export_buttons(quarantine, name="quarantine", key="data_quarantine", lang=lang)

st.subheader(t("duplicates_title", lang))
DUPLICATES_SHOWN = 800  # a table of every copy of a million articles is tens of MB
duplicates = query(ctx.loaded, "duplicates", Filters(lang=lang), limit=DUPLICATES_SHOWN)
if duplicates.empty:
    st.info(t("no_duplicates", lang))
else:
    if len(duplicates) >= DUPLICATES_SHOWN:
        st.caption(
            f"تُعرض أعلى {DUPLICATES_SHOWN} نسخة تشابهًا فقط."
            if lang == "ar"
            else f"Only the {DUPLICATES_SHOWN} most similar copies are shown."
        )
    st.dataframe(tables.duplicates(duplicates, lang=lang), hide_index=True, key="data_duplicates")
    export_buttons(duplicates, name="duplicates", key="data_duplicates", lang=lang)

inputs = manifest.get("inputs")
if isinstance(inputs, list) and inputs:
    st.subheader(t("data_inputs", lang))
    st.dataframe(tables.inputs(inputs, lang=lang), hide_index=True, key="data_inputs")
    export_buttons(
        pd.DataFrame([dict(r) for r in inputs if isinstance(r, Mapping)]),
        name="inputs",
        key="data_inputs",
        lang=lang,
    )

timings = _mapping(manifest.get("timings"))
if timings:
    st.subheader(t("data_timings", lang))
    st.dataframe(tables.key_values(timings, lang=lang), hide_index=True, key="data_timings")
    export_buttons(tables.key_value_frame(timings), name="timings", key="data_timings", lang=lang)

with st.expander(t("data_manifest_raw", lang)):
    st.json(dict(manifest), expanded=False)
