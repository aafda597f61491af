"""The profiler's fast paths count what classifying each value counts, and the converters' C-speed
paths give what the value-by-value ones give.

The fast paths (a chunk matched whole by one pattern, with or without spaces around values) are
what a big file goes through after its first chunk; a column's type comes from their counts. Each
case below is a column as real files have them, written by hand; it is profiled once chunk by
chunk (fast paths) and once value by value, and both must agree.
"""

from __future__ import annotations

import random

import pytest

from datactiviste.ingest.convert import column_converter, convert_number
from datactiviste.ingest.shapes import DEFAULT_NULL_MARKERS, classify, union_pattern
from datactiviste.ingest.types import Profiler, decide

NBSP = "\u00a0"

COLUMNS = {
    "integers": ["12", "0", "-7", "4591", "1200000"],
    "integers-with-empties": ["12", "", "7", "", "4591"],
    "comma-decimals": ["12,5", "0,25", "-3,75", "12914,42", "7"],
    "grouped-amounts": [f"1{NBSP}234{NBSP}567,50", f"12{NBSP}000,00", "950,10", f"3{NBSP}000{NBSP}000,00"],
    "percent-units": ["12 %", "7,5 %", "100 %", "0 %"],
    "markers": ["12", "NA", "7", "-", "4591", "n.d."],
    "spaces-around": [" 12", "7 ", "  4591", "3"],
    "space-only-cells": ["12", "   ", "7", "\u00a0", "4591"],
    "dates-dmy": ["25/02/2022", "01/12/2019", "16/01/2019", "06/12/2020"],
    "dates-dmy-empties": ["25/02/2022", "", "16/01/2019", ""],
    "dates-two-digit-years": ["02.03.20", "15.11.19", "31.12.99"],
    "dates-words": ["12 janv. 2024", "1er mars 2024", "15 août 2023"],
    "datetimes": ["2050-01-01 00:00:00", "2050-01-01 01:00:00", "2024-02-29 23:59:59"],
    "codes-with-zeros": ["07008", "34143", "01001"],
    "text": ["Pontoise", "Orléans", "Saint-Louis", "Thiès"],
    "mostly-numbers-some-text": ["12", "7", "voir note", "4591"],
    "two-space-groups": ["14  305", "1 710", "(1  178)", "423"],
    "typeset-minus-and-accounting": ["\u22123,5", "(1\u202f200,00)", "12,5", "\u2013 7", "(3)"],
    "list-markers-are-text": ["1)", "2)", "(3", "4"],
}


def _column(values: list[str], rows: int, seed: int) -> list[str]:
    """`rows` values drawn from the case's values, the same for both profiles."""
    rng = random.Random(seed)
    return [rng.choice(values) for _ in range(rows)]


def _by_chunks(column: list[str], chunk: int) -> Profiler:
    profiler = Profiler(1, DEFAULT_NULL_MARKERS)
    for start in range(0, len(column), chunk):
        profiler.add_chunk([tuple(column[start:start + chunk])])
    return profiler


def _value_by_value(column: list[str]) -> Profiler:
    profiler = Profiler(1, DEFAULT_NULL_MARKERS)
    profiler._classify_each(profiler.columns[0], tuple(column))
    return profiler


def _facts(profile) -> dict:
    return {
        "typed": sum(profile.shapes.values()), "shapes": set(profile.shapes), "empty": profile.empty,
        "whitespace_only": profile.whitespace_only, "markers": profile.markers, "text": profile.text,
        "units": profile.units, "day_first": bool(profile.day_first_proof),
        "month_first": bool(profile.month_first_proof), "year_first": bool(profile.year_first_proof),
        "year_last": bool(profile.year_last_proof),
    }


@pytest.mark.parametrize("case", sorted(COLUMNS))
def test_chunks_count_what_values_count(case):
    column = _column(COLUMNS[case], rows=700, seed=len(case))
    fast, slow = _by_chunks(column, chunk=50), _value_by_value(column)
    assert _facts(fast.columns[0]) == _facts(slow.columns[0])
    fast_decision, slow_decision = decide(fast.columns[0], ","), decide(slow.columns[0], ",")
    assert (fast_decision.sql_type, fast_decision.decimal, fast_decision.date_order) == \
        (slow_decision.sql_type, slow_decision.decimal, slow_decision.date_order)


