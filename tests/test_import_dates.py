"""Dates and times as real files write them, and empty cells, which are NULL wherever they are.

The golden files (tests/fixtures/import/dates_*.csv, datetimes_one_format.csv,
year_ranges_and_months.csv, empty_last_row.csv, excel_times.xlsx) are checked by
test_import_traps.py; here each rule is shown on its own: the forms each shape takes, the
two-digit-year window, the column-wide order decision (fast and slow path alike), one format
per DATETIME column, misfits kept and logged, and NULL for empty cells at every batch end,
in the second pass and in parallel parts.
"""

from __future__ import annotations

import datetime
import sqlite3

import pytest

from datactiviste.i18n import _
from datactiviste.ingest.importer import ImportOptions, import_file
from datactiviste.ingest.readers import BATCH
from datactiviste.ingest.workbooks import cell_text
from datactiviste.ingest.convert import convert_date, full_year
from datactiviste.ingest.shapes import classify
from datactiviste.ingest.types import Profiler, decide
from datactiviste.ingest.report import render_import
from tests.test_import_parallel import import_both, write

# What a reader of the raw value understands, written by hand.
FORMS = [
    ("02.03.20", "2020-03-02"), ("2/3/20", "2020-03-02"), ("31-12-99", "1999-12-31"),
    ("12 janv. 2024", "2024-01-12"), ("12 janv 2024", "2024-01-12"), ("12 JANV. 2024", "2024-01-12"),
    ("1er mars 2024", "2024-03-01"), ("1 Mars 2024", "2024-03-01"), ("5 avr. 2024", "2024-04-05"),
    ("5 mai 2024", "2024-05-05"), ("5 juin 2024", "2024-06-05"), ("5 juil. 2024", "2024-07-05"),
    ("15 août 2024", "2024-08-15"), ("15 aout 2024", "2024-08-15"), ("15 AOÛT 2024", "2024-08-15"),
    ("3 févr. 2024", "2024-02-03"), ("3 fevr 2024", "2024-02-03"), ("3 fév 2024", "2024-02-03"),
    ("3 sept. 2024", "2024-09-03"), ("3 oct 2024", "2024-10-03"), ("3 nov. 2024", "2024-11-03"),
    ("25 déc. 2023", "2023-12-25"), ("25 dec 2023", "2023-12-25"), ("25 décembre 2023", "2023-12-25"),
    ("lundi 12 février 2024", "2024-02-12"), ("Lun. 12 févr. 2024", "2024-02-12"),
    ("12-Jan-24", "2024-01-12"), ("12/Feb/2024", "2024-02-12"), ("1st March 2024", "2024-03-01"),
    ("Jan 12, 2024", "2024-01-12"), ("Sept. 3rd, 2024", "2024-09-03"), ("Monday, Feb 12, 2024", "2024-02-12"),
    ("janvier 2024", "2024-01-01"), ("févr-24", "2024-02-01"), ("Feb-24", "2024-02-01"),
    ("Sept. 2023", "2023-09-01"), ("2024-03", "2024-03-01"), ("03/2024", "2024-03-01"),
    # The other languages of our users' tables: IBGE, INE, INDEC, Istat, Destatis, Statbel.
    ("dezembro 1979", "1979-12-01"), ("março 2020", "2020-03-01"), ("MARÇO 2020", "2020-03-01"),
    ("enero de 2021", "2021-01-01"), ("12 de diciembre de 2020", "2020-12-12"), ("1 de março de 2024", "2024-03-01"),
    ("gennaio 2019", "2019-01-01"), ("15 agosto 2023", "2023-08-15"), ("März 2024", "2024-03-01"),
    ("3. Oktober 2022", "2022-10-03"), ("mei 2022", "2022-05-01"), ("dic-20", "2020-12-01"), ("out-20", "2020-10-01"),
]


@pytest.mark.parametrize("raw, iso", FORMS)
def test_each_form_is_a_date(raw, iso):
    assert classify(raw) is not None, f"{raw!r} should have a date shape"
    assert convert_date(raw, "dmy") == iso
    assert convert_date(raw, "dmy", with_time=True) == iso + " 00:00:00"


