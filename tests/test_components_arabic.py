"""components/arabic.py: bidi isolation for browser labels, shaping for images only."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.arabic import (
    PDI,
    RLI,
    has_presentation_forms,
    has_rtl,
    isolate,
    isolate_inline,
    shape_for_image,
)


@pytest.mark.parametrize(
    "label",
    ["بوتين", "10,000 جندي", "Putin بوتين", "19 يونيو 2024", "(بلا عنوان)"],
)
def test_isolate_wraps_labels_with_arabic(label: str) -> None:
    assert isolate(label) == f"{RLI}{label}{PDI}"


@pytest.mark.parametrize("label", ["", "Putin", "2024-06-19", "10,000", "June 2024"])
def test_isolate_leaves_labels_without_rtl_text(label: str) -> None:
    assert isolate(label) == label


def test_isolate_is_idempotent() -> None:
    once = isolate("10,000 جندي")
    assert isolate(once) == once
    assert isolate(isolate(once)) == once


def test_isolate_wraps_two_adjacent_runs_again() -> None:
    # Starts with RLI and ends with PDI, but is two isolates, not one.
    two = f"{RLI}أ{PDI} {RLI}ب{PDI}"
    assert isolate(two) == f"{RLI}{two}{PDI}"


def test_isolate_handles_plotly_line_breaks_line_by_line() -> None:
    label = "الأهرام<br>19 يونيو 2024: 3<br/>total"
    assert isolate(label) == f"{RLI}الأهرام{PDI}<br>{RLI}19 يونيو 2024: 3{PDI}<br/>total"
    assert isolate(isolate(label)) == isolate(label)


@given(st.text(max_size=40))
def test_isolate_property_idempotent_and_only_adds_isolates(text: str) -> None:
    once = isolate(text)
    assert isolate(once) == once
    assert once.replace(RLI, "").replace(PDI, "") == text.replace(RLI, "").replace(PDI, "")
    if has_rtl(text) and "<" not in text:
        assert once.startswith(RLI) and once.endswith(PDI)


def test_isolate_inline_uses_first_strong_isolate() -> None:
    assert isolate_inline("from") == "\u2068from\u2069"


def test_shape_for_image_produces_presentation_forms_and_plain_text_has_none() -> None:
    text = "مرحبا بوتين"
    assert not has_presentation_forms(text)
    shaped = shape_for_image(text)
    assert has_presentation_forms(shaped)
    assert shaped != text


@pytest.mark.parametrize("char", ["\ufb50", "\ufdff", "\ufe70", "\ufefc", "\ufeff"])
def test_has_presentation_forms_bounds(char: str) -> None:
    assert has_presentation_forms(f"abc{char}")


def test_has_presentation_forms_ignores_base_arabic() -> None:
    assert not has_presentation_forms("".join(chr(c) for c in range(0x0600, 0x06FF)))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_has_rtl_is_a_strong_right_to_left_character(text: str) -> None:
    """The character class made once from unicodedata finds exactly the characters whose
    bidirectional type is R or AL, in any plane."""
    assert has_rtl(text) == any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def test_has_rtl_on_the_edges_of_the_right_to_left_runs() -> None:
    for code in (0x05BE, 0x05BF, 0x0600, 0x0608, 0x0660, 0x06FF, 0xFB1D, 0xFEFC, 0x10800, 0x1E900):
        ch = chr(code)
        assert has_rtl(f"a{ch}b") == (unicodedata.bidirectional(ch) in ("R", "AL")), hex(code)