def test_the_pattern_without_spaces_accepts_less_never_more():
    shapes = ["int", "dec_comma"]
    strict, spaced = union_pattern(shapes, ["NA"], spaces=False), union_pattern(shapes, ["NA"])
    for chunk in (["12", "", "NA", "3,5"], [" 12", "3,5"], ["12", "  "], ["12", "abc"]):
        lines = "\n".join(chunk) + "\n"
        if strict.fullmatch(lines):
            assert spaced.fullmatch(lines)
    assert strict.fullmatch("12\n\nNA\n3,5\n") and spaced.fullmatch("12\n\nNA\n3,5\n")
    assert not strict.fullmatch(" 12\n3,5\n") and spaced.fullmatch(" 12\n3,5\n")
    assert not strict.fullmatch("12\n  \n") and spaced.fullmatch("12\n  \n")
    assert not spaced.fullmatch("12\nabc\n")


def _converted(values: list[str]):
    profiler = _by_chunks(values, chunk=len(values))
    profiler.add_chunk([tuple(values)])            # a second chunk: the fast path's counts
    decision = decide(profiler.columns[0], ",")
    return decision, column_converter(decision, profiler.columns[0], DEFAULT_NULL_MARKERS)(tuple(values))


def test_uniform_numbers_are_bound_as_numbers():
    decision, values = _converted([f"1{NBSP}234,5", "0,25", "-3", "12 914,42"])
    assert decision.sql_type == "REAL"
    assert values == [1234.5, 0.25, -3.0, 12914.42] and all(type(v) is float for v in values)
    decision, values = _converted(["12", "4591", "-7"])
    assert decision.sql_type == "INTEGER" and values == [12, 4591, -7] and all(type(v) is int for v in values)


def test_empty_cells_are_null_and_the_rest_left_to_sqlite():
    decision, values = _converted(["12", "", "4591"])
    assert decision.sql_type == "INTEGER" and values == ["12", None, "4591"]


def test_integers_too_long_for_64_bits_make_a_text_column():
    # SQLite would store 1234567890123456789012 in an INTEGER column as a float (1.23e21): digits lost.
    decision, values = _converted(["1234567890123456789012", "12"])
    assert (decision.sql_type, decision.kind) == ("TEXT", "code")
    assert list(values) == ["1234567890123456789012", "12"]


def test_digits_of_other_scripts_are_kept_as_written():
    # Python's int() reads ١٢ (Arabic-Indic) as 12; the shapes do not, so the column stays text.
    decision, values = _converted(["١٢", "12", "7"])
    assert decision.sql_type == "TEXT" and list(values) == ["١٢", "12", "7"]


def test_text_columns_keep_values_and_null_empty_cells():
    values = ["Pontoise", "", "Orléans", ""] * 10
    decision, converted = _converted(values)
    assert decision.sql_type == "TEXT"
    assert converted == ["Pontoise", None, "Orléans", None] * 10


def _converted_in_batches(profiler, column: list[str], size: int) -> list:
    """`column` converted as a DATE dmy column, `size` values at a time, a new converter for each
    batch as the loader makes them."""
    decision = decide(profiler.columns[0], ",")
    assert (decision.sql_type, decision.date_order) == ("DATE", "dmy")
    converted = []
    for start in range(0, len(column), size):
        convert = column_converter(decision, profiler.columns[0], DEFAULT_NULL_MARKERS)
        converted += convert(tuple(column[start:start + size]))
    return converted


def test_dates_are_converted_once_per_distinct_value_across_batches():
    days = [f"{day:02d}/{month:02d}/2023" for month in range(1, 13) for day in range(1, 29)]
    column = _column(days + [""], rows=3000, seed=3)
    profiler = _by_chunks(column, chunk=500)
    converted = _converted_in_batches(profiler, column, 500)
    expected = [f"{v[6:]}-{v[3:5]}-{v[:2]}" if v else None for v in column]
    assert converted == expected
    assert not profiler.columns[0].dates_unproven


