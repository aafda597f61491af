"""Workbooks as statistics offices write them: each sheet decided on its own, sheets without a
table named in the report, title blocks set aside, stacked headers merged into one label.

Each workbook is written at test time with xlsxwriter (merged cells, blank rows) as Excel would
save it, then imported through the real reader and SQLite."""

import json
import sqlite3

import pytest
import xlsxwriter

from datactiviste.errors import DatactivisteError
from datactiviste.ingest.header import HeaderGuess
from datactiviste.ingest.stacked import stack_header, stacked_labels
from datactiviste.ingest.importer import ImportOptions, import_file

REGIONS = [("Dakar", 3732284, 3835019, 547, 547), ("Thiès", 2000000, 2050000, 6601, 6601),
           ("Kaolack", 1000000, 1100000, 5357, 5357), ("Fatick", 800000, 820000, 7935, 7935)]


def _workbook(path, sheets):
    """sheets: {name: callable(worksheet, formats)} drawing each sheet."""
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    for name, draw in sheets.items():
        draw(book.add_worksheet(name), bold)
    book.close()
    return path


def _data(sheet, bold):
    sheet.write_row(0, 0, ["Région", "Population", "Superficie"], bold)
    for row, (region, population, _p, area, _a) in enumerate(REGIONS, start=1):
        sheet.write_row(row, 0, [region, population, area])


def _notes(sheet, bold):
    sheet.write("A1", "Les chiffres de 2020 sont provisoires.")


def _statistics_office(sheet, bold):
    """A title, a subtitle, a blank row, then `Région` beside `Population` over `2019 | 2020`."""
    sheet.merge_range("A1:E1", "Tableau 3 : Population par région et par année", bold)
    sheet.merge_range("A2:E2", "Source : Agence nationale de la statistique et de la démographie", None)
    sheet.merge_range("A4:A5", "Région", bold)
    sheet.merge_range("B4:C4", "Population", bold)
    sheet.merge_range("D4:E4", "Superficie (km²)", bold)
    sheet.write_row("B5", [2019, 2020, 2019, 2020], bold)
    for row, values in enumerate(REGIONS, start=5):
        sheet.write_row(row, 0, values)


def _rows(database, table):
    return sqlite3.connect(database).execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()


