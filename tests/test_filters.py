"""URL <-> filters: round trips, hostile values, and a parser that never raises."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from rasd.filters import MAX_VALUE_CHARS, Filters, parse_params, to_params


def keys(filters: Filters) -> set[str]:
    return {n.key for n in filters.notices}


def test_round_trip() -> None:
    filters = Filters(
        outlets=("nysn", "thy-msr"),
        date_from=date(2024, 6, 1),
        date_to=date(2024, 6, 30),
        q="كيم جونغ أون",
        entities=("Q1",),
        types=("meeting",),
        lang="en",
        article="abc123",
    )
    assert parse_params(to_params(filters)) == filters
    assert parse_params(to_params(Filters())) == Filters()


def test_comma_separated_and_repeated_outlets() -> None:
    f = parse_params({"outlet": ["a,b", "c", "a"]})
    assert f.outlets == ("a", "b", "c")


def test_unknown_outlet_ignored_with_notice() -> None:
    f = parse_params({"outlet": ["a", "zzz"]}, known_outlets=["a", "b"])
    assert f.outlets == ("a",)
    assert keys(f) == {"unknown_id"}


def test_bad_values_are_notices_not_errors() -> None:
    f = parse_params(
        {
            "from": ["2024-02-30"],
            "to": ["yesterday"],
            "lang": ["fr"],
            "zzz": ["1"],
            "outlet": ["<script>"],
            "q": ["x" * (MAX_VALUE_CHARS + 1)],
        }
    )
    assert f == Filters()
    assert keys(f) == {"bad_date", "bad_lang", "unknown_param", "bad_id", "too_long"}


def test_reversed_range_is_dropped() -> None:
    f = parse_params({"from": ["2024-07-01"], "to": ["2024-06-01"]})
    assert (f.date_from, f.date_to) == (None, None)
    assert keys(f) == {"reversed_range"}


def test_nul_bytes_are_stripped() -> None:
    f = parse_params({"q": ["كيم\x00"], "lang": ["en\x00"]})
    assert (f.q, f.lang) == ("كيم", "en")


def test_q_is_folded_for_search() -> None:
    assert parse_params({"q": ["أُسامة"]}).q_norm == "اسامه"


@given(
    st.dictionaries(
        st.text(max_size=12),
        st.one_of(st.text(max_size=300), st.lists(st.text(max_size=50), max_size=5)),
        max_size=8,
    )
)
def test_parse_never_raises_and_output_is_canonical(params: dict[str, object]) -> None:
    f = parse_params(params, known_outlets=["a", "b"])  # type: ignore[arg-type]
    assert f.lang in {"ar", "en"}
    assert set(f.outlets) <= {"a", "b"}
    if f.date_from and f.date_to:
        assert f.date_from <= f.date_to
    again = parse_params(to_params(f))
    assert again == f
