"""`datactiviste import` and `inspect` as a user meets them: reports, re-imports, bad input, atomicity."""

import hashlib
import json
import sqlite3
import zipfile

import pytest

from datactiviste.errors import DatactivisteError
from datactiviste.ingest.importer import ImportOptions, import_file
from tests.conftest import FIXTURES

TRAPS = FIXTURES / "import"


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_import_reports_in_french_and_writes_provenance(run_cli, tmp_path):
    result = run_cli("import", TRAPS / "cp1252_semicolon_french.csv")
    assert result.exit_code == 0, result.output
    assert "Encodage : cp1252" in result.output
    assert "Séparateur : point-virgule (;)" in result.output
    assert "codes à zéros initiaux" in result.output
    connection = sqlite3.connect(tmp_path / "datactiviste.db")
    (row,) = connection.execute(
        "SELECT table_name, file_name, sha256, encoding, delimiter, header_line, rows_read, rows_written, columns "
        "FROM _sources").fetchall()
    assert row[:2] == ("cp1252_semicolon_french", "cp1252_semicolon_french.csv")
    assert row[2] == hashlib.sha256((TRAPS / "cp1252_semicolon_french.csv").read_bytes()).hexdigest()
    assert row[3:8] == ("cp1252", ";", 1, 3, 3)
    columns = json.loads(row[8])
    assert [(c["label"], c["name"], c["type"]) for c in columns][:3] == [
        ("Code commune", "code_commune", "TEXT"), ("Commune", "commune", "TEXT"), ("Montant (FCFA)", "montant_fcfa", "REAL")]


def test_report_in_english_and_json(run_cli):
    english = run_cli("--lang", "en", "import", TRAPS / "latin1_names.csv", "--db", "x.db")
    assert "Encoding: iso-8859-1" in english.output and "Delimiter: comma (,)" in english.output
    machine = run_cli("import", TRAPS / "latin1_names.csv", "--db", "x.db", "--report", "json")
    (report,) = json.loads(machine.output)
    assert report["table"] == "latin1_names" and report["rows_written"] == 2
    assert [c["type"] for c in report["columns"]] == ["TEXT", "TEXT", "INTEGER"]
    assert report["replaced"] is True  # the second import replaced the first


def test_a_file_of_one_column_names_no_delimiter(run_cli, tmp_path):
    (tmp_path / "villes.csv").write_text("ville\nDakar\nThiès\nLouga\n", encoding="utf-8")
    french = run_cli("import", tmp_path / "villes.csv", "--db", "v.db")
    assert "Séparateur : aucun (une seule colonne)" in french.output and "virgule" not in french.output
    english = run_cli("--lang", "en", "import", tmp_path / "villes.csv", "--db", "v.db")
    assert "Delimiter: none (one column)" in english.output
    (tmp_path / "mesures.txt").write_text("001 307 0930 36.58 0\n002 307 0940 36.73 0\n", encoding="utf-8")
    spaced = run_cli("import", tmp_path / "mesures.txt", "--db", "v.db", "--delimiter", " ")
    assert "Séparateur : espace" in spaced.output


def test_a_column_of_ticks_is_said_to_hold_its_marks_not_to_be_empty(run_cli, tmp_path):
    # A work plan ticks its months with `x` (also a missing-value mark): kept as written, and the
    # report says so instead of "colonne vide".
    (tmp_path / "taches.csv").write_text("tâche;juillet;août\nCollecte;x;\nSaisie;;x\nAnalyse;x;x\n", encoding="utf-8")
    output = run_cli("import", tmp_path / "taches.csv", "--db", tmp_path / "p.db").output
    assert "seulement les marques « x »" in output and "colonne vide" not in output
    assert sqlite3.connect(tmp_path / "p.db").execute("SELECT juillet, aout FROM taches ORDER BY rowid").fetchall() == [
        ("x", None), (None, "x"), ("x", "x")]


