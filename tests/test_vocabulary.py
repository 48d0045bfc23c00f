"""rasd/vocabulary.py: tokens, stop words, light clitic handling, weighted log-odds."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd import vocabulary as vocab
from rasd.normalize import normalize_for_search

ROOT = Path(__file__).resolve().parents[1]
STOPWORDS_PATH = ROOT / "data" / "gazetteer" / "stopwords_ar.txt"


def _counts(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["group", "term", "count"])


# -- weighted log-odds: hand-checked examples ---------------------------------------------


def test_log_odds_symmetric_example_by_hand() -> None:
    # A = {x: 3, y: 1}, B = {x: 1, y: 3}; prior = whole corpus: α_x = α_y = 4, α0 = 8,
    # n_A = n_B = 4.
    # δ_x(A) = ln((3+4)/(4+8-3-4)) - ln((1+4)/(4+8-1-4)) = ln(7/5) - ln(5/7) = 2 ln 1.4
    #        = 2 × 0.3364722 = 0.6729445
    # σ²     = 1/(3+4) + 1/(1+4) = 0.1428571 + 0.2 = 0.3428571;  √σ² = 0.5855400
    # z      = 0.6729445 / 0.5855400 = 1.1492715
    scored = vocab.log_odds(_counts([("A", "x", 3), ("A", "y", 1), ("B", "x", 1), ("B", "y", 3)]))
    row = scored.set_index(["group", "term"]).loc[("A", "x")]
    assert row["alpha"] == 4 and row["count_rest"] == 1
    assert row["n_group"] == 4 and row["n_rest"] == 4
    assert row["delta"] == pytest.approx(0.6729445, abs=1e-6)
    assert row["variance"] == pytest.approx(0.3428571, abs=1e-6)
    assert row["z"] == pytest.approx(1.1492715, abs=1e-6)
    # and the mirror image: y in A, x in B
    assert scored.set_index(["group", "term"]).loc[("A", "y"), "z"] == pytest.approx(-1.1492715)
    assert scored.set_index(["group", "term"]).loc[("B", "x"), "z"] == pytest.approx(-1.1492715)


def test_log_odds_asymmetric_example_with_half_prior_by_hand() -> None:
    # A = {x: 3, y: 1}, B = {y: 4} (x absent: zero). prior_scale 0.5: α_x = 0.5 × 3 = 1.5,
    # α_y = 0.5 × 5 = 2.5, α0 = 0.5 × 8 = 4; n_A = n_B = 4.
    # δ_x(A) = ln((3+1.5)/(4+4-3-1.5)) - ln((0+1.5)/(4+4-0-1.5))
    #        = ln(4.5/3.5) - ln(1.5/6.5) = 0.2513144 - (-1.4663371) = 1.7176515
    # σ²     = 1/4.5 + 1/1.5 = 0.2222222 + 0.6666667 = 0.8888889;  √σ² = 0.9428090
    # z      = 1.7176515 / 0.9428090 = 1.8218445
    scored = vocab.log_odds(
        _counts([("A", "x", 3), ("A", "y", 1), ("B", "y", 4)]), prior_scale=0.5
    ).set_index(["group", "term"])
    assert scored.loc[("A", "x"), "alpha"] == 1.5
    assert scored.loc[("A", "x"), "delta"] == pytest.approx(1.7176515, abs=1e-6)
    assert scored.loc[("A", "x"), "z"] == pytest.approx(1.8218445, abs=1e-6)
    # y in A: ln((1+2.5)/(4+4-1-2.5)) - ln((4+2.5)/(4+4-4-2.5)) = ln(3.5/4.5) - ln(6.5/1.5)
    assert scored.loc[("A", "y"), "delta"] == pytest.approx(
        math.log(3.5 / 4.5) - math.log(6.5 / 1.5)
    )
    # B never used x, so it has no row for x: only observed (group, term) pairs are scored
    assert ("B", "x") not in scored.index


def test_log_odds_uses_given_totals_for_pruned_counts() -> None:
    # Only x is passed, but each group used 4 tokens and the corpus has 4 x in all.
    counts = _counts([("A", "x", 3), ("B", "x", 1)])
    full = vocab.log_odds(_counts([("A", "x", 3), ("A", "y", 1), ("B", "x", 1), ("B", "y", 3)]))
    pruned = vocab.log_odds(
        counts,
        group_totals=pd.Series({"A": 4, "B": 4}),
        term_totals=pd.Series({"x": 4}),
    )
    expected = full[full["term"] == "x"].reset_index(drop=True)
    pd.testing.assert_series_equal(pruned["z"], expected["z"])


def test_log_odds_needs_two_groups() -> None:
    scored = vocab.log_odds(_counts([("A", "x", 3), ("A", "y", 1)]))
    assert scored.empty
    assert {"z", "delta", "variance"} <= set(scored.columns)


def test_log_odds_rejects_a_non_positive_prior() -> None:
    with pytest.raises(ValueError, match="prior_scale"):
        vocab.log_odds(_counts([("A", "x", 1), ("B", "x", 1)]), prior_scale=0)


def test_log_odds_does_not_change_its_input() -> None:
    counts = _counts([("A", "x", 3), ("B", "x", 1), ("B", "y", 2)])
    before = counts.copy()
    vocab.log_odds(counts)
    pd.testing.assert_frame_equal(counts, before)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("abcdef"), st.integers(0, 40), st.integers(0, 40)),
        min_size=2,
        max_size=6,
        unique_by=lambda r: r[0],
    )
)
def test_two_groups_mirror_each_other(rows: list[tuple[str, int, int]]) -> None:
    pairs = [("A", w, a) for w, a, _ in rows if a] + [("B", w, b) for w, _, b in rows if b]
    counts = _counts(pairs)
    if counts["group"].nunique() < 2:
        return
    scored = vocab.log_odds(counts).set_index(["group", "term"])["z"]
    for word, a, b in rows:
        if a and b:
            if counts["term"].nunique() == 1:
                # a one-word corpus: α_w = α0, the odds have a zero denominator; no score
                assert ("A", word) not in scored.index
                continue
            assert scored[("A", word)] == pytest.approx(-scored[("B", word)], abs=1e-9)


def test_top_terms_best_first_per_group() -> None:
    scored = pd.DataFrame(
        {
            "group": ["A", "A", "A", "B"],
            "term": ["x", "y", "z", "x"],
            "z": [1.0, 3.0, -1.0, 2.0],
        }
    )
    best = vocab.top_terms(scored, k=2, min_z=0)
    assert list(zip(best["group"], best["term"], strict=True)) == [
        ("A", "y"),
        ("A", "x"),
        ("B", "x"),
    ]


# -- tokens, stop words and clitics --------------------------------------------------------


def test_tokenize_folds_and_splits_on_anything_but_letters_and_digits() -> None:
    text = "قالَ: «الرئيسُ» وصل إلى بيونغ-يانغ في ١٩ يونيو، snake_case."
    assert vocab.tokenize(text) == [
        "قال",
        "الرئيس",
        "وصل",
        "الي",
        "بيونغ",
        "يانغ",
        "في",
        "19",
        "يونيو",
        "snake",
        "case",
    ]


def test_is_word_drops_numbers_and_single_letters() -> None:
    assert vocab.is_word("روسيا") and vocab.is_word("g7")
    assert not vocab.is_word("2024") and not vocab.is_word("ب") and not vocab.is_word("x")


def test_parse_stopwords_folds_words_and_reads_exceptions() -> None:
    parsed = vocab.parse_stopwords("# comment\nإلى  # to\n\nالتي\nعلى\n!ولي\n")
    assert parsed.words == frozenset({"الي", "التي", "علي"})
    assert parsed.keep == frozenset({"ولي"})


def test_clitic_forms_of_stop_words_are_stopped_but_exceptions_are_not() -> None:
    stop = vocab.parse_stopwords("في\nلي\nذلك\nهو\n!ولي\n").expanded()
    assert {"في", "وفي", "ففي", "لذلك", "وكذلك", "وهو", "فهو"} <= stop
    assert "ولي" not in stop  # ولي العهد, the crown prince


@pytest.mark.parametrize(
    ("token", "vocabulary", "key"),
    [
        ("الرئيس", set(), "رئيس"),
        ("والرئيس", set(), "رئيس"),
        ("للعدوان", set(), "عدوان"),
        ("بالذخائر", set(), "ذخائر"),
        ("وبالذخائر", set(), "ذخائر"),
        ("الله", set(), "الله"),  # the stem would be 2 letters
        ("الدم", set(), "الدم"),
        ("وروسيا", {"روسيا"}, "روسيا"),  # guarded: روسيا is a word of the corpus
        ("وصواريخ", {"الصواريخ"}, "صواريخ"),  # guarded by the definite form
        ("وكالة", set(), "وكالة"),  # كالة is not a word: و is part of the word
        ("وزير", set(), "وزير"),
        ("بوتين", {"وتين"}, "بوتين"),  # a bare ب is never removed
    ],
)
def test_term_key(token: str, vocabulary: set[str], key: str) -> None:
    assert vocab.term_key(token, vocabulary) == key


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="الوبفكلرسينتمه", min_size=1, max_size=10))
def test_term_key_only_removes_a_prefix(token: str) -> None:
    key = vocab.term_key(token, {token[1:]})
    assert token.endswith(key)
    assert key == token or len(key) >= vocab.MIN_STEM_CHARS


def test_count_terms_merges_clitic_variants_and_drops_stop_words() -> None:
    stop = vocab.parse_stopwords("في\nقال\n")
    counts = vocab.count_terms(["قال الرئيس في موسكو", "وقال والرئيس للرئيس 2024 ب"], stop)
    assert counts == {"رئيس": 3, "موسكو": 1}


def test_display_form_drops_tashkeel_and_tatweel_only() -> None:
    assert vocab.display_form("الشماليّـة") == "الشمالية"
    assert vocab.display_form("أمريكا") == "أمريكا"


# -- the bundled list -----------------------------------------------------------------------


def test_bundled_stop_list_names_its_sources_and_covers_function_words() -> None:
    text = STOPWORDS_PATH.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines()[:20] if line.startswith("#"))
    assert "Source and method" in header and "NOT derived from word frequencies" in header
    stop = vocab.load_stopwords(STOPWORDS_PATH)
    expanded = stop.expanded()
    for word in ("في", "من", "إلى", "على", "الذي", "التي", "هذا", "كان", "قال", "أن"):
        assert normalize_for_search(word) in stop.words, word
    for word in ("وفي", "وقال", "لذلك", "بأن"):
        assert normalize_for_search(word) in expanded, word
    # content words of the bundled corpus must never be stop words
    for word in ("روسيا", "كوريا", "بوتين", "معاهدة", "جندي", "قطارات", "ولي", "زعم", "يونيو"):
        assert normalize_for_search(word) not in expanded, word


def test_load_stopwords_defaults_to_the_gazetteer_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASD_GAZETTEER", raising=False)
    assert vocab.load_stopwords() == vocab.load_stopwords(STOPWORDS_PATH)
