"""Multi-row inserts keep every row, in order, with consecutive rowids, whatever the batch size,
the table's width and the connection's bound-parameter limit."""

from __future__ import annotations

import sqlite3

import pytest

from datactiviste.ingest.bulkinsert import ROWS_PER_STATEMENT, insert_columns, rows_per_statement


def _table(width: int, limit: int | None = None) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    if limit is not None:
        connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    connection.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(width))})")
    return connection


@pytest.mark.parametrize("count", [1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, ROWS_PER_STATEMENT + 1, 1000, 1001])
@pytest.mark.parametrize("limit", [None, 7, 40])
def test_every_row_in_order(count, limit):
    width = 3
    columns = [list(range(count)), [f"v{i}" for i in range(count)], tuple(None if i % 3 else i * 0.5 for i in range(count))]
    connection = _table(width, limit)
    insert_columns(connection, '"t"', ['"c0"', '"c1"', '"c2"'], columns)
    stored = connection.execute("SELECT rowid, c0, c1, c2 FROM t ORDER BY rowid").fetchall()
    assert stored == [(i + 1, i, f"v{i}", None if i % 3 else i * 0.5) for i in range(count)]


def test_a_limit_lower_than_two_rows_inserts_one_row_per_statement():
    connection = _table(5, limit=9)
    assert rows_per_statement(connection, 5) == 1
    insert_columns(connection, "t", [f"c{i}" for i in range(5)], [[i] * 3 for i in range(5)])
    assert connection.execute("SELECT count(*), sum(c4) FROM t").fetchone() == (3, 12)


def test_the_limit_caps_rows_per_statement():
    assert rows_per_statement(_table(1, limit=32766), 2000) == 16
    assert rows_per_statement(_table(1, limit=32766), 2100) == 15
    assert rows_per_statement(_table(1, limit=999), 100) == 9


def test_no_columns_inserts_nothing():
    connection = _table(1)
    insert_columns(connection, "t", [], [])
    assert connection.execute("SELECT count(*) FROM t").fetchone() == (0,)
