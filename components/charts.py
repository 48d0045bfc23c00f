"""Chart builders: DataFrame in, ``go.Figure`` out; options keyword-only.

Pure functions (no Streamlit), so they are tested on small frames. Every string that reaches
the figure (titles, axis titles, tick text, legend entries, hover text, annotations) goes
through :func:`components.arabic.isolate`: Plotly's SVG text has a left-to-right base
direction, and a mixed label such as ``19 يونيو 2024`` reads in the wrong order without an
isolate (DESIGN.md). Nothing here pre-shapes text: the browser shapes Arabic itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from components.arabic import isolate
from components.figure import Spec
from components.i18n import format_date, label_for, t

FONT_FAMILY = "Noto Naskh Arabic, Noto Sans Arabic, sans-serif"
HEIGHT = 400
#: At most this many tick labels on a time axis; more would overlap.
MAX_TIME_TICKS = 10
#: A time axis shows at least this many periods, so a single bar keeps a bar's width.
MIN_PERIODS_SHOWN = 7
#: Most bars a volume chart draws (about 200-300 bytes each in the figure sent to the
#: browser): beyond it the page counts by the next coarser period and says so.
MAX_BARS = 2500
COARSER = {"day": "week", "week": "month", "month": "year"}


def coarsened_note(asked: str, drawn: str, *, lang: str) -> str:
    """Caption for a volume chart drawn by ``drawn`` because ``asked`` had too many bars."""
    asked_name, drawn_name = t(f"period_{asked}", lang).lower(), t(f"period_{drawn}", lang).lower()
    if lang == "ar":
        return f"عدد الأعمدة بحسب {asked_name} أكبر من أن يُرسم؛ الرسم مجمّع بحسب {drawn_name}."
    return f"Too many bars by {asked_name} to draw: the chart is aggregated by {drawn_name}."


_PANDAS_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}
_PRECISION_ORDER = ("minute", "day", "month", "year", "unknown")
_BASIS_ORDER = ("metadata", "explicit", "inferred", "unknown")


def period_label(value: date, *, period: str, lang: str) -> str:
    """How one time bucket is named: "19 يونيو 2024", "أسبوع 17 يونيو 2024", "يونيو 2024"."""
    if period == "year":
        return format_date(value, "year", lang)
    if period == "month":
        return format_date(value, "month", lang)
    day = format_date(value, "day", lang)
    return t("week_of", lang, date=day) if period == "week" else day


def _base_layout(fig: Spec, *, title: str, lang: str) -> None:
    rtl = lang == "ar"
    fig.update_layout(
        title={
            "text": isolate(title),
            "x": 1.0 if rtl else 0.0,
            "xanchor": "right" if rtl else "left",
        },
        font={"family": FONT_FAMILY},
        height=HEIGHT,
        margin={"t": 70, "r": 20, "l": 20, "b": 40},
        # Below everything, in figure (not plot-area) coordinates: the x axis's tick labels
        # and title take the space they need above it (axis automargin), the legend its own.
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0.0,
            "xanchor": "center",
            "x": 0.5,
        },
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )


def _empty(title: str, *, lang: str) -> go.Figure:
    fig = Spec()
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": isolate(t("chart_empty", lang)),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ],
    )
    return fig.figure()


def rows_by(frame: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """``frame``'s rows per value of ``column`` (each group in the frame's order), in one
    pass: a comparison and a selection per value cost a few ms each over Arrow-backed
    strings. Rows whose value is missing are left out, as a comparison would."""
    return {str(k): g for k, g in frame.groupby(column, sort=False, dropna=True)}


def _outlet_names(df: pd.DataFrame) -> dict[str, str]:
    """Display name per outlet id; names shared by two ids get the id appended."""
    names: dict[str, str] = {}
    for outlet_id, outlet in zip(df["outlet_id"], df["outlet"], strict=True):
        names.setdefault(str(outlet_id), str(outlet) if pd.notna(outlet) else str(outlet_id))
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {oid: (f"{n} ({oid})" if counts[n] > 1 else n) for oid, n in names.items()}


_PERIOD_LENGTH = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(days=7),
    "month": pd.DateOffset(months=1),
    "year": pd.DateOffset(years=1),
}


def _period_end(start: pd.Timestamp, period: str) -> pd.Timestamp:
    return start + _PERIOD_LENGTH[period]


def period_spans(starts: Iterable[date], period: str) -> tuple[list[datetime], list[float]]:
    """The middle and the length (ms) of each period beginning on ``starts``: where a bar
    spanning its period is centred, and its width on a date axis.

    Computed for all periods at once: a date offset added per point cost ~0.1 ms, 0.4 s
    for a volume chart of ~3,800 weekly bars."""
    begin = pd.DatetimeIndex(pd.to_datetime(list(starts)))
    length = (begin + _PERIOD_LENGTH[period]) - begin
    middles = list((begin + length / 2).to_pydatetime())
    return middles, [float(ms) for ms in length.total_seconds() * 1000]


def _time_axis(starts: list[date], *, period: str, lang: str) -> dict[str, Any]:
    """A date axis labelled in ``lang``: evenly spaced ticks at the middle of periods.

    Plotly's own date ticks would be English month names; these are ours. When the data
    covers only a few periods the range is widened, so one day is not drawn as a wall.
    """
    lo, hi = pd.Timestamp(min(starts)), pd.Timestamp(max(starts))
    every = list(pd.date_range(lo, hi, freq=_PANDAS_FREQ[period])) or [lo]
    step = max(1, -(-len(every) // MAX_TIME_TICKS))
    chosen = every[::step]
    tickvals = [(ts + (_period_end(ts, period) - ts) / 2).to_pydatetime() for ts in chosen]
    ticktext = [isolate(period_label(ts.date(), period=period, lang=lang)) for ts in chosen]
    start, end = lo, _period_end(hi, period)
    pad = max(0, MIN_PERIODS_SHOWN - len(every))
    for _ in range(-(-pad // 2)):
        start = start - (_period_end(start, period) - start)
        end = _period_end(end, period)
    return {
        "type": "date",
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "range": [start.to_pydatetime(), end.to_pydatetime()],
    }


def _count_axis(max_value: int) -> dict[str, Any]:
    """A count axis with whole-number ticks (1, 2, 5 × 10ⁿ steps)."""
    raw = max(1, max_value) / 5
    magnitude = 10 ** max(0, len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return {"rangemode": "tozero", "tickmode": "linear", "tick0": 0, "dtick": step}


def volume_by_outlet(df: pd.DataFrame, *, lang: str, period: str = "day") -> go.Figure:
    """Stacked bars of articles per period per outlet.

    Args:
        df: ``Dataset.counts_by_outlet_period``: ``period_start, outlet_id, outlet, n``.
        lang: UI language.
        period: the bucket size the frame was counted in (day, week, month or year).
    """
    period_name = t(f"period_{period}", lang)
    title = t("chart_volume_title", lang, period=period_name.lower())
    if df.empty:
        return _empty(title, lang=lang)
    names = _outlet_names(df)
    fig = Spec()
    frame = df.assign(period_start=pd.to_datetime(df["period_start"]).dt.date)
    for outlet_id, group in frame.groupby("outlet_id", sort=False):
        name = names[str(outlet_id)]
        hover = [
            isolate(
                f"{name}<br>"
                + t("hover_count", lang, label=period_label(d, period=period, lang=lang), n=int(n))
            )
            for d, n in zip(group["period_start"], group["n"], strict=True)
        ]
        middles, spans = period_spans(group["period_start"], period)
        fig.add_trace(
            "bar",
            {
                # Each bar spans its period (centred, 80% wide): a month bar cannot be read
                # as a day. Plotly's xperiod does this too but draws nothing for one bar.
                "x": middles,
                "width": [0.8 * span for span in spans],
                "y": [int(n) for n in group["n"]],
                "name": isolate(name),
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
            },
        )
    xaxis = _time_axis(list(frame["period_start"]), period=period, lang=lang)
    totals = frame.groupby("period_start")["n"].sum()
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        barmode="stack",
        showlegend=True,  # even for one outlet: the colour must say whose articles these are
        legend={"title": {"text": isolate(t("legend_outlet", lang))}},
        xaxis={"title": {"text": isolate(t("axis_published", lang))}, **xaxis},
        yaxis={
            "title": {"text": isolate(t("axis_articles", lang))},
            **_count_axis(int(totals.max())),
        },
    )
    return fig.figure()


def outlet_bars(df: pd.DataFrame, *, lang: str) -> go.Figure:
    """Horizontal bars per outlet: unique articles and copies, stacked.

    Args:
        df: ``Dataset.counts_by_outlet``: ``outlet_id, outlet, articles, copies, undated``.
        lang: UI language; in Arabic the bars grow from the right, names on the right.
    """
    title = t("chart_outlets_title", lang)
    if df.empty:
        return _empty(title, lang=lang)
    names = _outlet_names(df)
    labels = [isolate(names[str(oid)]) for oid in df["outlet_id"]]
    fig = Spec()
    for column, series_key in (("articles", "series_unique"), ("copies", "series_copies")):
        series = t(series_key, lang)
        values = [int(v) for v in df[column]]
        fig.add_trace(
            "bar",
            {
                "x": values,
                "y": labels,
                "orientation": "h",
                "name": isolate(series),
                "hovertext": [
                    isolate(f"{names[str(oid)]}<br>" + t("hover_count", lang, label=series, n=v))
                    for oid, v in zip(df["outlet_id"], values, strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            },
        )
    rtl = lang == "ar"
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        barmode="stack",
        height=max(HEIGHT, 120 + 40 * len(labels)),
        xaxis={
            "title": {"text": isolate(t("axis_articles", lang))},
            "autorange": "reversed" if rtl else True,
            **_count_axis(int((df["articles"] + df["copies"]).max())),
        },
        yaxis={
            "title": {"text": isolate(t("axis_outlet", lang))},
            "side": "right" if rtl else "left",
            "categoryorder": "array",
            "categoryarray": labels,
            "autorange": "reversed",  # largest outlet (first row) on top
        },
    )
    return fig.figure()


def date_basis(df: pd.DataFrame, *, lang: str) -> go.Figure:
    """Bars of articles per date basis (metadata, explicit, inferred, unknown) by precision.

    Args:
        df: ``Dataset.date_basis_counts``: ``published_basis, published_precision, n``.
        lang: UI language.
    """
    title = t("chart_basis_title", lang)
    if df.empty:
        return _empty(title, lang=lang)
    present_bases = [str(b) for b in df["published_basis"].dropna().unique()]
    bases = [b for b in _BASIS_ORDER if b in present_bases] + sorted(
        b for b in present_bases if b not in _BASIS_ORDER
    )
    present_precisions = [str(p) for p in df["published_precision"].dropna().unique()]
    precisions = [p for p in _PRECISION_ORDER if p in present_precisions] + sorted(
        p for p in present_precisions if p not in _PRECISION_ORDER
    )
    categories = [isolate(label_for("basis", b, lang)) for b in bases]
    fig = Spec()
    for precision in precisions:
        subset = df[df["published_precision"] == precision]
        counts = {
            str(b): int(n) for b, n in zip(subset["published_basis"], subset["n"], strict=True)
        }
        precision_label = label_for("precision", precision, lang)
        values = [counts.get(b, 0) for b in bases]
        fig.add_trace(
            "bar",
            {
                "x": categories,
                "y": values,
                "name": isolate(precision_label),
                "hovertext": [
                    isolate(
                        f"{label_for('basis', b, lang)}<br>"
                        + t("hover_count", lang, label=precision_label, n=v)
                    )
                    for b, v in zip(bases, values, strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            },
        )
    _base_layout(fig, title=title, lang=lang)
    fig.update_layout(
        barmode="stack",
        legend={"title": {"text": isolate(t("legend_precision", lang))}},
        xaxis={
            "title": {"text": isolate(t("axis_basis", lang))},
            "categoryorder": "array",
            "categoryarray": categories,
            "autorange": "reversed" if lang == "ar" else True,
        },
        yaxis={
            "title": {"text": isolate(t("axis_articles", lang))},
            **_count_axis(int(df.groupby("published_basis")["n"].sum().max())),
        },
    )
    return fig.figure()
