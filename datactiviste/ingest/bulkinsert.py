"""Insert a batch of converted columns with multi-row `INSERT … VALUES (…), (…)` statements.

`executemany` with one row per statement pays sqlite3's per-row step and reset on every row;
sixteen rows per statement bind the same values in a quarter less time (200k rows × 12 columns:
2.7 → 1.95 µs a row in a micro-benchmark; the whole `--no-index` import 6.8 → 6.2 s, medians of five
alternated runs, benchmarks/import_speed.md). SQLite
inserts the rows of one VALUES list in order, so the rowids stay consecutive, as the line map
of `load.py` needs.
"""

from __future__ import annotations

import sqlite3
from itertools import chain

ROWS_PER_STATEMENT = 16


def rows_per_statement(connection: sqlite3.Connection, width: int) -> int:
    """As many rows as the connection's bound-parameter limit allows, up to ROWS_PER_STATEMENT."""
    try:
        limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):  # before Python 3.11: SQLite's oldest default
        limit = 999
    return max(1, min(ROWS_PER_STATEMENT, limit // max(1, width)))


def insert_columns(connection: sqlite3.Connection, table: str, names: list[str], columns: list) -> None:
    """Insert the rows made of `columns` (one sequence of values per column, same length each) into
    `table` (already quoted), `names` being its quoted column names, in order."""
    if not columns:
        return
    width, count = len(columns), len(columns[0])
    per = rows_per_statement(connection, width)
    row = f"({', '.join('?' * width)})"
    head = f"INSERT INTO {table} ({', '.join(names)}) VALUES "
    grouped = count // per * per
    if grouped and per > 1:
        whole = columns if grouped == count else [values[:grouped] for values in columns]
        values = chain.from_iterable(zip(*whole))
        connection.executemany(head + ", ".join([row] * per), zip(*[values] * (per * width)))
    else:
        grouped = 0
    if grouped < count:
        rest = columns if not grouped else [values[grouped:] for values in columns]
        connection.executemany(head + row, zip(*rest))