@pytest.mark.parametrize("raw, iso", [
    ("20240102 00:00:00", "2024-01-02 00:00:00"), ("20240315T13:45:10", "2024-03-15 13:45:10"),
    ("2050-01-01", "2050-01-01 00:00:00"), ("2050-01-01T01:00", "2050-01-01 01:00:00"),
    ("03/02/2024 8:15", "2024-02-03 08:15:00"), ("02.03.20 10:00", "2020-03-02 10:00:00"),
    ("12 janv. 2024 10h30", "2024-01-12 10:30:00"), ("12 janv. 2024 à 10:30:15", "2024-01-12 10:30:15"),
    ("2024-01-02T10:00:00.250Z", "2024-01-02 10:00:00.250"),  # what the file says beyond the second is kept
    ("11-Oct-1952 14:35:27.000", "1952-10-11 14:35:27"), ("01-Feb-2003 04:05:06.009", "2003-02-01 04:05:06.009"),
    # A time written with its zone is converted to UTC: one clock for the whole column.
    ("2024-01-03T11:30:00+01:00", "2024-01-03 10:30:00"), ("2024-01-01T00:30:00+0100", "2023-12-31 23:30:00"),
    ("2024-06-30 20:00:00-05:00", "2024-07-01 01:00:00"), ("2024-01-02T10:00:00Z", "2024-01-02 10:00:00"),
])
def test_date_times_are_always_written_to_the_second(raw, iso):
    assert convert_date(raw, "dmy", with_time=True) == iso


@pytest.mark.parametrize("raw, iso", [
    # The 12-hour clock of English exports and Google Forms timestamps: 12 AM is midnight, 12 PM noon.
    ("4/23/2019 7:11:11 AM", "2019-04-23 07:11:11"), ("7/10/2021 7:27pm", "2021-07-10 19:27:00"),
    ("12/1/2020 12:05 AM", "2020-12-01 00:05:00"), ("12/1/2020 12:05 PM", "2020-12-01 12:05:00"),
    ("1/2/2020 11:59:59 p.m.", "2020-01-02 23:59:59"), ("2020-03-04 9:00 am", "2020-03-04 09:00:00"),
])
def test_twelve_hour_times(raw, iso):
    assert classify(raw) is not None
    assert convert_date(raw, "mdy", with_time=True) == iso


@pytest.mark.parametrize("raw", ["1/2/2020 13:00 PM", "1/2/2020 0:30 AM", "2020-03-04 9:00 xm"])
def test_impossible_twelve_hour_times_are_returned_unchanged(raw):
    assert convert_date(raw, "mdy", with_time=True) == raw


@pytest.mark.parametrize("raw", [
    "mardi 12 février 2024",   # 12 February 2024 was a Monday
    "31 févr. 2024", "29/02/23", "31.04.20", "13-13-24", "20241332 00:00:00", "00/2024",
])
def test_impossible_dates_are_returned_unchanged(raw):
    assert convert_date(raw, "dmy") == raw


@pytest.mark.parametrize("raw", ["20240102", "2024", "1.234", "12.5", "Mai", "mars", "Pontoise",
                                 "1.2.3", "Dakar 2024", "2024-2025", "v1.10.12a"])
def test_numbers_words_and_codes_are_not_dates(raw):
    assert classify(raw) is None or not classify(raw).startswith("date")


def test_two_digit_years_follow_the_spreadsheet_window():
    assert [full_year(y) for y in ("00", "29", "30", "99", "1899", "2030")] == [2000, 2029, 1930, 1999, 1899, 2030]


def _decision(values, chunk=50):
    profiler = Profiler(1)
    for start in range(0, len(values), chunk):   # the first chunk is classified, later ones take the fast path
        profiler.add_chunk([tuple(values[start:start + chunk])])
    return decide(profiler.columns[0], ",")


