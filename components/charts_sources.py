"""Chart builders for the Sources page: DataFrame in, ``go.Figure`` out, options keyword-only.

Inputs are the frames of :mod:`rasd.query_sources`. Same house rules as
:mod:`components.charts`: pure functions, every string that can hold Arabic goes through
:func:`components.arabic.isolate`, nothing is pre-shaped. In Arabic, category axes run from
the right (outlets, bars) so a reader starts where the page starts.

Text from the data (outlet names, entity names, words, event evidence) is HTML-escaped
before it reaches a label: Plotly reads a small HTML subset in labels, and data is not
markup (Plotly turns the entities back into the characters on screen).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from components.arabic import isolate
from components.charts import (
    HEIGHT,
    _base_layout,
    _count_axis,
    _empty,
    _outlet_names,
    _time_axis,
    period_label,
    period_spans,
    rows_by,
)
from components.figure import Spec, subplots
from components.i18n import format_date, label_for, t
from components.tables import reading_order

#: Up to this many periods the volume chart draws bars; beyond it, lines.
MAX_BAR_PERIODS = 16
#: Longest evidence sentence shown in a hover label.
MAX_EVIDENCE_CHARS = 140
#: Outlets shown side by side in the distinctive-terms chart before it wraps to a new row.
TERMS_COLUMNS = 3
#: Sequential colours: light (0) to dark (1); readable on the light and the dark theme.
SHARE_SCALE = "Blues"
#: Lag behind the first report: green (first) through yellow to orange; light enough for
#: the dark cell text to stay readable.
LAG_SCALE = [[0.0, "#91cf60"], [0.5, "#fee08b"], [1.0, "#fc8d59"]]
UNKNOWN_COLOUR = "#b0b0b0"


def _colorbar(title: str, **extra: Any) -> dict[str, Any]:
    """A horizontal colour bar under the plot: a vertical one would cover the category
    labels, which sit on the right in Arabic."""
    return {
        "title": {"text": isolate(title), "side": "top"},
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": 0,
        "yanchor": "top",
        "ypad": 30,
        "len": 0.5,
        "thickness": 12,
        **extra,
    }


def _present(value: Any) -> bool:
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%" if value >= 0.01 or value == 0 else f"{100 * value:.1f}%"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _short(text: str, limit: int = MAX_EVIDENCE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique(labels: Sequence[str]) -> list[str]:
    """Labels made unique by a counter suffix (a category axis merges equal labels)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _names(df: pd.DataFrame) -> dict[str, str]:
    """Outlet display names (disambiguated by id), escaped: a name is text, not markup."""
    return {oid: _escape(name) for oid, name in _outlet_names(df).items()}


#: Outlets an x axis writes level; beyond this Plotly may slant the names (it does when
#: they would overlap: twelve outlets with their article counts did at 1,400 px).
LEVEL_OUTLETS = 6


def _outlet_axis_top(labels: list[str]) -> int:
    """The top margin (px) of a chart with an outlet axis above it: room for the title
    above slanted names too."""
    return 120 if len(labels) <= LEVEL_OUTLETS else 240


def _outlet_axis(labels: list[str], *, lang: str, title: str) -> dict[str, Any]:
    """A category x axis of outlets: first outlet on the right in Arabic."""
    axis: dict[str, Any] = {
        "title": {"text": isolate(title)},
        "categoryorder": "array",
        "categoryarray": labels,
        "autorange": "reversed" if lang == "ar" else True,
        "side": "top",
        "automargin": True,
    }
    if len(labels) <= LEVEL_OUTLETS:
        axis["tickangle"] = 0  # (unset: Plotly's own choice, slanted if they would overlap)
    return axis


def _category_axis(labels: list[str], *, lang: str, title: str) -> dict[str, Any]:
    """A category y axis, first label on top; labels on the right in Arabic."""
    return {
        "title": {"text": isolate(title)},
        "categoryorder": "array",
        "categoryarray": labels,
        "autorange": "reversed",
        "side": "right" if lang == "ar" else "left",
        "automargin": True,
    }


