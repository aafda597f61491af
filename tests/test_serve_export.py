"""`datactiviste export`: CSV for any spreadsheet, CSV for French Excel, XLSX, GeoJSON."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.serve.export import export, neutralise_formula
from tests.serve_fixtures import make_project_db

DANGEROUS = ["=HYPERLINK(\"http://evil\",\"clic\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
             "\tTAB", "-12", "-12,5", "+33 6 12", "Thiès"]


@pytest.fixture
def project_db(tmp_path) -> Path:
    path = make_project_db(tmp_path / "projet.db", rows=20)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, texte TEXT, valeur REAL)")
    connection.executemany("INSERT INTO notes (texte, valeur) VALUES (?, ?)",
                           [(text, 1234.5) for text in DANGEROUS] + [("ŋ wolof", None)])
    connection.commit()
    connection.close()
    return path


def test_neutralise_formula_keeps_numbers_and_text():
    assert neutralise_formula("=1+1") == "'=1+1"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("-2+3") == "'-2+3"
    assert neutralise_formula("-12") == "-12" and neutralise_formula("-12,5") == "-12,5"
    assert neutralise_formula("Thiès") == "Thiès" and neutralise_formula(-5) == -5


def test_csv_is_utf8_with_bom_and_neutralised(project_db, tmp_path):
    out = tmp_path / "notes.csv"
    result = export(project_db, out, table="notes")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and result.rows == len(DANGEROUS) + 1
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    texts = [row[1] for row in rows[1:]]
    assert texts[:5] == ["'" + v for v in DANGEROUS[:5]]
    assert texts[5:9] == ["-12", "-12,5", "'+33 6 12", "Thiès"]
    assert "ŋ wolof" in texts and rows[1][2] == "1234.5"


def test_excel_csv_is_semicolon_cp1252_decimal_comma(project_db, tmp_path):
    out = tmp_path / "notes.csv"
    result = export(project_db, out, table="notes", excel=True)
    text = out.read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["id", "texte", "valeur"] and rows[1][2] == "1234,5"
    assert "Thiès" in text and "? wolof" in text and result.replaced_characters == 1


def test_table_export_uses_the_original_headers(project_db, tmp_path):
    out = tmp_path / "depenses.csv"
    export(project_db, out, table="depenses")
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,Code commune,Région,Poste de dépense,Montant (FCFA)")


def test_xlsx_has_typed_cells_and_no_formulas(project_db, tmp_path):
    out = tmp_path / "notes.xlsx"
    export(project_db, out, table="notes")
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        shared = archive.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in archive.namelist() else sheet
    assert "<f>" not in sheet  # no formula cell at all
    assert "=HYPERLINK" in shared.replace("&quot;", '"')  # stored as text, unchanged
    assert "<v>1234.5</v>" in sheet
    from python_calamine import CalamineWorkbook

    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert values[1][1] == DANGEROUS[0] and values[1][2] == 1234.5


def test_exports_are_deterministic(project_db, tmp_path):
    for name in ("a.xlsx", "a.csv", "a.geojson"):
        first, second = tmp_path / ("1" + name), tmp_path / ("2" + name)
        export(project_db, first, table="depenses")
        export(project_db, second, table="depenses")
        assert first.read_bytes() == second.read_bytes(), name


def test_geojson_points_from_latitude_longitude(project_db, tmp_path):
    out = tmp_path / "depenses.geojson"
    result = export(project_db, out, sql="select * from depenses where id <= 5")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 5 == result.rows
    feature = data["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert 12 < lat < 17 and -18 < lon < -15
    assert "latitude" not in feature["properties"] and feature["properties"]["region"]


def test_geojson_without_coordinates_is_explained(project_db, tmp_path):
    with pytest.raises(DatactivisteError) as caught:
        export(project_db, tmp_path / "x.geojson", table="notes")
    assert "latitude" in caught.value.message
    assert not (tmp_path / "x.geojson").exists() and not (tmp_path / "x.geojson.part").exists()


def test_cli_export_and_its_errors(run_cli, project_db):
    result = run_cli("export", project_db, "depenses", "-o", "d.csv")
    assert result.exit_code == 0 and "20 lignes écrites" in result.output
    assert Path("d.csv").exists()
    result = run_cli("export", project_db, "absente", "-o", "d.csv")
    assert result.exit_code == 2 and "Aucune table nommée absente" in result.output
    assert "depenses" in result.output  # the hint lists the tables
    result = run_cli("export", project_db, "depenses", "-o", "d.pdf")
    assert result.exit_code == 2 and "Format d’export inconnu" in result.output
    result = run_cli("export", project_db, "--sql", "select nope from depenses", "-o", "d.csv")
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = run_cli("export", project_db, "depenses", "--sql", "select 1", "-o", "d.csv")
    assert result.exit_code == 2


def test_paths_with_spaces_hash_and_accents_work(tmp_path, run_cli):
    folder = tmp_path / "données #1 ?"
    folder.mkdir()
    path = make_project_db(folder / "projet été.db", rows=4)
    result = export(path, folder / "x.csv", table="depenses")
    assert result.rows == 4
    from datactiviste.serve.app import build_datasette

    assert "projet été" in build_datasette([path], "fr").databases
