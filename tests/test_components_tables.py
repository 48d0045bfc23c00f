"""components/tables.py: translated headers, dates at their precision, Arabic reading order."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components import tables


def test_outlet_summary_dates_at_precision_and_reading_order() -> None:
    frame = pd.DataFrame(
        {
            "outlet_id": ["ahram"],
            "outlet": ["الأهرام"],
            "articles": [2],
            "copies": [0],
            "undated": [0],
            "imprecise": [1],
            "first": [date(2024, 6, 1)],
            "first_precision": ["month"],
            "last": [pd.NaT],
            "last_precision": [None],
        }
    )
    en = tables.outlet_summary(frame, lang="en")
    assert list(en.columns)[0] == "Outlet"
    assert en.loc[0, "First date"] == "June 2024"
    assert en.loc[0, "Last date"] == "date unknown"
    ar = tables.outlet_summary(frame, lang="ar")
    assert list(ar.columns)[-1] == "المنفذ"  # first column drawn on the right
    assert ar.loc[0, "أول تاريخ"] == "يونيو 2024"


def test_quarantine_translates_disposition() -> None:
    frame = pd.DataFrame(
        {"source_ref": ["a:1"], "reason": ["empty"], "detail": ["x"], "disposition": ["rejected"]}
    )
    assert tables.quarantine(frame, lang="en").loc[0, "Disposition"] == "rejected"
    assert tables.quarantine(frame, lang="ar").loc[0, "المآل"] == "مرفوض"


def test_key_values_flattens_nested_values() -> None:
    out = tables.key_values({"counts": {"a": 1}, "list": [1, 2], "none": None}, lang="en")
    assert list(out["Value"]) == ["a: 1", "1, 2", "—"]


def test_inputs_keeps_known_columns() -> None:
    out = tables.inputs([{"path": "p", "sha256": "h", "other": 1}, "junk"], lang="en")  # type: ignore[list-item]
    assert list(out.columns) == ["Path", "SHA-256"]