def _labelled_cells(
    x: list[str], y: list[str], text: list[list[str]], hover: list[list[str]]
) -> dict[str, Any]:
    """A heatmap's categories, cell text and hover, cells drawn apart."""
    return {
        "x": x,
        "y": y,
        "text": text,
        "texttemplate": "%{text}",
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
    }


def item_label(row: Any, *, lang: str) -> str:
    """An entity's or event type's name in ``lang``, else in the other language, else its id."""
    first, second = ("label_ar", "label_en") if lang == "ar" else ("label_en", "label_ar")
    for column in (first, second):
        value = row.get(column) if hasattr(row, "get") else None
        if _present(value) and str(value).strip():
            return str(value)
    return str(row.get("item_id", ""))


# -- (1) volume -------------------------------------------------------------------------------


def volume(
    df: pd.DataFrame,
    *,
    lang: str,
    period: str = "week",
    measure: str = "n",
    max_bar_periods: int = MAX_BAR_PERIODS,
) -> go.Figure:
    """Articles per period per outlet, as counts or as a share of each outlet's output.

    Side-by-side bars (each spanning its period, so a month is not read as a day) while
    there are at most ``max_bar_periods`` periods; lines beyond that.

    Args:
        df: ``query_sources.volume``: ``period_start, outlet_id, outlet, n, outlet_placed,
            share``.
        lang: UI language.
        period: the bucket the frame was counted in (day, week, month or year).
        measure: ``n`` (articles) or ``share`` (of the outlet's placed articles).
        max_bar_periods: above this many periods the outlets are drawn as lines.
    """
    if measure not in ("n", "share"):
        raise ValueError(f"unknown measure {measure!r}")
    period_name = t(f"period_{period}", lang).lower()
    key = "sources_volume_title" if measure == "n" else "sources_volume_share_title"
    title = t(key, lang, period=period_name)
    if df.empty:
        return _empty(title, lang=lang)
    names = _names(df)
    frame = df.assign(period_start=pd.to_datetime(df["period_start"]).dt.date)
    fig = Spec()
    bars = frame["period_start"].nunique() <= max_bar_periods
    groups = list(frame.sort_values("period_start").groupby("outlet_id", sort=False))
    for index, (outlet_id, group) in enumerate(groups):
        name = names[str(outlet_id)]
        middles, spans = period_spans(group["period_start"], period)
        hover = [
            isolate(
                f"{name}<br>"
                + t(
                    "sources_hover_volume",
                    lang,
                    label=period_label(d, period=period, lang=lang),
                    n=int(n),
                    pct=_pct(float(s)),
                )
            )
            for d, n, s in zip(group["period_start"], group["n"], group["share"], strict=True)
        ]
        values = [int(v) for v in group["n"]] if measure == "n" else list(group["share"])
        common: dict[str, Any] = {
            "x": middles,
            "y": values,
            "name": isolate(name),
            "hovertext": hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if bars:
            # Outlets side by side inside 80% of each period (explicit, because Plotly's
            # own grouping on a date axis assumes equal periods and draws one bar as a wall).
            widths = [0.8 * span / len(groups) for span in spans]
            offsets = [-0.4 * span + index * w for span, w in zip(spans, widths, strict=True)]
            fig.add_trace("bar", {"width": widths, "offset": offsets, **common})
        else:
            fig.add_trace("scatter", {"mode": "lines+markers", **common})
    _base_layout(fig, title=title, lang=lang)
    if measure == "n":
        yaxis: dict[str, Any] = {
            "title": {"text": isolate(t("axis_articles", lang))},
            **_count_axis(int(frame["n"].max())),
        }
    else:
        yaxis = {
            "title": {"text": isolate(t("sources_axis_share_output", lang))},
            "tickformat": ".0%",
            "rangemode": "tozero",
        }
    fig.update_layout(
        barmode="overlay",
        showlegend=True,
        legend={"title": {"text": isolate(t("legend_outlet", lang))}},
        xaxis={
            "title": {"text": isolate(t("axis_published", lang))},
            **_time_axis(list(frame["period_start"]), period=period, lang=lang),
        },
        yaxis=yaxis,
    )
    return fig.figure()


# -- (2) share of voice ---------------------------------------------------------------------


def share_of_voice(df: pd.DataFrame, *, lang: str, by: str = "entity") -> go.Figure:
    """Heatmap of items × outlets: fraction of each outlet's articles naming the item.

    Args:
        df: ``query_sources.share_of_voice``.
        lang: UI language.
        by: ``entity`` or ``event_type`` (axis title only).
    """
    title = t("sources_sov_title", lang)
    if df.empty:
        return _empty(title, lang=lang)
    names = _names(df)
    outlets = list(dict.fromkeys(str(o) for o in df["outlet_id"]))
    sizes = df.drop_duplicates("outlet_id").set_index("outlet_id")["outlet_articles"]
    x_labels = [
        isolate(f"{names[o]} ({t('sources_n_articles', lang, n=int(sizes[o]))})") for o in outlets
    ]
    items = list(dict.fromkeys(str(i) for i in df["item_id"]))
    first_rows = df.drop_duplicates("item_id").set_index("item_id")
    raw_labels = [_escape(item_label(first_rows.loc[i], lang=lang)) for i in items]
    y_labels = [isolate(label) for label in _unique(raw_labels)]
    cells = {(str(r["item_id"]), str(r["outlet_id"])): r for _, r in df.iterrows()}
    z: list[list[float]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for item, raw in zip(items, raw_labels, strict=True):
        z_row: list[float] = []
        text_row: list[str] = []
        hover_row: list[str] = []
        for outlet in outlets:
            row = cells[(item, outlet)]
            share = float(row["share"])
            z_row.append(share)
            text_row.append(_pct(share))
            hover_row.append(
                isolate(
                    f"{names[outlet]}<br>{raw}<br>"
                    + t(
                        "sources_hover_share",
                        lang,
                        n=int(row["n_articles"]),
                        total=int(row["outlet_articles"]),
                        pct=_pct(share),
                    )
                )
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    fig = Spec()
    fig.add_trace(
        "heatmap",
        {
            "z": z,
            **_labelled_cells(x_labels, y_labels, text, hover),
            "colorscale": get_colorscale(SHARE_SCALE),
            "zmin": 0.0,
            "zmax": 1.0,
            "colorbar": _colorbar(t("sources_share_legend", lang), tickformat=".0%"),
        },
    )
    _base_layout(fig, title=title, lang=lang)
    axis_key = "sources_axis_entity" if by == "entity" else "sources_axis_event_type"
    fig.update_layout(
        height=max(330, 230 + 40 * len(items)),
        margin={"t": _outlet_axis_top(x_labels), "b": 110},
        xaxis=_outlet_axis(x_labels, lang=lang, title=t("axis_outlet", lang)),
        yaxis=_category_axis(y_labels, lang=lang, title=t(axis_key, lang)),
    )
    return fig.figure()


def top_items(df: pd.DataFrame, *, lang: str, by: str = "entity") -> go.Figure:
    """Horizontal bars: share of one outlet's articles naming each item (outlet profile).

    Args:
        df: ``query_sources.outlet_top_items``.
        lang: UI language.
        by: ``entity`` or ``event_type``.
    """
    key = "sources_profile_entities" if by == "entity" else "sources_profile_types"
    axis_key = "sources_axis_entity" if by == "entity" else "sources_axis_event_type"
    title = t(key, lang)
    if df.empty:
        return _empty(title, lang=lang)
    raw = [_escape(item_label(row, lang=lang)) for _, row in df.iterrows()]
    labels = [isolate(label) for label in _unique(raw)]
    fig = Spec()
    fig.add_trace(
        "bar",
        {
            "x": [float(v) for v in df["share"]],
            "y": labels,
            "orientation": "h",
            "hovertext": [
                isolate(
                    f"{name}<br>"
                    + t(
                        "sources_hover_share",
                        lang,
                        n=int(n),
                        total=int(total),
                        pct=_pct(float(share)),
                    )
                )
                for name, n, total, share in zip(
                    raw, df["n_articles"], df["outlet_articles"], df["share"], strict=True
                )
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
        },
    )
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        height=max(300, 100 + 30 * len(labels)),
        xaxis={
            "title": {"text": isolate(t("sources_share_legend", lang))},
            "tickformat": ".0%",
            "rangemode": "tozero",
            "autorange": "reversed" if lang == "ar" else True,
        },
        yaxis=_category_axis(labels, lang=lang, title=t(axis_key, lang)),
    )
    return fig.figure()


# -- (3) event coverage ---------------------------------------------------------------------


def _event_date(value: Any, precision: Any, lang: str) -> str:
    if not _present(value):
        return t("date_unknown", lang)
    when = pd.Timestamp(value).date()
    precision = str(precision) if _present(precision) else "day"
    if precision in ("day", "month", "year"):
        return format_date(when, precision, lang)
    if precision == "week":
        return t("week_of", lang, date=format_date(when, "day", lang))
    return format_date(when, "year", lang)


def cluster_label(row: Any, *, lang: str) -> str:
    """A story's name on the axis: event type and when it happened (at its precision)."""
    column = "event_label_ar" if lang == "ar" else "event_label_en"
    kind = row.get(column)
    if not _present(kind):
        kind = row.get("event_type")
    kind = str(kind) if _present(kind) else t("sources_story", lang)
    return f"{kind} · {_event_date(row.get('date_start'), row.get('date_precision'), lang)}"


def _lag_text(row: Any, lang: str) -> str:
    status = str(row["status"])
    if status == "first":
        return t("sources_status_first", lang)
    if status == "same_day":
        return t("sources_status_same_day", lang)
    if status == "unknown":
        return t("sources_status_unknown_short", lang)
    if _present(row.get("lag_hours")):
        hours = float(row["lag_hours"])
        if hours < 48:
            return t("sources_lag_hours", lang, n=f"{hours:.1f}".rstrip("0").rstrip("."))
    return t("sources_lag_days", lang, n=int(row["lag_days"]))


def _lag_value(row: Any) -> float | None:
    """Lag in days for the colour (hours / 24 when the time is known); None when unknown."""
    if str(row["status"]) == "unknown":
        return None
    if _present(row.get("lag_hours")):
        return max(0.0, float(row["lag_hours"]) / 24.0)
    if _present(row.get("lag_days")):
        return float(row["lag_days"])
    return None


def coverage(df: pd.DataFrame, *, lang: str) -> go.Figure:
    """Heatmap of stories × outlets: who reported what, who was first, and how late.

    Cells are coloured by lag behind the first report (green: first); an outlet whose
    reports carry no day-precise date is drawn grey and labelled as unknown, never given a
    guessed lag. An empty cell means the outlet did not report the story.

    Args:
        df: ``query_sources.coverage``.
        lang: UI language.
    """
    title = t("sources_cov_title", lang)
    if df.empty:
        return _empty(title, lang=lang)
    names = _names(df)
    outlets = list(dict.fromkeys(str(o) for o in df["outlet_id"]))
    x_labels = [isolate(names[o]) for o in outlets]
    clusters = list(dict.fromkeys(str(c) for c in df["cluster_id"]))
    first_rows = df.drop_duplicates("cluster_id").set_index("cluster_id")
    raw_labels = _unique([_escape(cluster_label(first_rows.loc[c], lang=lang)) for c in clusters])
    y_labels = [isolate(label) for label in raw_labels]
    cells = {(str(r["cluster_id"]), str(r["outlet_id"])): r for _, r in df.iterrows()}
    known_z: list[list[float | None]] = []
    unknown_z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    max_lag = 1.0
    for cluster, label in zip(clusters, raw_labels, strict=True):
        meta = first_rows.loc[cluster]
        evidence = meta.get("evidence")
        evidence_line = (
            "<br>" + _escape(_short(str(evidence))) if _present(evidence) and evidence else ""
        )
        k_row: list[float | None] = []
        u_row: list[float | None] = []
        text_row: list[str] = []
        hover_row: list[str] = []
        for outlet in outlets:
            row = cells.get((cluster, outlet))
            if row is None:
                k_row.append(None)
                u_row.append(None)
                text_row.append("")
                hover_row.append(
                    isolate(f"{names[outlet]}<br>{label}<br>" + t("sources_not_reported", lang))
                )
                continue
            lag = _lag_value(row)
            k_row.append(lag)
            u_row.append(1.0 if lag is None else None)
            if lag is not None:
                max_lag = max(max_lag, lag)
            cell = _lag_text(row, lang)
            text_row.append(isolate(cell))
            published = format_date(
                row["first_at"] if _present(row["first_at"]) else None,
                row["first_precision"] if _present(row["first_precision"]) else None,
                lang,
            )
            details = t(
                "sources_hover_coverage",
                lang,
                status=t(f"sources_status_{row['status']}", lang),
                n=int(row["n_articles"]),
                copies=int(row["n_copies"]),
                published=published,
            )
            hover_row.append(
                isolate(f"{names[outlet]}<br>{label}<br>{cell} · {details}{evidence_line}")
            )
        known_z.append(k_row)
        unknown_z.append(u_row)
        text.append(text_row)
        hover.append(hover_row)
    common = {**_labelled_cells(x_labels, y_labels, text, hover), "hoverongaps": False}
    fig = Spec()
    fig.add_trace(
        "heatmap",
        {
            "z": known_z,
            "colorscale": LAG_SCALE,
            "zmin": 0.0,
            "zmax": max_lag,
            "colorbar": _colorbar(t("sources_lag_legend", lang)),
            "name": isolate(t("sources_lag_legend", lang)),
            **common,
        },
    )
    fig.add_trace(
        "heatmap",
        {
            "z": unknown_z,
            "colorscale": [[0.0, UNKNOWN_COLOUR], [1.0, UNKNOWN_COLOUR]],
            "showscale": False,
            "name": isolate(t("sources_status_unknown", lang)),
            **common,
        },
    )
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        height=max(330, 230 + 44 * len(clusters)),
        margin={"t": _outlet_axis_top(x_labels), "b": 110},
        xaxis=_outlet_axis(x_labels, lang=lang, title=t("axis_outlet", lang)),
        yaxis=_category_axis(y_labels, lang=lang, title=t("sources_axis_story", lang)),
    )
    return fig.figure()


# -- (4) distinctive terms ------------------------------------------------------------------


def distinctive_terms(
    df: pd.DataFrame, *, lang: str, k: int = 10, max_outlets: int = 9
) -> go.Figure:
    """Bars of each outlet's most distinctive terms (z-score of weighted log-odds).

    One panel per outlet (at most ``max_outlets``), terms best first from the top.

    Args:
        df: ``query_sources.distinctive_terms``.
        lang: UI language.
        k: terms per outlet.
        max_outlets: panels drawn.
    """
    title = t("sources_terms_title", lang)
    if df.empty:
        return _empty(title, lang=lang)
    names = _names(df)
    outlets = list(dict.fromkeys(str(o) for o in df["outlet_id"]))[:max_outlets]
    columns = min(TERMS_COLUMNS, len(outlets))
    rows = math.ceil(len(outlets) / columns)
    order = outlets if lang != "ar" else _rtl_grid(outlets, columns)
    padded = order + [""] * (rows * columns - len(order))
    fig = subplots(
        rows=rows,
        cols=columns,
        specs=[
            [{} if padded[r * columns + c] else None for c in range(columns)] for r in range(rows)
        ],
        # (subplot titles: kept isolated, as every label)
        subplot_titles=[isolate(names[o]) for o in padded if o],
        horizontal_spacing=0.18 if columns > 1 else 0.0,
        vertical_spacing=min(0.12, 0.5 / rows),
    )
    parts = rows_by(df, "outlet_id")
    for index, outlet in enumerate(order):
        if not outlet:
            continue
        part = parts.get(str(outlet), df.iloc[0:0]).sort_values("rank").head(k)
        labels = _unique([_escape(str(v)) for v in part["label"]])
        y = [isolate(label) for label in labels]
        hover = [
            isolate(
                f"{label}<br>"
                + t(
                    "sources_hover_term",
                    lang,
                    count=int(c),
                    rate=f"{float(r):.1f}",
                    rest=f"{float(rr):.1f}" if _present(rr) else "—",
                    z=f"{float(zv):.2f}",
                )
            )
            for label, c, r, rr, zv in zip(
                labels, part["count"], part["per_10k"], part["per_10k_rest"], part["z"], strict=True
            )
        ]
        row, col = divmod(index, columns)
        cell = (row + 1, col + 1)
        fig.add_trace(
            "bar",
            {
                "x": [float(v) for v in part["z"]],
                "y": y,
                "orientation": "h",
                "name": isolate(names[outlet]),
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "showlegend": False,
            },
            cell=cell,
        )
        fig.axis(
            "y",
            cell,
            categoryorder="array",
            categoryarray=y,
            autorange="reversed",
            side="right" if lang == "ar" else "left",
            automargin=True,
        )
        fig.axis("x", cell, autorange="reversed" if lang == "ar" else True, rangemode="tozero")
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        height=max(HEIGHT, rows * (90 + 24 * k)),
        showlegend=False,
        margin={"t": 90, "b": 80},
    )
    fig.add_annotation(
        text=isolate(t("sources_axis_z", lang)),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0,
        yanchor="top",
        yshift=-30,
        showarrow=False,
    )
    return fig.figure()


def _rtl_grid(outlets: list[str], columns: int) -> list[str]:
    """Panels in right-to-left reading order: each row of the grid reversed (blank-padded)."""
    padded = outlets + [""] * (-len(outlets) % columns)
    rows = [padded[i : i + columns] for i in range(0, len(padded), columns)]
    return [outlet for row in rows for outlet in reversed(row)]


# -- (5) syndication ------------------------------------------------------------------------


def syndication_flows(df: pd.DataFrame, *, lang: str) -> go.Figure:
    """Heatmap of copying outlet × original outlet: how many copies went which way.

    Args:
        df: ``query_sources.syndication_flows``.
        lang: UI language.
    """
    title = t("sources_flows_title", lang)
    if df.empty:
        return _empty(title, lang=lang)
    copy_names = _names(df.rename(columns={"copy_outlet_id": "outlet_id", "copy_outlet": "outlet"}))
    original_names = _names(
        df.rename(columns={"original_outlet_id": "outlet_id", "original_outlet": "outlet"})
    )
    copiers = list(dict.fromkeys(str(o) for o in df["copy_outlet_id"]))
    originals = list(dict.fromkeys(str(o) for o in df["original_outlet_id"]))
    x_labels = [isolate(original_names[o]) for o in originals]
    y_labels = [isolate(copy_names[o]) for o in copiers]
    cells = {(str(r["copy_outlet_id"]), str(r["original_outlet_id"])): r for _, r in df.iterrows()}
    z: list[list[int | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for copier in copiers:
        z_row: list[int | None] = []
        text_row: list[str] = []
        hover_row: list[str] = []
        for original in originals:
            row = cells.get((copier, original))
            n = int(row["n_copies"]) if row is not None else 0
            z_row.append(n if n else None)
            text_row.append(str(n) if n else "")
            similarity = (
                f"{float(row['mean_similarity']):.2f}"
                if row is not None and _present(row["mean_similarity"])
                else "—"
            )
            hover_row.append(
                isolate(
                    t(
                        "sources_hover_flow",
                        lang,
                        copier=copy_names[copier],
                        original=original_names[original],
                        n=n,
                        similarity=similarity,
                    )
                )
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    fig = Spec()
    fig.add_trace(
        "heatmap",
        {
            "z": z,
            **_labelled_cells(x_labels, y_labels, text, hover),
            "colorscale": get_colorscale("Oranges"),
            "zmin": 0,
            "zmax": max(1, int(df["n_copies"].max())),
            "hoverongaps": False,
            "colorbar": _colorbar(t("sources_copies_legend", lang)),
        },
    )
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        height=max(330, 230 + 44 * len(copiers)),
        margin={"t": _outlet_axis_top(x_labels), "b": 110},
        xaxis=_outlet_axis(x_labels, lang=lang, title=t("sources_axis_original_outlet", lang)),
        yaxis=_category_axis(y_labels, lang=lang, title=t("sources_axis_copy_outlet", lang)),
    )
    return fig.figure()


def _dates(values: pd.Series, precisions: pd.Series, lang: str) -> list[str]:
    return [
        format_date(v if _present(v) else None, p if _present(p) else None, lang)
        for v, p in zip(values, precisions, strict=True)
    ]


def _lag_cell(hours: Any, days: Any, lang: str) -> str:
    if _present(hours):
        return t("sources_lag_hours", lang, n=f"{float(hours):.1f}".rstrip("0").rstrip("."))
    if _present(days):
        return t("sources_lag_days", lang, n=int(days))
    return t("none_value", lang)


def syndication_table(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``query_sources.syndication`` → a display table: copy, original, who was first.

    Columns are translated and in reading order; dates are shown at their precision.
    """
    no_title = t("no_title", lang)
    out = pd.DataFrame(
        {
            "copy_outlet": list(df["copy_outlet"]),
            "copy_title": [str(v) if _present(v) else no_title for v in df["copy_title"]],
            "copy_published": _dates(df["copy_published_at"], df["copy_precision"], lang),
            "original_outlet": list(df["original_outlet"]),
            "original_title": [str(v) if _present(v) else no_title for v in df["original_title"]],
            "original_published": _dates(
                df["original_published_at"], df["original_precision"], lang
            ),
            "kind": [label_for("kind", v if _present(v) else None, lang) for v in df["kind"]],
            "similarity": [round(float(v), 2) if _present(v) else None for v in df["similarity"]],
            "first": [label_for("sources_first", str(v), lang) for v in df["first"]],
            "lag": [
                _lag_cell(h, d, lang) for h, d in zip(df["lag_hours"], df["lag_days"], strict=True)
            ],
        }
    )
    headers = {
        "copy_outlet": "col_outlet",
        "copy_title": "col_title",
        "copy_published": "col_published",
        "original_outlet": "col_original_outlet",
        "original_title": "col_original_title",
        "original_published": "col_original_published",
        "kind": "col_kind",
        "similarity": "col_similarity",
        "first": "sources_col_first",
        "lag": "sources_col_lag",
    }
    return reading_order(out.rename(columns={k: t(v, lang) for k, v in headers.items()}), lang)


def terms_table(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``query_sources.distinctive_terms`` for one outlet → term, count, rates, z."""
    out = pd.DataFrame(
        {
            t("sources_col_term", lang): list(df["label"]),
            t("col_count", lang): [int(v) for v in df["count"]],
            t("sources_col_rate", lang): [round(float(v), 1) for v in df["per_10k"]],
            t("sources_col_rate_rest", lang): [
                round(float(v), 1) if _present(v) else None for v in df["per_10k_rest"]
            ],
            t("sources_col_z", lang): [round(float(v), 2) for v in df["z"]],
        }
    )
    return reading_order(out, lang)


def profile_span(row: Any, *, lang: str) -> str:
    """An outlet's first and last publication dates at their precision ("—" when none)."""
    first = format_date(
        row["first"] if _present(row["first"]) else None,
        row["first_precision"] if _present(row["first_precision"]) else None,
        lang,
    )
    last = format_date(
        row["last"] if _present(row["last"]) else None,
        row["last_precision"] if _present(row["last_precision"]) else None,
        lang,
    )
    if not _present(row["first"]):
        return t("date_unknown", lang)
    return first if first == last else t("sources_span", lang, first=first, last=last)


__all__ = [
    "cluster_label",
    "coverage",
    "distinctive_terms",
    "item_label",
    "profile_span",
    "share_of_voice",
    "syndication_flows",
    "syndication_table",
    "terms_table",
    "top_items",
    "volume",
]
