"""Normalisation: folding rules and properties that must hold for any input."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from rasd import normalize
from rasd.normalize import (
    fold_digits,
    normalize_arabic,
    normalize_for_search,
    normalize_lines_for_search,
    tokens,
)

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


# --- the fast paths give what the plain definitions give --------------------------------------

ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإىةؤئٱیکـًٌٍَُِّْٰۖ٠١٢٣٤٥٦٧٨٩۰۱۲۳")
            + list(" \t\n\r\u00a0\u2003\u200b\u200f\u2028\x0b._،:«»()-_'\"©ſKİAZaz09")
        ),
        st.characters(),
    ),
    max_size=80,
)


def _reference_table(fold_ta_marbuta: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): (r or None) for c, r in normalize._BASE_MAP.items()}
    if fold_ta_marbuta:
        table[ord("ة")] = "ه"
    return table


def _reference_normalize_arabic(text: str, fold_ta_marbuta: bool) -> str:
    return unicodedata.normalize("NFC", text).translate(_reference_table(fold_ta_marbuta))


def _reference_normalize_for_search(text: str) -> str:
    folded = _reference_normalize_arabic(text, True).casefold()
    return re.sub(r"\s+", " ", folded).strip()


def test_re_and_str_agree_on_whitespace() -> None:
    """normalize_for_search, tokens and the cleaner rely on it to replace regexes."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert "".join(re.findall(r"\s", every)) == "".join(c for c in every if c.isspace())
    assert "".join(re.findall(r"\w", every)) == "".join(c for c in every if c.isalnum() or c == "_")


def test_character_fold_equals_translate_for_every_character() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert normalize._fold_base(every) == every.translate(_reference_table(False))
    assert normalize._fold_search(every) == every.translate(_reference_table(True))


@given(ANY_TEXT)
def test_fast_normalisation_equals_the_definitions(text: str) -> None:
    assert normalize_arabic(text) == _reference_normalize_arabic(text, False)
    assert normalize_for_search(text) == _reference_normalize_for_search(text)
    assert tokens(text) == re.sub(r"[^\w\s]", " ", normalize_for_search(text)).split()


@given(st.lists(ANY_TEXT.map(lambda t: t.replace("\n", "")), max_size=6))
def test_lines_folded_at_once_equal_lines_folded_one_by_one(lines: list[str]) -> None:
    assert normalize_lines_for_search(lines) == [_reference_normalize_for_search(x) for x in lines]
    # ...and the folds of lines joined are the fold of the joined lines (ingest's text_norm).
    joined = " ".join(n for n in normalize_lines_for_search(lines) if n)
    assert joined == _reference_normalize_for_search("\n".join(lines))


def test_lines_not_in_nfc_and_lines_with_newlines() -> None:
    lines = ["شدّة", "\u0634\u0651\u064e\u062f", "e\u0301", "\u0301x", "a\nb", ""]
    assert normalize_lines_for_search(lines) == [_reference_normalize_for_search(x) for x in lines]
