"""Point maps from coordinates: sizes, determinism, the offline invariant, bad input."""

from __future__ import annotations

import json

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.maps.build import build_map
from datactiviste.maps.data import Rows, number, read_points
from datactiviste.maps.points import MapOptions
from datactiviste.offline import external_loads
from tests.test_maps_fixtures import XSS, big_points_db, make_db, points_db  # noqa: F401


def test_hundred_points_fit_the_budget_and_are_deterministic(points_db):
    first = build_map(points_db, MapOptions(title="Écoles"), table="ecoles")
    second = build_map(points_db, MapOptions(title="Écoles"), table="ecoles")
    assert first.html == second.html                     # same input, same bytes
    assert len(first.html.encode("utf-8")) <= 450 * 1024
    assert external_loads(first.html) == []
    assert first.kind == "points" and first.drawn == 100
    assert '<html lang="fr">' in first.html and "<title>Écoles</title>" in first.html
    assert "ecoles_senegal.csv" in first.html            # source line from provenance
    assert "Natural Earth" in first.html
    assert XSS not in first.html                         # only ever as escaped JSON text
    assert "https://cdn" not in first.html and "unpkg" not in first.html


def test_five_thousand_points_fit_the_budget_and_cluster(big_points_db):
    result = build_map(big_points_db, MapOptions(), table="ecoles")
    assert result.kind == "clustered" and result.drawn == 5000
    assert len(result.html.encode("utf-8")) <= 1024 * 1024
    assert "markerClusterGroup" in result.html and external_loads(result.html) == []


def test_decimal_comma_and_number_parsing():
    assert number("14,79") == 14.79
    assert number(" 1 234,5 ") == 1234.5
    assert number("1.234,5") == 1234.5
    assert number("1,234.5") == 1234.5
    assert number("-16.93") == -16.93
    assert number("n/a") is None and number(None) is None


def test_swapped_coordinates_are_detected_and_fixed():
    rows = Rows(["lat", "lon"], [(-16.9 + i / 100, 14.7) for i in range(20)], name="t")
    points = read_points(rows, "lat", "lon", countries={"SN"})   # Senegal read backwards = Angola
    assert points.swapped and points.coordinates[0] == (14.7, -16.9)
    rows = Rows(["lat", "lon"], [(120.0 + i, 14.0) for i in range(10)], name="t")
    assert read_points(rows, "lat", "lon").swapped               # |latitude| > 90


def test_out_of_range_and_missing_rows_are_reported(tmp_path, run_cli):
    db = make_db(tmp_path / "t.db", "t", ["nom", "lat", "lon"],
                 [("a", 14.7, -17.4), ("b", 95.0, 200.0), ("c", None, None), ("d", "x", "y"),
                  ("e", 14.8, -16.9)])
    result = run_cli("map", "--db", db, "--table", "t", "-o", tmp_path / "t.html")
    assert result.exit_code == 0, result.output
    assert "hors limites" in result.output and "ligne 2" in result.output
    assert "2 lignes sans coordonnées" in result.output


def test_cli_writes_html_and_geojson(points_db, run_cli, tmp_path):
    out, geo = tmp_path / "carte.html", tmp_path / "carte.geojson"
    result = run_cli("map", "--db", points_db, "--table", "ecoles", "--size", "eleves", "--color",
                     "statut", "--title", "Écoles", "-o", out, "--geojson", geo)
    assert result.exit_code == 0, result.output
    assert "Carte écrite" in result.output
    html = out.read_text(encoding="utf-8")
    assert "public" in html and "Élèves" in html
    data = json.loads(geo.read_text(encoding="utf-8"))
    assert len(data["features"]) == 100
    first = data["features"][0]
    assert first["geometry"]["type"] == "Point" and first["properties"]["Nom de l'école"] == XSS


@pytest.mark.parametrize("args, expected", [
    (["--table", "ecoles", "--lat", "nope"], "Aucune colonne nope"),
    (["--sql", "SELECT nom FROM ecoles"], "Aucune colonne latitude/longitude"),
    (["--sql", "SELECT * FROM ecoles WHERE 0"], "Rien à cartographier"),
    (["--table", "absente"], "Aucune table absente"),
    (["--sql", "SELEC nimporte"], "La requête a échoué"),
])
def test_bad_input_gives_a_message_and_no_file(points_db, run_cli, tmp_path, args, expected):
    out = tmp_path / "rate.html"
    result = run_cli("map", "--db", points_db, "-o", out, *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert not out.exists()


def test_english_output(points_db, run_cli, tmp_path):
    out = tmp_path / "en.html"
    result = run_cli("--lang", "en", "map", "--db", points_db, "--table", "ecoles", "-o", out)
    assert result.exit_code == 0 and "Map written" in result.output
    assert '<html lang="en">' in out.read_text(encoding="utf-8")


def test_library_refuses_both_table_and_sql(points_db):
    with pytest.raises(DatactivisteError):
        build_map(points_db, MapOptions(), table="ecoles", sql="SELECT 1")


def test_vector_tile_packs_are_refused(points_db, run_cli, tmp_path):
    import sqlite3

    pack = tmp_path / "vector.mbtiles"
    connection = sqlite3.connect(pack)
    connection.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    connection.execute("INSERT INTO metadata VALUES ('format', 'pbf')")
    connection.execute("CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)")
    connection.commit()
    connection.close()
    out = tmp_path / "v.html"
    result = run_cli("map", "--db", points_db, "--table", "ecoles", "--tiles", pack, "-o", out)
    assert result.exit_code == 2 and "pbf" in result.output and not out.exists()


def test_a_query_keeps_the_source_of_its_tables(points_db):
    result = build_map(points_db, MapOptions(), sql="SELECT * FROM ecoles WHERE eleves > 100")
    assert "Source\u00a0: ecoles_senegal.csv (Licence Ouverte 2.0)" in result.html


def test_popup_values_in_the_user_locale_except_codes_and_years():
    from datactiviste.maps.points import display

    assert display(1234.5, "Budget") == "1\u00a0234,5"
    assert display(2024, "Année") == "2024" and display(2024, "annee_scolaire") == "2024"
    assert display(1001, "Code commune") == "1001" and display(12, "eleves") == "12"
    assert display("01001", "code") == "01001" and display(None) is None
