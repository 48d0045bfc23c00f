"""Normalisation: folding rules and properties that must hold for any input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasd.normalize import fold_digits, normalize_arabic, normalize_for_search, tokens

ARABIC = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإىةؤئـًٌٍَُِّْٰ٠١٢٣٤٥٦٧٨٩۰۱۲۳یک ") + ["\u00a0", "\u200f"]
    ),
    max_size=60,
)


def test_folds_hamza_alef_maqsura_ta_marbuta_tashkeel_tatweel() -> None:
    assert (
        normalize_for_search("أُسامة إبراهيم آل مُصْطفى ٱلـمـدينة") == "اسامه ابراهيم ال مصطفي المدينه"
    )


def test_persian_letters_and_digits() -> None:
    assert normalize_for_search("روسیا وکوریا ۲۰۲۴ ٢٠٢٤") == "روسيا وكوريا 2024 2024"
    assert fold_digits("١٠,٠٠٠") == "10,000"


def test_ta_marbuta_only_folded_for_search() -> None:
    assert normalize_arabic("مدينة") == "مدينة"
    assert normalize_arabic("مدينة", fold_ta_marbuta=True) == "مدينه"


def test_tokens_drop_punctuation() -> None:
    assert tokens("قال: «روسيا»، و(كوريا)!") == ["قال", "روسيا", "و", "كوريا"]


@given(ARABIC)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once


@given(ARABIC)
def test_normalize_arabic_never_grows(text: str) -> None:
    assert len(normalize_arabic(text)) <= len(text)


@given(ARABIC)
def test_no_marks_or_eastern_digits_survive(text: str) -> None:
    out = normalize_for_search(text)
    assert not any("\u064b" <= ch <= "\u065f" or ch in "ـأإآىة\u00a0\u200f" for ch in out)
    assert not any("٠" <= ch <= "٩" or "۰" <= ch <= "۹" for ch in out)