def test_a_notes_sheet_is_skipped_with_a_named_warning_and_the_data_sheet_imports(run_cli, tmp_path):
    book = _workbook(tmp_path / "budget.xlsx", {"Données": _data, "Notes": _notes, "Vide": lambda s, b: None})
    result = run_cli("import", book)
    assert result.exit_code == 0, result.output
    assert "Feuille «Notes» ignorée" in result.output and "Les chiffres de 2020 sont provisoires." in result.output
    assert "Feuille «Vide» ignorée" in result.output and "vide" in result.output
    database = tmp_path / "datactiviste.db"
    assert _rows(database, "budget_donnees")[0] == ("Dakar", 3732284, 547)
    tables = {name for (name,) in sqlite3.connect(database).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not any("notes" in name or "vide" in name for name in tables)
    report = json.loads(run_cli("import", book, "--report", "json").output)
    assert report[0]["skipped_sheets"] == [
        {"name": "Notes", "reason": "notes", "text": "Les chiffres de 2020 sont provisoires.", "kept": 1},
        {"name": "Vide", "reason": "empty", "text": "", "kept": 0}]
    # Nothing lost: the notes sheet's text is in _anomalies, with the first table.
    assert sqlite3.connect(database).execute(
        "SELECT table_name, column_name, raw_value FROM _anomalies WHERE reason = 'sheet-notes'").fetchall() == [
        ("budget_donnees", "Notes", "Les chiffres de 2020 sont provisoires.")]


def test_the_warning_is_in_english_too(run_cli, tmp_path):
    book = _workbook(tmp_path / "budget.xlsx", {"Data": _data, "Notes": _notes})
    result = run_cli("--lang", "en", "import", book)
    assert result.exit_code == 0
    assert "Sheet «Notes» skipped, no table in it: notes only: « Les chiffres de 2020 sont provisoires. »" in result.output


def test_a_workbook_of_notes_only_is_refused_with_each_sheet_named(run_cli, tmp_path):
    book = _workbook(tmp_path / "notes.xlsx", {"Lisez-moi": _notes, "Vide": lambda s, b: None})
    result = run_cli("import", book)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Lisez-moi (notes seulement" in result.output and "Vide (vide)" in result.output
    (only,) = import_file(book, tmp_path / "t.db", ImportOptions(sheet="Lisez-moi"))   # asked for: imported
    assert only.rows_written == 1 and only.header_line is None


def test_a_column_of_short_values_is_a_table_not_notes(tmp_path):
    def names(sheet, bold):
        sheet.write_column("A1", ["Prénom", "Awa", "Fatou", "Moussa", "Ibrahima"])

    (result,) = import_file(_workbook(tmp_path / "liste.xlsx", {"Liste": names}), tmp_path / "t.db")
    assert result.rows_written == 4 and result.columns[0].label == "Prénom"


def test_a_header_only_sheet_is_an_empty_table_with_its_columns(tmp_path):
    def header_only(sheet, bold):
        sheet.write_row(0, 0, ["Code", "Commune", "Montant (FCFA)"], bold)

    database = tmp_path / "t.db"
    results = import_file(_workbook(tmp_path / "modele.xlsx", {"Données": _data, "Modèle": header_only}), database)
    assert [r.table for r in results] == ["modele_donnees", "modele_modele"]
    empty = results[1]
    assert empty.rows_written == 0 and [c.label for c in empty.columns] == ["Code", "Commune", "Montant (FCFA)"]
    columns = [row[1] for row in sqlite3.connect(database).execute('PRAGMA table_info("modele_modele")')]
    assert columns == ["code", "commune", "montant_fcfa"] and _rows(database, "modele_modele") == []


def test_a_table_laid_out_away_from_a1_has_no_empty_column_in_front(tmp_path):
    def offset(sheet, bold):          # the table starts at C3, the title at C1 (columns A-B empty)
        sheet.write("C1", "Tableau 1 : population par région")
        sheet.write_row(2, 2, ["Région", "Population", "Superficie"], bold)
        for row, (region, population, _p, area, _a) in enumerate(REGIONS, start=3):
            sheet.write_row(row, 2, [region, population, area])

    database = tmp_path / "t.db"
    (result,) = import_file(_workbook(tmp_path / "offset.xlsx", {"Population": offset}), database)
    assert [c.label for c in result.columns] == ["Région", "Population", "Superficie"]
    assert result.header_line == 3
    assert _rows(database, result.table) == [(r, p, a) for r, p, _p, a, _a in REGIONS]


def test_title_block_is_set_aside_and_stacked_header_merged_into_one_label(tmp_path):
    database = tmp_path / "t.db"
    book = _workbook(tmp_path / "ansd.xlsx", {"Population": _statistics_office, "Notes": _notes})
    (result,) = import_file(book, database)
    assert [c.label for c in result.columns] == ["Région", "Population — 2019", "Population — 2020",
                                                  "Superficie (km²) — 2019", "Superficie (km²) — 2020"]
    assert [c.name for c in result.columns] == ["region", "population_2019", "population_2020",
                                                 "superficie_km2_2019", "superficie_km2_2020"]
    assert result.header_line == 4 and result.header_reason == "stacked-merged"
    assert _rows(database, result.table) == REGIONS          # the 2019 | 2020 row is not data
    anomalies = sqlite3.connect(database).execute(
        "SELECT source_line, raw_value, reason FROM _anomalies WHERE reason != 'sheet-notes' ORDER BY source_line").fetchall()
    assert anomalies == [(1, "Tableau 3 : Population par région et par année", "preamble"),
                         (2, "Source : Agence nationale de la statistique et de la démographie", "preamble")]
    assert result.rows_read == result.rows_written + len(result.set_aside) == 4 + 2
    assert result.skipped_sheets[0]["name"] == "Notes"


def test_a_group_row_over_text_sub_headers(tmp_path):
    def sexes(sheet, bold):
        sheet.write("A1", "Effectifs scolaires 2023", bold)
        sheet.merge_range("A3:A4", "Commune", bold)
        sheet.merge_range("B3:C3", "Élèves", bold)
        sheet.write("D3", "Écoles", bold)
        sheet.write_row("B4", ["Filles", "Garçons"], bold)
        for row, values in enumerate([("Mbour", 1200, 1100, 12), ("Joal", 800, 790, 7), ("Saly", 400, 380, 4),
                                      ("Nianing", 300, 310, 3)], start=4):
            sheet.write_row(row, 0, values)

    database = tmp_path / "t.db"
    (result,) = import_file(_workbook(tmp_path / "ecoles.xlsx", {"Écoles": sexes}), database)
    assert [c.label for c in result.columns] == ["Commune", "Élèves — Filles", "Élèves — Garçons", "Écoles"]
    assert result.rows_written == 4 and _rows(database, result.table)[0] == ("Mbour", 1200, 1100, 12)


def test_each_sheet_is_decided_on_its_own(tmp_path):
    database = tmp_path / "t.db"
    results = import_file(_workbook(tmp_path / "deux.xlsx", {"Simple": _data, "Office": _statistics_office}),
                          database)
    simple, office = results
    assert [c.label for c in simple.columns] == ["Région", "Population", "Superficie"]
    assert simple.header_line == 1 and simple.rows_written == 4
    assert office.header_line == 4 and office.columns[1].label == "Population — 2019" and office.rows_written == 4


def test_without_merge_information_a_group_label_is_carried_to_the_right():
    """As a CSV or an .xls saved without merges shows it: blanks right of a group label."""
    records = [["Région", "Population", "", "Superficie", ""],
               ["", "2019", "2020", "2019", "2020"],
               *[[r, str(a), str(b), str(c), str(d)] for r, a, b, c, d in REGIONS]]
    guess = stack_header(records, HeaderGuess(index=0, width=5, reason="first-row"))
    assert (guess.index, guess.above) == (1, 1)
    assert stacked_labels(records, guess) == ["Région", "Population — 2019", "Population — 2020",
                                              "Superficie — 2019", "Superficie — 2020"]


def test_a_year_column_under_a_plain_header_is_data_not_a_sub_header():
    records = [["Région", "Année", "Population"], ["Dakar", "2019", "3732284"], ["Dakar", "2020", "3835019"],
               ["Thiès", "2019", "2000000"], ["Thiès", "2020", "2050000"]]
    guess = HeaderGuess(index=0, width=3, reason="first-row")
    assert stack_header(records, guess) is guess


def test_a_title_right_above_the_header_is_not_a_group_label():
    records = [["Population des régions du Sénégal", "", ""], ["Région", "2019", "2020"],
               ["Dakar", "3732284", "3835019"], ["Thiès", "2000000", "2050000"], ["Fatick", "800000", "820000"]]
    guess = HeaderGuess(index=1, width=3, reason="after-preamble")
    assert stack_header(records, guess) is guess
    merged_title = [((0, 0), (0, 2))]
    assert stack_header(records, guess, merged_title) is guess


def test_an_unknown_sheet_is_still_a_clear_error(tmp_path):
    with pytest.raises(DatactivisteError) as error:
        import_file(_workbook(tmp_path / "b.xlsx", {"Données": _data}), tmp_path / "t.db", ImportOptions(sheet="X"))
    assert "X" in error.value.message


def test_a_label_merged_over_the_row_labels_with_their_names_under_it(tmp_path):
    # NZ.Stat: `Sense of purpose` merged over A:C, the value columns' labels beside it on the same
    # row, the row labels' names (Sex, Age group) on the row under it; a legend under the table.
    def nzstat(sheet, bold):
        sheet.write("A1", "Dataset: Sense of purpose by sex and age group, 2014", bold)
        sheet.merge_range("A2:C2", "Sense of purpose", bold)
        sheet.write_row("D2", ["0 - 6", "7 - 10"], bold)
        sheet.write_row("A3", ["Sex", "Age group"], bold)
        rows = [("Male", "15 - 24", 12000, 37000), ("", "25 - 44", 30000, 190000),
                ("Female", "15 - 24", 9000, 11000), ("", "25 - 44", 5000, 41000)]
        for row, (sex, age, low, high) in enumerate(rows, start=3):
            sheet.write_row(row, 0, [sex, age, "", low, high])
        sheet.write("A8", "data extracted on 19 Aug 2016 14:24 UTC (GMT) from NZ.Stat")
        sheet.write("A9", "Legend:")
        sheet.write_row("A10", ["s:", "Suppressed"])

    database = tmp_path / "t.db"
    (result,) = import_file(_workbook(tmp_path / "nzstat.xlsx", {"NZ.Stat export": nzstat}), database)
    assert result.rows_written == 4 and _rows(database, result.table)[0][0] == "Male"
    assert [label.split(" — ")[-1] for label in [c.label for c in result.columns][:2]] == ["Sex", "Age group"]
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(1, "preamble"), (8, "footer"), (9, "footer"),
                                                                     (10, "footer")]


def test_the_row_labels_name_under_a_header_that_leaves_their_column_blank(tmp_path):
    # Stata's weighted cross-tables: group label, column labels, then `region` alone in column A.
    def tabout(sheet, bold):
        sheet.write_row("B1", ["Malnutrition"] * 3)
        sheet.write_row("B2", ["Pas malnutri", "Malnutri", "Total"])
        sheet.write("A3", "region")
        rows = [("  dakar", 715.5, 119.5, 835.0), ("  thiès", 300.25, 100.75, 401.0), ("  louga", 50.0, 25.0, 75.0)]
        for row, values in enumerate(rows, start=3):
            sheet.write_row(row, 0, values)
        sheet.write_row(6, 0, ["  Total", 1065.75, 245.25, 1311.0])

    database = tmp_path / "t.db"
    (result,) = import_file(_workbook(tmp_path / "dhs.xlsx", {"Malnu_region": tabout}), database)
    assert result.rows_written == 3 and _rows(database, result.table)[0][0] == "  dakar"
    assert result.columns[0].label == "region" and result.totals == 1


def _chart_of_accounts(sheet, bold):
    """Three header rows written as an .ods without merge information shows them: groups, labels,
    sub-labels under `Solde` (its blank to the right filled) and labels spanning rows written twice."""
    sheet.write_row(1, 0, ["Comptes", "", "", "Détails", "", "", "Autres informations"], bold)
    sheet.write_row(2, 0, ["Numéro", "Libellé", "Nature", "Fonctionnement", "Solde", "", "Date de mise à jour"], bold)
    sheet.write_row(3, 0, ["", "", "Nature", "", "En cours d'exercice", "En fin d'exercice", ""], bold)
    accounts = [(1031000000, "Contrepartie des immobilisations", "Non", "Débité lors de l'entrée", "Créditeur",
                 "Créditeur ou nul", "2016-12-22"),
                (1032000000, "Contrepartie des stocks", "Non", "Crédité lors de la sortie", "Créditeur",
                 "Nul", "2016-12-22"),
                (1040000000, "Compte de liaison", "Oui", "Débité ou crédité", "Débiteur", "Nul", "2017-12-22")]
    for row, values in enumerate(accounts, start=4):
        sheet.write_row(row, 0, values)


def test_three_header_rows_without_merges_groups_labels_and_sub_labels(tmp_path):
    database = tmp_path / "t.db"
    (result,) = import_file(_workbook(tmp_path / "ncc.xlsx", {"Classe 10": _chart_of_accounts}), database)
    assert result.rows_written == 3 and result.header_line == 3
    # The groups' row has a group of one column over a label (`Autres informations` over one
    # date): not told from a title line, it is set aside above the header, kept in _anomalies.
    assert [c.label for c in result.columns] == [
        "Numéro", "Libellé", "Nature", "Fonctionnement", "Solde — En cours d'exercice",
        "Solde — En fin d'exercice", "Date de mise à jour"]
    assert _rows(database, result.table)[0][0] == 1031000000
    kept = sqlite3.connect(database).execute("SELECT source_line, raw_value FROM _anomalies").fetchall()
    assert kept and kept[0][0] == 2 and kept[0][1].startswith("Comptes")


def test_a_text_row_under_a_label_with_a_blank_right_of_it_is_data():
    """`Avis | ` over `Oui | Non`: the row also fills the row labels' column, under `Commune`: a row
    of answers, not the sub-labels of `Avis`."""
    records = [["Commune", "Avis", "", "Date"], ["Mbour", "Oui", "Non", "2023-01-02"],
               ["Joal", "Non", "Oui", "2023-01-03"], ["Saly", "Oui", "Oui", "2023-01-04"],
               ["Nianing", "Non", "Non", "2023-01-05"], ["Somone", "Oui", "Non", "2023-01-06"]]
    guess = HeaderGuess(index=0, width=4, reason="first-row")
    assert stack_header(records, guess).index == 0


def test_a_sheet_whose_dimension_names_rows_only_is_read(tmp_path):
    """`<dimension ref="1:6"/>` (rows, no column letters: some exporters write it) made the sheet
    unreadable to calamine; the dimension is a hint, the sheet is read without it."""
    import re
    import zipfile

    made = tmp_path / "made.xlsx"
    book = xlsxwriter.Workbook(str(made))
    for name in ("Carbon Mineral", "Carbon Residual"):
        sheet = book.add_worksheet(name)
        for number, row in enumerate([["Año", "Producción", "Ajuste"], [1960, 12.5, -2.96], [1961, 13.0, 0.5],
                                      [1962, 14.25, 1.0], [1963, 15.0, -0.75], [1964, 15.5, 0.25]]):
            sheet.write_row(number, 0, row)
    book.close()
    path = tmp_path / "balance.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="1:6"/>', data)
            target.writestr(member, data)
    results = import_file(path, tmp_path / "b.db", ImportOptions(search=False))
    assert [r.rows_written for r in results] == [5, 5] and not results[0].skipped_sheets
    rows = sqlite3.connect(tmp_path / "b.db").execute(f'SELECT * FROM "{results[1].table}" LIMIT 1').fetchall()
    assert rows == [(1960, 12.5, -2.96)]
