"""Entities: who is mentioned, with whom, when and where.

Thin: the global filters come from the URL (components/page.py), every number from
rasd.query_entities, every figure from components/charts_entities.py. Picking an entity (a
node of the network, a place on the map, or the list) adds it to the global ``entity``
filter in the URL (``?entity=<id>``, repeatable), which every page honours.

Downloads (components/export.py) under every chart and table: the network's and the
heatmap's pairs (with both entities' names), the subject's mentions over time, the places on
the map (CSV, Parquet, PNG), the co-occurring entities and the sentences (CSV, Parquet).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from components import charts_entities as ce
from components import filters as filter_bar
from components.data import query
from components.export import export_buttons, plotly_config
from components.i18n import fill, format_date, t
from components.page import start
from components.text import article_html, esc, query_href, safe_link
from rasd import query_entities
from rasd.filters import Filters, parse_params, to_params
from rasd.query import Dataset

NETWORK_KEY = "entities_network"
MAP_KEY = "entities_map"
PICK_KEY = "entities_pick"
FOCUS_KEY = "entities_focus"
MAX_NODES = 30
#: Entities in the heatmap (the most covered among those paired in the network).
HEATMAP_ENTITIES = 12
#: Columns that name each side of an exported pair: ``source``, ``source_name_ar`` …
NAMED = ("", "_name_ar", "_name_en")

ctx = start("entities")
lang, filters = ctx.lang, ctx.filters


@st.cache_data(show_spinner=False, max_entries=256)
def _ask(_ds: Dataset, dataset_key: str, name: str, view: Filters, kwargs: tuple[Any, ...]) -> Any:
    """``rasd.query_entities.<name>(ds, view, **kwargs)``, cached across sessions per build."""
    del dataset_key  # part of the cache key only
    return getattr(query_entities, name)(_ds, view, **dict(kwargs))


def ask(name: str, view: Filters, **kwargs: Any) -> Any:
    return _ask(ctx.dataset, ctx.loaded.key, name, view.with_(), tuple(sorted(kwargs.items())))


def _add_to_filter(entity_id: str) -> None:
    """Add ``entity_id`` to the URL's ``entity`` filter (callbacks: the URL as it stands)."""
    view = parse_params(filter_bar.read_url())
    if entity_id and entity_id not in view.entities:
        filter_bar.write_url(to_params(view.with_(entities=(*view.entities, entity_id))))


def _on_pick() -> None:
    picked = st.session_state.get(PICK_KEY)
    if isinstance(picked, str) and picked:
        _add_to_filter(picked)
    st.session_state[PICK_KEY] = ""


