"""Publication-date parsing: series of month names, digits, precision, impossible dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.dates import ImpossibleDate, find_date, parse_metadata_date


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("نشر في 2024-06-19 الساعة 14:49", "2024-06-19T14:49:00+00:00", "minute"),
        ("الإثنين 01 يوليو 2024 الموافق 25 ذو الحجة 1445", "2024-07-01T00:00:00+00:00", "day"),
        ("١٩ حزيران (يونيو) ٢٠٢٤", "2024-06-19T00:00:00+00:00", "day"),
        ("19 يونيو/حزيران 2024", "2024-06-19T00:00:00+00:00", "day"),
        ("3 كانون الثاني 2023", "2023-01-03T00:00:00+00:00", "day"),
        ("في تشرين الأول 2023", "2023-10-01T00:00:00+00:00", "month"),
        ("12 جوان 2022", "2022-06-12T00:00:00+00:00", "day"),
        ("19/06/2024", "2024-06-19T00:00:00+00:00", "day"),
        ("June 19, 2024", "2024-06-19T00:00:00+00:00", "day"),
        ("۱۹ يونيو ۲۰۲۴", "2024-06-19T00:00:00+00:00", "day"),
    ],
)
def test_find_date(text: str, iso: str, precision: str) -> None:
    found = find_date(text)
    assert found is not None
    assert found.value.isoformat() == iso
    assert found.precision == precision
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "text", ["حزب 30 يونيو", "اتصل على 0123456789", "المادة 51 من الميثاق", ""]
)
def test_find_date_ignores_incomplete_dates(text: str) -> None:
    assert find_date(text) is None


def test_impossible_printed_date() -> None:
    with pytest.raises(ImpossibleDate):
        find_date("نشر في 2024-02-30")


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        ("2024-06-19T14:49:00+03:00", "2024-06-19T11:49:00+00:00", "minute"),
        ("2024-06-19", "2024-06-19T00:00:00+00:00", "day"),
        ("2024-06", "2024-06-01T00:00:00+00:00", "month"),
        ("2024", "2024-01-01T00:00:00+00:00", "year"),
        ("Wed, 19 Jun 2024 10:00:00 GMT", "2024-06-19T10:00:00+00:00", "minute"),
        (datetime(2024, 6, 19, tzinfo=UTC), "2024-06-19T00:00:00+00:00", "day"),
        ("19 يونيو 2024", "2024-06-19T00:00:00+00:00", "day"),
    ],
)
def test_parse_metadata_date(value: object, iso: str, precision: str) -> None:
    parsed = parse_metadata_date(value)
    assert parsed is not None
    assert parsed[0].isoformat() == iso
    assert parsed[1] == precision


@pytest.mark.parametrize("value", ["2024-02-30", "2023-13-01"])
def test_metadata_impossible_date(value: str) -> None:
    with pytest.raises(ImpossibleDate):
        parse_metadata_date(value)


@pytest.mark.parametrize("value", [None, "", "nan", "NaT"])
def test_metadata_empty(value: object) -> None:
    assert parse_metadata_date(value) is None


def test_metadata_garbage_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_metadata_date("قريبا")


@given(st.text(max_size=80))
def test_find_date_offsets_slice_to_text_and_never_crash(text: str) -> None:
    try:
        found = find_date(text)
    except ImpossibleDate:
        return
    if found is not None:
        assert text[found.start : found.end] == found.text
        assert found.precision in {"minute", "day", "month"}
        if found.precision == "month":
            assert found.value.day == 1
