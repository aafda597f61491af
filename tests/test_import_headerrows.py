"""Statistics offices' sheets where the row next to the labels belongs to the title block or to the
header: a key-value title block over the labels (Eurostat), the row variable's name under a header of
periods (OECD.Stat, Eurostat), a row of bare units under the years (ONS), a title merged across the
groups (NHS England), a title opening the row of groups (ONS). Each rule with its guard: a real first
data row is never taken for the header nor set aside.

Workbooks are written at test time with xlsxwriter as Excel saves them; the CSV twins go through the
delimited reader (the same header decision, without merge information)."""

from __future__ import annotations

import csv
import sqlite3

from datactiviste.ingest.header import HeaderGuess, find_header
from datactiviste.ingest.importer import import_file
from datactiviste.ingest.stacked import stack_header
from tests.workbook_files import write_xlsx

COUNTRIES = [("Belgium", 10263414, "", 10309725, "p", 10355844, "", 10396421, "e", 10445852, ""),
             ("Bulgaria", 8149468, "b", 7868815, "", 7805506, "", 7745147, "", 7688573, "p"),
             ("Czechia", 10232027, "", 10201182, "", 10192649, "e", 10195347, "", 10198855, ""),
             ("Denmark", 5349212, "p", 5368354, "", 5383507, "", 5397640, "b", 5411405, "")]
EUROSTAT_TOP = [["Data extracted on 30/01/2023 13:07:16 from [ESTAT]"],
                ["Dataset:", "Population change - Demographic balance"],
                ["Last updated:", "01/12/2022 23:00"],
                [],
                ["Time frequency", "", "Annual"],
                ["Demographic indicator", "", "Population on 1 January - total"],
                [],
                ["TIME", "2001", "", "2002", "", "2003", "", "2004", "", "2005", ""]]


def _write_csv(path, rows):
    width = max(len(row) for row in rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[str(c) for c in row] + [""] * (width - len(row)) for row in rows])
    return path


def _import(path, tmp_path):
    database = tmp_path / "t.db"
    (result,) = import_file(path, database)
    rows = sqlite3.connect(database).execute(f'SELECT * FROM "{result.table}" ORDER BY rowid').fetchall()
    return result, rows


def _fresh(tmp_path, path):
    folder = tmp_path / path.suffix[1:]
    folder.mkdir(exist_ok=True)
    return folder


def _set_aside(result):
    return [(entry["line"], entry["reason"]) for entry in result.set_aside]


# --- a key-value title block over the labels (Eurostat) ----------------------------------------------

