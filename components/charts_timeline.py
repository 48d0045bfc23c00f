"""The Timeline figure: events over time in swimlanes, article volume beneath.

Pure: DataFrames in, ``go.Figure`` out, no Streamlit. Precision is drawn honestly:

* an event dated to a day is a **point** (circle);
* anything coarser or longer — a week, a month, a quarter, a year, a decade, "1950–1953",
  "10–12 June" — is a **bar across its whole span**, with a short horizontal-line marker at
  its middle so it stays visible and clickable when the axis covers decades;
* an event whose date was **inferred** (a year the text leaves out, taken from the
  publication date) is drawn **hollow** (open marker, hatched bar);
* marker size and bar thickness grow with the number of outlets that report the event.

Undated events cannot be placed and are not drawn (the page says how many there are).
Every string that reaches the figure goes through :func:`components.arabic.isolate`
(Plotly's SVG text is left-to-right; an isolate keeps "19 يونيو 2024" in reading order);
nothing is pre-shaped: the browser shapes Arabic itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from components.arabic import isolate
from components.figure import subplots
from components.i18n import fill, format_date, month_name, normalize_lang
from rasd.event_lexicon import EVENT_TYPES_BY_ID

FONT_FAMILY = "Noto Naskh Arabic, Noto Sans Arabic, sans-serif"
#: At most this many labelled ticks on the time axis.
MAX_TICKS = 10
LANE_HEIGHT = 56
MIN_HEIGHT = 420
#: Colours per event type (Plotly's qualitative palette, in taxonomy order).
PALETTE = (
    "#636EFA",
    "#EF553B",
    "#00CC96",
    "#AB63FA",
    "#FFA15A",
    "#19D3F3",
    "#FF6692",
    "#B6E880",
    "#FF97FF",
    "#FECB52",
    "#1F77B4",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
)
_TYPE_COLOUR = {type_id: PALETTE[i % len(PALETTE)] for i, type_id in enumerate(EVENT_TYPES_BY_ID)}

#: This figure's strings in both UI languages (tested for completeness).
TEXT: dict[str, dict[str, str]] = {
    "title": {"ar": "الأحداث عبر الزمن", "en": "Events over time"},
    "axis_lane_type": {"ar": "نوع الحدث", "en": "Event type"},
    "axis_lane_outlet": {"ar": "المنفذ", "en": "Outlet"},
    "axis_volume": {"ar": "مقالات/يوم", "en": "Articles/day"},
    "axis_time": {"ar": "تاريخ وقوع الحدث", "en": "When it happened"},
    "legend_day": {"ar": "حدث بتاريخ يوم", "en": "Dated to a day"},
    "legend_span": {"ar": "حدث بتاريخ شهر أو سنة أو فترة", "en": "Dated to a month, year or span"},
    "legend_inferred": {"ar": "تاريخ مستنتج (مفرّغ)", "en": "Inferred date (hollow)"},
    "legend_volume": {"ar": "حجم النشر اليومي", "en": "Articles published per day"},
    "hover_date": {"ar": "التاريخ: {date}", "en": "Date: {date}"},
    "hover_basis": {"ar": "أساس التاريخ: {basis}", "en": "Date basis: {basis}"},
    "hover_outlets": {"ar": "نشرته {n} منافذ: {names}", "en": "Reported by {n} outlets: {names}"},
    "hover_outlet_one": {"ar": "نشره منفذ واحد: {names}", "en": "Reported by 1 outlet: {names}"},
    "hover_first": {"ar": "أول من نشر: {outlet}", "en": "First reported by: {outlet}"},
    "hover_actors": {"ar": "الأطراف: {actors}", "en": "Actors: {actors}"},
    "hover_volume": {"ar": "{day}: {n} مقالات", "en": "{day}: {n} articles"},
    "basis_explicit": {"ar": "مذكور في النص", "en": "printed in the text"},
    "basis_relative": {"ar": "محسوب من تاريخ النشر", "en": "relative to the publication date"},
    "basis_inferred": {"ar": "مستنتج", "en": "inferred"},
    "basis_unknown": {"ar": "غير معروف", "en": "unknown"},
    "empty": {"ar": "لا أحداث مؤرخة تطابق المرشحات", "en": "No dated events match the filters"},
    "week_of": {"ar": "أسبوع {day}", "en": "week of {day}"},
    "quarter": {"ar": "الربع {q} من {year}", "en": "Q{q} {year}"},
    "decade": {"ar": "{decade}", "en": "the {year}s"},
    "more": {"ar": "و{n} غيرها", "en": "and {n} more"},
    # -- the Timeline page around the figure --------------------------------------------------
    "lanes": {"ar": "المسارات", "en": "Lanes"},
    "lanes_type": {"ar": "حسب نوع الحدث", "en": "By event type"},
    "lanes_outlet": {"ar": "حسب المنفذ", "en": "By outlet"},
    "types": {"ar": "أنواع الأحداث", "en": "Event types"},
    "types_placeholder": {"ar": "كل الأنواع", "en": "All types"},
    "intro": {
        "ar": "كل علامة حدث في تاريخ وقوعه كما ذكره النص، لا تاريخ نشر الخبر: الدائرة يوم محدد، "
        "والشريط شهر أو سنة أو فترة، والعلامة المفرّغة تاريخ مستنتج. حجم العلامة بعدد المنافذ "
        "التي نشرت الحدث. اسحب للتكبير، وحدّد فترة بأداة التحديد المستطيل لتصفية التواريخ، "
        "وانقر حدثًا (أو اختره أدناه) لعرض أدلته.",
        "en": "Each mark is an event at the date the text says it happened, not when it was "
        "published: a circle is a day, a bar a month, year or span, a hollow mark an inferred "
        "date. Size grows with the number of outlets reporting it. Drag to zoom; select a "
        "range with the box-select tool to filter dates; click an event (or pick it below) "
        "to see its evidence.",
    },
    "range_note": {
        "ar": "على هذه الصفحة تحدد «من» و«إلى» تاريخ وقوع الأحداث؛ شريط المقالات أسفل الرسم "
        "بتاريخ النشر.",
        "en": "On this page From and To select when events happened; the article strip "
        "beneath uses publication days.",
    },
    "counts": {
        "ar": "{shown} حدثًا على الخط الزمني، و{undated} بلا تاريخ لا يمكن وضعها عليه.",
        "en": "{shown} events on the timeline; {undated} undated events cannot be placed.",
    },
    "evidence_title": {"ar": "أدلة الحدث", "en": "Evidence"},
    "evidence_none": {
        "ar": "انقر حدثًا على الخط الزمني لعرض الجمل التي تذكره.",
        "en": "Click an event on the timeline to see the sentences that report it.",
    },
    "evidence_open": {"ar": "فتح المقال", "en": "Open the article"},
    "event_pick": {"ar": "الحدث", "en": "Event"},
    "event_pick_none": {"ar": "اختر حدثًا", "en": "Choose an event"},
    "event_option": {"ar": "{date} · {type} · {n} منافذ", "en": "{date} · {type} · {n} outlets"},
    "event_option_one": {"ar": "{date} · {type} · منفذ واحد", "en": "{date} · {type} · 1 outlet"},
    "evidence_published": {"ar": "نُشر: {date}", "en": "Published: {date}"},
    "undated_title": {"ar": "أحداث بلا تاريخ ({n})", "en": "Undated events ({n})"},
    "undated_title_top": {
        "ar": "أحداث بلا تاريخ: الأكثر تغطية، {n} من {total}",
        "en": "Undated events: the {n} most covered of {total}",
    },
}
_DECADES_AR = {
    2: "العشرينيات",
    3: "الثلاثينيات",
    4: "الأربعينيات",
    5: "الخمسينيات",
    6: "الستينيات",
    7: "السبعينيات",
    8: "الثمانينيات",
    9: "التسعينيات",
    0: "العقد الأول",
    1: "العقد الثاني",
}


def tr(key: str, lang: str, **fmt: Any) -> str:
    """This figure's string ``key`` in ``lang``, placeholders filled."""
    return fill(TEXT[key][normalize_lang(lang)], fmt)


