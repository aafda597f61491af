"""Sheets that stack several tables, each with a title and labels of its own (`Tableau 1` over
`Tableau 2`, as statistics offices lay them out), in a workbook or saved as CSV: each is imported
as a table of its own, its title set aside with it, and the report says the sheet held several.
What is one table stays one: a repeated header, section titles, notes, a block of labels over a
single row, a layout the user set with --skip-lines, or a CSV too long to be read whole."""

import csv
import sqlite3

import pytest

from datactiviste.i18n import set_language
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.report import render_import
from tests.workbook_files import write_xlsx

PUPILS = [["Dakar", 1200, 1300, 2500], ["Thiès", 800, 750, 1550], ["Kaolack", 400, 420, 820],
          ["Ziguinchor", 300, 310, 610]]
TEACHERS = [["Dakar", 120, 45, 12, 0.45], ["Thiès", 80, 30, 10, 0.38], ["Kaolack", 40, 20, 8, 0.31]]
TWO_TABLES = [["Tableau 1 : Effectifs par région"], [], ["Région", "Garçons", "Filles", "Total"], *PUPILS,
              [], [], ["Tableau 2 : Enseignants par région et par statut"], [],
              ["Région", "Fonctionnaires", "Contractuels", "Volontaires", "Taux de féminisation"], *TEACHERS,
              [], ["Source : Ministère de l'Éducation nationale, 2023"]]


