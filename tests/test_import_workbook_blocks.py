"""Sheets that stack several tables, each with a title and labels of its own (`Tableau 1` over
`Tableau 2`, as statistics offices lay them out): each is imported as a table of its own, its
title set aside with it, and the report says the sheet held several. What is one table stays one:
a repeated header, section titles, notes, a block of labels over a single row, or a layout the
user set with --skip-lines."""

import sqlite3

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


def _tables(results, database):
    with sqlite3.connect(database) as connection:
        return {r.table: connection.execute(f'SELECT * FROM "{r.table}"').fetchall() for r in results}


def _set_aside(database):
    with sqlite3.connect(database) as connection:
        return connection.execute('SELECT table_name, source_line, reason FROM _anomalies WHERE column_name IS NULL '
                                  'ORDER BY source_line').fetchall()


def test_two_tables_stacked_in_a_sheet_are_two_tables_each_with_its_title_and_types(tmp_path):
    path = write_xlsx(tmp_path / "effectifs.xlsx", TWO_TABLES)
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


def test_three_tables_and_a_table_of_years(tmp_path):
    budget = [["Budget 2022–2023 (millions FCFA)"], ["Région", "2022", "2023"], ["Dakar", 120.5, 130.25],
              ["Thiès", 80.75, 82.0], ["Kaolack", 40.0, 41.5]]
    rows = TWO_TABLES[:-2] + [[]] + budget
    results = import_file(write_xlsx(tmp_path / "annuaire.xlsx", rows), tmp_path / "out.db")
    assert [r.table for r in results] == ["annuaire", "annuaire_2", "annuaire_3"]
    assert {r.blocks for r in results} == {3}
    third = _tables(results, tmp_path / "out.db")["annuaire_3"]
    assert third == [("Dakar", 120.5, 130.25), ("Thiès", 80.75, 82.0), ("Kaolack", 40.0, 41.5)]
    assert [c.name for c in results[2].columns] == ["region", "c_2022", "c_2023"]


def test_a_repeated_header_under_a_blank_row_is_one_table(tmp_path):
    rows = [["Région", "Garçons", "Filles", "Total"], *PUPILS[:2], [], ["Région", "Garçons", "Filles", "Total"],
            *PUPILS[2:]]
    results = import_file(write_xlsx(tmp_path / "repeat.xlsx", rows), tmp_path / "out.db")
    assert len(results) == 1 and results[0].blocks == 1
    assert _tables(results, tmp_path / "out.db")["repeat"] == [tuple(row) for row in PUPILS]
    assert [reason for _t, _l, reason in _set_aside(tmp_path / "out.db")] == ["repeated-header"]


def test_section_titles_under_blank_rows_are_one_table(tmp_path):
    rows = [["Région", "Garçons", "Filles", "Total"], [], ["Zone Nord"], *PUPILS[:2], [], ["Zone Sud"], *PUPILS[2:]]
    results = import_file(write_xlsx(tmp_path / "zones.xlsx", rows), tmp_path / "out.db")
    assert len(results) == 1
    assert [c.type for c in results[0].columns][1:4] == ["INTEGER", "INTEGER", "INTEGER"]


def test_labels_over_a_single_row_or_over_words_only_stay_in_the_table(tmp_path):
    one_row = TWO_TABLES[:7] + [[], ["Région", "Fonctionnaires", "Contractuels"], ["Dakar", 120, 45]]
    results = import_file(write_xlsx(tmp_path / "one.xlsx", one_row), tmp_path / "one.db")
    assert len(results) == 1 and results[0].rows_read == 1 + 4 + 2   # the title set aside; the block kept as rows
    notes = TWO_TABLES[:7] + [[], ["Note", "Définition"], ["Garçons", "élèves inscrits"], ["Filles", "élèves inscrites"]]
    results = import_file(write_xlsx(tmp_path / "notes.xlsx", notes), tmp_path / "notes.db")
    assert len(results) == 1


def test_skip_lines_keeps_the_sheet_one_table(tmp_path):
    path = write_xlsx(tmp_path / "effectifs.xlsx", TWO_TABLES)
    results = import_file(path, tmp_path / "out.db", ImportOptions(skip_lines=2))
    assert len(results) == 1
    assert results[0].rows_read == 1 + 4 + 2 + 3 + 1   # title; pupils; title and labels; teachers; source