def type_label(event_type: str, lang: str) -> str:
    """An event type's label in ``lang`` (the id itself for a type the lexicon lacks)."""
    spec = EVENT_TYPES_BY_ID.get(event_type)
    if spec is None:
        return event_type
    return spec.label_ar if normalize_lang(lang) == "ar" else spec.label_en


def date_label(start: date | None, end: date | None, precision: str, lang: str) -> str:
    """A date as precise as its source: "19 يونيو 2024", "يونيو 2024", "1950–1953", "الخمسينيات"."""
    if start is None or precision in ("unknown", "", None):
        return format_date(None, None, lang)
    end = end or start
    if precision == "decade":
        decade = start.year // 10 * 10
        if normalize_lang(lang) == "ar":
            return f"{_DECADES_AR[decade // 10 % 10]} ({decade})"
        return tr("decade", lang, year=decade)
    if precision == "quarter":
        label = tr("quarter", lang, q=(start.month - 1) // 3 + 1, year=start.year)
        if (end.year, (end.month - 1) // 3) != (start.year, (start.month - 1) // 3):
            label += "–" + tr("quarter", lang, q=(end.month - 1) // 3 + 1, year=end.year)
        return label
    if precision == "week":
        return tr("week_of", lang, day=format_date(start, "day", lang))
    if precision == "year":
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if precision == "month":
        first = format_date(start, "month", lang)
        same = (start.year, start.month) == (end.year, end.month)
        return first if same else f"{first}–{format_date(end, 'month', lang)}"
    first = format_date(start, "day", lang)
    return first if start == end else f"{first}–{format_date(end, 'day', lang)}"


def as_date(value: Any) -> date | None:
    """A date from a date, a timestamp or a string (None for missing values)."""
    if value is None:
        return None
    try:
        if pd.isna(value):  # NaT is a datetime subclass: test it first
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [str(v) for v in value if v is not None]
    except TypeError:
        return []


def _names(values: Sequence[str], lang: str, limit: int = 4) -> str:
    shown = list(values[:limit])
    joiner = "، " if normalize_lang(lang) == "ar" else ", "
    text = joiner.join(shown)
    if len(values) > limit:
        text += " " + tr("more", lang, n=len(values) - limit)
    return text


def _value(text: str, lang: str) -> str:
    """A data value (outlet, actor) spliced into a hover line.

    In Arabic the whole line is isolated right to left afterwards; in English the line stays
    left to right and each Arabic value gets its own isolate, so "Reported by: نيسان" keeps
    the English in front.
    """
    return text if normalize_lang(lang) == "ar" else isolate(text)


def _line(text: str, lang: str) -> str:
    return isolate(text) if normalize_lang(lang) == "ar" else text


def _hover(row: Mapping[str, Any], start: date, end: date, lang: str) -> str:
    ar = normalize_lang(lang) == "ar"
    lines = [
        f"<b>{type_label(str(row['event_type']), lang)}</b>",
        tr("hover_date", lang, date=date_label(start, end, str(row["date_precision"]), lang)),
        tr("hover_basis", lang, basis=_basis_label(row.get("date_basis"), lang)),
    ]
    actors = _as_list(row.get("actors_ar" if ar else "actors_en")) or _as_list(row.get("actor_ids"))
    if actors:
        names = _names([_value(a, lang) for a in actors], lang)
        lines.append(tr("hover_actors", lang, actors=names))
    outlets = _as_list(row.get("outlets"))
    n = int(row.get("n_outlets") or len(outlets) or 1)
    key = "hover_outlet_one" if n == 1 else "hover_outlets"
    lines.append(tr(key, lang, n=n, names=_names([_value(o, lang) for o in outlets], lang)))
    first = row.get("first_outlet")
    if isinstance(first, str) and first:
        lines.append(tr("hover_first", lang, outlet=_value(first, lang)))
    return "<br>".join(_line(line, lang) for line in lines)


def _basis_label(basis: Any, lang: str) -> str:
    key = f"basis_{basis}"
    return tr(key, lang) if key in TEXT else str(basis)


def _marker_size(n_outlets: int) -> float:
    return 9 + 7 * math.sqrt(max(1, n_outlets) - 1)


def _bar_thickness(n_outlets: int) -> float:
    return min(0.8, 0.3 + 0.12 * (max(1, n_outlets) - 1))


def _lanes(clusters: pd.DataFrame, lanes: str, lang: str) -> pd.DataFrame:
    """One row per thing to draw, with its lane label (isolated)."""
    if lanes == "outlet":
        rows = []
        for row in clusters.to_dict("records"):
            for outlet in _as_list(row.get("outlets")) or ["?"]:
                rows.append({**row, "lane": isolate(outlet)})
        return pd.DataFrame(rows)
    return clusters.assign(lane=[isolate(type_label(str(v), lang)) for v in clusters["event_type"]])


def _ticks(lo: date, hi: date, lang: str) -> tuple[list[Any], list[str]]:
    """Tick positions and Arabic/English labels at a granularity giving ≤ MAX_TICKS."""
    span_days = max(1, (hi - lo).days)
    if span_days <= 3 * 31:
        step = max(1, span_days // MAX_TICKS + 1)
        days = [lo + timedelta(days=i) for i in range(0, span_days + 1, step)]
        return [pd.Timestamp(d) for d in days], [isolate(format_date(d, "day", lang)) for d in days]
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    if months <= 4 * 12:
        step = max(1, -(-months // MAX_TICKS))
        out: list[date] = []
        y, m = lo.year, lo.month
        for i in range(0, months + 1, step):
            total = y * 12 + m - 1 + i
            out.append(date(total // 12, total % 12 + 1, 1))
        labels = [isolate(f"{month_name(d.month, lang)} {d.year}") for d in out]
        return [pd.Timestamp(d) for d in out], labels
    years = hi.year - lo.year + 1
    nice = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if years / s <= MAX_TICKS)
    first = lo.year // nice * nice
    ticks = [date(y, 1, 1) for y in range(first, hi.year + 1, nice) if y >= 1]
    return [pd.Timestamp(d) for d in ticks], [isolate(str(d.year)) for d in ticks]


def timeline(
    clusters_df: pd.DataFrame,
    volume_df: pd.DataFrame,
    *,
    lang: str,
    lanes: str = "type",
) -> go.Figure:
    """Events in swimlanes over time, with article volume on a shared axis beneath.

    Args:
        clusters_df: :func:`rasd.query_events.timeline_clusters` (one row per event:
            ``cluster_id, event_type, date_start, date_end, date_precision, date_basis,
            n_outlets, outlets, first_outlet, actors_ar/actors_en``).
        volume_df: :func:`rasd.query_events.article_volume` (``day, n``).
        lang: UI language (``ar`` or ``en``).
        lanes: ``type`` (a lane per event type) or ``outlet`` (a lane per reporting outlet;
            an event reported by three outlets appears in three lanes).

    Returns:
        A figure whose event points and bars carry the cluster id in ``customdata`` (for
        selection) and whose traces are all named and hovered through ``isolate``.
    """
    if lanes not in ("type", "outlet"):
        raise ValueError(f"lanes must be 'type' or 'outlet', got {lanes!r}")
    rtl = normalize_lang(lang) == "ar"
    fig = subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22], vertical_spacing=0.05
    )
    dated = clusters_df[clusters_df["date_start"].notna()] if len(clusters_df) else clusters_df
    volume = volume_df if len(volume_df) else pd.DataFrame({"day": [], "n": []})
    drawn = _lanes(dated, lanes, lang) if len(dated) else pd.DataFrame()
    all_days: list[date] = []
    lane_order: list[str] = []

    points: dict[str, dict[str, list[Any]]] = {}
    # The spans, one bar trace per type and basis (a trace per event made a page of 400
    # events spend ~0.1 s per figure in plotly's validation alone).
    spans: dict[tuple[str, bool], dict[str, list[Any]]] = {}
    for row in drawn.to_dict("records"):
        start = as_date(row["date_start"])
        end = as_date(row.get("date_end")) or start
        if start is None or end is None:
            continue
        all_days += [start, end]
        lane = str(row["lane"])
        if lane not in lane_order:
            lane_order.append(lane)
        event_type = str(row["event_type"])
        inferred = str(row.get("date_basis")) == "inferred"
        n_outlets = int(row.get("n_outlets") or 1)
        hover = _hover(row, start, end, lang)
        cluster_id = str(row["cluster_id"])
        is_point = str(row["date_precision"]) == "day" and start == end
        # From the first day's start to the last day's end.
        first = pd.Timestamp(start)
        last = pd.Timestamp(end) + pd.Timedelta(days=1)
        if not is_point:
            # The span itself.
            span = spans.setdefault(
                (event_type, inferred),
                {"base": [], "x": [], "y": [], "width": [], "custom": [], "hover": []},
            )
            span["base"].append(first.to_pydatetime())  # (Plotly checks a Timestamp slowly)
            span["x"].append((last - first).total_seconds() * 1000)
            span["y"].append(lane)
            span["width"].append(_bar_thickness(n_outlets))
            span["custom"].append(cluster_id)
            span["hover"].append(hover)
        key = (
            f"{event_type}|{'point' if is_point else 'span'}|{'inferred' if inferred else 'stated'}"
        )
        bucket = points.setdefault(key, {"x": [], "y": [], "size": [], "custom": [], "hover": []})
        bucket["x"].append((first + (last - first) / 2).to_pydatetime())
        bucket["y"].append(lane)
        bucket["size"].append(_marker_size(n_outlets))
        bucket["custom"].append(cluster_id)
        bucket["hover"].append(hover)

    for (event_type, inferred), span in spans.items():
        colour = _TYPE_COLOUR.get(event_type, "#444444")
        fig.add_trace(
            "bar",
            {
                "base": span["base"],
                "x": span["x"],
                "y": span["y"],
                "orientation": "h",
                "width": span["width"],
                "marker": {
                    "color": colour,
                    "opacity": 0.45 if inferred else 0.7,
                    "line": {"color": colour, "width": 1.5},
                    "pattern": {"shape": "/" if inferred else "", "fgcolor": colour},
                },
                "customdata": span["custom"],
                "hovertext": span["hover"],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "name": isolate(type_label(event_type, lang)),
                "legendgroup": event_type,
                "showlegend": False,
            },
            cell=(1, 1),
        )

    shown_types: set[str] = set()
    for key, bucket in points.items():
        event_type, kind, basis = key.split("|")
        colour = _TYPE_COLOUR.get(event_type, "#444444")
        symbol = "circle" if kind == "point" else "line-ew"
        if basis == "inferred" and kind == "point":
            symbol = "circle-open"
        fig.add_trace(
            "scatter",
            {
                "x": bucket["x"],
                "y": bucket["y"],
                "mode": "markers",
                "marker": {
                    "symbol": symbol,
                    # A span's dash is drawn wider than a day's circle of the same weight.
                    "size": [v * 1.6 for v in bucket["size"]] if kind == "span" else bucket["size"],
                    "color": colour,
                    "line": {"color": colour, "width": 3 if kind == "span" else 2},
                },
                "customdata": bucket["custom"],
                "hovertext": bucket["hover"],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "name": isolate(type_label(event_type, lang)),
                "legendgroup": event_type,
                "showlegend": event_type not in shown_types,
            },
            cell=(1, 1),
        )
        shown_types.add(event_type)

    # Legend entries that explain the encoding (no data; a click on them selects nothing).
    for symbol, text in (
        ("circle", tr("legend_day", lang)),
        ("line-ew", tr("legend_span", lang)),
        ("circle-open", tr("legend_inferred", lang)),
    ):
        fig.add_trace(
            "scatter",
            {
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": isolate(text),
                "legendgroup": "encoding",
                "marker": {
                    "symbol": symbol,
                    "size": 11,
                    "color": "#555555",
                    "line": {"color": "#555555", "width": 2},
                },
                "hoverinfo": "skip",
                "showlegend": True,
            },
            cell=(1, 1),
        )

    if len(volume):
        days = [as_date(d) for d in volume["day"]]
        counts = [int(n) for n in volume["n"]]
        all_days += [d for d in days if d is not None]
        # Noon of each day, as datetimes: Plotly checks a list of pandas Timestamps ~5x
        # slower (50 ms for six years of days).
        noons = pd.DatetimeIndex([d for d in days if d is not None]) + pd.Timedelta(hours=12)
        fig.add_trace(
            "bar",
            {
                "x": list(noons.to_pydatetime()),
                "y": counts,
                "width": [0.9 * 86_400_000] * len(counts),
                "marker": {"color": "#9E9E9E"},
                "name": isolate(tr("legend_volume", lang)),
                "hovertext": [
                    isolate(tr("hover_volume", lang, day=format_date(d, "day", lang), n=n))
                    for d, n in zip(days, counts, strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "showlegend": True,
            },
            cell=(2, 1),
        )

    title = isolate(tr("title", lang))
    fig.update_layout(
        title={"text": title, "x": 1.0 if rtl else 0.0, "xanchor": "right" if rtl else "left"},
        font={"family": FONT_FAMILY},
        height=max(MIN_HEIGHT, 160 + LANE_HEIGHT * max(1, len(lane_order))),
        margin={"t": 110, "r": 20, "l": 20, "b": 50},
        # Above the plot: below it the legend would collide with the time axis's title.
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "center", "x": 0.5},
        hoverlabel={"font": {"family": FONT_FAMILY}, "align": "right" if rtl else "left"},
        barmode="overlay",
        # Dragging zooms and a click selects an event (Streamlit turns clicks into selections
        # only outside select mode); the modebar's box select picks a time range, which the
        # page turns into from/to.
        dragmode="zoom",
        selectdirection="h",
    )
    lane_title = tr("axis_lane_outlet" if lanes == "outlet" else "axis_lane_type", lang)
    fig.axis(
        "y",
        (1, 1),
        title={"text": isolate(lane_title)},
        type="category",
        categoryorder="array",
        categoryarray=list(reversed(lane_order)),
        side="right" if rtl else "left",
    )
    fig.axis(
        "y",
        (2, 1),
        title={"text": isolate(tr("axis_volume", lang))},
        side="right" if rtl else "left",
        rangemode="tozero",
    )
    if all_days:
        lo, hi = min(all_days), max(all_days)
        pad = timedelta(days=max(3, (hi - lo).days // 40))
        tickvals, ticktext = _ticks(lo, hi, lang)
        for row_no in (1, 2):
            fig.axis(
                "x",
                (row_no, 1),
                type="date",
                range=[pd.Timestamp(lo - pad), pd.Timestamp(hi + pad)],
                tickmode="array",
                tickvals=tickvals,
                ticktext=ticktext,
            )
        fig.axis("x", (2, 1), title={"text": isolate(tr("axis_time", lang))})
    else:
        fig.add_annotation(
            text=isolate(tr("empty", lang)),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.6,
        )
    return fig.figure()
