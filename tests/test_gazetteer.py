"""The gazetteer files and their loader (rasd.gazetteer)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd import gazetteer
from rasd.config import ROOT
from rasd.gazetteer import (
    DROPPED,
    ENTITY_TYPES,
    ID_RE,
    QID_RE,
    GazetteerError,
    expand_demonym,
    fold,
    fold_key,
    load,
)

GAZETTEER = ROOT / "data" / "gazetteer"


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return load(GAZETTEER)


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_gazetteer", ROOT / "scripts" / "make_gazetteer.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_files_are_up_to_date() -> None:
    # The Babel/GeoNames-derived part is reproducible: regenerating changes nothing.
    for name, content in _generator().build().items():
        assert (GAZETTEER / name).read_text(encoding="utf-8") == content, (
            f"{name} is stale: run .venv/bin/python scripts/make_gazetteer.py"
        )


def test_every_entry_is_sourced_typed_and_url_safe(gaz: gazetteer.Gazetteer) -> None:
    assert len(gaz.entries) > 500
    for entry in gaz.entries:
        assert entry.source.strip()
        assert entry.type in ENTITY_TYPES
        assert ID_RE.match(entry.entity_id)
        if entry.wikidata_id is not None:
            assert QID_RE.match(entry.wikidata_id)
            # A Wikidata id, when known, is the entity id (stable, citable).
            assert entry.entity_id == entry.wikidata_id


def test_each_jsonl_line_has_a_source_field() -> None:
    manifest = json.loads((GAZETTEER / "manifest.json").read_text(encoding="utf-8"))
    for name in manifest["entity_files"]:
        for line in (GAZETTEER / name).read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["source"], f"{name}: {line[:60]}"


@pytest.mark.parametrize(
    ("entity_id", "name_en"),
    [
        ("Q7747", "Vladimir Putin"),
        ("Q56226", "Kim Jong-un"),
        ("Q41117", "Kim Il-sung"),
        ("Q10665", "Kim Jong-il"),
        ("Q159", "Russia"),
        ("Q423", "North Korea"),
        ("Q884", "South Korea"),
        ("Q1065", "United Nations"),
        ("Q41984", "International Atomic Energy Agency"),
        ("Q40469", "Associated Press"),
        ("Q15180", "Soviet Union"),
    ],
)
def test_verified_wikidata_ids(gaz: gazetteer.Gazetteer, entity_id: str, name_en: str) -> None:
    entries = {e.entity_id: e for e in gaz.entries}
    assert entries[entity_id].name_en == name_en


def test_countries_come_from_cldr_with_curated_variants(gaz: gazetteer.Gazetteer) -> None:
    entries = {e.entity_id: e for e in gaz.entries}
    north_korea = entries["Q423"]
    assert north_korea.name_ar == "كوريا الشمالية"
    assert "جمهورية كوريا الديمقراطية الشعبية" in north_korea.aliases["variant"]
    assert "الكورية الشمالية" in north_korea.aliases["demonym"]
    assert north_korea.iso3 == "PRK"
    assert north_korea.coord_basis == "capital"
    # Regions from CLDR's UN M49 codes.
    assert entries["loc-m49-150"].name_ar == "أوروبا"


def test_cities_have_geonames_coordinates(gaz: gazetteer.Gazetteer) -> None:
    entries = {e.entity_id: e for e in gaz.entries}
    vladivostok = entries["gpe-vladivostok"]
    assert vladivostok.lat == pytest.approx(43.1, abs=0.1)
    assert vladivostok.lon == pytest.approx(131.9, abs=0.1)
    assert "GeoNames" in vladivostok.source
    for entry in gaz.entries:
        if entry.lat is not None:
            assert entry.lon is not None
            assert -90 <= entry.lat <= 90 and -180 <= entry.lon <= 180


def test_demonym_expansion() -> None:
    forms = expand_demonym("كوري شمالي")
    for form in (
        "كوري شمالي",
        "كورية شمالية",
        "الكوري الشمالي",
        "الكورية الشمالية",
        "كوريون شماليون",
        "الكوريين الشماليين",
    ):
        assert form in forms
    assert "الروسية" in expand_demonym("روسي")


def test_lexicon_is_folded(gaz: gazetteer.Gazetteer) -> None:
    lex = gaz.lexicon
    assert fold_key("المتحدث") in lex.titles
    assert fold_key("الإثنين") in lex.stopwords
    assert fold_key("مجلس الأمن") in lex.veto_next
    assert "مالي" in lex.never_patterns


def test_fold_maps_one_to_one() -> None:
    assert fold("أُسامة") == "اسامه"
    assert fold("رئيس") == "رييس"
    assert fold("مؤتمر") == "موتمر"
    assert fold("ـــروسيا") == "روسيا"
    assert fold("NATO ٢٠٢٤") == "nato 2024"


@given(
    st.text(
        alphabet=st.sampled_from(
            [chr(c) for c in range(0x0600, 0x0700)] + list("abcXYZ \n\u00a0\u200f.،")
        ),
        max_size=80,
    )
)
def test_fold_only_drops_marks(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text) - sum(ch in DROPPED for ch in text)


def _write(tmp: Path, people: str) -> Path:
    (tmp / "curated").mkdir()
    (tmp / "curated" / "people.jsonl").write_text(people, encoding="utf-8")
    (tmp / "lexicon.toml").write_text(
        (GAZETTEER / "lexicon.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp / "manifest.json").write_text(
        json.dumps({"version": "t", "entity_files": ["curated/people.jsonl"]}), encoding="utf-8"
    )
    return tmp


def test_malformed_entries_are_refused_with_the_place(tmp_path: Path) -> None:
    bad = '{"id": "per x", "type": "PERSON", "name_ar": "س", "source": "t", "aliases": {}}\n'
    with pytest.raises(GazetteerError, match="people.jsonl:1.*URL-safe"):
        load(_write(tmp_path, bad))


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    row = '{"id": "per-x", "type": "PERSON", "name_ar": "س ص", "source": "t", "aliases": {}}\n'
    with pytest.raises(GazetteerError, match="already used"):
        load(_write(tmp_path, row + row))


def test_unknown_alias_kind_is_refused(tmp_path: Path) -> None:
    row = '{"id": "per-x", "type": "PERSON", "name_ar": "س ص", "source": "t", "aliases": {"nick": ["س"]}}\n'
    with pytest.raises(GazetteerError, match="unknown alias kind"):
        load(_write(tmp_path, row))


def test_missing_directory_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="RASD_GAZETTEER"):
        load(tmp_path / "nowhere")