@pytest.mark.parametrize("late", [False, True], ids=["in-first-chunk", "in-fast-path"])
def test_order_of_two_digit_dates_is_decided_on_the_whole_column(late):
    ambiguous = ["05.07.15", "10.03.02"] * 40
    proof = ["98.12.31"]     # 98 can only be a year: the column is yy.mm.dd
    values = ambiguous + proof if late else proof + ambiguous
    decision = _decision(values)
    assert (decision.sql_type, decision.date_order, decision.reason) == ("DATE", "ymd", "dates-two-digit-years")
    assert convert_date("05.07.15", decision.date_order) == "2005-07-15"

    day_first = _decision(["05.07.15"] * 80 + ["25.07.98"])
    assert day_first.date_order == "dmy"
    month_first = _decision(["05/07/15"] * 80 + ["07/25/15"])
    assert month_first.date_order == "mdy"
    # A year on both sides is a contradiction: the French default, misfits reported.
    assert _decision(["98.12.31"] * 80 + ["01.02.98"]).date_order == "dmy"


def test_a_column_of_year_ranges_is_text_and_one_true_month_makes_months():
    ranges = ["2009-10", "2010-11", "2011-12"] * 30
    assert _decision(ranges).sql_type == "TEXT"
    months = _decision(ranges + ["2012-01"])
    assert (months.sql_type, months.kind, months.reason) == ("DATE", "month", "months")


def test_month_names_and_months_alone_are_kinds_of_their_own():
    assert _decision(["12 janv. 2024", "1er mars 2024"] * 40).kind == "date"
    english = _decision(["Jan 12, 2024", "March 1st, 2024"] * 40)
    assert (english.kind, english.date_order) == ("date", "mdy")
    assert _decision(["janvier 2024", "févr-24", "2024-03"] * 40).kind == "month"
    assert _decision(["janvier 2024", "2024-03-15"] * 40).kind == "date"
    # IBGE's SIDRA tables: Portuguese months, which sorted as text before (`abril` first).
    assert _decision(["dezembro 1979", "janeiro 1980", "fevereiro 1980", "março 1980"] * 20).kind == "month"


def test_words_that_are_month_abbreviations_elsewhere_stay_words():
    # `out`, `set`, `mag` name months in Portuguese and Italian only with a year after them.
    assert _decision(["out", "set", "in", "mag"] * 20).sql_type == "TEXT"
    assert _decision(["Set 3", "Out 7", "Mag 12"] * 20).sql_type == "TEXT"


def _import(tmp_path, lines, **options):
    path = tmp_path / "dates.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False, **options))
    return result, sqlite3.connect(tmp_path / "t.db")