def write_csv(path, rows):
    """The sheet as Excel saves it in CSV (`;`, every row as wide as the widest, numbers with a comma)."""
    width = max(len(row) for row in rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        for row in rows:
            writer.writerow([str(c).replace(".", ",") if isinstance(c, float) else c for c in row]
                            + [""] * (width - len(row)))
    return path


WRITERS = {"xlsx": write_xlsx, "csv": write_csv}
both = pytest.mark.parametrize("kind", WRITERS)


def _write(tmp_path, stem, kind, rows):
    return WRITERS[kind](tmp_path / f"{stem}.{kind}", rows)


def _tables(results, database):
    with sqlite3.connect(database) as connection:
        return {r.table: connection.execute(f'SELECT * FROM "{r.table}"').fetchall() for r in results}


def _set_aside(database):
    with sqlite3.connect(database) as connection:
        return connection.execute('SELECT table_name, source_line, reason FROM _anomalies WHERE column_name IS NULL '
                                  'ORDER BY source_line').fetchall()


@both
def test_two_tables_stacked_in_a_sheet_are_two_tables_each_with_its_title_and_types(tmp_path, kind):
    path = _write(tmp_path, "effectifs", kind, TWO_TABLES)
    results = import_file(path, tmp_path / "out.db")
    assert [r.table for r in results] == ["effectifs", "effectifs_2"]
    data = _tables(results, tmp_path / "out.db")
    assert data["effectifs"] == [tuple(row) for row in PUPILS]
    assert data["effectifs_2"] == [tuple(row) for row in TEACHERS]
    first, second = results
    assert [c.name for c in first.columns] == ["region", "garcons", "filles", "total"]   # as wide as its block
    assert [c.type for c in second.columns] == ["TEXT", "INTEGER", "INTEGER", "INTEGER", "REAL"]
    assert (first.header_line, second.header_line) == (3, 12)
    assert first.rows_read == 4 + 1 and second.rows_read == 3 + 2      # the title; the title and the source
    assert _set_aside(tmp_path / "out.db") == [("effectifs", 1, "preamble"), ("effectifs_2", 10, "preamble"),
                                               ("effectifs_2", 17, "footer")]


def test_the_report_says_the_sheet_stacks_tables_and_where_each_starts(tmp_path):
    path = write_xlsx(tmp_path / "effectifs.xlsx", TWO_TABLES)
    first, second = import_file(path, tmp_path / "out.db")
    assert render_import(first).split("\n")[1] == ("  ⚠ La feuille contient 2 tableaux l'un sous l'autre, chacun "
                                                   "avec ses propres libellés : importés en 2 tables, celle-ci "
                                                   "depuis la ligne 3")
    assert render_import(second).split("\n")[1].endswith("depuis la ligne 10")
    set_language("en")
    assert render_import(second).split("\n")[1] == ("  ⚠ The sheet holds 2 tables one under another, each with "
                                                    "labels of its own: imported as 2 tables, this one from row 10")


@both
def test_three_tables_and_a_table_of_years(tmp_path, kind):
    budget = [["Budget 2022–2023 (millions FCFA)"], ["Région", "2022", "2023"], ["Dakar", 120.5, 130.25],
              ["Thiès", 80.75, 82.0], ["Kaolack", 40.0, 41.5]]
    rows = TWO_TABLES[:-2] + [[]] + budget
    results = import_file(_write(tmp_path, "annuaire", kind, rows), tmp_path / "out.db")
    assert [r.table for r in results] == ["annuaire", "annuaire_2", "annuaire_3"]
    assert {r.blocks for r in results} == {3}
    third = _tables(results, tmp_path / "out.db")["annuaire_3"]
    assert third == [("Dakar", 120.5, 130.25), ("Thiès", 80.75, 82.0), ("Kaolack", 40.0, 41.5)]
    assert [c.name for c in results[2].columns] == ["region", "c_2022", "c_2023"]


@both
def test_a_repeated_header_under_a_blank_row_is_one_table(tmp_path, kind):
    rows = [["Région", "Garçons", "Filles", "Total"], *PUPILS[:2], [], ["Région", "Garçons", "Filles", "Total"],
            *PUPILS[2:]]
    results = import_file(_write(tmp_path, "repeat", kind, rows), tmp_path / "out.db")
    assert len(results) == 1 and results[0].blocks == 1
    assert _tables(results, tmp_path / "out.db")["repeat"] == [tuple(row) for row in PUPILS]
    assert [reason for _t, _l, reason in _set_aside(tmp_path / "out.db")] == ["repeated-header"]


@both
def test_section_titles_under_blank_rows_are_one_table(tmp_path, kind):
    rows = [["Région", "Garçons", "Filles", "Total"], [], ["Zone Nord"], *PUPILS[:2], [], ["Zone Sud"], *PUPILS[2:]]
    results = import_file(_write(tmp_path, "zones", kind, rows), tmp_path / "out.db")
    assert len(results) == 1
    assert [c.type for c in results[0].columns][1:4] == ["INTEGER", "INTEGER", "INTEGER"]


@both
def test_labels_over_a_single_row_or_over_words_only_stay_in_the_table(tmp_path, kind):
    one_row = TWO_TABLES[:7] + [[], ["Région", "Fonctionnaires", "Contractuels"], ["Dakar", 120, 45]]
    results = import_file(_write(tmp_path, "one", kind, one_row), tmp_path / "one.db")
    assert len(results) == 1 and results[0].rows_read == 1 + 4 + 2   # the title set aside; the block kept as rows
    notes = TWO_TABLES[:7] + [[], ["Note", "Définition"], ["Garçons", "élèves inscrits"], ["Filles", "élèves inscrites"]]
    results = import_file(_write(tmp_path, "notes", kind, notes), tmp_path / "notes.db")
    assert len(results) == 1
    numbered = TWO_TABLES[:7] + [[], ["fnSeqID", "Footnote"], [1, "Les effectifs de Dakar incluent les écoles privées."],
                                 [2, "Les données de Kaolack sont provisoires pour cette année."]]
    results = import_file(_write(tmp_path, "numbered", kind, numbered), tmp_path / "numbered.db")
    assert len(results) == 1 and results[0].rows_written == 4      # the notes under their labels: notes


@both
def test_skip_lines_keeps_the_sheet_one_table(tmp_path, kind):
    path = _write(tmp_path, "effectifs", kind, TWO_TABLES)
    results = import_file(path, tmp_path / "out.db", ImportOptions(skip_lines=2))
    assert len(results) == 1
    assert results[0].rows_read == 1 + 4 + 2 + 3 + 1   # title; pupils; title and labels; teachers; source


def test_the_csv_report_says_the_file_stacks_tables(tmp_path):
    first, second = import_file(write_csv(tmp_path / "effectifs.csv", TWO_TABLES), tmp_path / "out.db")
    assert render_import(second).split("\n")[1] == ("  ⚠ Le fichier contient 2 tableaux l'un sous l'autre, chacun "
                                                    "avec ses propres libellés : importés en 2 tables, celle-ci "
                                                    "depuis la ligne 10")


def test_a_csv_longer_than_its_sample_stays_one_table(tmp_path):
    """Only a file read whole in the sample is cut: the decision needs every record under the labels."""
    rows = [["Région", "Garçons", "Filles", "Total"]] + [[f"Commune {n}", n, n + 1, 2 * n + 1] for n in range(2100)]
    rows += [[], ["Région", "Fonctionnaires", "Contractuels"], ["Dakar", 120, 45], ["Thiès", 80, 30]]
    results = import_file(write_csv(tmp_path / "long.csv", rows), tmp_path / "out.db")
    assert len(results) == 1 and results[0].rows_read == 2100 + 3


@both
def test_a_table_under_its_own_title_with_the_same_columns_is_a_table_of_its_own(tmp_path, kind):
    # INDEC's weights: the regions over the divisions, then, under a title of its own, the regions
    # (two renamed) over the detailed items: other rows, another table, the same columns.
    regions = ["GBA", "Pampeana", "Cuyo", "Patagonia"]
    rows = [["Ponderaciones según divisiones"], [], ["Divisiones", *regions],
            ["Alimentos", 0.234, 0.286, 0.353, 0.347], ["Transporte", 0.116, 0.104, 0.096, 0.084],
            ["Salud", 0.088, 0.082, 0.053, 0.063], [], ["Fuente: INDEC."], [],
            ["Ponderaciones según principales aperturas"], [], ["Descripcion", "GBA", "Pampeana", "Noreste", "Patagonia"],
            ["Pan y cereales", 0.041, 0.05, 0.066, 0.065], ["Carnes", 0.07, 0.098, 0.133, 0.125],
            ["Lácteos", 0.03, 0.031, 0.04, 0.038]]
    results = import_file(_write(tmp_path, "ponderaciones", kind, rows), tmp_path / "out.db")
    assert [r.rows_written for r in results] == [3, 3]
    assert all(c.type == "REAL" for r in results for c in r.columns[1:])
