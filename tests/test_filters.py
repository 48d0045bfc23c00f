"""URL <-> filters: round trips, hostile values, and a parser that never raises."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.filters import (
    _ID_RE,
    KNOWN_KEYS,
    MAX_VALUE_CHARS,
    MAX_VALUES_PER_KEY,
    Filters,
    parse_params,
    to_params,
)


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


# -- the dataset id, the selected event, and hostile input in bulk (issue 8) ---------------


def test_round_trip_with_dataset_id_and_event() -> None:
    filters = Filters(outlets=("nysn",), lang="en", article="a1", event="e-7", dataset="7cb93e58")
    params = to_params(filters)
    assert params["ds"] == ["7cb93e58"] and params["event"] == ["e-7"]
    assert list(params)[-1] == "ds"  # last, so a link reads view first, build second
    assert parse_params(params) == filters


def test_a_link_from_another_build_is_kept_with_a_notice() -> None:
    f = parse_params({"ds": ["old123"], "outlet": ["a"]}, dataset_id="new456")
    assert f.dataset == "old123" and f.outlets == ("a",)
    assert [(n.key, n.param, n.value) for n in f.notices] == [("dataset_changed", "ds", "old123")]
    assert not parse_params({"ds": ["new456"]}, dataset_id="new456").notices
    assert not parse_params({"ds": ["old123"]}).notices  # no dataset loaded: nothing to compare


def test_bad_or_repeated_dataset_ids_are_notices() -> None:
    f = parse_params({"ds": ["../../etc/passwd"]}, dataset_id="abc")
    assert f.dataset is None and keys(f) == {"bad_id"}
    f = parse_params({"ds": ["abc", "def"]}, dataset_id="abc")
    assert f.dataset == "abc" and keys(f) == {"repeated_key"}


def test_the_dataset_id_does_not_change_the_view_for_caching() -> None:
    assert Filters(dataset="x").with_(dataset=None) == Filters()


@pytest.mark.parametrize(
    "value",
    ["../x", "/etc/passwd", "a/b", "a\\b", ".hidden", "..", "C:\\x", "~root", "a b", "%2e%2e"],
)
def test_no_url_id_can_name_a_path(value: str) -> None:
    # outlet, entity, type, article, event and ds are ids: none admits a path separator,
    # a leading dot or a drive letter, so no parameter can ever name a file.
    assert not _ID_RE.match(value)
    f = parse_params(
        {key: [value] for key in ("outlet", "entity", "type", "article", "event", "ds")}
    )
    assert f == Filters()


_ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # any code point but surrogates
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.one_of(st.sampled_from(KNOWN_KEYS), _ANY_TEXT),
        st.one_of(_ANY_TEXT, st.lists(_ANY_TEXT, max_size=80)),
        max_size=12,
    ),
    st.sampled_from([None, "abc123", "test"]),
)
def test_any_unicode_input_parses_to_a_fixed_point(
    params: dict[str, object], dataset_id: str | None
) -> None:
    f = parse_params(params, dataset_id=dataset_id)  # type: ignore[arg-type]
    canonical = to_params(f)
    again = parse_params(canonical)
    assert again == f
    assert to_params(again) == canonical  # to_params ∘ parse_params is idempotent
    assert not again.notices  # canonical parameters need no notice
    for values in canonical.values():
        assert len(values) <= MAX_VALUES_PER_KEY
        for value in values:
            assert len(value) <= MAX_VALUE_CHARS
            assert "\x00" not in value
    for notice in f.notices:
        assert len(notice.value) <= 200 and len(notice.param) <= 40


@settings(max_examples=50, deadline=None)
@given(st.lists(st.from_regex(_ID_RE, fullmatch=True), min_size=0, max_size=500))
def test_very_long_id_lists_are_capped(ids: list[str]) -> None:
    f = parse_params({"outlet": ids, "entity": [",".join(ids)]})
    assert len(f.outlets) <= MAX_VALUES_PER_KEY and len(f.entities) <= MAX_VALUES_PER_KEY
    assert parse_params(to_params(f)) == f


def test_nul_and_control_characters_everywhere() -> None:
    f = parse_params({"\x00lang": ["en"], "outlet\x00": ["a\x00b"], "q": ["\x00" * 10]})
    assert f.outlets == ("ab",) and f.q == ""
    assert parse_params(to_params(f)) == f
