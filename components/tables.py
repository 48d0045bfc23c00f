"""Display tables: query-layer frames with translated headers and honest date labels.

Pure pandas (no Streamlit). Dates are formatted at their precision with
:func:`components.i18n.format_date`; coded values (basis, precision, kind, disposition) are
translated; a column the frame lacks is simply left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from components.i18n import format_date, label_for, t


def _present(value: Any) -> bool:
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def _dates(df: pd.DataFrame, value_col: str, precision_col: str, lang: str) -> list[str]:
    return [
        format_date(v if _present(v) else None, p if _present(p) else None, lang)
        for v, p in zip(df[value_col], df[precision_col], strict=True)
    ]


def _labels(values: pd.Series, prefix: str, lang: str) -> list[str]:
    return [label_for(prefix, str(v) if _present(v) else None, lang) for v in values]


def reading_order(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Columns in reading order: reversed for Arabic.

    ``st.dataframe`` draws its grid left to right whatever the page direction, so an Arabic
    table puts its first column last to have it on the right.
    """
    return df[list(reversed(df.columns))] if lang == "ar" else df


def _select(df: pd.DataFrame, columns: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Keep ``columns`` that ``df`` has, renamed to their translated headers, in reading order."""
    keep = [c for c in columns if c in df.columns]
    return reading_order(df[keep].rename(columns={c: t(columns[c], lang) for c in keep}), lang)


def date_basis(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``date_basis_counts`` → basis, precision, count."""
    out = pd.DataFrame(
        {
            "basis": _labels(df["published_basis"], "basis", lang),
            "precision": _labels(df["published_precision"], "precision", lang),
            "n": [int(n) for n in df["n"]],
        }
    )
    return _select(
        out, {"basis": "col_basis", "precision": "col_precision", "n": "col_count"}, lang
    )


def outlet_summary(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``outlet_summary`` → one row per outlet with counts and its date span."""
    out = df.copy()
    out["first"] = _dates(df, "first", "first_precision", lang)
    out["last"] = _dates(df, "last", "last_precision", lang)
    columns = {
        "outlet": "col_outlet",
        "outlet_id": "col_outlet_id",
        "articles": "col_articles",
        "copies": "col_copies",
        "undated": "col_undated",
        "imprecise": "col_imprecise",
        "first": "col_first",
        "last": "col_last",
    }
    return _select(out, columns, lang)


def duplicates(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``duplicates`` → copy and original side by side, with kind and similarity."""
    out = df.copy()
    no_title = t("no_title", lang)
    out["title"] = [v if _present(v) else no_title for v in df["title"]]
    out["original_title"] = [v if _present(v) else no_title for v in df["original_title"]]
    out["duplicate_kind"] = _labels(df["duplicate_kind"], "kind", lang)
    out["duplicate_similarity"] = [
        round(float(v), 3) if _present(v) else None for v in df["duplicate_similarity"]
    ]
    columns = {
        "title": "col_title",
        "outlet": "col_outlet",
        "duplicate_kind": "col_kind",
        "duplicate_similarity": "col_similarity",
        "original_title": "col_original_title",
        "original_outlet": "col_original_outlet",
        "source_ref": "col_source_ref",
    }
    return _select(out, columns, lang)


def entities(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``top_entities`` → names, type, mention and article counts."""
    columns = {
        "name_ar": "col_name_ar",
        "name_en": "col_name_en",
        "type": "col_entity_type",
        "n_articles": "col_articles",
        "n_mentions": "col_mentions",
        "wikidata_id": "col_wikidata",
    }
    return _select(df, columns, lang)


def events(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``events_list`` → type, date range with precision and basis, evidence."""
    out = df.copy()
    out["date_precision"] = _labels(df["date_precision"], "precision", lang)
    out["date_basis"] = _labels(df["date_basis"], "basis", lang)
    columns = {
        "event_type": "col_event_type",
        "date_start": "col_date_start",
        "date_end": "col_date_end",
        "date_precision": "col_precision",
        "date_basis": "col_basis",
        "evidence": "col_evidence",
        "confidence": "col_confidence",
    }
    return _select(out, columns, lang)


def quarantine(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``quarantine`` → source record, reason, detail, disposition."""
    out = df.copy()
    out["disposition"] = _labels(df["disposition"], "disposition", lang)
    columns = {
        "source_ref": "col_source_ref",
        "reason": "col_reason",
        "detail": "col_detail",
        "disposition": "col_disposition",
    }
    return _select(out, columns, lang)


def _cell(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value) or "—"
    return "—" if value is None else str(value)


def key_value_frame(items: Mapping[str, Any]) -> pd.DataFrame:
    """A mapping as columns ``item, value`` (text; nested values flattened), for export."""
    return pd.DataFrame(
        {"item": [str(k) for k in items], "value": [_cell(v) for v in items.values()]}
    )


def key_values(items: Mapping[str, Any], *, lang: str) -> pd.DataFrame:
    """A mapping as two text columns (item, value); nested values are flattened to text."""
    frame = pd.DataFrame(
        {
            t("col_item", lang): [str(k) for k in items],
            t("col_value", lang): [_cell(v) for v in items.values()],
        }
    )
    return reading_order(frame, lang)


def inputs(rows: Sequence[Mapping[str, Any]], *, lang: str) -> pd.DataFrame:
    """The manifest's ``inputs`` list → path, format, bytes, records, SHA-256."""
    out = pd.DataFrame([dict(r) for r in rows if isinstance(r, Mapping)])
    columns = {
        "path": "col_path",
        "kind": "col_file_kind",
        "bytes": "col_bytes",
        "records": "col_records",
        "sha256": "col_sha256",
    }
    return _select(out, columns, lang) if not out.empty else out


def table_sizes(df: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``table_sizes`` → table, rows."""
    return _select(df, {"table": "col_table", "n_rows": "col_rows"}, lang)