def test_reimport_replaces_and_append_adds(tmp_path):
    database = tmp_path / "t.db"
    source = TRAPS / "pipe.psv"
    import_file(source, database)
    import_file(source, database)
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT count(*) FROM pipe").fetchone() == (2,)
    assert connection.execute("SELECT count(*) FROM _sources WHERE table_name = 'pipe'").fetchone() == (1,)
    import_file(source, database, ImportOptions(append=True))
    assert connection.execute("SELECT count(*) FROM pipe").fetchone() == (4,)
    assert connection.execute("SELECT count(*) FROM _sources WHERE table_name = 'pipe'").fetchone() == (2,)


def test_overrides(tmp_path):
    database = tmp_path / "t.db"
    options = ImportOptions(types={"Code commune": "INTEGER", "taux": "TEXT"}, table="Dépenses 2024")
    (result,) = import_file(TRAPS / "cp1252_semicolon_french.csv", database, options)
    assert result.table == "depenses_2024"
    types = {c.name: c.type for c in result.columns}
    assert types["code_commune"] == "INTEGER" and types["taux"] == "TEXT"
    rows = sqlite3.connect(database).execute("SELECT code_commune, taux FROM depenses_2024").fetchall()
    assert rows[0] == (1001, "12,5 %")
    with pytest.raises(DatactivisteError, match="n'existe pas"):
        import_file(TRAPS / "pipe.psv", database, ImportOptions(types={"nope": "TEXT"}))


def test_keep_names_and_no_header(tmp_path):
    database = tmp_path / "t.db"
    (kept,) = import_file(TRAPS / "cp1252_semicolon_french.csv", database, ImportOptions(keep_names=True))
    assert kept.columns[2].name == "Montant (FCFA)"
    (raw,) = import_file(TRAPS / "pipe.psv", database, ImportOptions(no_header=True, table="brut"))
    assert [c.name for c in raw.columns] == ["column_1", "column_2"] and raw.rows_written == 3


def test_inspect_writes_nothing_and_finds_suspicious_values(run_cli, tmp_path):
    data = tmp_path / "communes.csv"
    data.write_text("commune;population\n" + "".join(
        f"{name};{value}\n" for name, value in [("Thiès", 10), ("THIES", 12), ("Thies ", 11), ("Mbour", 9),
                                                ("Mbour", 10), ("Louga", 11), ("Louga", 12), ("Fatick", 10),
                                                ("Kolda", 11), ("Kaolack", 5000)]), encoding="utf-8")
    before = set(tmp_path.iterdir())
    result = run_cli("inspect", data)
    assert result.exit_code == 0, result.output
    assert set(tmp_path.iterdir()) == before
    assert "valeurs écrites de plusieurs façons" in result.output or "valeur écrite de plusieurs façons" in result.output
    assert all(name in result.output for name in ("THIES", "Thies ", "Thiès"))
    assert "5\u00a0000" in result.output  # the outlier, formatted the French way
    payload = json.loads(run_cli("inspect", data, "--report", "json").output)
    assert payload[0]["columns"][1]["outliers"] == [5000]


def test_inspect_counts_every_outlier_and_lists_the_first_ten(tmp_path):
    from datactiviste.ingest.inspect import inspect_file

    data = tmp_path / "montants.csv"
    values = [100 + i % 7 for i in range(200)] + [90_000 + i for i in range(12)] + ["n.c."]
    data.write_text("montant\n" + "".join(f"{v}\n" for v in values), encoding="utf-8")
    (inspection,) = inspect_file(data)
    stats = inspection["columns"][0]
    assert stats["outliers"] == [90_000 + i for i in range(10)]
    assert any(w.startswith("12 valeurs très éloignées") for w in stats["warnings"]), stats["warnings"]


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "absent.csv", "introuvable"),
    (lambda p: p, "est un dossier"),
    (lambda p: _write(p / "vide.csv", b""), "vide"),
    (lambda p: TRAPS / "not_a_table.pdf", "PDF"),
    (lambda p: _write(p / "img.png", b"\x89PNG\r\n\x1a\n" + bytes(200)), "pas un tableau"),
])
def test_bad_input_is_a_clear_message_and_leaves_the_database_untouched(run_cli, tmp_path, make, message):
    database = tmp_path / "keep.db"
    import_file(TRAPS / "pipe.psv", database)
    before = _digest(database)
    target = make(tmp_path)
    result = run_cli("import", target, "--db", database)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert _digest(database) == before


