"""Sentence splitting: offsets, abbreviations, paragraphs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasd.sentences import sentence_index, split_sentences


def test_abbreviations_do_not_split() -> None:
    text = "قال د. رائد إن موسكو (أ.ب) — وافقت. ثم ماذا؟ لا شيء!\nسطر بلا نقطة"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "قال د. رائد إن موسكو (أ.ب) — وافقت.",
        "ثم ماذا؟",
        "لا شيء!",
        "سطر بلا نقطة",
    ]


def test_sentence_index() -> None:
    text = "وصل الوفد. بدأت المحادثات. انتهى"
    spans = split_sentences(text)
    assert [sentence_index(spans, text.index(w)) for w in ("الوفد", "المحادثات", "انتهى")] == [
        0,
        1,
        2,
    ]


@given(st.text(alphabet=st.sampled_from(list('اب ت.؟!\n"')), max_size=60))
def test_spans_are_ordered_trimmed_and_disjoint(text: str) -> None:
    spans = split_sentences(text)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        last = end


def test_repeated_calls_give_equal_independent_lists() -> None:
    text = "وصل الوفد. بدأت المحادثات. انتهى"
    first = split_sentences(text)
    first.append((0, 1))
    assert split_sentences(text) == [(0, 10), (11, 26), (27, 32)]