def _pairs_with_names(edges: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """``edges`` between two of ``nodes`` (the pairs a chart draws), each side named."""
    names = nodes.drop_duplicates("entity_id").set_index("entity_id")
    drawn = edges[edges["source"].isin(names.index) & edges["target"].isin(names.index)]
    out = drawn.reset_index(drop=True)
    # by plain dict look-ups: a map over Arrow-backed strings cost ~4 ms each
    known = {suffix: dict(zip(names.index, names[suffix[1:]], strict=True)) for suffix in NAMED[1:]}
    for side in ("source", "target"):
        ids = [str(e) for e in out[side]]
        for suffix in NAMED[1:]:
            dtype = names[suffix[1:]].dtype
            out[f"{side}{suffix}"] = pd.Series([known[suffix].get(e) for e in ids], dtype=dtype)
    first = [f"{side}{suffix}" for side in ("source", "target") for suffix in NAMED]
    return out[[*first, *(c for c in out.columns if c not in first)]]


def _on_chart_select(key: str) -> None:
    selection = (st.session_state.get(key) or {}).get("selection") or {}
    for point in selection.get("points") or []:
        custom = point.get("customdata")
        entity_id = custom[0] if isinstance(custom, list) and custom else custom
        if isinstance(entity_id, str) and entity_id:
            _add_to_filter(entity_id)
            return


sizes = query(ctx.loaded, "table_sizes")
if int(sizes.loc[sizes["table"] == "entities", "n_rows"].sum()) == 0:
    st.info(t("entities_not_built", lang), icon="ℹ️")
    st.stop()

st.caption(ce.label("page_intro", lang))
nodes: pd.DataFrame = ask("top_entities", filters, limit=200)
if nodes.empty:
    st.info(t("entities_none_match", lang))
    st.stop()
names = {str(r.entity_id): ce.entity_name(r, lang) for r in nodes.itertuples()}


def _name(entity_id: str) -> str:
    return names.get(entity_id, entity_id)


st.selectbox(
    ce.label("page_pick", lang),
    options=["", *names],
    format_func=lambda e: _name(e) if e else ce.label("page_pick_none", lang),
    key=PICK_KEY,
    on_change=_on_pick,
)

# -- co-occurrence: controls, network, heatmap -----------------------------------------------------
c1, c2, c3 = st.columns([2, 1, 2])
measure = c1.radio(
    ce.label("page_strength", lang),
    options=list(query_entities.MEASURES),
    format_func=lambda m: ce.label(f"measure_{m}", lang),
    horizontal=True,
    key="entities_measure",
    help=ce.label("page_help_measures", lang),
)
window = c2.radio(
    ce.label("page_window", lang),
    options=list(query_entities.WINDOWS),
    format_func=lambda w: ce.label(f"page_window_{w}", lang),
    horizontal=True,
    key="entities_window",
)
focus = c3.selectbox(
    ce.label("page_focus", lang),
    options=["", *names],
    format_func=lambda e: _name(e) if e else ce.label("page_focus_none", lang),
    key=FOCUS_KEY,
)

if focus:
    all_edges: pd.DataFrame = ask(
        "ego_network", filters, entity_id=focus, window=window, measure=measure
    )
else:
    all_edges = ask("cooccurrence", filters, window=window, measure=measure, max_nodes=MAX_NODES)
if all_edges.empty:
    st.info(ce.label("page_no_edges", lang))
else:
    # The floors offered are the weights the pairs have (counts whole, other measures
    # rounded down to 0.01 so a floor keeps the pair it came from), with digit grouping.
    integer = measure == "count"
    floors = sorted(
        {int(w) if integer else math.floor(float(w) * 100) / 100 for w in all_edges["weight"]}
    )
    minimum: float = floors[0]
    if len(floors) > 1:
        weight_key = f"entities_min_weight_{measure}"
        if st.session_state.get(weight_key) not in floors:  # new filters, new weights
            st.session_state[weight_key] = floors[0]
        minimum = st.select_slider(
            ce.label("page_min_weight", lang),
            options=floors,
            format_func=lambda w: fill("{w}", {"w": w}) if integer else f"{w:.2f}",
            key=weight_key,
        )
    # the same as asking again with the floor (a tail of the strongest-first order)
    edges = query_entities.at_least(all_edges, minimum, focus or None)
    left, right = st.columns(2)
    with left:
        network_fig = ce.network(nodes, edges, lang=lang, measure=measure, focus=focus or None)
        st.plotly_chart(
            network_fig,
            key=NETWORK_KEY,
            on_select=lambda: _on_chart_select(NETWORK_KEY),
            selection_mode="points",
            width="stretch",
            config=plotly_config(f"network_{measure}_{window}"),
        )
        export_buttons(
            _pairs_with_names(edges, nodes),
            name=f"network_{measure}_{window}",
            key=NETWORK_KEY,
            lang=lang,
            fig=network_fig,
        )
    with right:
        heatmap_fig = ce.heatmap(
            nodes, edges, lang=lang, measure=measure, max_entities=HEATMAP_ENTITIES
        )
        st.plotly_chart(
            heatmap_fig,
            key="entities_heatmap",
            width="stretch",
            config=plotly_config(f"heatmap_{measure}_{window}"),
        )
        # The heatmap's entities, chosen as ce.heatmap chooses them.
        paired = set(edges["source"]) | set(edges["target"])
        in_heatmap = (
            nodes[nodes["entity_id"].isin(paired)]
            .drop_duplicates("entity_id")
            .head(HEATMAP_ENTITIES)
        )
        export_buttons(
            _pairs_with_names(edges, in_heatmap),
            name=f"heatmap_{measure}_{window}",
            key="entities_heatmap",
            lang=lang,
            fig=heatmap_fig,
        )

# -- entity detail -----------------------------------------------------------------------------------
st.subheader(ce.label("page_detail", lang))
default = focus or (filters.entities[0] if filters.entities else str(nodes.iloc[0]["entity_id"]))
choices = [*dict.fromkeys([default, *names])]
subject = st.selectbox(
    ce.label("page_detail_pick", lang),
    options=choices,
    index=0,
    format_func=_name,
    key=f"entities_detail_{default}",
)
info = query_entities.entity_info(ctx.dataset, subject)
if info is not None:
    title = info["name_ar"] if lang == "ar" else (info["name_en"] or info["name_ar"])
    st.markdown(f"### <bdi>{esc(title)}</bdi>", unsafe_allow_html=True)
    facts = [
        f"{esc(ce.label('page_type', lang))}: {esc(ce.label('type_' + str(info['type']), lang))}",
        esc(
            ce.label("page_counts", lang, mentions=info["n_mentions"], articles=info["n_articles"])
        ),
    ]
    if info.get("wikidata_id"):
        link = safe_link(
            f"https://www.wikidata.org/wiki/{info['wikidata_id']}", str(info["wikidata_id"])
        )
        facts.append(f"{esc(ce.label('page_wikidata', lang))}: {link}")
    other = info["name_en"] if lang == "ar" else info["name_ar"]
    if other:
        facts.insert(0, f"<bdi>{esc(other)}</bdi>")
    st.html(" · ".join(facts))
    if info["aliases"]:
        with st.expander(ce.label("page_aliases", lang)):
            st.html('<p dir="rtl" lang="ar">' + "، ".join(esc(a) for a in info["aliases"]) + "</p>")

    period = st.radio(
        ce.label("page_period", lang),
        options=list(query_entities.PERIODS),
        index=2,
        format_func=lambda p: ce.label(f"page_period_{p}", lang),
        horizontal=True,
        key="entities_period",
    )
    timeline: pd.DataFrame = ask("entity_timeline", filters, entity_id=subject, period=period)
    timeline_fig = ce.mentions_over_time(timeline, lang=lang, period=period, name=_name(subject))
    st.plotly_chart(
        timeline_fig,
        key="entities_timeline",
        width="stretch",
        config=plotly_config(f"mentions_{subject}_{period}"),
    )
    export_buttons(
        timeline,
        name=f"mentions_{subject}_{period}",
        key="entities_timeline",
        lang=lang,
        fig=timeline_fig,
    )

    st.markdown(f"**{esc(ce.label('page_cooccurring', lang))}**")
    partners: pd.DataFrame = ask(
        "top_cooccurring", filters, entity_id=subject, window=window, measure=measure
    )
    if not partners.empty:
        st.dataframe(
            pd.DataFrame(
                {
                    ce.label("col_entity", lang): [
                        ce.entity_name(r, lang) for r in partners.itertuples()
                    ],
                    ce.label("page_type", lang): [
                        ce.label(f"type_{v}", lang) for v in partners["type"]
                    ],
                    ce.label("col_together", lang): list(partners["n_xy"]),
                    ce.label("col_strength", lang): [
                        round(float(v), 3) for v in partners["weight"]
                    ],
                }
            ),
            hide_index=True,
            key="entities_partners",
        )
        export_buttons(partners, name=f"cooccurring_{subject}", key="entities_partners", lang=lang)

    st.markdown(f"**{esc(ce.label('page_sentences', lang))}**")
    sentences: pd.DataFrame = ask("entity_sentences", filters, entity_id=subject, limit=15)
    if sentences.empty:
        st.caption(ce.label("page_sentences_none", lang))
    items = []
    for rec in sentences.to_dict("records"):
        offset = int(rec["sentence_start"])
        marks = [
            (int(s) - offset, int(e) - offset, "rasd-entity", str(surface))
            for s, e, surface in zip(
                rec["mention_starts"], rec["mention_ends"], rec["surfaces"], strict=True
            )
        ]
        href = query_href(to_params(Filters(lang=lang, article=str(rec["article_id"]))), "articles")
        published = rec["published_at"] if not pd.isna(rec["published_at"]) else None
        when = format_date(published, rec.get("published_precision"), lang)
        items.append(
            "<li>"
            f'<div><bdi dir="auto">{esc(rec["outlet"])}</bdi> · {esc(when)} · '
            f'<a href="{esc(href)}" target="_self">{esc(ce.label("page_open_article", lang))}</a></div>'
            f"{article_html(str(rec['sentence']), highlights=marks)}</li>"
        )
    if items:
        st.html(
            "<style>mark.rasd-entity{background:#fde68a;padding:0 .1em;border-radius:.2em}</style>"
            f'<ul class="rasd-entity-sentences">{"".join(items)}</ul>'
        )
        export_buttons(sentences, name=f"sentences_{subject}", key="entities_sentences", lang=lang)

# -- places ------------------------------------------------------------------------------------------
st.subheader(ce.label("page_map", lang))
places: pd.DataFrame = ask("places", filters)
map_fig = ce.places_map(places, lang=lang)
st.plotly_chart(
    map_fig,
    key=MAP_KEY,
    on_select=lambda: _on_chart_select(MAP_KEY),
    selection_mode="points",
    config={**plotly_config("places"), "topojsonURL": ce.TOPOJSON_URL},
    width="stretch",
)
export_buttons(places, name="places", key=MAP_KEY, lang=lang, fig=map_fig)
st.caption(ce.label("page_map_note", lang))