def test_zip_archive_lists_its_content(run_cli, tmp_path):
    archive = tmp_path / "donnees.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("budget.csv", "a;b\n1;2\n")
    result = run_cli("import", archive)
    assert result.exit_code == 2 and "budget.csv" in result.output


def test_too_many_columns_and_huge_field_are_refused(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" * 10_000) + "\n")
    with pytest.raises(DatactivisteError) as error:
        import_file(wide, tmp_path / "t.db")
    assert "10000" in error.value.message.replace("\u00a0", "").replace(" ", "")
    broken = tmp_path / "quote.csv"
    with open(broken, "w") as handle:
        handle.write('a,b\n1,"never closed\n')
        handle.write(("x" * 1000 + "\n") * 50_000)  # ~50 MB swallowed by one field
    with pytest.raises(DatactivisteError) as error:
        import_file(broken, tmp_path / "t.db")
    assert error.value.line is not None and "guillemet" in error.value.message


def test_interrupted_import_leaves_the_database_as_it_was(tmp_path):
    database = tmp_path / "t.db"
    import_file(TRAPS / "pipe.psv", database)
    before = _digest(database)
    big = tmp_path / "big.csv"
    big.write_text("x;y\n" + "".join(f"{i};{i},5\n" for i in range(60_000)))

    def interrupt(_position):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(big, database, ImportOptions(progress=interrupt))
    assert _digest(database) == before
    tables = {r[0] for r in sqlite3.connect(database).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "big" not in tables


def test_not_a_sqlite_database(run_cli, tmp_path):
    fake = tmp_path / "fake.db"
    fake.write_text("bonjour " * 100)
    result = run_cli("import", TRAPS / "pipe.psv", "--db", fake)
    assert result.exit_code == 2 and "SQLite" in result.output


def test_several_files_one_failing(run_cli, tmp_path):
    result = run_cli("import", TRAPS / "pipe.psv", tmp_path / "absent.csv", TRAPS / "latin1_names.csv")
    assert result.exit_code == 2
    tables = {r[0] for r in sqlite3.connect(tmp_path / "datactiviste.db").execute(
        "SELECT table_name FROM _sources")}
    assert tables == {"pipe", "latin1_names"}


@pytest.mark.parametrize("late_value, column_type, stored", [
    ("12,5", "REAL", 12.5),          # integers for 6,000 rows, then a decimal: the column is REAL
    ("007", "TEXT", "007"),          # then a code with a leading zero: codes stay text, 1 stays "1"
    ("voir note", "INTEGER", "voir note"),  # then a remark: kept as text and reported, column stays INTEGER
])
def test_types_decided_on_every_value_even_late_ones(tmp_path, late_value, column_type, stored):
    data = tmp_path / "tard.csv"
    body = "".join(f"{i};{i % 90 + 1}\n" for i in range(6000))
    tail = "".join(f"{i};{i % 90 + 1}\n" for i in range(300))
    # (Not under a name saying codes: there `12,5` may list codes 12 and 5, test_import_marks.py.)
    data.write_text("n;valeur\n" + body + f"1;{late_value}\n" + tail, encoding="utf-8")
    database = tmp_path / "t.db"
    (result,) = import_file(data, database)
    assert result.columns[1].type == column_type
    connection = sqlite3.connect(database)
    rows = connection.execute("SELECT valeur FROM tard ORDER BY rowid").fetchall()
    assert len(rows) == result.rows_written == 6301
    assert rows[6000][0] == stored
    assert rows[0][0] == {"INTEGER": 1, "TEXT": "1", "REAL": 1.0}[column_type]
    anomalies = connection.execute("SELECT source_line, column_name, raw_value FROM _anomalies").fetchall()
    assert anomalies == ([(6002, "valeur", "voir note")] if column_type == "INTEGER" else [])


def test_workbook_sheets_become_tables(tmp_path):
    database = tmp_path / "t.db"
    results = import_file(TRAPS / "two_sheets.xlsx", database)
    assert [r.table for r in results] == ["two_sheets_recettes_2024", "two_sheets_depenses"]  # empty sheet skipped
    first = results[0]
    assert first.header_line == 3 and first.sheet == "Recettes 2024"
    assert [c.type for c in first.columns] == ["TEXT", "TEXT", "REAL"]
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT * FROM two_sheets_recettes_2024").fetchall() == [
        ("01001", "Dakar", 1500.5), ("02003", "Thiès", 2000.0)]
    assert connection.execute("SELECT raw_value, reason FROM _anomalies WHERE source_line = 1").fetchall() == [
        ("Budget communal (données fictives)", "preamble")]
    (only,) = import_file(TRAPS / "two_sheets.xlsx", tmp_path / "u.db", ImportOptions(sheet="Dépenses"))
    assert only.table == "two_sheets_depenses" and only.rows_written == 2
    with pytest.raises(DatactivisteError) as error:
        import_file(TRAPS / "two_sheets.xlsx", tmp_path / "u.db", ImportOptions(sheet="Nope"))
    assert "Nope" in error.value.message and "Recettes 2024, Vide, Dépenses" in error.value.hint


def test_progress_bar_on_big_files(run_cli, tmp_path):
    big = tmp_path / "gros.csv"
    line = "Thiès;1 234,50;03/02/2024;" + "x" * 60 + "\n"
    big.write_text("commune;montant;date;note\n" + line * 80_000, encoding="utf-8")
    assert big.stat().st_size > 5 * 1024 * 1024
    result = run_cli("import", big)
    assert result.exit_code == 0
    assert "Lecture de gros.csv" in result.stderr
    assert "Lignes : 80\u00a0000 importées" in result.output
    # After the bar, the indexing seconds are announced, not silent.
    assert result.stderr.index("Indexation des colonnes") > result.stderr.index("Lecture de gros.csv")
    quiet = run_cli("import", big, "--db", "sans_index.db", "--no-index")
    assert "Indexation" not in quiet.stderr


def test_big_tables_get_indexes_for_serving_unless_asked_not_to(run_cli, tmp_path):
    data = tmp_path / "marches.csv"
    data.write_text("region;prix\n" + "".join(f"{['Dakar', 'Thiès', 'Kolda'][i % 3]};{i},5\n" for i in range(1500)),
                    encoding="utf-8")
    (result,) = import_file(data, tmp_path / "a.db")
    assert result.indexed == ["region", "prix"]
    indexes = sqlite3.connect(tmp_path / "a.db").execute("PRAGMA index_list(marches)").fetchall()
    assert len(indexes) == 2
    output = run_cli("import", data, "--db", tmp_path / "b.db", "--no-index").output
    assert "Indexées" not in output
    assert sqlite3.connect(tmp_path / "b.db").execute("PRAGMA index_list(marches)").fetchall() == []


def test_short_rows_and_rows_with_extra_fields_are_named_by_their_lines(run_cli, tmp_path):
    # CSVQuickViewer's RealignColumn: a record cut by a line break, a stray tab; where are they?
    rows = [f"{i};Dakar;{i * 10}" for i in range(1, 11)]
    rows[3] = "4;Thiès"                       # line 5: short
    rows[6] = "7;Kaolack;70;en trop"          # line 8: one field more
    (tmp_path / "lignes.csv").write_text("id;ville;montant\n" + "\n".join(rows) + "\n", encoding="utf-8")
    output = run_cli("import", tmp_path / "lignes.csv", "--db", tmp_path / "l.db").output
    assert "1 ligne trop courte complétée par des valeurs vides (ligne 5)" in output
    assert "(gardées dans des colonnes supplémentaires) (ligne 8)" in output or "(ligne 8)" in output
    english = run_cli("--lang", "en", "import", tmp_path / "lignes.csv", "--db", tmp_path / "l.db").output
    assert "(line 5)" in english and "(line 8)" in english
