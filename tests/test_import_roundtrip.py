"""Property: a random table written with a random encoding, delimiter, quoting and French or
English number/date formats imports back to the same values and types."""

import csv
import datetime
import io
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datactiviste.ingest.importer import import_file

# Letters every candidate encoding can write (cp1252 has œ ’ but no ʤ).
LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàçôûïÉÀœ’ ABCDEFGHIJ"
KINDS = ["integer", "decimal", "date", "text"]


@st.composite
def tables(draw):
    width = draw(st.integers(1, 5))
    kinds = [draw(st.sampled_from(KINDS)) for _ in range(width)]
    height = draw(st.integers(1, 25))
    columns = []
    for kind in kinds:
        if kind == "integer":
            values = draw(st.lists(st.integers(-10_000_000, 10_000_000), min_size=height, max_size=height))
        elif kind == "decimal":
            cents = draw(st.lists(st.integers(-10**9, 10**9), min_size=height, max_size=height))
            # At least one value with a fraction, so the column is REAL whatever the draw.
            values = [c / 100 for c in cents[:-1]] + [cents[-1] // 100 + 0.25]
        elif kind == "date":
            values = draw(st.lists(st.dates(datetime.date(1950, 1, 1), datetime.date(2030, 12, 31)),
                                   min_size=height, max_size=height))
        else:
            values = draw(st.lists(st.text(LETTERS, min_size=1, max_size=12).map(lambda t: "x" + t.strip() + "y"),
                                   min_size=height, max_size=height))
        columns.append(values)
    return kinds, [list(row) for row in zip(*columns)]


def _fr_number(value, decimals):
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return ("-" if value < 0 else "") + text


def _en_number(value, decimals):
    return ("-" if value < 0 else "") + f"{abs(value):,.{decimals}f}"


def render(kinds, rows, style):
    number = _fr_number if style == "fr" else _en_number
    out = []
    for row in rows:
        cells = []
        for kind, value in zip(kinds, row):
            if kind == "integer":
                cells.append(number(value, 0) if style == "fr" else str(value))
            elif kind == "decimal":
                cells.append(number(value, 2))
            elif kind == "date":
                cells.append(value.strftime("%d/%m/%Y") if style == "fr" else value.isoformat())
            else:
                cells.append(value)
        out.append(cells)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       delimiter=st.sampled_from([",", ";", "\t", "|"]), quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       style=st.sampled_from(["fr", "en"]))
def test_round_trip(tmp_path, table, encoding, delimiter, quoting, style):
    kinds, rows = table
    headers = [f"colonne {i} é" for i in range(len(kinds))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(render(kinds, rows, style))
    path = tmp_path / f"t{abs(hash((encoding, delimiter, quoting, style, str(rows)))) % 10**8}.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    database = tmp_path / "rt.db"
    (result,) = import_file(path, database)
    assert [c.label for c in result.columns] == headers
    expected_types = {"integer": "INTEGER", "decimal": "REAL", "date": "DATE", "text": "TEXT"}
    assert [c.type for c in result.columns] == [expected_types[k] for k in kinds]
    stored = sqlite3.connect(database).execute(f'SELECT * FROM "{result.table}" ORDER BY rowid').fetchall()
    assert len(stored) == len(rows)
    for got, want in zip(stored, rows):
        for kind, value, original in zip(kinds, got, want):
            if kind == "integer":
                assert value == original
            elif kind == "decimal":
                assert abs(value - original) < 1e-6
            elif kind == "date":
                assert value == original.isoformat()
            else:
                assert value == original
