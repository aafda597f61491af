"""Spreadsheets read into R and written back with write.csv (ONS sheets in many repositories):
readxl's `...2` names on the first line, `NA` in every empty cell, blank rows written `NA,NA,NA`;
and sheets pandas read and saved again, its `Unnamed: 2` names beside the title.
The sheet's own layout — title, header, blank rows, footnotes — is read as if the cells were
empty (ingest/delimited.py: written_empty, without_placeholders); a file that only uses NA as a
value keeps it."""

from __future__ import annotations

import csv
import sqlite3

from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.report import render_import

WIDTH = 6


def _line(*cells) -> str:
    cells = list(cells) + ["NA"] * (WIDTH - len(cells))
    return ",".join(f'"{c}"' if "," in str(c) else str(c) for c in cells)


def _monthly() -> list[str]:
    lines = ["Contents," + ",".join(f"...{i}" for i in range(2, WIDTH + 1)),
             _line("Monthly provisional figures on deaths registered by area of usual residence, 2019"),
             _line(), _line("Area of usual residence", "NA", "Jan-19", "Feb-19", "Mar-19", "Apr-19"), _line()]
    areas = [("E06000047", "County Durham", 600, 512, 498, 470), ("E06000005", "Darlington", 120, 98, 101, 95),
             ("E06000001", "Hartlepool", 110, 87, 90, 85), ("E06000002", "Middlesbrough", 150, 131, 126, 120)]
    for number, area in enumerate(areas):
        lines.append(_line(*area))
        if number == 1:
            lines.append(_line())
    lines += [_line(), _line("Footnotes:"), _line(), _line("1 Figures remain provisional until final annual data are released."),
              _line("Source: Office for National Statistics", "NA", "Released:", "24 January 2020")]
    return lines


def test_an_r_export_of_a_sheet_reads_as_the_sheet(tmp_path):
    path = tmp_path / "deaths.csv"
    path.write_text("\n".join(_monthly()) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(search=False))
    assert result.empty_marker == "NA" and result.header_line == 4
    assert result.rows_written == 4 and result.skipped_lines == 2 and result.footer_lines == 3
    assert [c.type for c in result.columns] == ["TEXT", "TEXT", "INTEGER", "INTEGER", "INTEGER", "INTEGER"]
    first = sqlite3.connect(tmp_path / "t.db").execute("SELECT * FROM deaths ORDER BY rowid LIMIT 1").fetchone()
    assert first == ("E06000047", "County Durham", 600, 512, 498, 470)
    report = render_import(result)
    assert "« NA »" in report


def test_na_as_a_value_is_kept_where_the_file_has_no_rows_of_na(tmp_path):
    """`NA` is Namibia's code here: no row of NA alone says the file writes empty cells so."""
    path = tmp_path / "pays.csv"
    path.write_text("code,pays,population\nSN,Sénégal,17\nNA,Namibie,3\nML,Mali,22\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "p.db", ImportOptions(search=False))
    assert result.empty_marker is None
    rows = sqlite3.connect(tmp_path / "p.db").execute("SELECT code FROM pays ORDER BY rowid").fetchall()
    assert rows == [("SN",), ("NA",), ("ML",)]


def test_columns_numbered_one_two_three_over_weekly_counts_are_the_header(tmp_path):
    """`Week number,1,2,…,8` over `Week ended` and counts: the numbers name the columns."""
    lines = ["Weekly deaths,,,,,,,,", "Week number," + ",".join(str(i) for i in range(1, 9))]
    for label, base in (("Total deaths, all ages", 12000), ("Persons under 1", 60), ("Persons 1-14", 35), ("Persons 15-44", 700)):
        lines.append(label + "," + ",".join(str(base + 37 * i % 11) for i in range(8)))
    path = tmp_path / "weekly.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "w.db", ImportOptions(search=False))
    assert result.header_line == 2 and result.rows_written == 4
    assert [c.label for c in result.columns][:3] == ["Week number", "1", "2"]


def test_a_sheet_saved_again_by_pandas_keeps_its_title_out_of_the_header(tmp_path):
    # pandas names the blank cells right of a title `Unnamed: 1`, `Unnamed: 2`…: the title row then
    # looks like labels over every column (MHCLG, NIHE sheets in repositories).
    from tests.workbook_files import write_xlsx

    rows = [["Table A3 – Households owed a duty, England", "Unnamed: 1", "Unnamed: 2", "Unnamed: 3"],
            ["Quarter", "No support needs", "Unknown needs", "Support needs"],
            ["2019 Q1", 39550, 1890, 31960], ["2019 Q2", 37310, 1870, 29800], ["2019 Q3", 35360, 1160, 28320]]
    for path in (write_xlsx(tmp_path / "a3.xlsx", rows), tmp_path / "a3.csv"):
        if path.suffix == ".csv":
            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(rows)
        (result,) = import_file(path, tmp_path / f"{path.suffix[1:]}.db", ImportOptions(search=False))
        assert result.header_line == 2, path.name      # not the title merged over the labels
        assert [c.label for c in result.columns] == rows[1], path.name
        assert result.rows_written == 3 and result.set_aside[0]["line"] == 1, path.name