def test_a_key_value_title_block_is_preamble_and_the_labels_under_it_the_header(tmp_path):
    # `Annual` sits in a flag column whose values are words (b, e, p): without the rule the block's
    # rows read like the rows and `Last updated:` was taken for the header.
    rows = EUROSTAT_TOP + [["GEO (Labels)"]] + [list(row) for row in COUNTRIES]
    for path in (write_xlsx(tmp_path / "estat.xlsx", rows), _write_csv(tmp_path / "estat.csv", rows)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert result.header_line == 8, path.name
        assert result.rows_written == 4 and data[0][0] == "Belgium" and data[0][1] == 10263414, path.name
        assert {(1, "preamble"), (2, "preamble"), (3, "preamble"), (5, "preamble"), (6, "preamble")} \
            <= set(_set_aside(result)), path.name


def test_a_narrow_first_row_over_rows_of_values_is_a_row_not_a_title_block():
    # A headerless sheet whose first row has few cells: the row under it holds values, not labels.
    records = [["Kédougou", "3", "", "", "", "", ""]] + \
              [[name, *map(str, range(start, start + 6))] for name, start in
               (("Dakar", 10), ("Thiès", 20), ("Kaolack", 30), ("Fatick", 40), ("Louga", 50))]
    assert find_header(records).index == 0


def test_key_value_lines_over_a_narrow_table_are_left_to_the_other_rules():
    # Under three labels, the block's two cells are not told from a row: nothing is set aside here.
    records = [["Pays:", "Sénégal", ""], ["Année:", "2011", ""], ["Région", "Hommes", "Femmes"],
               ["Dakar", "100", "120"], ["Thiès", "80", "85"], ["Louga", "40", "41"], ["Fatick", "30", "33"]]
    from datactiviste.ingest.header import _key_value_rows
    assert _key_value_rows(records, list(range(len(records)))) == 0


# --- the row variable's name under a header of periods (OECD.Stat, Eurostat) -------------------------

OECD = [["", "<?xml version=\"1.0\"?><WebTableParameter>…</WebTableParameter>"],
        ["Dataset: Strictness of employment protection"],
        [],
        ["Time", "", "2008", "2009", "2010", "2011"],
        ["Country"],
        ["Australia", "", 1.6309524, 1.6309524, 1.9880953, ".."],
        ["Austria", "", 2.4421768, 2.4421768, 2.4421768, ".."],
        ["Belgium", "", 2.9948978, 2.9948978, 3.1309524, ".."],
        ["Canada", "", 0.9166667, 0.9166667, 0.9166667, ".."]]


def test_the_row_variable_s_name_under_the_periods_is_part_of_the_header(tmp_path):
    for path in (write_xlsx(tmp_path / "oecd.xlsx", OECD), _write_csv(tmp_path / "oecd.csv", OECD)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert result.rows_written == 4 and data[0][0] == "Australia", path.name
        assert result.header_line in (4, 5) and result.columns[0].label == "Time — Country", path.name
        assert (1, "preamble") in _set_aside(result) and (2, "preamble") in _set_aside(result), path.name


def test_section_titles_under_a_header_of_years_stay_out_of_the_header():
    # `Afrique` alone under the years, and `Asie` again further down: sections of the rows.
    records = [["Région", "2019", "2020"], ["Afrique", "", ""], ["Sénégal", "17", "17.2"], ["Mali", "20", "20.5"],
               ["Asie", "", ""], ["Inde", "1366", "1380"], ["Chine", "1398", "1402"]]
    guess = HeaderGuess(index=0, width=3, reason="first-row")
    assert stack_header(records, guess) is guess


def test_a_lone_first_cell_under_labels_that_are_not_periods_is_a_row():
    records = [["Région", "Population", "Superficie"], ["Kédougou", "", ""], ["Dakar", "3732284", "547"],
               ["Thiès", "2000000", "6601"], ["Louga", "1000000", "24889"]]
    guess = HeaderGuess(index=0, width=3, reason="first-row")
    assert stack_header(records, guess) is guess


# --- a row of bare units under the years (ONS) -------------------------------------------------------

ONS = [["Table G1: Nominal (smoothed) GVA per hour worked (£)"],
       ["Including UK figures for comparison purposes"],
       ["United Kingdom"],
       ["", "", 2004, 2005, 2006, 2007],
       ["", "", "£", "£", "£", "£"],
       ["", "UNITED KINGDOM less Extra-Regio", 23.37, 24.16, 25.35, 26.54],
       ["E37000001", "Black Country", 20.18, 20.60, 21.26, 21.76],
       ["E37000002", "Buckinghamshire Thames Valley", 27.92, 28.59, 29.53, 30.52],
       ["E37000003", "Cheshire and Warrington", 25.12, 25.60, 26.01, 26.99],
       ["E37000004", "Coast to Capital", 26.01, 26.50, 27.43, 28.12]]


def test_a_row_of_bare_units_under_the_years_is_part_of_the_header(tmp_path):
    for path in (write_xlsx(tmp_path / "ons.xlsx", ONS), _write_csv(tmp_path / "ons.csv", ONS)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert result.rows_written == 5 and data[0][1] == "UNITED KINGDOM less Extra-Regio", path.name
        assert data[0][2] == 23.37 and result.columns[2].type == "REAL", path.name
        assert result.columns[2].label == "2004 — £", path.name


def test_a_row_naming_its_area_is_data_even_with_percent_signs():
    records = [["Zone", "2019", "2020"], ["Dakar", "%", "%"], ["Thiès", "12", "13"], ["Louga", "14", "15"],
               ["Fatick", "16", "17"], ["Kolda", "18", "19"]]
    guess = HeaderGuess(index=0, width=3, reason="first-row")
    assert stack_header(records, guess) is guess


# --- merged titles and titles opening the row of groups (NHS England, ONS) ---------------------------

NHS_ROWS = [["", "Emergency Attendances and Admissions"],
            [],
            [],
            ["", "England Level Data"],
            ["", "", "A&E attendances type 1", "", "", "All A&E attendances", "", ""],
            ["", "Period", "Monthly data", "3 month rolling average", "12 month rolling average",
             "Monthly data", "3 month rolling average", "12 month rolling average"],
            *[["A", f"2010-0{month}-01", 1138652 + month, 1150000 + month, 1160000 + month,
               1752381 + month, 1760000 + month, 1770000 + month] for month in range(1, 9)]]


def test_a_title_merged_across_the_groups_under_it_is_preamble(tmp_path):
    # `England Level Data` merged over B:C cuts across `A&E attendances type 1` merged over C:E.
    merges = [(3, 1, 3, 2, "England Level Data"), (4, 2, 4, 4, "A&E attendances type 1"),
              (4, 5, 4, 7, "All A&E attendances")]
    result, data = _import(write_xlsx(tmp_path / "nhs.xlsx", NHS_ROWS, merges), tmp_path)
    assert result.header_line == 5 and result.rows_written == 8
    assert (4, "preamble") in _set_aside(result)
    assert result.columns[2].label == "A&E attendances type 1 — Monthly data"


def test_a_group_merged_over_whole_groups_stays_in_the_header(tmp_path):
    # `Population` over B:E holds the whole of `Hommes` (B:C) and `Femmes` (D:E): three header rows.
    rows = [["Région", "Population", "", "", ""], ["", "Hommes", "", "Femmes", ""],
            ["", "2019", "2020", "2019", "2020"], ["Dakar", 1800000, 1850000, 1900000, 1950000],
            ["Thiès", 1000000, 1020000, 1010000, 1030000], ["Louga", 500000, 510000, 520000, 530000],
            ["Fatick", 400000, 410000, 405000, 415000]]
    merges = [(0, 0, 2, 0, "Région"), (0, 1, 0, 4, "Population"), (1, 1, 1, 2, "Hommes"), (1, 3, 1, 4, "Femmes")]
    result, data = _import(write_xlsx(tmp_path / "pop.xlsx", rows, merges), tmp_path)
    assert result.header_line == 1 and result.rows_written == 4 and data[0][0] == "Dakar"
    assert result.columns[1].label == "Population — Hommes — 2019"


def test_labels_over_every_column_above_a_sparser_row_of_sub_labels_make_one_header(tmp_path):
    # The OECD purpose codes (a title merged over the table, so merges are known): `DAC 5 | CRS |
    # voluntary code | DESCRIPTION` over `CODE | CODE`; the upper row was set aside as preamble.
    rows = [["LIST OF CRS PURPOSE CODES", "", "", "", ""], ["DAC 5", "CRS", "voluntary code", "DESCRIPTION", "Notes"],
            ["CODE", "CODE", "", "", ""], [110, "", "", "Education", ""], [111, "", "", "Education, level unspecified", ""],
            ["", 11110, "", "Education policy", "Sector policy"], ["", 11120, "", "Education facilities", "Buildings"],
            ["", 11130, "", "Teacher training", "Teachers"], ["", 11182, 11183, "Educational research", "Research"]]
    merges = [(0, 0, 0, 4, "LIST OF CRS PURPOSE CODES")]
    result, data = _import(write_xlsx(tmp_path / "codes.xlsx", rows, merges), tmp_path)
    assert result.header_line == 2 and result.rows_written == 6     # the stacked header's top row
    assert [c.label for c in result.columns] == ["DAC 5 — CODE", "CRS — CODE", "voluntary code", "DESCRIPTION", "Notes"]
    assert (1, "preamble") in _set_aside(result) and (2, "preamble") not in _set_aside(result)


TTWA = [["Travel to Work Areas, Great Britain", "", "", "Employment -", "", "Economic Inactivity -", ""],
        ["TTWA11CDN", "TTWA11NMN", "Region/Country", "Employment rate", "Male employment rate",
         "Economically inactive", "Economically inactive males"],
        ["S22000047", "Aberdeen", "Scotland", 79.1, 82.6, 18.4, 13.9],
        ["W22000021", "Aberystwyth", "Wales", 65.8, 65.4, 31.7, 31.3],
        ["S22000048", "Alness and Invergordon", "Scotland", 65.0, 71.3, 15.9, 11.4],
        ["E30000004", "Andover", "South East", 80.1, 84.0, 17.2, 12.0]]


def test_a_title_opening_the_row_of_groups_is_preamble_not_a_group(tmp_path):
    for path in (write_xlsx(tmp_path / "ttwa.xlsx", TTWA), _write_csv(tmp_path / "ttwa.csv", TTWA)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert [c.label for c in result.columns][:4] == ["TTWA11CDN", "TTWA11NMN", "Region/Country",
                                                         "Employment rate"], path.name
        assert result.rows_written == 4 and data[0][0] == "S22000047", path.name
        assert (1, "preamble") in _set_aside(result), path.name


def test_a_short_group_over_the_row_labels_stays_a_group():
    records = [["Location", "", "", "Employment", ""], ["Code", "Name", "Region", "Rate", "Male rate"],
               ["S22000047", "Aberdeen", "Scotland", "79.1", "82.6"], ["W22000021", "Aberystwyth", "Wales", "65.8", "65.4"],
               ["S22000048", "Alness", "Scotland", "65.0", "71.3"], ["E30000004", "Andover", "South East", "80.1", "84.0"]]
    guess = stack_header(records, HeaderGuess(index=1, width=5, reason="stacked-header"))
    assert guess.above == 1


def test_a_stacked_header_repeated_over_the_next_block_is_set_aside(tmp_path):
    # Two blocks, each under its own copy of a two-row header: before, the copy's rows were data
    # (`;2019;2020;km2` made every number column text).
    from datactiviste.ingest.importer import ImportOptions, import_file

    header = "Région;Population;;Superficie\n;2019;2020;km2\n"
    path = tmp_path / "regions.csv"
    path.write_text(header + "Dakar;3732;3835;550\nThiès;2100;2162;6601\nDiourbel;1830;1890;4824\n\n" +
                    header + "Kaolack;1100;1132;5357\nFatick;890;915;6849\nKaffrine;700;722;11262\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    assert result.rows_written == 6 and [c.type for c in result.columns] == ["TEXT", "INTEGER", "INTEGER", "INTEGER"]
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(7, "repeated-header"), (8, "repeated-header")]


def test_the_next_block_s_own_version_of_a_stacked_header_row_is_set_aside(tmp_path):
    # INSEE's population by département: the overseas block repeats the two header rows, its age
    # bands ending on `90+` where the mainland's end on `90-94 | 95+`.
    from datactiviste.ingest.importer import ImportOptions, import_file

    top = "Départements;;Ensemble;;;;\n;;0-29;30-59;60-89;90-94;95+\n"
    overseas = ";;Ensemble;;;;\n;;0-29;30-59;60-89;90+;\n"
    mainland = "".join(f"{n:02d};Dép {n};{1000 + n};{2000 + n};{500 + n};{20 + n};{n}\n" for n in range(1, 9))
    dom = "".join(f"97{n};DOM {n};{900 + n};{800 + n};{100 + n};{5 + n};\n" for n in range(1, 5))
    path = tmp_path / "pop.csv"
    path.write_text(top + mainland + "\n" + overseas + dom, encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    assert result.rows_written == 12 and all(c.type == "INTEGER" for c in result.columns[2:])
    assert [(e["line"], e["reason"]) for e in result.set_aside] == [(12, "repeated-header"), (13, "repeated-header")]


def test_the_report_shows_the_file_s_own_merged_label(run_cli, tmp_path):
    # Not a fixed example (`Population — 2019`) that a reader could take for one of the file's labels.
    (tmp_path / "ages.csv").write_text("Région;Effectif;\n;Hommes;Femmes\nDakar;10;12\nThiès;8;9\nLouga;5;6\nMatam;4;4\n",
                                       encoding="utf-8")
    output = run_cli("import", tmp_path / "ages.csv", "--db", tmp_path / "a.db").output
    assert "réunies en un libellé par colonne (« Effectif — Hommes »)" in output and "Population" not in output


def test_a_link_and_a_series_key_over_the_period_labels_are_preamble(tmp_path):
    """EIA's sheets: `Back to Contents | Data 1: …`, `Sourcekey | RWTC`, then `Date | <series>` over
    the dates. The labels are the row naming the period column; the two above are preamble (not
    a header with metadata rows under it, not groups over the labels)."""
    rows = [["Back to Contents", "Data 1: Cushing, OK WTI Spot Price FOB (Dollars per Barrel)"],
            ["Sourcekey", "RWTC"],
            ["Date", "Cushing, OK WTI Spot Price FOB (Dollars per Barrel)"]]
    rows += [[f"{year}-06-30", f"{15 + (year % 7) * 3.25:.2f}"] for year in range(1986, 2018)]
    path = tmp_path / "wti.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    (result,) = import_file(path, tmp_path / "wti.db")
    assert result.header_line == 3 and result.skipped_lines == 2 and result.header_rows == 0
    assert [c.label for c in result.columns] == ["Date", "Cushing, OK WTI Spot Price FOB (Dollars per Barrel)"]
    assert [c.type for c in result.columns] == ["DATE", "REAL"] and result.rows_written == 32
    reasons = sqlite3.connect(tmp_path / "wti.db").execute("SELECT source_line, reason FROM _anomalies").fetchall()
    assert reasons == [(1, "preamble"), (2, "preamble")]


def test_a_title_merged_from_the_row_labels_column_over_the_first_groups_is_preamble(tmp_path):
    """INS census tables: the title merged over A:G of a table A:J, above `| Total number of
    households | | | … fixed phone | | |` and `| Total | Communal | Rural | …`: a title, not a group."""
    rows = [["Households by possession of ICTs\n\n2014"],
            ["", "Total number of households", "", "", "Owning a fixed phone", "", "", "Owning a computer", "", ""],
            ["", "Total", "Communal", "Rural", "Total", "Communal", "Rural", "Total", "Communal", "Rural"]]
    for number, name in enumerate(["Tunis", "Ariana", "Ben Arous", "Manouba", "Nabeul", "Zaghouan"]):
        communal, rural = 100000 + 7919 * number, 20000 + 1013 * number
        rows.append([f"Governorate of {name}", communal + rural, communal, rural, communal // 3 + rural // 9,
                     communal // 3, rural // 9, communal // 5 + rural // 20, communal // 5, rural // 20])
    merges = [(0, 0, 0, 6, rows[0][0]), (1, 1, 1, 3, "Total number of households"), (1, 4, 1, 6, "Owning a fixed phone"),
              (1, 7, 1, 9, "Owning a computer")]
    result, data = _import(write_xlsx(tmp_path / "ins.xlsx", rows, merges), tmp_path)
    assert result.rows_written == 6 and (1, "preamble") in _set_aside(result)
    assert [c.label for c in result.columns[1:4]] == ["Total number of households — Total",
                                                      "Total number of households — Communal",
                                                      "Total number of households — Rural"]
    assert result.columns[7].label == "Owning a computer — Total"


def test_years_with_their_footnote_digit_over_values_are_the_header(tmp_path):
    """`Product,2019,2020,2021,20222,20232` (KNBS yearbook: 2022 and 2023 provisional, note 2)
    over tonnes: the labels. The years with a digit stuck to them run on from the others."""
    rows = [["Table 9.4: Petroleum supply", "", "", "", "", ""], ["", "", "", "", "", ""],
            ["Product", "2019", "2020", "2021", "20222", "20232"]]
    for name, base in (("Motor spirit", 1600), ("Kerosene", 300), ("Light diesel oil", 2300), ("Fuel oil", 400)):
        rows.append([name] + [str(base + 37 * k) for k in range(5)])
    (result, data) = _import(_write_csv(tmp_path / "knbs.csv", rows), tmp_path)
    assert result.header_line == 3 and result.rows_written == 4
    assert [c.label for c in result.columns][-2:] == ["20222", "20232"]


def test_dimension_values_over_the_numbers_under_the_labels_are_header_rows(tmp_path):
    """IBGE SIDRA: `Cód. | Município | Idade | Ano x Sexo`, then `| | | 2010` and `| | | Total`
    (the year and the sex of the one value column), then the municipalities."""
    rows = [["Tabela 1378 - População residente", "", "", ""], ["Cód.", "Município", "Idade", "Ano x Sexo"],
            ["", "", "", "2010"], ["", "", "", "Total"]]
    for code, name, people in ((1100015, "Alta Floresta D'Oeste (RO)", 24392), (1100023, "Ariquemes (RO)", 90353),
                               (1100031, "Cabixi (RO)", 6313), (1100049, "Cacoal (RO)", 78574),
                               (1100056, "Cerejeiras (RO)", 17029)):
        rows.append([str(code), name, "Total", str(people)])
    (result, data) = _import(_write_csv(tmp_path / "sidra.csv", rows), tmp_path)
    assert result.rows_written == 5 and data[0][1] == "Alta Floresta D'Oeste (RO)"
    assert result.columns[3].label == "Ano x Sexo — 2010 — Total" and result.columns[3].type == "INTEGER"


# --- the labels over a row of units (ABS) ------------------------------------------------------------

ABS_AGES = [["Australian Bureau of Statistics"],
            ["Table 1. Estimated Resident Population by Age, by Local Government Area, Males"],
            [],
            ["", "", "Age group (Years)"],
            ["ASGS 2016", "", "0-4", "5–9", "10–14"],
            ["S/T code", "LGA name", "no.", "no.", "no."],
            [],
            *[[1, name, 1812 + n, 1682 + n, 1611 + n] for n, name in enumerate(
                ["Albury (C)", "Armidale Regional (A)", "Ballina (A)", "Bathurst Regional (A)", "Bega Valley (A)"])]]

ABS_YEARS = [["Australian Bureau of Statistics"],
             ["Table 7 Population, by age and sex"],
             ["", "", "", "Percentage of Total Population"],
             ["", 2016, 2017, 2016],
             ["Age group (years)", "no.", "no.", "%"],
             *[[age, 807893 + n, 811093 + n, 3.34] for n, age in enumerate(["0–4", "5–9", "10–14", "15–19", "20–24"])]]


def test_the_labels_over_a_row_of_units_name_the_columns(tmp_path):
    """ABS: the row that names the first columns holds `no.` over the numbers; the age groups are
    the row above it. Found on the units row alone, the columns were `no_`, `no__2`…"""
    for path in (write_xlsx(tmp_path / "abs.xlsx", ABS_AGES), _write_csv(tmp_path / "abs.csv", ABS_AGES)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert [c.label for c in result.columns[1:4]] == ["ASGS 2016 — LGA name", "0-4 — no.", "5–9 — no."], path.name
        assert result.rows_written == 5 and data[0][2] == 1812, path.name


def test_a_row_of_units_beside_the_row_labels_name_is_part_of_the_header(tmp_path):
    """`Age group (years) | no. | no. | %` under `| 2016 | 2017 | 2016`: the units row was a data row."""
    for path in (write_xlsx(tmp_path / "ages.xlsx", ABS_YEARS), _write_csv(tmp_path / "ages.csv", ABS_YEARS)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert result.columns[0].label == "Age group (years)" and result.columns[1].label == "2016 — no.", path.name
        assert result.rows_written == 5 and data[0][:2] == ("0–4", 807893), path.name
        assert result.columns[1].type == "INTEGER", path.name


# --- a group label over the columns it numbers (Destatis) ---------------------------------------------

def _destatis(second: list[str], group: str) -> list[list]:
    """`Lfd. | Jahr | Alter von ... bis | <group>` over `Nr. | | unter … Jahren | <second>`, the group
    label written again over the tenth column (print pages), then rows and a total per year."""
    width = len(second)
    top = ["Lfd.", "Jahr", "Alter von ... bis", group] + [""] * (width - 1)
    top[3 + 9] = group
    rows = [["Sterbefälle nach Kalenderwochen, Deutschland"], ["Stand: 24.10.2022"], [], top,
            ["Nr.", "", "unter … Jahren"] + second]
    number = 1
    for year in (2022, 2021):
        ages = [[20 + a + c for c in range(width)] for a in range(4)]
        rows.append([number, year, "Insgesamt"] + [sum(column) for column in zip(*ages)])
        number += 1
        for label, values in zip(["0-30", "30-35", "35-40", "40-45"], ages):
            rows.append([number, year, label] + values)
            number += 1
    return rows


def test_a_group_label_over_the_weeks_days_or_months_it_numbers_is_a_two_row_header(tmp_path):
    for second, group, first in ((list(map(str, range(1, 14))), "Kalenderwoche", "Kalenderwoche — 1"),
                                 ([f"{d:02d}.01." for d in range(1, 14)], "Sterbedatum", "Sterbedatum — 01.01."),
                                 (["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                                   "September", "Oktober", "November", "Dezember", "Januar"], "Monate", "Monate — Januar")):
        rows = _destatis(second, group)
        for path in (write_xlsx(tmp_path / f"{group}.xlsx", rows), _write_csv(tmp_path / f"{group}.csv", rows)):
            result, data = _import(path, _fresh(tmp_path, path))
            labels = [c.label for c in result.columns]
            assert labels[:4] == ["Lfd. — Nr.", "Jahr", "Alter von ... bis — unter … Jahren", first], path.name
            assert labels[3 + 9] == f"{group} — {second[9]}", path.name
            assert result.rows_written == 8 and data[0][:3] == (2, 2022, "0-30"), path.name
            assert [entry["reason"] for entry in result.set_aside].count("total") == 2, path.name


LOUISIANA = [["", "Louisiana Secretary of State", ""], ["", "Election Results", ""], ["", "Election Date: 1988-06-04", ""],
             [], ["Selectman -- District III, City of Plaquemine"], ["", "Kurt J. Canova (DEM)", "Phyllis E. Toups (DEM)"],
             ["Total Votes", 90, 182], ["2 3", 0, 0], ["3 1", 77, 168], ["3 2", 0, 0], ["Early Voting", 13, 14]]


def test_a_total_written_right_under_the_labels_is_no_header(tmp_path):
    """Election results: the candidates' names, then `Total Votes`, then the precincts (`2 3`,
    labels that read like numbers). The total row was taken for the header (`c_90`, `c_182`)."""
    for path in (write_xlsx(tmp_path / "la.xlsx", LOUISIANA), _write_csv(tmp_path / "la.csv", LOUISIANA)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert [c.label for c in result.columns[1:]] == ["Kurt J. Canova (DEM)", "Phyllis E. Toups (DEM)"], path.name
        assert result.rows_written == 4 and data[1] == ("3 1", 77, 168), path.name
        assert (7, "total") in _set_aside(result), path.name


def test_a_cell_merged_down_over_rows_gives_each_row_its_value(tmp_path):
    """MoHFW: `State` merged down over its districts' rows; the file stores it on the first row
    only. Each row names its state, as the sheet shows it; a title merged across stays a title."""
    rows = [["Weekly positivity"], ["State", "District", "Tests", "Positive"],
            ["Andhra Pradesh", "East Godavari", 1200, 72], ["", "Anantapur", 900, 31], ["", "Chittoor", 800, 28],
            ["Assam", "Cachar", 400, 12], ["", "Kamrup", 650, 20]]
    merges = [(0, 0, 0, 3, "Weekly positivity"), (2, 0, 4, 0, "Andhra Pradesh"), (5, 0, 6, 0, "Assam")]
    path = write_xlsx(tmp_path / "positivity.xlsx", rows, merges)
    result, data = _import(path, tmp_path)
    assert [row[:2] for row in data] == [("Andhra Pradesh", "East Godavari"), ("Andhra Pradesh", "Anantapur"),
                                         ("Andhra Pradesh", "Chittoor"), ("Assam", "Cachar"), ("Assam", "Kamrup")]
    assert result.merged_filled == 3 and result.header_line == 2


def test_a_header_written_over_two_rows_one_part_on_each(tmp_path):
    """BFS atlas: the values' labels on one row, the row labels' on the row under it, each row
    blank where the other is written (with a merged title above: merges known)."""
    rows = [["Durchschnittliches steuerbares Einkommen pro Kopf, 2020", "", "", 27600], [],
            ["", "", "Steuerbares Einkommen, in Mio. Franken", "pro Einwohner/-in, in Franken"],
            ["Regions-ID", "Regionsname", "", ""], [],
            *[[str(i), f"Gemeinde {i}", 110.5 + i, 54895.2 - i] for i in range(1, 9)]]
    path = write_xlsx(tmp_path / "atlas.xlsx", rows, merges=[(0, 0, 0, 2, rows[0][0])])
    result, data = _import(path, tmp_path)
    assert [c.label for c in result.columns] == ["Regions-ID", "Regionsname", "Steuerbares Einkommen, in Mio. Franken",
                                                 "pro Einwohner/-in, in Franken"]
    assert result.rows_written == 8 and data[0][1:3] == ("Gemeinde 1", 111.5)


def test_distinct_labels_over_one_label_repeated_are_one_header(tmp_path):
    """UNHCR: the resettlement countries `AUL | CAN | FIN | …` over `P | P | P` (persons): the
    countries were set aside as a title line, the columns named p, p_2, p_3…"""
    rows = [["", "11-Jan-22"], [], ["", "UNHCR RST Summary Report - Departures"], [],
            ["", "", "COA Total", "", "AUL", "CAN", "FIN", "USA", "COO Total"],
            ["Data as of", "COA", "Persons [P]", "COO", "P", "P", "P", "P", "P"],
            *[["December", f"C{i}", 10 + i, f"O{i}", i, 2 * i, 1, 7 + i, 10 + 3 * i] for i in range(6)]]
    for path in (write_xlsx(tmp_path / "rst.xlsx", rows), _write_csv(tmp_path / "rst.csv", rows)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert [c.label for c in result.columns[4:8]] == ["AUL — P", "CAN — P", "FIN — P", "USA — P"], path.name
        assert result.rows_written == 6, path.name


def test_a_title_with_its_note_far_right_over_a_row_of_dated_labels(tmp_path):
    # The Swiss CPI: three title lines, each with a note in the last column (copyright, contact,
    # link), over `Datum / Date | 1914-06-01 | 1939-08-01 …` (the index's bases) and dated rows.
    width = 8
    titles = [["Indice des prix à la consommation"] + [""] * (width - 2) + ["© Office fédéral de la statistique"],
              ["Tableau d'indexation"] + [""] * (width - 2) + ["Renseignements: LIK@bfs.admin.ch"],
              ["Bases originales"] + [""] * (width - 2) + ["http://www.LIK.bfs.admin.ch"]]
    labels = ["Datum / Date", "1914-06-01", "1939-08-01", "1966-09-01", "1977-09-01", "1982-12-01", "% m-1", "% m-12"]
    rows = [[f"{1990 + n // 12}-{n % 12 + 1:02d}-01"] + [round(100 + n * 0.7 + k, 1) for k in range(7)] for n in range(30)]
    for path in (write_xlsx(tmp_path / "lik.xlsx", titles + [labels] + rows), _write_csv(tmp_path / "lik.csv", titles + [labels] + rows)):
        result, _data = _import(path, _fresh(tmp_path, path))
        assert result.header_line == 4, path.name
        assert [c.label for c in result.columns] == labels and result.rows_written == 30, path.name
        assert [e["line"] for e in result.set_aside] == [1, 2, 3], path.name


def test_groups_spaced_over_repeated_years_stack_over_them(tmp_path):
    # DANE's projections: `TOTAL | CABECERA | RESTO` each over its run of years, under a title block;
    # the years repeat, the groups tell them apart.
    years = ["2005", "2006", "2007"]
    titles = [["COLOMBIA. PROYECCIONES DE POBLACIÓN MUNICIPALES POR ÁREA"], ["2005 - 2020"], ["A junio 30"]]
    groups = ["", "", "TOTAL", "", "", "CABECERA", "", "", "RESTO", "", ""]
    labels = ["DP", "MPIO"] + years * 3
    rows = [[f"0{5 + n % 3}", f"Municipio {n}"] + [1000 + 37 * n + k for k in range(9)] for n in range(12)]
    for path in (write_xlsx(tmp_path / "dane.xlsx", titles + [groups, labels] + rows),
                 _write_csv(tmp_path / "dane.csv", titles + [groups, labels] + rows)):
        result, _data = _import(path, _fresh(tmp_path, path))
        assert result.header_line == 4, path.name
        assert [c.label for c in result.columns][2:6] == ["TOTAL — 2005", "TOTAL — 2006", "TOTAL — 2007",
                                                          "CABECERA — 2005"], path.name
        assert result.rows_written == 12, path.name


def test_the_weeks_last_days_under_their_numbers_are_the_header_s_second_row(tmp_path):
    # ONS weekly deaths: `Week number | 1 | 2 …` over `Week ended | 06/01/2017 | …` over the counts;
    # read as a row, the dates made every week's column text.
    weeks = 6
    rows = [["Weekly provisional figures on deaths registered in England and Wales"], [],
            ["Week number"] + list(range(1, weeks + 1)),
            ["Week ended"] + [f"2017-01-{6 + 7 * w:02d}" if 6 + 7 * w <= 31 else f"2017-02-{6 + 7 * w - 31:02d}"
                              for w in range(weeks)],
            ["Total deaths, all ages"] + [11991 + 97 * w for w in range(weeks)],
            ["Respiratory diseases"] + [2321 + 13 * w for w in range(weeks)],
            ["Persons aged 85 and over"] + [4100 + 31 * w for w in range(weeks)]]
    for path in (write_xlsx(tmp_path / "deaths.xlsx", rows), _write_csv(tmp_path / "deaths.csv", rows)):
        result, data = _import(path, _fresh(tmp_path, path))
        assert result.header_line == 3 and result.rows_written == 3, path.name
        assert [c.type for c in result.columns][1:] == ["INTEGER"] * weeks, path.name
        assert result.columns[1].label == "1 — 2017-01-06" and data[0][1] == 11991, path.name