@pytest.mark.parametrize("dates_first", [False, True], ids=["times-first", "dates-first"])
def test_every_value_of_a_datetime_column_has_one_format(tmp_path, dates_first):
    # Date-times and bare dates (midnight) in different batches: dates first means the column is
    # DATE after the first batch and everything is converted again once the times appear.
    times = [f"2050-01-01 0{i % 10}:00:00;{i}" for i in range(BATCH + 10)]
    dates = [f"2050-01-{day:02d};{day}" for day in range(2, 29)] * (BATCH // 20 if dates_first else 1)
    lines = ["quand;n"] + (dates + times if dates_first else times + dates)
    lines += ["20240102 00:00:00;1", "2050-01-01T01:00;2"]
    result, connection = _import(tmp_path, lines)
    assert result.columns[0].type == "DATETIME"
    formats = connection.execute(
        "SELECT count(*), sum(quand GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),"
        " sum(datetime(quand) IS quand) FROM dates").fetchone()
    assert formats == (result.rows_written,) * 3
    assert connection.execute("SELECT quand FROM dates WHERE n = 2 AND quand LIKE '2050-01-02%'").fetchone() == (
        "2050-01-02 00:00:00",)


def test_a_fraction_of_zeros_is_dropped_and_a_real_fraction_kept(tmp_path):
    # JavaScript's toISOString writes `.000Z` on every value: it says nothing, and the column keeps
    # one format with the bare dates beside it; half a second is information, kept after the time.
    lines = ["horodatage;n", "2024-03-01T10:15:30.000Z;1", "2024-03-02;2", "2024-03-02T08:00:00.500Z;3",
             "2024-03-03T23:59:59.0+01:00;4"]
    result, connection = _import(tmp_path, lines)
    assert result.columns[0].type == "DATETIME"
    assert connection.execute("SELECT horodatage FROM dates ORDER BY n").fetchall() == [
        ("2024-03-01 10:15:30",), ("2024-03-02 00:00:00",), ("2024-03-02 08:00:00.500",), ("2024-03-03 22:59:59",)]


def test_values_that_do_not_convert_are_kept_as_text_and_logged(tmp_path):
    lines = ["jour;saisie"] + [f"{1 + i % 28:02d} janv. 2024;{1 + i % 28:02d}.03.20" for i in range(300)]
    lines[150] = "mardi 12 février 2024;31.02.20"   # a wrong weekday; no 31 February
    result, connection = _import(tmp_path, lines)
    assert [c.type for c in result.columns] == ["DATE", "DATE"]
    assert connection.execute("SELECT jour, saisie FROM dates WHERE rowid = 150").fetchone() == (
        "mardi 12 février 2024", "31.02.20")
    assert connection.execute("SELECT source_line, column_name, raw_value, reason FROM _anomalies ORDER BY id").fetchall() == [
        (151, "jour", "mardi 12 février 2024", "not-a-date"), (151, "saisie", "31.02.20", "not-a-date")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_late_misfit_is_logged_although_clean_columns_skip_the_scan(tmp_path, jobs):
    """The anomaly scan skips date columns whose every value was checked as it converted; a
    misfit far into the file (another batch, another part), one that reads like ISO but is no
    day, and one already met in another column must still be kept and logged."""
    count = 40_000
    lines = ["debut;fin;iso;quand"] + [
        f"{1 + i % 28:02d}/0{1 + i % 9}/2024;{1 + i % 28:02d}/0{1 + i % 9}/2023;2024-0{1 + i % 9}-{1 + i % 28:02d};"
        f"2024-01-{1 + i % 28:02d} 10:{i % 60:02d}:00" for i in range(count)]
    lines[11] = "30/02/2024;11/03/2023;2024-03-11;2024-01-11 10:10:00"
    lines[count - 5] = "12/03/2024;30/02/2024;2024-02-30;2024-01-05 25:00:00"
    path = tmp_path / "dates.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "d.db", ImportOptions(jobs=jobs, index=False, search=False))
    assert [c.type for c in result.columns] == ["DATE", "DATE", "DATE", "DATETIME"] and result.parts == jobs
    connection = sqlite3.connect(tmp_path / "d.db")
    logged = connection.execute("SELECT source_line, column_name, raw_value FROM _anomalies ORDER BY source_line, "
                                "column_name").fetchall()
    assert logged == [(12, "debut", "30/02/2024"), (count - 4, "fin", "30/02/2024"),
                      (count - 4, "iso", "2024-02-30"), (count - 4, "quand", "2024-01-05 25:00:00")]
    assert connection.execute("SELECT debut FROM dates WHERE rowid = 11").fetchone() == ("30/02/2024",)


@pytest.mark.parametrize("sql_type, order, clean, misfit", [
    ("DATE", "dmy", ("03/02/2024", "", "29/02/2024"), "30/02/2024"),
    ("DATE", "ymd", ("2024-02-03", "2024-02-29"), "2024-02-30"),
    ("DATE", "dmy", ("12 janv. 2024", "1er mars 2024"), "mardi 12 février 2024"),
    ("DATETIME", "ymd", ("2024-02-03 10:00:00", "2024-02-03T10:00"), "2024-02-03 25:00:00"),
    ("DATETIME", "ymd", ("2024-02-03 10:00:00",), "2024-02-03 10:00:00.250"),   # kept: the scan decides
])
def test_date_converters_say_when_the_anomaly_scan_is_needed(sql_type, order, clean, misfit):
    from datactiviste.ingest.convert import column_converter
    from datactiviste.ingest.shapes import DEFAULT_NULL_MARKERS
    from datactiviste.ingest.types import ColumnProfile, ColumnType

    decision = ColumnType(sql_type, kind=sql_type.lower(), date_order=order)
    first, second = ColumnProfile(), ColumnProfile()
    column_converter(decision, first, DEFAULT_NULL_MARKERS)(clean)
    assert not first.dates_unproven                       # every value checked: no scan
    column_converter(decision, first, DEFAULT_NULL_MARKERS)(clean + (misfit,))
    assert first.dates_unproven
    column_converter(decision, second, DEFAULT_NULL_MARKERS)((misfit,) + clean)   # met before, cached
    assert second.dates_unproven


# --- empty is NULL: every type, every batch end, every path --------------------------------------

HEADER = "id;montant;taux;jour;court;mois;horodatage;nom;code"


def _full_row(i: int) -> str:
    return f"{i};1 234,5;12,5 %;03/02/2024;02.03.20;janvier 2024;03/02/2024 08:15;Dakar;01001"


def _empty_row(i: int) -> str:
    return f"{i};;;;;;;Thiès;"


def _assert_empty_is_null(connection, empty_ids):
    columns = HEADER.split(";")[1:]
    blank = " OR ".join(f"{c} = ''" for c in columns)
    assert connection.execute(f"SELECT count(*) FROM dates WHERE {blank}").fetchone() == (0,)
    nulls = connection.execute(
        "SELECT id FROM dates WHERE " + " AND ".join(f"{c} IS NULL" for c in columns if c != "nom") + " ORDER BY id")
    assert [row[0] for row in nulls] == empty_ids
    assert connection.execute("SELECT count(*) FROM _anomalies").fetchone() == (0,)


def test_empty_cells_at_the_end_of_every_batch_and_of_the_file_are_null(tmp_path):
    count = 3 * BATCH
    empty = [BATCH, 2 * BATCH, count]   # ids of the last row of each batch (the last row of the file)
    lines = [HEADER] + [_empty_row(i) if i in empty else _full_row(i) for i in range(1, count + 1)]
    result, connection = _import(tmp_path, lines)
    assert [c.type for c in result.columns] == ["INTEGER", "REAL", "REAL", "DATE", "DATE", "DATE", "DATETIME",
                                                "TEXT", "TEXT"]
    _assert_empty_is_null(connection, empty)


def test_empty_cells_are_null_in_the_second_pass(tmp_path):
    # A decimal in the last batch turns `id` from INTEGER to REAL: every row is converted again.
    count = 2 * BATCH + 5
    empty = [BATCH, count - 1]
    lines = [HEADER] + [_empty_row(i) if i in empty else _full_row(i) for i in range(1, count)]
    lines.append(_full_row(count).replace(f"{count};", f"{count},5;", 1))
    result, connection = _import(tmp_path, lines)
    assert result.columns[0].type == "REAL"
    _assert_empty_is_null(connection, empty)


def test_empty_cells_are_null_in_parallel_parts(tmp_path):
    count = 3000
    empty = [999, 1000, 1001, 1999, 2000, 2001, count]   # around the cuts and at the end
    path = tmp_path / "dates.csv"
    path.write_text("\n".join([HEADER] + [_empty_row(i) if i in empty else _full_row(i)
                                          for i in range(1, count + 1)]) + "\n", encoding="utf-8")
    serial, parallel = import_both(path, tmp_path)
    assert parallel.parts == 3
    _assert_empty_is_null(sqlite3.connect(tmp_path / "jobs3.db"), empty)


# --- workbooks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (datetime.datetime(2024, 1, 2, 11, 29, 59, 999000), "2024-01-02 11:30:00"),
    (datetime.datetime(2024, 1, 2, 11, 29, 59, 499000), "2024-01-02 11:29:59"),
    (datetime.datetime(2024, 12, 31, 23, 59, 59, 500000), "2025-01-01 00:00:00"),
    (datetime.datetime(2024, 1, 2), "2024-01-02 00:00:00"),
    (datetime.time(8, 14, 59, 991000), "08:15:00"),
    (datetime.date(2024, 1, 2), "2024-01-02"),
])
def test_workbook_date_times_are_rounded_to_the_second_as_excel_shows_them(value, text):
    assert cell_text(value) == text