def test_dates_past_the_remembered_count_convert_the_same_and_the_misfit_is_seen(monkeypatch):
    # More distinct values than the converter remembers (date-times to the second): the batches
    # that no longer fit are converted value by value, with the same results, misfits included.
    from datactiviste.ingest import convert

    monkeypatch.setattr(convert, "_REMEMBERED", 40)
    monkeypatch.setattr(convert, "_MEMORY", {})
    days = [f"{day:02d}/{month:02d}/2021" for month in range(1, 13) for day in range(1, 29)]
    column = days[:30] + ["", "31/02/2021"] + days[30:90] + days[:10]
    profiler = _by_chunks(days + [""], chunk=500)
    converted = _converted_in_batches(profiler, column, 25)
    expected = [f"{v[6:]}-{v[3:5]}-{v[:2]}" if v and v != "31/02/2021" else (v or None) for v in column]
    assert converted == expected
    assert profiler.columns[0].dates_unproven      # the misfit 31/02, and the batches converted unchecked


def test_typeset_minus_signs_and_accounting_parentheses_are_negative():
    # −3,5 (U+2212), – 7 (an en dash for a minus), (1 200,00): the accounting format of budget tables.
    for values, sql_type, expected in (
            (["\u22123,5", f"(1{NBSP}200,00)", "12,5", "\u2013 7"], "REAL", [-3.5, -1200.0, 12.5, -7.0]),
            (["(12)", "4591", "\u22127", "(1 000)"], "INTEGER", [-12, 4591, -7, -1000])):
        decision, converted = _converted(values)
        assert decision.sql_type == sql_type and converted == expected
        slow = [convert_number(value, ",") for value in values]
        assert slow == expected


def test_unbalanced_parentheses_are_not_numbers():
    assert [classify(v) for v in ("(12", "12)", "1)", "(12 %", "((12))")] == [None] * 5
    assert convert_number("(12", ",") == "(12"


def test_departement_numbers_beside_corsica_codes_are_text(tmp_path):
    # 01-95 written without their zero (1, 2 … 95), then 2A and 2B far down, as in a file read in parts.
    import sqlite3

    from tests.test_import_parallel import import_both, write

    lines = ["département;montant"] + [f"{1 + i % 95};{i}" for i in range(3000)] + ["2A;5", "2B;6", "971;7"]
    serial, parallel = import_both(write(tmp_path, lines), tmp_path)
    for result in (serial, parallel):
        assert [(c.type, c.kind) for c in result.columns] == [("TEXT", "code"), ("INTEGER", "integer")]
    values = sqlite3.connect(tmp_path / "jobs1.db").execute("SELECT departement FROM big WHERE rowid > 3000").fetchall()
    assert values == [("2A",), ("2B",), ("971",)]


def test_a_code_shaped_misfit_in_a_quantity_column_is_only_a_misfit(tmp_path):
    from datactiviste.ingest.importer import ImportOptions, import_file

    path = tmp_path / "montants.csv"
    path.write_text("montant;nom\n" + "".join(f"{i};n{i}\n" for i in range(200)) + "12O;typo\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.columns[0].type == "INTEGER" and result.columns[0].anomalies == 1


def test_insee_commune_codes_with_corsica_are_text(tmp_path):
    from datactiviste.ingest.importer import ImportOptions, import_file

    path = tmp_path / "bornes.csv"
    path.write_text("code_insee_commune;puissance\n" + "".join(f"{59000 + i};22\n" for i in range(300))
                    + "2A004;7\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert result.columns[0].type == "TEXT" and result.columns[0].anomalies == 0


def test_identifiers_longer_than_a_64_bit_integer_keep_every_digit(tmp_path):
    import sqlite3

    from datactiviste.ingest.importer import ImportOptions, import_file

    path = tmp_path / "regions.csv"
    path.write_text("Region_ID,Region\n20190012019002419952865,Adamaoua\n20190012019002419952866,Centre\n"
                    "7,Est\n", encoding="utf-8")
    (result,) = import_file(path, tmp_path / "t.db", ImportOptions(index=False))
    assert (result.columns[0].type, result.columns[0].kind) == ("TEXT", "code")
    stored = sqlite3.connect(tmp_path / "t.db").execute("SELECT region_id FROM regions").fetchall()
    assert stored == [("20190012019002419952865",), ("20190012019002419952866",), ("7",)]
    decision, values = _converted(["123456789012345678", "12"])      # 18 digits: still a number
    assert decision.sql_type == "INTEGER" and values == [123456789012345678, 12]
