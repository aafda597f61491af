"""Choropleths: region and country matching, classed colours, legends in the user's locale."""

from __future__ import annotations

import json

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.i18n import set_language
from datactiviste.maps.build import build_map
from datactiviste.maps.colours import class_of, quantile_breaks
from datactiviste.maps.points import MapOptions
from datactiviste.maps.regions import best_match
from datactiviste.offline import external_loads
from tests.test_maps_fixtures import XSS, make_db, regions_db  # noqa: F401


def _codes(match):
    return {value: match.boundaries.features[i]["properties"]["code"] for value, i in match.matched.items()}


def test_region_spellings_and_codes():
    match = best_match(["DAKAR", "Thies", "Région de Saint-Louis", "kedougou", "SN-ZG", "Kaolak",
                        "Sénégal Oriental", "Ziguinshor", "Atlantide"])
    assert _codes(match) == {"DAKAR": "SN-DK", "Thies": "SN-TH", "Région de Saint-Louis": "SN-SL",
                             "kedougou": "SN-KE", "SN-ZG": "SN-ZG", "Kaolak": "SN-KL",
                             "Sénégal Oriental": "SN-TC", "Ziguinshor": "SN-ZG"}
    assert match.unmatched == ["Atlantide"]
    # The short code works once the country is known.
    assert _codes(best_match(["TH", "DK", "ZG"], countries={"SN"})) == {"TH": "SN-TH", "DK": "SN-DK",
                                                                        "ZG": "SN-ZG"}


def test_countries_in_french_english_and_codes():
    match = best_match(["Sénégal", "Mali", "Côte d'Ivoire", "Burkina", "RDC", "BFA", "NE", "Tchad"])
    assert match.boundaries.level == "country"
    assert _codes(match) == {"Sénégal": "SN", "Mali": "ML", "Côte d'Ivoire": "CI", "Burkina": "BF",
                             "RDC": "CD", "BFA": "BF", "NE": "NE", "Tchad": "TD"}


def test_quantile_classes():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    breaks = quantile_breaks(values, 5)
    assert breaks == sorted(breaks) and len(breaks) == 4
    assert class_of(1, breaks) == 0 and class_of(10, breaks) == 4
    assert quantile_breaks([5, 5, 7], 5) == [5]            # few distinct values: fewer classes


def test_choropleth_legend_in_french_and_english(regions_db):
    result = build_map(regions_db, MapOptions(region="region", value="habitants"), table="population")
    assert result.kind == "choropleth" and result.drawn == 14
    assert result.unmatched == [XSS, "Atlantide"]
    assert "1 région introuvable" not in " ".join(result.messages)
    assert "2 régions introuvables" in " ".join(result.messages)
    assert "3\u00a0732\u00a0284" in result.html and "pas de données" in result.html
    assert external_loads(result.html) == [] and len(result.html.encode()) < 450 * 1024
    set_language("en")
    english = build_map(regions_db, MapOptions(region="region", value="habitants"), table="population")
    assert "3,732,284" in english.html and "no data" in english.html


def test_country_level_choropleth(tmp_path):
    db = make_db(tmp_path / "p.db", "pays", ["pays", "taux"],
                 [("Sénégal", "12,5"), ("Mali", "30,1"), ("Burkina Faso", "25"), ("Niger", "40,2")])
    result = build_map(db, MapOptions(region="pays", value="taux"), table="pays")
    assert result.drawn == 4
    assert "12,5" in result.html


def test_outdated_regions_are_flagged(tmp_path):
    db = make_db(tmp_path / "ci.db", "ci", ["region", "n"], [("Lagunes", 3), ("Savanes", 2), ("Montagnes", 1)])
    result = build_map(db, MapOptions(region="region", value="n", countries={"CI"}), table="ci")
    assert any("--boundaries" in m for m in result.messages)


def test_user_boundaries(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[-17, 14], [-16, 14], [-16, 15], [-17, 15], [-17, 14]]]}
    other = {"type": "Polygon", "coordinates": [[[-16, 14], [-15, 14], [-15, 15], [-16, 15], [-16, 14]]]}
    path = tmp_path / "communes.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": "Commune A", "code": "C01"}, "geometry": square},
        {"type": "Feature", "properties": {"nom": "Commune B", "code": "C02"}, "geometry": other}]}))
    db = make_db(tmp_path / "c.db", "c", ["commune", "n"], [("C01", 3), ("commune b", 5)])
    result = build_map(db, MapOptions(region="commune", value="n", boundaries=str(path)), table="c")
    assert result.drawn == 2 and result.unmatched == []
    assert "Contours : votre fichier" in result.html


def test_nothing_matches_is_an_error_and_no_file(tmp_path, run_cli):
    db = make_db(tmp_path / "x.db", "x", ["zone", "n"], [("Atlantide", 1), ("Lémurie", 2)])
    out = tmp_path / "x.html"
    result = run_cli("map", "--db", db, "--table", "x", "--region", "zone", "--value", "n", "-o", out)
    assert result.exit_code == 2 and "Aucune valeur de zone" in result.output
    assert not out.exists()


def test_cli_choropleth_lists_unmatched_regions(regions_db, run_cli, tmp_path):
    out = tmp_path / "r.html"
    result = run_cli("map", "--db", regions_db, "--table", "population", "--region", "region",
                     "--value", "habitants", "-o", out, "--geojson", tmp_path / "r.geojson")
    assert result.exit_code == 0, result.output
    assert "2 régions introuvables" in result.output and "Atlantide" in result.output
    exported = json.loads((tmp_path / "r.geojson").read_text(encoding="utf-8"))
    values = {f["properties"]["code"]: f["properties"]["value"] for f in exported["features"]}
    assert values["SN-DK"] == 3732284 and values["SN-FK"] is None


def test_library_error_type(regions_db):
    with pytest.raises(DatactivisteError):
        build_map(regions_db, MapOptions(region="absente"), table="population")


def test_static_png_and_svg(regions_db, run_cli, tmp_path):
    """--png/--svg: a picture that carries its title, legend and credits; same bytes twice."""
    args = ["map", "--db", regions_db, "--table", "population", "--region", "region", "--value",
            "habitants", "--title", "Population", "--png", tmp_path / "r.png", "--svg", tmp_path / "r.svg"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "r.svg").read_text(encoding="utf-8")
    png = (tmp_path / "r.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) <= 150 * 1024
    assert svg.startswith("<svg") and "<title>Population</title>" in svg
    assert "Natural Earth" in svg and "pas de données" in svg and "3\u00a0732\u00a0284" in svg
    assert external_loads(svg) == []
    run_cli(*[a if a != tmp_path / "r.svg" else tmp_path / "r2.svg" for a in args])
    assert (tmp_path / "r2.svg").read_text(encoding="utf-8") == svg


def test_no_output_is_an_error(regions_db, run_cli):
    result = run_cli("map", "--db", regions_db, "--table", "population", "--region", "region")
    assert result.exit_code == 2 and "-o" in result.output
