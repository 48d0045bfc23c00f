"""components/i18n.py: every string in both languages; dates shown at their precision."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from components.arabic import has_rtl
from components.i18n import LANGS, MESSAGES, MONTHS, fill, format_date, label_for, t
from rasd.schema import BASES, PRECISIONS

ROOT = Path(__file__).resolve().parents[1]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_non_empty() -> None:
    bad = [
        key
        for key, texts in MESSAGES.items()
        if set(texts) != set(LANGS) or not all(str(texts.get(lang, "")).strip() for lang in LANGS)
    ]
    assert not bad, f"messages missing a language or empty: {bad}"


def test_both_languages_take_the_same_placeholders() -> None:
    bad = [k for k, v in MESSAGES.items() if _fields(v["ar"]) != _fields(v["en"])]
    assert not bad, bad


def test_arabic_texts_are_arabic() -> None:
    # Symbols and proper names may be shared; anything with letters must be translated.
    for key, texts in MESSAGES.items():
        if re.search(r"[A-Za-z]{3}", texts["en"]) and texts["ar"] != texts["en"]:
            assert has_rtl(texts["ar"]), key


def test_every_message_id_used_in_the_ui_exists() -> None:
    used: set[str] = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py")]:
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "no t() calls found"
    assert used <= set(MESSAGES), sorted(used - set(MESSAGES))


def test_notice_keys_of_rasd_filters_have_messages() -> None:
    source = (ROOT / "rasd" / "filters.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'Notice\(\s*"([a-z_]+)"', source))
    assert keys
    for key in keys:
        assert f"notice_{key}" in MESSAGES, key


def test_data_values_have_labels() -> None:
    for basis in BASES:
        assert f"basis_{basis}" in MESSAGES
    for precision in PRECISIONS:
        assert f"precision_{precision}" in MESSAGES


def test_t_formats_and_falls_back_to_arabic_for_unknown_lang() -> None:
    assert t("articles_count", "en", total=3) == "Matching articles: 3"
    assert t("page_overview", "xx") == MESSAGES["page_overview"]["ar"]
    with pytest.raises(KeyError):
        t("no_such_message", "ar")


def test_month_names() -> None:
    assert MONTHS["ar"][0] == "يناير" and MONTHS["ar"][11] == "ديسمبر"
    assert len(MONTHS["ar"]) == len(MONTHS["en"]) == 12


@pytest.mark.parametrize(
    ("value", "precision", "lang", "expected"),
    [
        (date(2024, 6, 19), "day", "ar", "19 يونيو 2024"),
        (date(2024, 6, 19), "day", "en", "19 June 2024"),
        (datetime(2024, 6, 19, 23, 59, tzinfo=UTC), "minute", "en", "19 June 2024"),
        (pd.Timestamp("2024-06-01", tz="UTC"), "month", "ar", "يونيو 2024"),
        (date(2024, 6, 1), "month", "en", "June 2024"),
        (date(2023, 1, 1), "year", "ar", "2023"),
        (None, "day", "ar", "تاريخ غير معروف"),
        (date(2024, 6, 1), "unknown", "en", "date unknown"),
        (None, None, "en", "date unknown"),
    ],
)
def test_format_date_never_claims_more_precision(
    value: object, precision: str | None, lang: str, expected: str
) -> None:
    assert format_date(value, precision, lang) == expected  # type: ignore[arg-type]


def test_label_for_translates_known_values_and_shows_unknown_ones() -> None:
    assert label_for("basis", "explicit", "en") == "printed in the text"
    assert label_for("basis", "telepathy", "en") == "telepathy"
    assert label_for("basis", None, "ar") == "—"


def test_large_counts_are_grouped_and_years_are_not() -> None:
    assert fill("{n} of {m}", {"n": 53766, "m": np.int64(1_234_567)}) == "53,766 of 1,234,567"
    assert fill("{y}: {n}", {"y": 2024, "n": 9999}) == "2024: 9999"
    assert fill("{b} {s} {f}", {"b": True, "s": "12345", "f": 12345.5}) == "True 12345 12345.5"
    assert "53,766" in t("articles_count", "ar", total=53766)
