"""Indexes that make Datasette's table pages fast: on the columns people facet and sort by.

A trainee clicks "facet by region" or sorts by amount; on 100k rows without an index each
click scans the table (~400 ms on a 2-core laptop), with 30 people at once the room waits.
Every index also costs import time (0.5-0.7 s per index at 1M rows, measured) and disk, so
`prepare_for_serving` chooses few, from a sample of the rows (never a scan of the table), for
the clicks a table page really gets:

1. the facet column people are most likely to open: few distinct values, a category or a place
   (3 to 200 values) before a yes/no flag, whose two counts cost one scan when asked for;
2. the first date column (sorted and faceted by period);
3. the first quantity (amounts, counts) people sort by ("the biggest expense") — not
   identifiers, codes or coordinates, and not columns that are mostly empty;
4. then more facet columns, then other dates and quantities.

At most `MAX_INDEXES`, then ANALYZE (on a bounded sample of each index) so SQLite's planner
uses them. The importer calls it after loading a table; `datactiviste serve` does not write.
"""

from __future__ import annotations

import re
import sqlite3

from datactiviste.ingest.names import fold, looks_like_identifier, quote

MAX_INDEXES = 4             # 1M rows: ~2.3 s of import; six took ~3.2 s
SAMPLE_BLOCKS = 16          # rowid ranges read to describe a table
BLOCK_ROWS = 500
MAX_FACET_VALUES = 200      # more distinct values than this is not a facet
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COORDINATE = re.compile(r"^(lat|lon|lng|long|latitude|longitude|x|y|coord.*|geo.*)$")


def _sample(connection: sqlite3.Connection, table: str, names: list[str], rows: int) -> list[tuple]:
    """About SAMPLE_BLOCKS x BLOCK_ROWS rows spread over the table, read by rowid range."""
    selected = ", ".join(quote(name) for name in names)
    try:
        low, high = connection.execute(f"SELECT min(rowid), max(rowid) FROM {quote(table)}").fetchone()
    except sqlite3.OperationalError:   # WITHOUT ROWID: the first rows will do
        return connection.execute(f"SELECT {selected} FROM {quote(table)} LIMIT ?",
                                  (SAMPLE_BLOCKS * BLOCK_ROWS,)).fetchall()
    if low is None:
        return []
    step = max(BLOCK_ROWS, (high - low + 1) // SAMPLE_BLOCKS)
    sample: list[tuple] = []
    for start in range(low, high + 1, step):
        sample += connection.execute(
            f"SELECT {selected} FROM {quote(table)} WHERE rowid >= ? AND rowid < ?",
            (start, start + BLOCK_ROWS)).fetchall()
    return sample


def columns_worth_indexing(connection: sqlite3.Connection, table: str) -> list[str]:
    """The columns people will facet or sort by, most useful first (see the module docstring)."""
    rows = connection.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]
    if rows < 1000:
        return []  # a scan of a small table is already instant
    info = connection.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    names = [row[1] for row in info if not row[5]]
    if not names:
        return []
    sample = _sample(connection, table, names, rows)
    facets, dates, quantities = [], [], []
    for position, name in enumerate(names):
        values = [row[position] for row in sample if row[position] not in (None, "")]
        if not values or len(values) < len(sample) * 0.05:
            continue   # mostly empty: nothing to sort or facet
        distinct = len(set(values))
        if distinct <= MAX_FACET_VALUES and distinct * 5 <= len(values):
            facets.append((distinct, name))
        elif all(isinstance(v, str) and _ISO_DATE.match(v) for v in values):
            dates.append(name)
        elif all(isinstance(v, (int, float)) for v in values) and not looks_like_identifier(name) \
                and not _COORDINATE.match(fold(name)):
            quantities.append(name)
    # Categories and places before yes/no flags, then by number of values.
    facet_names = [name for _distinct, name in sorted(facets, key=lambda f: (f[0] < 3, f[0]))]
    ordered = facet_names[:1] + dates[:1] + quantities[:1] + facet_names[1:] + dates[1:] + quantities[1:]
    return ordered[:MAX_INDEXES]


def prepare_for_serving(connection: sqlite3.Connection, table: str) -> list[str]:
    """Create the missing indexes for `table` and ANALYZE it; returns the indexed columns."""
    existing = {row[2] for index in connection.execute(f"PRAGMA index_list({quote(table)})").fetchall()
                for row in connection.execute(f"PRAGMA index_info({quote(index[1])})").fetchall()[:1]}
    wanted = [column for column in columns_worth_indexing(connection, table) if column not in existing]
    created = []
    # One sorting thread: `PRAGMA threads = 2` took the same time and 70 % more CPU (1M rows, 2 cores).
    for column in wanted:
        index = f"idx_{table}_{column}"
        connection.execute(f"CREATE INDEX IF NOT EXISTS {quote(index)} ON {quote(table)}({quote(column)})")
        created.append(column)
    # ANALYZE reads a bounded number of rows per index (SQLite >= 3.32): statistics good enough for
    # the planner in milliseconds instead of a full pass over every index.
    connection.execute("PRAGMA analysis_limit = 1000")
    connection.execute(f"ANALYZE {quote(table)}")
    return created