def test_french_excel_errors_and_eurostat_gaps_are_no_values(tmp_path):
    # #N/D is French Excel's #N/A; ':' is Eurostat's "not available": neither turns a number column to text.
    path = tmp_path / "elus.csv"
    path.write_text("nom;revenus;activités\nA;12 500,5;3\nB;#N/D;:\nC;8 000;#VALEUR!\nD;:;1\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False, search=False))
    assert [c.type for c in result.columns] == ["TEXT", "REAL", "INTEGER"]
    stored = sqlite3.connect(tmp_path / "t.db").execute("SELECT revenus, activites FROM elus ORDER BY rowid").fetchall()
    assert stored == [(12500.5, 3), (None, None), (8000.0, None), (None, 1)]


def test_uk_statistics_shorthand_markers_are_no_values(tmp_path):
    # GSS accessible spreadsheets: [c] confidential, [x] not available, [z] not applicable, [low].
    path = tmp_path / "effectifs.csv"
    path.write_text("département,effectif,départs\nA,10,[c]\nB,[x],4\nC,[z],[low]\nD,50,7\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False, search=False))
    assert [c.type for c in result.columns][1:] == ["INTEGER", "INTEGER"]
    stored = sqlite3.connect(tmp_path / "t.db").execute("SELECT effectif, departs FROM effectifs").fetchall()
    assert stored == [(10, None), (None, 4), (None, None), (50, 7)]


def test_a_column_of_zoned_times_is_converted_to_utc_and_says_so(tmp_path):
    # Zones appear only near the end of a file read in parts: the worker's part says so too.
    lines = ["quand;n"] + [f"2024-01-{1 + i % 28:02d} 10:00:00;{i}" for i in range(3 * BATCH)]
    lines += ["2024-01-03T11:30:00+01:00;1", "2024-01-04T00:15:00Z;2"]
    serial, parallel = import_both(write(tmp_path, lines), tmp_path)
    for result in (serial, parallel):
        assert result.columns[0].type == "DATETIME" and result.columns[0].utc
        assert "UTC" in render_import(result)
    connection = sqlite3.connect(tmp_path / "jobs1.db")
    assert connection.execute("SELECT quand FROM big WHERE n IN (1, 2) ORDER BY rowid DESC LIMIT 2").fetchall() == [
        ("2024-01-04 00:15:00",), ("2024-01-03 10:30:00",)]
    (plain,) = import_file(write(tmp_path, lines[:-2], name="plain.csv"), tmp_path / "p.db", ImportOptions(index=False))
    assert not plain.columns[0].utc and "UTC" not in render_import(plain)


def test_yyyymmdd_days_in_a_date_named_column_are_dates(tmp_path):
    # An FEC accounting export (tab, YYYYMMDD): the columns named like dates hold real days only.
    path = tmp_path / "fec.txt"
    path.write_text("JournalCode\tEcritureNum\tEcritureDate\tdate_deces\tMontant\n"
                    "AA\t20140701\t20140701\t\t34,81\n"
                    "AA\t20140702\t20140229\t19991231\t0,00\n"
                    "VT\t20140703\t20141231\t20000229\t12,50\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False, search=False))
    types = {c.name: (c.type, c.date_order) for c in result.columns}
    # EcritureNum has the same digits but its name does not say dates: it stays a number.
    assert types["ecriturenum"][0] == "INTEGER"
    assert types["ecrituredate"] == ("DATE", "yyyymmdd") and types["date_deces"] == ("DATE", "yyyymmdd")
    rows = sqlite3.connect(tmp_path / "t.db").execute("SELECT ecrituredate, date_deces FROM fec ORDER BY rowid").fetchall()
    # 20140229 is no day (2014 is not a leap year): kept as it is written, and logged.
    assert rows == [("2014-07-01", None), ("20140229", "1999-12-31"), ("2014-12-31", "2000-02-29")]
    assert result.columns[2].anomalies == 1
    assert _("YYYYMMDD (year, month, day without separators)") in render_import(result)


@pytest.mark.parametrize("values", [
    ["20140701", "20140702", "123"],          # a number that is no day: the column holds numbers
    ["20140701", "20140702", "21000101"],     # past 2099: not the days of an export
    ["20140701", "20141301", "20140703"],     # a thirteenth month
    ["20140701", " 20140702", "20140703"],    # a space around a value: not proven
])
def test_date_named_numbers_that_are_not_all_days_stay_numbers(tmp_path, values):
    path = tmp_path / "d.csv"
    path.write_text("Date;n\n" + "".join(f"{v};{i}\n" for i, v in enumerate(values)), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False, search=False))
    assert result.columns[0].type == "INTEGER"


def test_yyyymmdd_decision_holds_over_batches_and_parts(tmp_path):
    # Days in every batch of a big file; a worker's part agrees; a late non-day turns the column back.
    lines = ["id;DateOperation"] + [f"{i};2023{1 + i % 12:02d}{1 + i % 28:02d}" for i in range(3 * BATCH)]
    serial, parallel = import_both(write(tmp_path, lines), tmp_path)
    assert serial.columns[1].type == parallel.columns[1].type == "DATE"
    late = lines + ["99;99999999"]
    serial, parallel = import_both(write(tmp_path, late, name="late.csv"), tmp_path)
    assert serial.columns[1].type == parallel.columns[1].type == "INTEGER"


def test_us_dates_with_a_few_day_first_slips_are_read_month_first(tmp_path):
    """A 4W export: dates month first (12/31/2014, 6/15/2015), two typed day first (18/12/2014):
    the column is month first, the two slips kept as written; 1/3/2015 is January 3rd."""
    days = [f"{m}/{d}/2015" for m in range(1, 13) for d in (13, 15, 28)] + ["1/3/2015", "18/12/2014", "17/11/2014"]
    path = tmp_path / "4w.csv"
    path.write_text("Activity,End_Date\n" + "".join(f"Activité {n},{day}\n" for n, day in enumerate(days)), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "d.db", ImportOptions(search=False))
    assert result.columns[1].type == "DATE"
    rows = sqlite3.connect(tmp_path / "d.db").execute(f"SELECT end_date FROM \"{result.table}\" ORDER BY rowid").fetchall()
    assert rows[0] == ("2015-01-13",) and rows[-3] == ("2015-01-03",) and rows[-2] == ("18/12/2014",)


def test_a_day_first_column_with_a_few_month_first_values_stays_day_first(tmp_path):
    days = [f"{d}/{m}/2015" for m in range(1, 13) for d in (13, 15, 28)] + ["12/31/2014"]
    path = tmp_path / "fr.csv"
    path.write_text("Activité,Fin\n" + "".join(f"A{n},{day}\n" for n, day in enumerate(days)), encoding="utf-8")
    (result,) = import_file(path, tmp_path / "f.db", ImportOptions(search=False))
    rows = sqlite3.connect(tmp_path / "f.db").execute("SELECT fin FROM fr ORDER BY rowid").fetchall()
    assert rows[0] == ("2015-01-13",) and rows[-1] == ("12/31/2014",)


def test_a_column_of_dates_that_read_both_ways_takes_the_order_its_neighbour_proves(tmp_path):
    """INSEE IPC / a 4W export: Start_Date proves month first (6/15/2015); End_Date holds only
    dates whose day and month are both 12 or less: read month first too, and the report says why.
    Without a proof anywhere the French default stays."""
    path = tmp_path / "4w.csv"
    path.write_text("Activity,Start_Date,End_Date\nA,6/15/2015,1/3/2016\nB,12/31/2014,2/4/2015\nC,1/2/2015,3/5/2015\n",
                    encoding="utf-8")
    (result,) = import_file(path, tmp_path / "d.db", ImportOptions(search=False))
    assert [c.date_order for c in result.columns[1:]] == ["mdy", "mdy"]
    assert result.columns[2].order_from == "start_date"
    rows = sqlite3.connect(tmp_path / "d.db").execute(f"SELECT end_date FROM \"{result.table}\"").fetchall()
    assert rows == [("2016-01-03",), ("2015-02-04",), ("2015-03-05",)]
    path.write_text("Activity,Start_Date,End_Date\nA,6/11/2015,1/3/2016\nB,12/1/2014,2/4/2015\n", encoding="utf-8")
    (alone,) = import_file(path, tmp_path / "e.db", ImportOptions(search=False))
    assert [c.date_order for c in alone.columns[1:]] == ["dmy", "dmy"] and alone.columns[2].order_from is None
